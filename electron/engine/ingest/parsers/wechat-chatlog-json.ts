import type { EventKind } from '../../../../shared/model.js';
import { createDecoder, type Encoding } from '../encoding.js';
import { wallTime } from '../time.js';
import { FormatError, type Parser, type ParsedRecord, type PersonRef } from '../types.js';
import { BATCH, SELF, groupRecord, isXml, mapType, mentionsOf, parseAppMsg, reject, stripCdata, xmlToText } from './wechat-common.js';
import { classifyNotice, cleanNotice } from './wechat-notice.js';

/** An element of a top-level JSON array, as text, with the line it starts on. */
export interface JsonElement {
  text: string;
  line: number;
}

/**
 * Splits a top-level JSON array into its elements without parsing the whole document: tracks
 * nesting depth and string state over decoded chunks. Each element is handed out as text for
 * JSON.parse, so a corrupt element costs one record, not the file.
 */
export class ArraySplitter {
  /**
   * An element longer than this is a broken file (an unclosed string swallows the rest of it):
   * refused before it outgrows memory or V8's string limit.
   */
  constructor(private readonly maxElementChars = 64 * 1024 * 1024) {}

  private depth = 0;
  private inStr = false;
  private esc = false;
  private started = false;
  done = false;
  line = 1;
  private open = false;
  private parts: string[] = [];
  private partsLength = 0;
  private elemLine = 0;
  private trailing = false;

  /** Feeds a decoded chunk, appending the elements it completes; throws when the text is not an array. */
  push(s: string, out: JsonElement[]): void {
    let start = this.open ? 0 : -1;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inStr) {
        if (this.esc) this.esc = false;
        else if (c === 92) this.esc = true;
        else if (c === 34) this.inStr = false;
        continue;
      }
      if (c === 32 || c === 10 || c === 13 || c === 9) continue;
      if (this.done) {
        this.trailing = true;
        continue;
      }
      if (!this.started) {
        if (c === 0xfeff) continue;
        if (c !== 91) throw new Error('the file does not start with a JSON array');
        this.started = true;
        this.depth = 1;
        continue;
      }
      if (this.depth === 1 && !this.open) {
        if (c === 44) continue;
        if (c === 93) {
          this.depth = 0;
          this.done = true;
          continue;
        }
        this.open = true;
        this.elemLine = this.line;
        start = i;
      }
      if (c === 34) this.inStr = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93 || c === 44) {
        if (c !== 44) this.depth--;
        if (this.depth === 1 && c !== 44) {
          this.emit(s.slice(start, i + 1), out);
          start = -1;
        } else if (this.depth <= 1) {
          // A scalar element ends at the comma or bracket after it.
          this.emit(s.slice(start, i), out);
          start = -1;
          if (this.depth === 0) this.done = true;
        }
      }
    }
    if (this.open && start >= 0) {
      this.parts.push(s.slice(start));
      this.partsLength += s.length - start;
      if (this.partsLength > this.maxElementChars) {
        throw new Error(`array element at line ${this.elemLine} is longer than ${this.maxElementChars} characters (unclosed string or bracket?)`);
      }
    }
  }

  private emit(tail: string, out: JsonElement[]): void {
    const text = this.parts.length === 0 ? tail : this.parts.join('') + tail;
    this.parts = [];
    this.partsLength = 0;
    this.open = false;
    out.push({ text: text.trim(), line: this.elemLine });
  }

  /** Why the input ended badly, or null. */
  endError(): string | null {
    if (!this.started) return 'empty file: no JSON array';
    if (!this.done) return 'unexpected end of file inside the top-level array (truncated export?)';
    if (this.trailing) return 'unexpected content after the top-level array';
    return null;
  }
}

/** RFC 3339 as Go writes time.Time: local part as written, then Z or ±hh:mm. */
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

export function parseRfc3339(s: string): { time: string; utcMs: number } | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
  const time = wallTime(y, mo, d, h, mi, se);
  if (time === null) return null;
  const z = m[8]!;
  const off = z === 'Z' ? 0 : (z[0] === '-' ? -1 : 1) * (+z.slice(1, 3) * 60 + +z.slice(4, 6));
  const frac = m[7] ? Math.floor(+('0.' + m[7]) * 1000) : 0;
  return { time, utcMs: Date.UTC(y, mo - 1, d, h, mi, se) + frac - off * 60_000 };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const RAW_MAX = 4000;

type Obj = Record<string, unknown>;

function toRecords(el: JsonElement, groups: Set<string>, out: ParsedRecord[]): void {
  const raw = el.text.length > RAW_MAX ? el.text.slice(0, RAW_MAX) + '…' : el.text;
  const bad = (reason: string): void => void out.push(reject(el.line, reason, raw));
  let o: unknown;
  try {
    o = JSON.parse(el.text);
  } catch (e) {
    return bad(`invalid JSON: ${(e as Error).message}`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return bad('not a message object');
  const m = o as Obj;
  const t = parseRfc3339(str(m.time));
  if (t === null) return bad(`unparseable time "${str(m.time)}"`);
  const talker = str(m.talker).trim();
  if (talker === '') return bad('missing talker');
  const type = typeof m.type === 'number' ? m.type : Number.NaN;
  if (!Number.isInteger(type)) return bad(`unknown type "${str(m.type)}"`);
  const sub = typeof m.subType === 'number' ? m.subType : 0;
  if (!groups.has(talker)) {
    groups.add(talker);
    const isRoom = m.isChatRoom === true || talker.endsWith('@chatroom');
    out.push(groupRecord(talker, str(m.talkerName).trim(), isRoom ? 'group' : 'private', talker));
  }
  const wxid = str(m.sender).trim();
  const name = str(m.senderName).trim();
  let sender: PersonRef | null;
  if (m.isSelf === true) sender = wxid !== '' && wxid !== talker && wxid !== '我' ? { id: wxid, name: name || wxid } : SELF;
  else sender = wxid !== '' || name !== '' ? { id: wxid || null, name: name || wxid } : null;
  const content = str(m.content);
  const contents = (typeof m.contents === 'object' && m.contents !== null ? m.contents : {}) as Obj;
  const mapped = mapType(type, sub);

  if ('event' in mapped) {
    const text = cleanNotice(content);
    const n = classifyNotice(text, SELF);
    const forced: EventKind | null = mapped.event;
    const kind = forced ?? n.kind;
    const actor = forced === 'call' ? sender : (n.actor ?? (forced ? sender : null));
    out.push({ type: 'event', group: talker, line: el.line, time: t.time, utcMs: t.utcMs, kind, actor, subjects: forced === 'call' ? [] : n.subjects, text });
    return;
  }
  if (sender === null) return bad('missing sender');
  let text: string;
  let quote: { id?: string | null; name: string; text: string } | null = null;
  let replyTo: string | null = null;
  if (mapped.quote) {
    const refer = (typeof contents.refer === 'object' && contents.refer !== null ? contents.refer : null) as Obj | null;
    if (refer) {
      quote = { id: str(refer.sender).trim() || null, name: (str(refer.senderName) || str(refer.sender)).trim(), text: str(refer.content).trim() };
      replyTo = refer.seq !== undefined && refer.seq !== null ? str(refer.seq) || null : null;
      text = content;
    } else if (isXml(content)) {
      const app = parseAppMsg(content);
      text = app.title;
      if (app.refer) {
        quote = { id: app.refer.id, name: app.refer.name, text: app.refer.text };
        replyTo = app.refer.svrid;
      }
    } else text = content;
  } else if (mapped.kind === 'text') {
    text = stripCdata(content);
  } else {
    const title = str(contents.title).trim();
    if (title !== '') text = title;
    else if (content.trim() === '') text = mapped.placeholder;
    else if (isXml(content)) text = (content.includes('<appmsg') ? parseAppMsg(content).title : '') || mapped.placeholder || xmlToText(content);
    else text = content;
  }
  out.push({
    type: 'message',
    group: talker,
    line: el.line,
    externalId: m.seq !== undefined && m.seq !== null ? str(m.seq) || null : null,
    sender,
    time: t.time,
    utcMs: t.utcMs,
    kind: mapped.kind,
    text,
    replyTo,
    quote,
    mentions: mapped.kind === 'text' ? mentionsOf(text) : [],
  });
}

export const wechatChatlogJsonParser: Parser = {
  format: 'wechat-chatlog-json',
  platform: 'wechat',
  sniff({ head }) {
    const t = head.trimStart();
    if (!t.startsWith('[')) return 0;
    const keys = ['"talker"', '"talkerName"', '"isChatRoom"', '"senderName"', '"isSelf"', '"seq"'].filter((k) => head.includes(k)).length;
    return keys >= 4 ? 0.95 : keys >= 2 ? 0.5 : 0;
  },
  async *parse(input) {
    const splitter = new ArraySplitter();
    const decoder = createDecoder(input.encoding as Encoding);
    const groups = new Set<string>();
    let out: ParsedRecord[] = [];
    const els: JsonElement[] = [];
    const feed = function* (s: string): Generator<ParsedRecord[]> {
      try {
        splitter.push(s, els);
      } catch (e) {
        throw new FormatError(input.fileName, splitter.line, (e as Error).message);
      }
      for (const el of els) {
        toRecords(el, groups, out);
        if (out.length >= BATCH) {
          yield out;
          out = [];
        }
      }
      els.length = 0;
    };
    for await (const chunk of input.bytes()) yield* feed(decoder.write(chunk));
    yield* feed(decoder.end());
    if (out.length > 0) yield out;
    const err = splitter.endError();
    if (err !== null) throw new FormatError(input.fileName, splitter.line, err);
  },
};
