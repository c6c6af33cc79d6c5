/**
 * Signal text export (FORMATS.md §9, the shape chat-miner reads): `[2019-12-24, 12:23] Jane Doe:
 * Hello John!`, lines without a header continue the previous message. The export names no
 * conversation, so the group is unnamed (the importer falls back to the file name).
 *
 * WhatsApp's iOS family also opens lines with a bracketed date, and its parser accepts ISO dates
 * too; what tells Signal apart is the ISO date with a comma and a clock WITHOUT seconds (iOS
 * WhatsApp always writes seconds). The sniff scores that shape above WhatsApp's best (0.95) and
 * steps aside when seconds or WhatsApp's own notices appear.
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
import { readLineExport } from './batches.js';

/** Records held back to decide 1:1 vs group (>2 senders). */
const GROUP_SAMPLE = 2000;
const MAX_PREAMBLE = 200;
const HEADER = /^\[(\d{4})-(\d{2})-(\d{2}),? (\d{2}):(\d{2})(?::(\d{2}))?\] ?/;
/** Notices only WhatsApp writes; their presence means the file is WhatsApp's. */
const WHATSAPP_MARKS = /end-to-end encrypted|Ende-zu-Ende-verschlüsselt|<Media omitted>|(?:image|video|audio|sticker|document) omitted/;

interface Pending {
  line: number;
  time: string | null;
  rest: string;
  raw: string;
  cont: string[] | null;
}

function joinBody(first: string, cont: string[] | null): string {
  if (!cont) return first;
  let n = cont.length;
  while (n > 0 && cont[n - 1]!.trim() === '') n--;
  if (n === 0) return first;
  return (first === '' ? cont.slice(0, n) : [first, ...cont.slice(0, n)]).join('\n');
}

class SignalReader {
  readonly out: ParsedRecord[] = [];
  private cur: Pending | null = null;
  private held: ParsedRecord[] | null = [];
  private senders = new Set<string>();
  private records = 0;
  private preamble = 0;

  constructor(private readonly file: string) {}

  line(l: Line): void {
    const m = HEADER.exec(l.text);
    if (m) {
      this.flush();
      const time = wallTime(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] === undefined ? 0 : +m[6]);
      this.cur = { line: l.no, time, rest: l.text.slice(m[0].length), raw: l.text, cont: null };
    } else if (this.cur) {
      (this.cur.cont ??= []).push(l.text);
    } else if (l.text.trim() !== '') {
      this.emit({ type: 'reject', line: l.no, reason: 'text before the first Signal message header', raw: l.text });
      if (++this.preamble > MAX_PREAMBLE && this.records === 0) {
        throw new FormatError(this.file, l.no, `no Signal message header in the first ${MAX_PREAMBLE} lines of text`);
      }
    }
  }

  end(): void {
    this.flush();
    if (this.records === 0) {
      throw new FormatError(this.file, null, 'no Signal message header ("[2019-12-24, 12:23] Name: text") found');
    }
    if (this.held) this.decideGroup();
  }

  private flush(): void {
    const p = this.cur;
    if (!p) return;
    this.cur = null;
    if (p.time === null) {
      this.emit({ type: 'reject', line: p.line, reason: 'impossible date or time', raw: joinBody(p.raw, p.cont) });
      return;
    }
    const colon = p.rest.indexOf(': ');
    const bare = colon < 0 && p.rest.endsWith(':') ? p.rest.length - 1 : -1;
    const at = colon >= 0 ? colon : bare;
    const name = at > 0 ? p.rest.slice(0, at).trim() : '';
    if (name === '') {
      // No "Name: " — a notice of the app itself.
      const ev: EventRecord = {
        type: 'event', group: '', line: p.line, time: p.time, utcMs: null, kind: 'other', actor: null, subjects: [],
        text: joinBody(p.rest, p.cont),
      };
      this.emit(ev);
      return;
    }
    const text = joinBody(p.rest.slice(at + (colon >= 0 ? 2 : 1)), p.cont);
    const rec: MessageRecord = {
      type: 'message',
      group: '',
      line: p.line,
      externalId: null,
      sender: { id: null, name },
      time: p.time,
      utcMs: null,
      kind: 'text',
      text,
      replyTo: null,
      quote: null,
      mentions: [],
    };
    if (this.held) this.senders.add(name);
    this.emit(rec);
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

  private decideGroup(): void {
    const g: GroupRecord = {
      type: 'group',
      key: '',
      platform: 'signal',
      externalId: null,
      name: '',
      chatType: this.senders.size > 2 ? 'group' : 'private',
    };
    this.out.push(g, ...this.held!);
    this.held = null;
  }
}

export function sniffSignal(input: SniffInput): number {
  const lines = input.head.split(/\r\n|\n|\r/);
  if (lines.length > 3 && input.size > input.head.length) lines.pop();
  let nonBlank = 0;
  let hits = 0;
  let seconds = false;
  let firstIsHeader: boolean | null = null;
  for (const ln of lines) {
    if (nonBlank >= 40) break;
    if (ln.trim() === '') continue;
    nonBlank++;
    const m = HEADER.exec(ln);
    if (m) {
      hits++;
      if (m[6] !== undefined) seconds = true;
    }
    firstIsHeader ??= m !== null;
  }
  if (hits === 0) return 0;
  if (seconds || WHATSAPP_MARKS.test(input.head)) return 0.3;
  if (hits >= 2) return firstIsHeader ? 0.97 : 0.8;
  return firstIsHeader ? 0.92 : 0.5;
}

export const signalTxtParser: Parser = {
  format: 'signal-txt',
  platform: 'signal',
  sniff: sniffSignal,
  async *parse(input) {
    yield* readLineExport(input, new SignalReader(input.fileName));
  },
};
