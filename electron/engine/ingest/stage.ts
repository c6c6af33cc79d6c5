import type { DuckDBAppender } from '@duckdb/node-api';
import type { Database } from '../db/database.js';
/** Anything that turns message texts into their terms joined by SEP (a thread pool, or jieba here). */
export interface TermSource {
  segment(texts: string[]): Promise<string[]>;
  /** Frees what segmenting holds (a thread and its dictionary) until the next `segment`. */
  release?(): void;
  /** Settles the batches already answered, without waiting for the event loop. */
  poll?(): void;
}
import { ChunkWriter } from './chunks.js';
import { cleanName, personKey } from './identity.js';
import { Occurrences, SEP, Senders } from './stage-dict.js';
import type { GroupRecord, ParsedRecord, PersonRef } from './types.js';

export { SEP };

/** Temp views first: DROP TABLE refuses a view. */
export const STAGING_VIEWS = ['stg_messages'];
export const STAGING_TABLES = ['stg_msg', 'stg_extra', 'stg_senders', 'stg_kinds', 'stg_meta', 'stg_events', 'stg_rejects', 'stg_groups', 'stg_gmap', 'stg_people',
  'stg_sm', 'stg_new', 'stg_sagg', 'stg_quotes', 'stg_pmap', 'stg_enew', 'stg_pnames', 'stg_q', 'stg_dup'];

/** Messages per segmentation batch sent to the term source. */
const SEG_BATCH = 2000;

/**
 * Segmentation batches in flight before the parser waits. Above the pool's own threshold, so that
 * a thread that falls behind is helped by this one rather than waited for.
 */
const IN_FLIGHT = 6;

/** Messages from which a file's staging releases the term source before its merge. */
const RELEASE_AFTER = 100_000;

/** Kinds whose text is segmented into topic terms. */
const SEGMENTED = new Set(['text', 'link']);

// Column order of stg_msg, as the ChunkWriter fills it.
const M_SEQ = 0, M_LINE = 1, M_SENDER = 2, M_TS = 3, M_UTC = 4, M_KIND = 5, M_TEXT = 6, M_EXT = 7, M_TERMS = 8, M_OCC = 9;
// Column order of stg_extra.
const X_SEQ = 0, X_REPLY = 1, X_QNAME = 2, X_QTEXT = 3, X_QKEY = 4, X_MENTIONS = 5, X_REACTIONS = 6;

const STAGING_DDL = [
  // One row per message, narrow: the sender and the kind are indexes into the small tables
  // below (three sender strings per message were a third of the staging cost). A message is
  // written once its terms came back from the segmentation thread (a join on seq was a tenth of
  // the merge).
  // `occ`: the record's number among identical ones (conversation, sender, time, kind, text), by
  // line; valid when the file is chronological (see stg_meta), else the merge works it out.
  `CREATE OR REPLACE TEMP TABLE stg_msg (seq INTEGER, line INTEGER, sender INTEGER, ts VARCHAR, utc_ms DOUBLE, kind INTEGER,
     text VARCHAR, ext_id VARCHAR, terms VARCHAR, occ INTEGER)`,
  // What few messages carry (replies, quotes, mentions, reactions), kept out of stg_msg: temp
  // tables are not compressed, and every NULL string there costs 16 bytes.
  `CREATE OR REPLACE TEMP TABLE stg_extra (seq INTEGER, reply_ext VARCHAR, quote_name VARCHAR, quote_text VARCHAR,
     quote_key VARCHAR, mentions VARCHAR, reactions INTEGER)`,
  // One row per distinct (conversation, sender as the export gives it).
  `CREATE OR REPLACE TEMP TABLE stg_senders (idx INTEGER, group_key VARCHAR, sender_key VARCHAR, sender_pid VARCHAR,
     sender_name VARCHAR, sender_bot BOOLEAN, sender_aliases VARCHAR)`,
  `CREATE OR REPLACE TEMP TABLE stg_kinds (idx INTEGER, kind VARCHAR)`,
  // Facts about the whole file for the merge; `chronological`: (time, line) increase with seq.
  `CREATE OR REPLACE TEMP TABLE stg_meta (key VARCHAR, value VARCHAR)`,
  // One row per (event, subject); `subject_*` NULL when the event names nobody.
  `CREATE OR REPLACE TEMP TABLE stg_events (group_key VARCHAR, line INTEGER, ts VARCHAR, utc_ms DOUBLE, kind VARCHAR,
     text VARCHAR, actor_key VARCHAR, actor_pid VARCHAR, actor_name VARCHAR, subject_key VARCHAR, subject_pid VARCHAR,
     subject_name VARCHAR, seq INTEGER)`,
  // `file`: `<bundle path>/<file inside the bundle>` for a bundle's rejects; NULL for a single file.
  `CREATE OR REPLACE TEMP TABLE stg_rejects (line INTEGER, reason VARCHAR, raw VARCHAR, file VARCHAR)`,
  // The staged messages with their sender and kind spelled out, for summaries.
  `CREATE OR REPLACE TEMP VIEW stg_messages AS
     SELECT s.group_key, m.line, m.ext_id, s.sender_key, s.sender_pid, s.sender_name, m.ts, m.utc_ms, k.kind, m.text,
       x.reply_ext, x.quote_name, x.quote_text, x.quote_key, x.mentions, m.terms, m.seq, s.sender_bot, s.sender_aliases, x.reactions
     FROM stg_msg m JOIN stg_senders s ON s.idx = m.sender JOIN stg_kinds k ON k.idx = m.kind LEFT JOIN stg_extra x ON x.seq = m.seq`,
];

export interface StageCounts {
  messages: number;
  events: number;
  rejected: number;
  groups: GroupRecord[];
}

type MessageRecord = Extract<ParsedRecord, { type: 'message' }>;

/** Messages staged between two segmentation batches, written once the batch's terms are back. */
interface Pending {
  firstSeq: number;
  records: MessageRecord[];
  /** Terms of the segmented records, in order; null until the batch came back. */
  terms: string[] | null;
  /** Segmented records so far; -1 once the batch was sent. */
  segmented: number;
}

/**
 * Appends a file's parsed records into TEMP staging tables. Nothing touches the real tables until
 * `merge` runs in one transaction, so a crash or cancel mid-file leaves the database as it was
 * (temp tables vanish with the connection).
 */
export class Stager {
  readonly counts: StageCounts = { messages: 0, events: 0, rejected: 0, groups: [] };
  private readonly groupKeys = new Set<string>();
  private msgAppender!: DuckDBAppender;
  private msg!: ChunkWriter;
  private extraAppender!: DuckDBAppender;
  private extra!: ChunkWriter;
  private evt!: DuckDBAppender;
  private rej!: DuckDBAppender;
  private eventSeq = 0;
  private sendersAppender!: DuckDBAppender;
  private kindsAppender!: DuckDBAppender;
  private metaAppender!: DuckDBAppender;
  private flushed = false;
  /** Messages waiting for their terms, oldest first; the last one may still be filling. */
  private readonly queue: Pending[] = [];
  private segTexts: string[] = [];
  private chronological = true;
  private lastTs = '';
  private lastLine = 0;
  private readonly occurrences = new Occurrences();
  /** Segmentation batches in flight; `waitTerms` bounds them so memory stays flat. */
  private readonly inFlight = new Set<Promise<void>>();
  private termError: Error | null = null;
  private readonly senders = new Senders();
  private readonly kinds = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly segmenter: TermSource | null,
    private readonly fileName: string,
  ) {}

  async open(): Promise<void> {
    for (const ddl of STAGING_DDL) await this.db.run(ddl);
    this.msgAppender = await this.db.conn.createAppender('stg_msg', 'main', 'temp');
    this.msg = new ChunkWriter(this.msgAppender, ['INTEGER', 'INTEGER', 'INTEGER', 'VARCHAR', 'DOUBLE', 'INTEGER', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'INTEGER']);
    this.extraAppender = await this.db.conn.createAppender('stg_extra', 'main', 'temp');
    this.extra = new ChunkWriter(this.extraAppender, ['INTEGER', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'INTEGER']);
    this.evt = await this.db.conn.createAppender('stg_events', 'main', 'temp');
    this.rej = await this.db.conn.createAppender('stg_rejects', 'main', 'temp');
    this.metaAppender = await this.db.conn.createAppender('stg_meta', 'main', 'temp');
    this.sendersAppender = await this.db.conn.createAppender('stg_senders', 'main', 'temp');
    this.kindsAppender = await this.db.conn.createAppender('stg_kinds', 'main', 'temp');
  }

  add(batch: readonly ParsedRecord[]): void {
    if (this.flushed) throw new Error(`${this.fileName}: records staged after the staging was flushed`);
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

  private addMessage(r: MessageRecord): void {
    const seq = this.counts.messages++;
    if (this.chronological && !(r.time > this.lastTs || (r.time === this.lastTs && r.line > this.lastLine))) this.chronological = false;
    this.lastTs = r.time;
    this.lastLine = r.line;
    const segmented = this.segmenter !== null && SEGMENTED.has(r.kind) && r.text.length > 0;
    if (!segmented && this.queue.length === 0) return this.write(r, seq, null);
    let open = this.queue[this.queue.length - 1];
    if (!open || open.segmented === -1) {
      open = { firstSeq: seq, records: [], terms: null, segmented: 0 };
      this.queue.push(open);
    }
    open.records.push(r);
    if (segmented) {
      open.segmented++;
      this.segTexts.push(r.text);
    }
    // Sparse texts among many media messages must not hold every record in memory.
    if (this.segTexts.length >= SEG_BATCH || open.records.length >= 4 * SEG_BATCH) this.sendTerms();
  }

  private write(r: MessageRecord, seq: number, terms: string | null): void {
    const w = this.msg;
    const s = this.senders.of(r.group, r.sender);
    let kind = this.kinds.get(r.kind);
    if (kind === undefined) this.kinds.set(r.kind, (kind = this.kinds.size));
    w.int(M_SEQ, seq);
    w.int(M_LINE, r.line);
    w.int(M_SENDER, s.idx);
    w.str(M_TS, r.time);
    w.double(M_UTC, r.utcMs);
    w.int(M_KIND, kind);
    w.str(M_TEXT, r.text);
    w.str(M_EXT, r.externalId);
    w.str(M_TERMS, terms === '' ? null : terms);
    w.int(M_OCC, this.chronological ? this.occurrences.count(r, s.key) : null);
    w.endRow();
    const reactions = r.reactions && r.reactions.length ? r.reactions.reduce((n, x) => n + (Number.isFinite(x.count) ? x.count : 0), 0) : null;
    if (r.replyTo !== null || r.quote || r.mentions.length || reactions !== null) {
      const x = this.extra;
      x.int(X_SEQ, seq);
      x.str(X_REPLY, r.replyTo);
      x.str(X_QNAME, r.quote ? this.senders.clean(r.quote.name) : null);
      x.str(X_QTEXT, r.quote ? r.quote.text : null);
      x.str(X_QKEY, r.quote?.id ? r.quote.id : null);
      x.str(X_MENTIONS, r.mentions.length ? r.mentions.join(SEP) : null);
      x.int(X_REACTIONS, reactions);
      x.endRow();
    }
  }

  /** Writes the messages at the head of the queue whose terms are back. */
  private drain(): void {
    while (this.queue.length > 0 && this.queue[0]!.terms !== null) {
      const p = this.queue.shift()!;
      const terms = p.terms!;
      let t = 0;
      for (let i = 0; i < p.records.length; i++) {
        const r = p.records[i]!;
        const segmented = SEGMENTED.has(r.kind) && r.text.length > 0;
        this.write(r, p.firstSeq + i, segmented ? terms[t++] ?? null : null);
      }
    }
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

  /** Closes the filling batch and sends its texts to the term source; its messages wait in the queue for the answer. */
  private sendTerms(): void {
    const open = this.queue[this.queue.length - 1];
    if (!open || open.segmented === -1) return;
    open.segmented = -1;
    const texts = this.segTexts;
    this.segTexts = [];
    if (texts.length === 0) {
      open.terms = [];
      return this.drain();
    }
    const p = this.segmenter!.segment(texts).then(
      (joined) => {
        open.terms = joined;
        this.drain();
      },
      (e: Error) => void (this.termError = e),
    );
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Waits until at most `max` segmentation batches are in flight (0: all done, every message written). */
  async waitTerms(max = IN_FLIGHT): Promise<void> {
    if (max === 0) this.sendTerms();
    this.segmenter?.poll?.();
    while (this.inFlight.size > max) await Promise.race(this.inFlight);
    if (this.termError) throw this.termError;
    // A big file's merge is the import's memory peak: the segmentation thread (≈ 100 MB) is not
    // needed for it. Small files keep it, so a folder of them does not restart it every time.
    if (max === 0 && this.counts.messages >= RELEASE_AFTER) this.segmenter?.release?.();
  }

  /**
   * Writes the sender and kind tables and flushes the appenders so the staged rows are visible to
   * SQL. Called once, after the last record.
   */
  flush(): void {
    if (this.queue.length > 0) throw new Error(`${this.fileName}: messages still wait for their terms; call waitTerms(0) before flush()`);
    this.msg.flush();
    this.extra.flush();
    if (!this.flushed) {
      this.flushed = true;
      for (const s of this.senders.list) {
        const a = this.sendersAppender;
        a.appendInteger(s.idx);
        a.appendVarchar(s.group);
        a.appendVarchar(s.key);
        str(a, s.id);
        a.appendVarchar(s.name);
        a.appendBoolean(s.bot);
        str(a, s.cleanAliases);
        a.endRow();
      }
      this.metaAppender.appendVarchar('chronological');
      this.metaAppender.appendVarchar(this.chronological ? '1' : '0');
      this.metaAppender.endRow();
      for (const [kind, idx] of this.kinds) {
        this.kindsAppender.appendInteger(idx);
        this.kindsAppender.appendVarchar(kind);
        this.kindsAppender.endRow();
      }
    }
    for (const a of [this.msgAppender, this.extraAppender, this.sendersAppender, this.kindsAppender, this.metaAppender, this.evt, this.rej]) a.flushSync();
  }

  async close(): Promise<void> {
    for (const a of [this.msgAppender, this.extraAppender, this.sendersAppender, this.kindsAppender, this.metaAppender, this.evt, this.rej]) {
      try {
        a?.closeSync();
      } catch {
        /* already closed */
      }
    }
  }

  async drop(): Promise<void> {
    await this.close();
    for (const t of STAGING_VIEWS) await this.db.run(`DROP VIEW IF EXISTS temp.${t}`);
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
