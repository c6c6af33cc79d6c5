import type { DuckDBAppender } from '@duckdb/node-api';
import type { Database } from '../db/database.js';
/** Anything that turns message texts into their terms joined by SEP (a thread pool, or jieba here). */
export interface TermSource {
  segment(texts: string[]): Promise<string[]>;
}
import { cleanName, personKey } from './identity.js';
import type { GroupRecord, ParsedRecord, PersonRef } from './types.js';

/** Separator for list values staged as one VARCHAR (cheaper to append than a LIST). */
export const SEP = '\u0001';

export const STAGING_TABLES = ['stg_messages', 'stg_events', 'stg_rejects', 'stg_groups', 'stg_gmap', 'stg_people', 'stg_new', 'stg_pmap', 'stg_enew', 'stg_pnames', 'stg_q', 'stg_terms'];

/** Messages per segmentation batch sent to the term source. */
const SEG_BATCH = 2000;

/** Kinds whose text is segmented into topic terms. */
const SEGMENTED = new Set(['text', 'link']);

const STAGING_DDL = [
    `CREATE OR REPLACE TEMP TABLE stg_messages (group_key VARCHAR, line INTEGER, ext_id VARCHAR, sender_key VARCHAR,
     sender_pid VARCHAR, sender_name VARCHAR, ts VARCHAR, utc_ms DOUBLE, kind VARCHAR, text VARCHAR, reply_ext VARCHAR,
     quote_name VARCHAR, quote_text VARCHAR, quote_key VARCHAR, mentions VARCHAR, terms VARCHAR, seq INTEGER,
     sender_bot BOOLEAN, sender_aliases VARCHAR, reactions INTEGER)`,
  // Terms arrive from the segmentation thread after their message was staged: joined on seq.
  `CREATE OR REPLACE TEMP TABLE stg_terms (seq INTEGER, terms VARCHAR)`,
  // One row per (event, subject); `subject_*` NULL when the event names nobody.
  `CREATE OR REPLACE TEMP TABLE stg_events (group_key VARCHAR, line INTEGER, ts VARCHAR, utc_ms DOUBLE, kind VARCHAR,
     text VARCHAR, actor_key VARCHAR, actor_pid VARCHAR, actor_name VARCHAR, subject_key VARCHAR, subject_pid VARCHAR,
     subject_name VARCHAR, seq INTEGER)`,
  // `file`: `<bundle path>/<file inside the bundle>` for a bundle's rejects; NULL for a single file.
  `CREATE OR REPLACE TEMP TABLE stg_rejects (line INTEGER, reason VARCHAR, raw VARCHAR, file VARCHAR)`,
];

export interface StageCounts {
  messages: number;
  events: number;
  rejected: number;
  groups: GroupRecord[];
}

/**
 * Appends a file's parsed records into TEMP staging tables. Nothing touches the real tables until
 * `merge` runs in one transaction, so a crash or cancel mid-file leaves the database as it was
 * (temp tables vanish with the connection).
 */
export class Stager {
  readonly counts: StageCounts = { messages: 0, events: 0, rejected: 0, groups: [] };
  private readonly groupKeys = new Set<string>();
  private msg!: DuckDBAppender;
  private evt!: DuckDBAppender;
  private rej!: DuckDBAppender;
  private eventSeq = 0;
  private terms!: DuckDBAppender;
  private segSeqs: number[] = [];
  private segTexts: string[] = [];
  /** Segmentation batches in flight; `waitTerms` bounds them so memory stays flat. */
  private readonly inFlight = new Set<Promise<void>>();
  private termError: Error | null = null;
  /** Raw sender name → cleaned name, and person → key: names repeat on every message. */
  private readonly names = new Map<string, string>();
  private readonly keys = new Map<string, string>();

  constructor(
    private readonly db: Database,
    private readonly segmenter: TermSource | null,
    private readonly fileName: string,
  ) {}

  async open(): Promise<void> {
    for (const ddl of STAGING_DDL) await this.db.run(ddl);
    this.msg = await this.db.conn.createAppender('stg_messages', 'main', 'temp');
    this.evt = await this.db.conn.createAppender('stg_events', 'main', 'temp');
    this.rej = await this.db.conn.createAppender('stg_rejects', 'main', 'temp');
    this.terms = await this.db.conn.createAppender('stg_terms', 'main', 'temp');
  }

  add(batch: readonly ParsedRecord[]): void {
    for (const r of batch) {
      switch (r.type) {
        case 'group':
          if (!this.groupKeys.has(r.key)) {
            this.groupKeys.add(r.key);
            this.counts.groups.push(r);
          }
          break;
        case 'message':
          this.requireGroup(r.group, r.line);
          this.addMessage(r);
          break;
        case 'event':
          this.requireGroup(r.group, r.line);
          this.addEvent(r);
          break;
        case 'reject':
          this.rej.appendInteger(r.line);
          this.rej.appendVarchar(r.reason);
          this.rej.appendVarchar(r.raw.length > 4000 ? r.raw.slice(0, 4000) + '…' : r.raw);
          str(this.rej, r.file ? `${this.fileName}/${r.file}` : null);
          this.rej.endRow();
          this.counts.rejected++;
          break;
      }
    }
  }

  private requireGroup(key: string, line: number): void {
    if (!this.groupKeys.has(key)) throw new Error(`${this.fileName}:${line}: parser error: record before its group '${key}'`);
  }

  private addMessage(r: Extract<ParsedRecord, { type: 'message' }>): void {
    const a = this.msg;
    a.appendVarchar(r.group);
    a.appendInteger(r.line);
    str(a, r.externalId);
    a.appendVarchar(this.keyOf(r.sender));
    str(a, r.sender.id);
    a.appendVarchar(this.clean(r.sender.name));
    a.appendVarchar(r.time);
    num(a, r.utcMs);
    a.appendVarchar(r.kind);
    a.appendVarchar(r.text);
    str(a, r.replyTo);
    str(a, r.quote ? this.clean(r.quote.name) : null);
    str(a, r.quote ? r.quote.text : null);
    str(a, r.quote?.id ? r.quote.id : null);
    str(a, r.mentions.length ? r.mentions.join(SEP) : null);
    a.appendNull();
    const seq = this.counts.messages;
    a.appendInteger(seq);
    a.appendBoolean(r.sender.bot === true);
    str(a, this.aliases(r.sender));
    if (r.reactions && r.reactions.length) a.appendInteger(r.reactions.reduce((n, x) => n + (Number.isFinite(x.count) ? x.count : 0), 0));
    else a.appendNull();
    if (this.segmenter && SEGMENTED.has(r.kind) && r.text.length > 0) {
      this.segSeqs.push(seq);
      this.segTexts.push(r.text);
      if (this.segTexts.length >= SEG_BATCH) this.sendTerms();
    }
    a.endRow();
    this.counts.messages++;
  }

  private addEvent(r: Extract<ParsedRecord, { type: 'event' }>): void {
    const seq = this.eventSeq++;
    const subjects: (PersonRef | null)[] = r.subjects.length ? r.subjects : [null];
    for (const s of subjects) {
      const a = this.evt;
      a.appendVarchar(r.group);
      a.appendInteger(r.line);
      a.appendVarchar(r.time);
      num(a, r.utcMs);
      a.appendVarchar(r.kind);
      a.appendVarchar(r.text);
      person(a, r.actor);
      person(a, s);
      a.appendInteger(seq);
      a.endRow();
    }
    this.counts.events++;
  }

  private clean(name: string): string {
    let c = this.names.get(name);
    if (c === undefined) {
      c = cleanName(name);
      if (this.names.size < 200_000) this.names.set(name, c);
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

  private keyOf(p: PersonRef): string {
    if (p.id !== null && p.id !== '') return p.id;
    let k = this.keys.get(p.name);
    if (k === undefined) {
      k = personKey(p);
      if (this.keys.size < 200_000) this.keys.set(p.name, k);
    }
    return k;
  }

  private sendTerms(): void {
    const seqs = this.segSeqs;
    const texts = this.segTexts;
    this.segSeqs = [];
    this.segTexts = [];
    const p = this.segmenter!.segment(texts).then(
      (joined) => {
        for (let i = 0; i < seqs.length; i++) {
          if (joined[i] === '') continue;
          this.terms.appendInteger(seqs[i]!);
          this.terms.appendVarchar(joined[i]!);
          this.terms.endRow();
        }
      },
      (e: Error) => void (this.termError = e),
    );
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Waits until at most `max` segmentation batches are in flight (0: all done). */
  async waitTerms(max = 2): Promise<void> {
    if (max === 0 && this.segTexts.length > 0) this.sendTerms();
    while (this.inFlight.size > max) await Promise.race(this.inFlight);
    if (this.termError) throw this.termError;
  }

  /** Flushes appenders so the staged rows are visible to SQL. */
  flush(): void {
    this.msg.flushSync();
    this.evt.flushSync();
    this.rej.flushSync();
    this.terms.flushSync();
  }

  async close(): Promise<void> {
    for (const a of [this.msg, this.evt, this.rej, this.terms]) {
      try {
        a?.closeSync();
      } catch {
        /* already closed */
      }
    }
  }

  async drop(): Promise<void> {
    await this.close();
    for (const t of STAGING_TABLES) await this.db.run(`DROP TABLE IF EXISTS temp.${t}`);
  }
}

function str(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}

function num(a: DuckDBAppender, v: number | null): void {
  if (v === null || !Number.isFinite(v)) a.appendNull();
  else a.appendDouble(v);
}

function person(a: DuckDBAppender, p: PersonRef | null): void {
  if (!p) {
    a.appendNull();
    a.appendNull();
    a.appendNull();
    return;
  }
  a.appendVarchar(personKey(p));
  str(a, p.id);
  a.appendVarchar(cleanName(p.name));
}
