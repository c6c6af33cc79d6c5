import { cleanName, personKey } from './identity.js';
import type { MessageRecord, PersonRef } from './types.js';

/** Separator for list values staged as one VARCHAR (cheaper to append than a LIST). */
export const SEP = '\u0001';

/** A sender as the export gives it in one conversation: id, raw name, bot flag and aliases. */
export interface Sender {
  idx: number;
  id: string | null;
  bot: boolean;
  /** Raw aliases joined by NUL ('' for none): part of the identity, compared as one string. */
  aliases: string;
  group: string;
  key: string;
  name: string;
  cleanAliases: string | null;
}

/** The senders of a file, each worked out once: key, cleaned name and aliases. */
export class Senders {
  readonly list: Sender[] = [];
  /** group → raw sender name → the senders of that name (one, unless ids, bot flags or aliases differ). */
  private readonly byGroup = new Map<string, Map<string, Sender | Sender[]>>();
  /** Raw name → cleaned name: quoted names repeat. */
  private readonly names = new Map<string, string>();

  /** The sender entry of a message: names, keys and aliases are worked out once per sender. */
  of(group: string, p: PersonRef): Sender {
    let byName = this.byGroup.get(group);
    if (!byName) this.byGroup.set(group, (byName = new Map()));
    const id = p.id;
    const bot = p.bot === true;
    const aliases = p.aliases && p.aliases.length ? p.aliases.join('\u0000') : '';
    const found = byName.get(p.name);
    if (found !== undefined) {
      if (!Array.isArray(found)) {
        if (found.id === id && found.bot === bot && found.aliases === aliases) return found;
      } else {
        for (const s of found) if (s.id === id && s.bot === bot && s.aliases === aliases) return s;
      }
    }
    const s: Sender = {
      idx: this.list.length, id: id === null ? null : own(id), bot, aliases: own(aliases), group, key: own(personKey(p)),
      name: own(this.clean(p.name)), cleanAliases: this.aliases(p),
    };
    this.list.push(s);
    const name = own(p.name);
    if (found === undefined) byName.set(name, s);
    else if (Array.isArray(found)) found.push(s);
    else byName.set(name, [found, s]);
    return s;
  }

  clean(name: string): string {
    let c = this.names.get(name);
    if (c === undefined) {
      c = cleanName(name);
      if (this.names.size < 200_000) this.names.set(own(name), (c = own(c)));
    }
    return c;
  }

  /** Other names of the sender, cleaned, without the shown one; null when none. */
  private aliases(p: PersonRef): string | null {
    if (!p.aliases || p.aliases.length === 0) return null;
    const shown = this.clean(p.name);
    const out = [...new Set(p.aliases.map((x) => this.clean(x)))].filter((x) => x !== '' && x !== shown);
    return out.length ? out.join(SEP) : null;
  }
}

/** Occurrence numbers of identical records, counted in line order (see `count`). */
export class Occurrences {
  /** The records of the current second. */
  private ts = '';
  private readonly recs: { group: string; sender: string; kind: string; text: string; n: number }[] = [];
  private counts: Map<string, number> | null = null;

  /**
   * The record's number among identical records (conversation, sender, time, kind, text) in line
   * order, counted while writing a chronological file: identical records then share a second,
   * and a new second forgets the last one. Seconds hold few records (WhatsApp times are minutes:
   * 2–3 a minute at 1M messages), so they are compared one by one, and hashed only when many.
   */
  count(r: MessageRecord, sender: string): number {
    if (this.ts !== r.time) {
      this.ts = r.time;
      this.counts = null;
      this.recs.length = 0;
    } else if (this.counts) {
      const k = occKey(r.group, sender, r.kind, r.text);
      const n = (this.counts.get(k) ?? 0) + 1;
      this.counts.set(k, n);
      return n;
    } else {
      for (const e of this.recs) if (e.sender === sender && e.text === r.text && e.kind === r.kind && e.group === r.group) return ++e.n;
      if (this.recs.length >= 32) {
        this.counts = new Map(this.recs.map((e) => [occKey(e.group, e.sender, e.kind, e.text), e.n]));
        this.recs.length = 0;
        this.counts.set(occKey(r.group, sender, r.kind, r.text), 1);
        return 1;
      }
    }
    this.recs.push({ group: r.group, sender, kind: r.kind, text: r.text, n: 1 });
    return 1;
  }
}

/** Unambiguous key of (conversation, sender, kind, text): the first two carry their length. */
function occKey(group: string, sender: string, kind: string, text: string): string {
  return `${group.length}:${group}${sender.length}:${sender}${kind}\u0000${text}`;
}

/**
 * A copy of a parser's string that does not keep its source alive: V8 slices share their parent,
 * so a sender name kept in a map pinned the whole decoded chunk it was cut from (≈ 90 MB of
 * chunks at 1M messages). Only for strings kept for the whole import.
 */
function own(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}
