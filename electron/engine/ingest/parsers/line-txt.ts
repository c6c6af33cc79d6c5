/**
 * LINE text export (`[LINE] Chat history with X.txt`, FORMATS.md §7): a title line, `Saved on: …`,
 * then day headers (`Wed, 10/07/2562 BE`, `2026/1/30(金)` …) each followed by
 * `HH:MM<TAB>Sender<TAB>text` lines. Multi-line messages are written CSV-style: wrapped in double
 * quotes, inner quotes doubled. Tables and one-line matchers are in line-patterns.ts.
 *
 * '$' separator: the only public real LINE file (the Thai fixture) was saved by its uploader with
 * every TAB replaced by '$' and the title removed. Users pick up such files from the same place we
 * did, so they are read too — but only when the head of the file has no TAB-separated message line
 * at all and has `HH:MM$Name$text` lines, so a real export whose texts contain '$' is never split
 * on it.
 */
import { wallTime } from '../time.js';
import {
  FormatError,
  type EventRecord,
  type GroupRecord,
  type Line,
  type MessageRecord,
  type ParsedRecord,
  type Parser,
  type SniffInput,
} from '../types.js';
import {
  classifyNotice,
  dayOfWeek,
  isCallLog,
  isOwnRecall,
  messageKind,
  parseDateLine,
  parseHeader,
  quoteCount,
  SAVED_ON,
  splitMessageLine,
  type DateLine,
  type LineHeader,
  type MessageLine,
  type Notice,
} from './line-patterns.js';
import { readLineExport } from './batches.js';

/** Non-blank lines read before choosing the separator (TAB, or the '$' of edited files). */
const HEAD_LINES = 200;
/** Records held back to decide 1:1 vs group when the title line is missing. */
const GROUP_SAMPLE = 2000;
/**
 * A quoted message longer than this cannot be one: LINE caps messages at 10,000 characters (20,000
 * with every quote doubled). The opening quote was then the user's own, and the lines read since
 * are read again as ordinary lines.
 */
const QUOTE_MAX = 25_000;
/** Unrecognised lines before the first record after which the file is declared not LINE. */
const MAX_PREAMBLE = 200;

interface Pending {
  line: number;
  raw: string;
  time: string | null;
  why: string;
  sender: string | null;
  first: string;
  cont: string[] | null;
  quoted: boolean;
}

type Day = { ok: true; y: number; mo: number; d: number } | { ok: false; raw: string };

/** Message lines after the first, trailing blank lines (the gap before the next day) dropped. */
function joinBody(first: string, cont: string[] | null): string {
  if (!cont) return first;
  let n = cont.length;
  while (n > 0 && cont[n - 1]!.trim() === '') n--;
  return n === 0 ? first : [first, ...cont.slice(0, n)].join('\n');
}

class LineReader {
  readonly out: ParsedRecord[] = [];
  private headBuf: Line[] | null = [];
  private headNonBlank = 0;
  private sep: '\t' | '$' = '\t';
  private header: LineHeader | null = null;
  private seenContent = false;
  private day: Day | null = null;
  /** Order of a/b/yyyy day headers once a header settled it (a number > 12 or the weekday). */
  private order: 'DMY' | 'MDY' | null = null;
  private afterBlank = true;
  private cur: Pending | null = null;
  private quote: { lines: Line[]; odd: boolean; chars: number } | null = null;
  private group: GroupRecord | null = null;
  private held: ParsedRecord[] | null = [];
  private senders = new Set<string>();
  private groupEvent = false;
  private records = 0;
  private preamble = 0;

  constructor(private readonly file: string) {}

  line(l: Line): void {
    if (this.headBuf) {
      this.headBuf.push(l);
      if (l.text.trim() !== '' && ++this.headNonBlank >= HEAD_LINES) this.decideSeparator();
      return;
    }
    this.step(l);
  }

  end(): void {
    if (this.headBuf) this.decideSeparator();
    if (this.quote) this.abandonQuote();
    this.flush();
    if (this.records === 0) {
      throw new FormatError(
        this.file,
        null,
        this.header
          ? 'LINE title line found but no message line ("HH:MM<TAB>Name<TAB>text" under a date line)'
          : 'no LINE message line ("HH:MM<TAB>Name<TAB>text" under a date line) found',
      );
    }
    if (this.held) this.decideGroup();
  }

  private decideSeparator(): void {
    const buf = this.headBuf!;
    this.headBuf = null;
    let tab = 0;
    let dollar = 0;
    for (const l of buf) {
      if (splitMessageLine(l.text, '\t')) tab++;
      else if (splitMessageLine(l.text, '$')?.sender != null) dollar++;
    }
    this.sep = tab === 0 && dollar > 0 ? '$' : '\t';
    for (const l of buf) this.step(l);
  }

  private step(l: Line): void {
    if (this.quote) return this.quoteLine(l);
    const text = l.text;
    if (text.trim() === '') {
      if (this.cur) (this.cur.cont ??= []).push(text);
      this.afterBlank = true;
      return;
    }
    const afterBlank = this.afterBlank;
    this.afterBlank = false;
    if (!this.seenContent) {
      this.seenContent = true;
      const h = parseHeader(text);
      if (h) {
        this.header = h;
        if (h.chatType !== 'unknown') this.decideGroup();
        return;
      }
    }
    if (this.header && this.day === null && this.cur === null && SAVED_ON.test(text.trim())) return;
    const d = parseDateLine(text, afterBlank);
    if (d) {
      this.flush();
      this.day = this.resolve(d, text);
      return;
    }
    const m = splitMessageLine(text, this.sep);
    if (m) {
      this.flush();
      this.start(l, m);
      return;
    }
    if (this.cur) {
      (this.cur.cont ??= []).push(text);
      return;
    }
    this.emit({ type: 'reject', line: l.no, reason: 'text before the first LINE message line', raw: text });
    if (++this.preamble > MAX_PREAMBLE && this.records === 0 && !this.header) {
      throw new FormatError(this.file, l.no, `no LINE date or message line in the first ${MAX_PREAMBLE} lines of text`);
    }
  }

  /** Gregorian date of a day header; the a/b order comes from the numbers, else the weekday, else the file so far. */
  private resolve(d: DateLine, raw: string): Day {
    const y = d.y;
    let mo = d.a;
    let dd = d.b;
    if (!d.ymd) {
      let order = this.order;
      if (d.a > 12 && d.b <= 12) order = 'DMY';
      else if (d.b > 12 && d.a <= 12) order = 'MDY';
      else if (d.weekday !== null && d.a !== d.b) {
        const dmy = d.a <= 31 && d.b <= 12 && dayOfWeek(y, d.b, d.a) === d.weekday;
        const mdy = d.b <= 31 && d.a <= 12 && dayOfWeek(y, d.a, d.b) === d.weekday;
        if (dmy !== mdy) order = dmy ? 'DMY' : 'MDY';
      }
      if (order !== this.order && order !== null && (d.a > 12 || d.b > 12 || d.weekday !== null)) this.order = order;
      // Nothing settles it yet: Thai phones (Buddhist years) write D/M, LINE's English UI M/D.
      order ??= d.be ? 'DMY' : 'MDY';
      [mo, dd] = order === 'DMY' ? [d.b, d.a] : [d.a, d.b];
    }
    return wallTime(y, mo, dd, 0, 0) === null ? { ok: false, raw } : { ok: true, y, mo, d: dd };
  }

  private start(l: Line, m: MessageLine): void {
    const day = this.day;
    let time: string | null = null;
    let why = '';
    if (day === null) why = 'message line before the first date line';
    else if (!day.ok) why = `impossible date line "${day.raw.trim()}"`;
    else time = wallTime(day.y, day.mo, day.d, m.hm[0], m.hm[1]);
    this.cur = { line: l.no, raw: l.text, time, why, sender: m.sender, first: m.body, cont: null, quoted: false };
    if (m.body.charCodeAt(0) === 0x22 && quoteCount(m.body) % 2 === 1) {
      this.quote = { lines: [], odd: true, chars: m.body.length };
    }
  }

  /** Inside a quoted message: it ends on a line ending with '"' that balances the quotes. */
  private quoteLine(l: Line): void {
    const q = this.quote!;
    q.lines.push(l);
    q.chars += l.text.length + 1;
    if (quoteCount(l.text) % 2 === 1) q.odd = !q.odd;
    if (!q.odd && l.text.endsWith('"')) {
      const p = this.cur!;
      p.cont = q.lines.map((x) => x.text);
      p.quoted = true;
      this.quote = null;
      this.afterBlank = false;
    } else if (q.chars > QUOTE_MAX) {
      this.abandonQuote();
    }
  }

  private abandonQuote(): void {
    const lines = this.quote!.lines;
    this.quote = null;
    this.afterBlank = false;
    for (const l of lines) this.step(l);
  }

  private flush(): void {
    const p = this.cur;
    if (!p) return;
    this.cur = null;
    const body = p.quoted ? [p.first, ...p.cont!].join('\n').slice(1, -1).replaceAll('""', '"') : joinBody(p.first, p.cont);
    if (p.time === null) {
      this.emit({ type: 'reject', line: p.line, reason: p.why, raw: joinBody(p.raw, p.cont) });
      return;
    }
    const sender = p.sender?.trim() ?? '';
    if (sender === '') return this.event(p, classifyNotice(body), body);
    if (isCallLog(body)) return this.event(p, { kind: 'call', actor: sender, subjects: [] }, body);
    if (isOwnRecall(sender, body)) return this.event(p, { kind: 'recall', actor: sender, subjects: [] }, body);
    const rec: MessageRecord = {
      type: 'message',
      group: this.key(),
      line: p.line,
      externalId: null,
      sender: { id: null, name: sender },
      time: p.time,
      utcMs: null,
      kind: messageKind(body),
      text: body,
      replyTo: null,
      quote: null,
      mentions: [],
    };
    if (this.held) this.senders.add(sender);
    this.emit(rec);
  }

  private event(p: Pending, n: Notice, text: string): void {
    if (this.held && n.kind !== 'other' && n.kind !== 'recall' && n.kind !== 'call') this.groupEvent = true;
    const rec: EventRecord = {
      type: 'event',
      group: this.key(),
      line: p.line,
      time: p.time!,
      utcMs: null,
      kind: n.kind,
      actor: n.actor !== null && n.actor.trim() !== '' ? { id: null, name: n.actor.trim() } : null,
      subjects: n.subjects.map((name) => ({ id: null, name: name.trim() })),
      text,
    };
    this.emit(rec);
  }

  private key(): string {
    return this.header?.name ?? '';
  }

  private emit(r: ParsedRecord): void {
    if (r.type !== 'reject') this.records++;
    if (!this.held) {
      this.out.push(r);
      return;
    }
    this.held.push(r);
    if (this.held.length >= GROUP_SAMPLE) this.decideGroup();
  }

  /** The title line says 1:1 or group; without it, a group is >2 senders or a membership notice. */
  private decideGroup(): void {
    const h = this.header;
    this.group = {
      type: 'group',
      key: this.key(),
      platform: 'line',
      externalId: null,
      name: h?.name ?? '',
      chatType: h && h.chatType !== 'unknown' ? h.chatType : this.groupEvent || this.senders.size > 2 ? 'group' : 'private',
    };
    this.out.push(this.group);
    for (const r of this.held!) this.out.push(r);
    this.held = null;
  }
}

/** Content-only confidence: the title line, else day headers with TAB (or '$') message lines. */
export function sniffLine(input: SniffInput): number {
  const lines = input.head.split(/\r\n|\n|\r/);
  if (lines.length > 3 && input.size > input.head.length) lines.pop();
  let nonBlank = 0;
  let dates = 0;
  let tab = 0;
  let dollar = 0;
  let afterBlank = true;
  for (const ln of lines) {
    if (nonBlank >= 60) break;
    if (ln.trim() === '') {
      afterBlank = true;
      continue;
    }
    if (nonBlank++ === 0 && parseHeader(ln)) return 0.95;
    if (parseDateLine(ln, afterBlank)) dates++;
    else if (splitMessageLine(ln, '\t')) tab++;
    else if (splitMessageLine(ln, '$')?.sender != null) dollar++;
    afterBlank = false;
  }
  if (dates === 0) return 0;
  if (tab >= 3) return 0.85;
  if (tab >= 1) return 0.6;
  return dollar >= 3 ? 0.7 : 0;
}

export const lineTxtParser: Parser = {
  format: 'line-txt',
  platform: 'line',
  sniff: sniffLine,
  async *parse(input) {
    yield* readLineExport(input, new LineReader(input.fileName));
  },
};
