/**
 * WhatsApp chat export (`_chat.txt`, `WhatsApp Chat with X.txt`), iOS and Android, any locale
 * whose header matches the shapes in FORMATS.md §1.1. See whatsapp-patterns.ts for the tables.
 */
import type { EventKind } from '../../../../shared/model.js';
import { MAX_RECORD_CHARS, recordTooLong } from '../lines.js';
import { to24h, wallTime } from '../time.js';
import {
  FormatError,
  type EventRecord,
  type GroupRecord,
  type Line,
  type MessageRecord,
  type ParsedRecord,
  type Parser,
  type RejectRecord,
  type SniffInput,
} from '../types.js';
import {
  classifySystem,
  cleanName,
  inferDateOrder,
  isDeleted,
  isEncryptionNotice,
  isHiddenCode,
  matchHeader,
  mediaDateOf,
  mentionsOf,
  messageKind,
  stripEdited,
  stripLeadingHidden,
  ymdOf,
  type DateOrder,
  type Header,
  type SystemNotice,
} from './whatsapp-patterns.js';
import { readLineExport } from './batches.js';

/**
 * Records held back until the date order is decided (the whole file when smaller). The order
 * must be known before the first record is emitted; 2000 headers settle it in practice and keep
 * memory bounded. The GroupRecord is decided from the same head.
 */
const ORDER_SAMPLE = 2000;
/** Non-blank lines before the first header after which the file is declared not WhatsApp. */
const MAX_PREAMBLE = 200;
const GROUP_EVENTS: ReadonlySet<EventKind> = new Set(['create', 'join', 'invite', 'remove', 'leave', 'title']);
const ORDER_NAME: Record<DateOrder, string> = { DMY: 'D/M/Y', MDY: 'M/D/Y', YMD: 'Y/M/D' };
const QUOTE = /["“„「]/;
/** `Name:.` — a sender whose colon is not followed by a space (chat-miner's `John Doe:.`). */
const BARE_COLON = /^([^:]{1,80}):([^]*)$/;

interface Pending {
  line: number;
  header: string;
  h: Header;
  cont: string[] | null;
  /** Characters of the record so far; past MAX_RECORD_CHARS its lines are dropped and it is rejected. */
  chars: number;
  cut: boolean;
}

/** Message lines after the first, with trailing blank lines (file end, record gap) dropped. */
function joinBody(first: string, cont: string[] | null): string {
  if (!cont) return first;
  let n = cont.length;
  while (n > 0 && cont[n - 1]!.trim() === '') n--;
  if (n === 0) return first;
  const parts = first === '' ? cont.slice(0, n) : [first, ...cont.slice(0, n)];
  return parts.join('\n');
}

/** Index of the colon ending the sender: the first `: ` (or `:` + LRM) after the header. */
function senderColon(rest: string): number {
  const a = rest.indexOf(': ');
  const b = rest.indexOf(':\u200e');
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

class WhatsAppReader {
  readonly out: ParsedRecord[] = [];
  private cur: Pending | null = null;
  /** Buffered head; null once the date order is decided and records stream through. */
  private buf: Pending[] | null = [];
  private bufChars = 0;
  private pre: RejectRecord[] = [];
  private order: DateOrder = 'DMY';
  private seen = false;
  // Facts for the GroupRecord, gathered from the buffered head only.
  private senders = new Set<string>();
  private groupEvent = false;
  private nameFromNotice: string | null = null;
  private nameFromCreate: string | null = null;

  constructor(private readonly file: string) {}

  line(l: Line): void {
    const h = matchHeader(l.text);
    if (h) {
      this.flush();
      this.cur = { line: l.no, header: l.text, h, cont: null, chars: l.text.length, cut: false };
      this.seen = true;
    } else if (this.cur) {
      const p = this.cur;
      if (!p.cut) {
        p.chars += l.text.length + 1;
        if (p.chars > MAX_RECORD_CHARS) p.cut = true;
        else (p.cont ??= []).push(l.text);
      }
    } else if (l.text.trim() !== '') {
      this.pre.push({ type: 'reject', line: l.no, reason: 'text before the first WhatsApp message header', raw: l.text });
      if (this.pre.length > MAX_PREAMBLE) {
        throw new FormatError(this.file, this.pre[0]!.line, `no WhatsApp message header in the first ${MAX_PREAMBLE} lines of text`);
      }
    }
  }

  end(): void {
    this.flush();
    if (!this.seen) {
      throw new FormatError(
        this.file,
        this.pre[0]?.line ?? null,
        'no WhatsApp message header ("[31/12/20, 23:59:59] Name: text" or "31/12/20, 23:59 - Name: text") found',
      );
    }
    if (this.buf) this.decide();
  }

  private flush(): void {
    const p = this.cur;
    if (!p) return;
    this.cur = null;
    if (this.buf) {
      this.buf.push(p);
      this.bufChars += p.chars;
      // Bounded by size as well as count: 2000 long records must not pile up.
      if (this.buf.length >= ORDER_SAMPLE || this.bufChars > MAX_RECORD_CHARS * 4) this.decide();
    } else {
      this.out.push(this.convert(p));
    }
  }

  private decide(): void {
    const buf = this.buf!;
    this.order = inferDateOrder(buf.map((p) => ({ h: p.h, media: mediaDateOf(p.h.rest) })));
    const recs = buf.map((p) => this.convert(p));
    this.buf = null;
    const group: GroupRecord = {
      type: 'group',
      key: this.file,
      platform: 'whatsapp',
      externalId: null,
      name: this.nameFromNotice ?? this.nameFromCreate ?? '',
      chatType: this.groupEvent || this.senders.size > 2 ? 'group' : 'private',
    };
    this.out.push(group);
    for (const r of this.pre) this.out.push(r);
    for (const r of recs) this.out.push(r);
    this.pre = [];
  }

  private timeOf(h: Header): string | null {
    const [y, mo, d] = ymdOf(this.order, h);
    let hh = h.hh;
    if (h.mark !== 0) {
      if (hh > 12) return null;
      hh = to24h(hh, h.mark === 2);
    }
    return wallTime(y, mo, d, hh, h.mi, h.ss);
  }

  private convert(p: Pending): ParsedRecord {
    if (p.cut) return { type: 'reject', line: p.line, reason: recordTooLong, raw: joinBody(p.header, p.cont?.slice(0, 20) ?? null).slice(0, 2000) };
    const time = this.timeOf(p.h);
    if (time === null) {
      return {
        type: 'reject',
        line: p.line,
        reason: `date or time impossible under the file's ${ORDER_NAME[this.order]} date order`,
        raw: joinBody(p.header, p.cont),
      };
    }
    const rest = p.h.rest;
    const colon = senderColon(rest);
    if (colon < 0) {
      // Old iOS / Android notices carry no sender: `DATE - text`, `[DATE] text`.
      const first = stripLeadingHidden(rest);
      const sys = classifySystem(first);
      if (sys) return this.event(p, time, sys, joinBody(first, p.cont));
      const bare = BARE_COLON.exec(rest);
      if (bare) return this.message(p, time, bare[1]!, bare[2]!);
      return this.event(p, time, { kind: 'other', actor: null, subjects: [] }, joinBody(first, p.cont));
    }
    const senderRaw = rest.slice(0, colon);
    if (QUOTE.test(senderRaw)) {
      // A quoted subject/group name containing ": " (`X changed the subject from "a: b" to …`).
      const whole = stripLeadingHidden(rest);
      const sys = classifySystem(whole);
      if (sys) return this.event(p, time, sys, joinBody(whole, p.cont));
    }
    let body = rest.slice(colon + 1);
    if (body.charCodeAt(0) === 0x20) body = body.slice(1);
    const marked = isHiddenCode(body.charCodeAt(0));
    const first = stripLeadingHidden(body);
    const sender = cleanName(senderRaw);
    if (p.cont === null && isDeleted(first)) {
      return this.event(p, time, { kind: 'recall', actor: sender, subjects: [] }, first);
    }
    // Modern iOS notices: pseudo-sender (group name or a member) + body opening with U+200E.
    if (marked || isEncryptionNotice(first)) {
      const sys = classifySystem(first);
      if (sys) {
        if (isEncryptionNotice(first) && sender !== '') this.nameFromNotice ??= sender;
        if (sys.kind === 'call' && sys.actor === null) sys.actor = sender;
        return this.event(p, time, sys, joinBody(first, p.cont));
      }
    }
    return this.message(p, time, senderRaw, first);
  }

  private message(p: Pending, time: string, senderRaw: string, first: string): ParsedRecord {
    const name = cleanName(senderRaw);
    if (name === '') return { type: 'reject', line: p.line, reason: 'empty sender name', raw: joinBody(p.header, p.cont) };
    if (this.buf) this.senders.add(name);
    const text = stripEdited(joinBody(first, p.cont));
    const rec: MessageRecord = {
      type: 'message',
      group: this.file,
      line: p.line,
      externalId: null,
      sender: { id: null, name },
      time,
      utcMs: null,
      kind: messageKind(text),
      text,
      replyTo: null,
      quote: null,
      mentions: mentionsOf(text),
    };
    return rec;
  }

  private event(p: Pending, time: string, sys: SystemNotice, text: string): EventRecord {
    if (this.buf) {
      if (GROUP_EVENTS.has(sys.kind)) this.groupEvent = true;
      if (sys.kind === 'create' && sys.title) this.nameFromCreate ??= sys.title.trim();
    }
    return {
      type: 'event',
      group: this.file,
      line: p.line,
      time,
      utcMs: null,
      kind: sys.kind,
      actor: sys.actor !== null && sys.actor !== '' ? { id: null, name: sys.actor } : null,
      subjects: sys.subjects.map((name) => ({ id: null, name })),
      text,
    };
  }
}

export const whatsappTxtParser: Parser = {
  format: 'whatsapp-txt',
  platform: 'whatsapp',

  sniff(input: SniffInput): number {
    const lines = input.head.split(/\r\n|\n|\r/);
    // The head may end mid-line.
    if (lines.length > 3 && input.size > input.head.length) lines.pop();
    let nonBlank = 0;
    let hits = 0;
    let firstIsHeader: boolean | null = null;
    for (const ln of lines) {
      if (nonBlank >= 40) break;
      if (ln.trim() === '') continue;
      nonBlank++;
      const isHeader = matchHeader(ln) !== null;
      if (isHeader) hits++;
      firstIsHeader ??= isHeader;
    }
    if (hits === 0) return 0;
    if (hits >= 3) return firstIsHeader ? 0.95 : 0.7;
    if (hits === 2) return firstIsHeader ? 0.9 : 0.6;
    return firstIsHeader ? 0.6 : 0.3;
  },

  async *parse(input) {
    yield* readLineExport(input, new WhatsAppReader(input.fileName));
  },
};
