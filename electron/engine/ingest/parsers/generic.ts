/**
 * Generic CSV / JSON Lines exports read through a user-given column mapping (shared/column-mapping.ts).
 *
 * Unlike the other parsers these are never chosen by sniffing (sniff is 0: any CSV would do): a
 * parser is built for one mapping with `genericParser(mapping)`, and import-file.ts uses it in
 * place of sniffing when the import carries a mapping (`--map` on the CLI, the Library page's
 * mapping dialog). A factory keeps ParserInput the same for every parser and the mapping checked
 * once, when the parser is made.
 */
import type { ColumnMapping, MappingRole } from '../../../../shared/column-mapping.js';
import { CsvReader, type CsvRecord } from '../csv.js';
import { FormatError, type Parser, type ParsedRecord, type ParserInput, type PersonRef } from '../types.js';
import { cellText, detectDelimiter, jsonObjectOf, jsonPath, kindOfText, looseKind, timeParser, type TimeParser } from './generic-map.js';

const BATCH = 2000;
const RAW_MAX = 2000;
/** Rows rejected before any was read: past this many the mapping is wrong, not the rows. */
const GIVE_UP = 200;

const ROLE_NAMES: Record<MappingRole, string> = {
  time: 'time', senderName: 'sender', senderId: 'sender id', text: 'text', replyTo: 'reply', messageId: 'message id', group: 'group', kind: 'kind',
};

/** Reads one role's value of the current row ('' when the role is not mapped or the cell is empty). */
type Get = (role: MappingRole) => string;

/** Turns rows into records: groups on first sight, messages, events, rejects; batches the output. */
class Rows {
  out: ParsedRecord[] = [];
  private readonly groups = new Set<string>();
  private ok = 0;
  private firstBad: { line: number; reason: string } | null = null;
  private bad = 0;

  constructor(
    private readonly file: string,
    private readonly m: ColumnMapping,
    private readonly parseTime: TimeParser,
  ) {}

  reject(line: number, reason: string, raw: string): void {
    this.out.push({ type: 'reject', line, reason, raw: raw.length > RAW_MAX ? raw.slice(0, RAW_MAX) : raw });
    this.bad++;
    this.firstBad ??= { line, reason };
    if (this.ok === 0 && this.bad >= GIVE_UP) throw this.giveUp(`the first ${GIVE_UP} rows could not be read`);
  }

  /** Called at the end: a file where no row could be read has the wrong mapping; say why. */
  finish(): void {
    if (this.ok === 0 && this.firstBad) throw this.giveUp('no row could be read');
  }

  private giveUp(what: string): FormatError {
    const f = this.firstBad!;
    return new FormatError(this.file, f.line, `${what} with this column mapping; the first: ${f.reason}`);
  }

  row(line: number, raw: string, get: Get): void {
    const timeText = get('time').trim();
    if (timeText === '') return this.reject(line, this.missing('time'), raw);
    const t = this.parseTime(timeText);
    if (typeof t === 'string') return this.reject(line, t, raw);
    const name = get('senderName').trim();
    const id = get('senderId').trim();
    const sender: PersonRef | null = name === '' && id === '' ? null : { id: id || null, name: name || id };
    const kindText = get('kind').trim();
    const loose = kindText === '' ? null : looseKind(kindText);
    const text = get('text');
    if (loose === null || 'message' in loose) {
      if (sender === null) return this.reject(line, this.missing('senderName'), raw);
    }
    const group = this.group(get('group').trim());
    this.ok++;
    if (loose !== null && 'event' in loose) {
      // A join or leave row names the member it happened to (membership starts/ends for them);
      // for other events the row's person is who did it.
      const self = loose.event === 'join' || loose.event === 'leave';
      this.out.push({
        type: 'event', group, line, time: t.time, utcMs: t.utcMs, kind: loose.event,
        actor: self ? null : sender, subjects: self && sender ? [sender] : [], text,
      });
      return;
    }
    const kind = loose === null || loose.message === 'text' ? kindOfText(text) : loose.message;
    this.out.push({
      type: 'message',
      group,
      line,
      externalId: get('messageId').trim() || null,
      sender: sender!,
      time: t.time,
      utcMs: t.utcMs,
      kind,
      text,
      replyTo: get('replyTo').trim() || null,
      quote: null,
      mentions: [],
    });
  }

  private missing(r: MappingRole): string {
    return `missing ${ROLE_NAMES[r]} (column ${JSON.stringify(this.m[r])})`;
  }

  /** Declares a conversation on first sight; '' (no group column, or an empty cell) is the file's own, named after the file. */
  private group(name: string): string {
    if (!this.groups.has(name)) {
      this.groups.add(name);
      this.out.push({ type: 'group', key: name, platform: 'other', externalId: null, name, chatType: 'unknown' });
    }
    return name;
  }

  /** The records so far when a batch is full (or `all`), else null. */
  take(all = false): ParsedRecord[] | null {
    if (this.out.length === 0 || (!all && this.out.length < BATCH)) return null;
    const b = this.out;
    this.out = [];
    return b;
  }
}

const mappedRoles = (m: ColumnMapping): MappingRole[] =>
  (['time', 'senderName', 'senderId', 'text', 'replyTo', 'messageId', 'group', 'kind'] as const).filter((r) => m[r] !== undefined);

/** Index of a header cell: exact first, then ignoring case. */
function columnIndex(header: readonly string[], ref: string): number {
  const i = header.indexOf(ref);
  if (i >= 0) return i;
  const low = ref.toLowerCase();
  return header.findIndex((h) => h.toLowerCase() === low);
}

async function* parseCsv(input: ParserInput, m: ColumnMapping, time: TimeParser): AsyncGenerator<ParsedRecord[], void, undefined> {
  const rows = new Rows(input.fileName, m, time);
  let reader: CsvReader | null = null;
  let width = 0;
  const idx: Partial<Record<MappingRole, number>> = {};
  let fields: string[] = [];
  const get: Get = (r) => {
    const i = idx[r];
    return i === undefined ? '' : (fields[i] ?? '');
  };
  const handle = (rec: CsvRecord): void => {
    if (width === 0) {
      if (rec.error !== null) throw new FormatError(input.fileName, rec.line, `unreadable CSV header: ${rec.error}`);
      const header = rec.fields.map((h) => h.trim());
      for (const r of mappedRoles(m)) {
        const i = columnIndex(header, m[r]!);
        if (i < 0) {
          const hint = header.length === 1 ? ` (one column only: is the delimiter right? this file's header is ${JSON.stringify(rec.raw.slice(0, 120))})` : '';
          throw new FormatError(input.fileName, rec.line, `no column ${JSON.stringify(m[r])} (${ROLE_NAMES[r]}) in the header; columns: ${header.join(', ')}${hint}`);
        }
        idx[r] = i;
      }
      width = header.length;
      return;
    }
    if (rec.error !== null) return rows.reject(rec.line, rec.error, rec.raw);
    if (rec.fields.length !== width) return rows.reject(rec.line, `expected ${width} fields, found ${rec.fields.length}`, rec.raw);
    fields = rec.fields;
    rows.row(rec.line, rec.raw, get);
  };
  const recs: CsvRecord[] = [];
  for await (const batch of input.lines()) {
    for (const l of batch) {
      // The delimiter, when the mapping does not fix it, is the header line's.
      if (reader === null) {
        if (l.text.trim() === '') continue;
        reader = new CsvReader({ delimiter: m.delimiter ?? detectDelimiter(l.text) });
      }
      reader.feed(l, recs);
      if (recs.length > 0) {
        for (const rec of recs) handle(rec);
        recs.length = 0;
        const out = rows.take();
        if (out) yield out;
      }
    }
  }
  reader?.end(recs);
  for (const rec of recs) handle(rec);
  if (width === 0) throw new FormatError(input.fileName, 1, 'no CSV header: the file is empty');
  rows.finish();
  const out = rows.take(true);
  if (out) yield out;
}

async function* parseJsonl(input: ParserInput, m: ColumnMapping, time: TimeParser): AsyncGenerator<ParsedRecord[], void, undefined> {
  const rows = new Rows(input.fileName, m, time);
  const paths: Partial<Record<MappingRole, (o: Record<string, unknown>) => unknown>> = {};
  for (const r of mappedRoles(m)) paths[r] = jsonPath(m[r]!);
  let obj: Record<string, unknown> = {};
  const get: Get = (r) => {
    const p = paths[r];
    return p === undefined ? '' : cellText(p(obj));
  };
  let started = false;
  for await (const batch of input.lines()) {
    for (const l of batch) {
      const text = l.text.trim();
      if (text === '') continue;
      if (!started) {
        if (text[0] !== '{') {
          throw new FormatError(input.fileName, l.no, `not JSON Lines (one JSON object per line): the first line starts with ${JSON.stringify(text.slice(0, 20))}`);
        }
        started = true;
      }
      const o = jsonObjectOf(text);
      if (typeof o === 'string') rows.reject(l.no, o, l.text);
      else {
        obj = o;
        rows.row(l.no, l.text, get);
      }
      const out = rows.take();
      if (out) yield out;
    }
  }
  rows.finish();
  const out = rows.take(true);
  if (out) yield out;
}

/** A parser for files laid out as `mapping` says (platform 'other'; never auto-detected). */
export function genericParser(mapping: ColumnMapping): Parser {
  const time = timeParser(mapping.timeFormat);
  return {
    format: mapping.format === 'csv' ? 'generic-csv' : 'generic-jsonl',
    platform: 'other',
    sniff: () => 0,
    parse: (input) => (mapping.format === 'csv' ? parseCsv(input, mapping, time) : parseJsonl(input, mapping, time)),
  };
}
