import type { Line } from './types.js';

/** One CSV record (RFC 4180), possibly spanning several physical lines. */
export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
  /** The record as written: its lines joined with their own terminators. */
  raw: string;
  /** Why the record is malformed (text after a closing quote, unterminated quote), else null. */
  error: string | null;
}

export interface CsvOptions {
  delimiter?: string;
  /**
   * A quoted field still open after this many lines is taken to be a stray quote: its first line
   * becomes a bad record and reading resumes on the next line, so one bad quote cannot swallow the
   * rest of the file.
   */
  maxRecordLines?: number;
  /** The same for a quoted field holding more than this many characters (a few huge lines). */
  maxRecordChars?: number;
}

const QUOTE = 34;

/**
 * Incremental RFC 4180 reader fed one physical line at a time. Quoted fields may contain
 * delimiters, `""` escapes and line breaks (kept as the file wrote them). A quote inside an
 * unquoted field is taken literally, as Python's and Go's lenient readers do. Blank lines between
 * records are skipped.
 */
export class CsvReader {
  private readonly sep: string;
  private readonly maxLines: number;
  private readonly maxChars: number;
  private pending: Line[] = [];
  private pendingChars = 0;
  private fields: string[] = [];
  private parts: string[] = [];
  private inQuote = false;
  private error: string | null = null;

  constructor(opts: CsvOptions = {}) {
    this.sep = opts.delimiter ?? ',';
    this.maxLines = opts.maxRecordLines ?? 5000;
    this.maxChars = opts.maxRecordChars ?? 32 * 1024 * 1024;
  }

  feed(line: Line, out: CsvRecord[]): void {
    const t = line.text;
    if (!this.inQuote) {
      if (t === '') return;
      this.fields = [];
      this.error = null;
    }
    this.pending.push(line);
    this.pendingChars += t.length;
    let pos = 0;
    if (this.inQuote) {
      pos = this.readQuoted(t, 0);
      if (pos < 0) return this.continueQuoted(line, out);
      pos = this.closeQuoted(t, pos);
      if (pos < 0) return this.emit(out);
    }
    for (;;) {
      if (t.charCodeAt(pos) === QUOTE) {
        this.parts = [];
        this.inQuote = true;
        pos = this.readQuoted(t, pos + 1);
        if (pos < 0) return this.continueQuoted(line, out);
        pos = this.closeQuoted(t, pos);
        if (pos < 0) return this.emit(out);
      } else {
        const j = t.indexOf(this.sep, pos);
        if (j < 0) {
          this.fields.push(pos === 0 ? t : t.slice(pos));
          return this.emit(out);
        }
        this.fields.push(t.slice(pos, j));
        pos = j + this.sep.length;
      }
    }
  }

  /** Flushes a record left open by an unterminated quote at end of input. */
  end(out: CsvRecord[]): void {
    while (this.inQuote) this.resync(out);
  }

  /**
   * Reads quoted text from `pos`; returns the index after the closing quote, or -1 at end of line.
   * The `""` escapes are undone in one replace over the whole piece: a piece per escape cost a
   * string object per pair (a 10 MB run of quotes held >100 MB).
   */
  private readQuoted(t: string, pos: number): number {
    let q = t.indexOf('"', pos);
    let escaped = false;
    while (q >= 0 && t.charCodeAt(q + 1) === QUOTE) {
      escaped = true;
      q = t.indexOf('"', q + 2);
    }
    const end = q < 0 ? t.length : q;
    const piece = pos === 0 && end === t.length ? t : t.slice(pos, end);
    this.parts.push(escaped ? piece.replaceAll('""', '"') : piece);
    if (q < 0) return -1;
    this.inQuote = false;
    return q + 1;
  }

  /** Ends a quoted field; returns where the next field starts, or -1 when the record ends here. */
  private closeQuoted(t: string, pos: number): number {
    let field = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    if (pos >= t.length) {
      this.fields.push(field);
      return -1;
    }
    if (t.startsWith(this.sep, pos)) {
      this.fields.push(field);
      return pos + this.sep.length;
    }
    // Writers never produce `"a"b`; keep the text but flag the record.
    this.error = 'text after a closing quote';
    const j = t.indexOf(this.sep, pos);
    field += t.slice(pos, j < 0 ? t.length : j);
    this.fields.push(field);
    return j < 0 ? -1 : j + this.sep.length;
  }

  private continueQuoted(line: Line, out: CsvRecord[]): void {
    this.parts.push(line.eol === '' ? '\n' : line.eol);
    if (this.pending.length > this.maxLines || this.pendingChars > this.maxChars) this.resync(out);
  }

  private emit(out: CsvRecord[]): void {
    const p = this.pending;
    const raw = p.length === 1 ? p[0]!.text : p.map((l, i) => (i < p.length - 1 ? l.text + l.eol : l.text)).join('');
    out.push({ line: p[0]!.no, fields: this.fields, raw, error: this.error });
    this.pending = [];
    this.pendingChars = 0;
    this.fields = [];
  }

  /** Gives up on the open record: its first line is reported bad and the following lines are re-read. */
  private resync(out: CsvRecord[]): void {
    const bad = this.pending;
    this.pending = [];
    this.pendingChars = 0;
    this.fields = [];
    this.parts = [];
    this.inQuote = false;
    this.error = null;
    out.push({ line: bad[0]!.no, fields: [], raw: bad[0]!.text, error: 'unterminated quoted field' });
    for (let i = 1; i < bad.length; i++) this.feed(bad[i]!, out);
  }
}

/** Streams CSV records over decoded lines, in batches. */
export async function* csvRecords(
  lines: AsyncIterable<Line[]>,
  opts?: CsvOptions,
): AsyncGenerator<CsvRecord[], void, undefined> {
  const reader = new CsvReader(opts);
  for await (const batch of lines) {
    const out: CsvRecord[] = [];
    for (const l of batch) reader.feed(l, out);
    if (out.length > 0) yield out;
  }
  const out: CsvRecord[] = [];
  reader.end(out);
  if (out.length > 0) yield out;
}

/** Fields of the first record of `text` (for sniffing a header); null when there is none. */
export function firstCsvRecord(text: string, opts?: CsvOptions): string[] | null {
  const reader = new CsvReader(opts);
  const out: CsvRecord[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  let no = 1;
  let m: RegExpExecArray | null;
  while (out.length === 0 && (m = re.exec(text)) !== null) {
    reader.feed({ text: text.slice(start, m.index), no: no++, eol: m[0] as Line['eol'] }, out);
    start = m.index + m[0].length;
  }
  if (out.length === 0 && start < text.length) reader.feed({ text: text.slice(start), no, eol: '' }, out);
  const first = out[0];
  return first && first.error === null ? first.fields : null;
}
