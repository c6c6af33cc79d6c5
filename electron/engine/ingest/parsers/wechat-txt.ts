import type { MessageKind } from '../../../../shared/model.js';
import { FormatError, type Parser, type ParsedRecord, type RejectRecord } from '../types.js';
import { MAX_RECORD_CHARS, recordTooLong } from '../lines.js';
import { wallTime } from '../time.js';
import { BATCH, SELF, groupRecord, mentionsOf, placeholderKind, reject, splitQuote } from './wechat-common.js';
import { classifyNotice, cleanNotice, isSystemNotice } from './wechat-notice.js';

/**
 * WeChatMsg TXT: `{StrTime} {display_name}` then the content and a blank line; system notices are
 * `{StrTime} {notice}` on one line. StrTime is always zero-padded, which QQ's export is not.
 */
const HEADER = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?: (.*))?$/;
/** Give up when this many non-blank lines come before the first record header. */
const MAX_PREAMBLE = 50;
const KEY = 'chat';

const isHeaderCandidate = (t: string): boolean => t.length >= 19 && t.charCodeAt(4) === 45 && t.charCodeAt(13) === 58;

/** A header line whose "name" reads like a sentence, with no content after it, is a notice. */
const SENTENCE = /[，。！？,!?"“”]/;
function isNoticeHeader(rest: string, bodyEmpty: boolean): boolean {
  if (isSystemNotice(rest)) return true;
  return bodyEmpty && (rest.length > 24 || SENTENCE.test(rest));
}

interface Pending {
  line: number;
  header: string;
  time: string | null;
  rest: string;
  body: string[];
  /** Characters of the body so far; past MAX_RECORD_CHARS its lines are dropped and it is rejected. */
  chars: number;
  cut: boolean;
}

function finish(p: Pending, out: ParsedRecord[]): void {
  if (p.cut) {
    out.push(reject(p.line, recordTooLong, [p.header, ...p.body.slice(0, 20)].join('\n').slice(0, 2000)));
    return;
  }
  const body = p.body;
  while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop();
  if (p.time === null) {
    out.push(reject(p.line, 'invalid date or time', [p.header, ...body].join('\n')));
    return;
  }
  const rest = p.rest.trim();
  if (isNoticeHeader(rest, body.length === 0)) {
    const text = cleanNotice(body.length === 0 ? rest : [rest, ...body].join('\n'));
    const n = classifyNotice(text, SELF);
    out.push({ type: 'event', group: KEY, line: p.line, time: p.time, utcMs: null, kind: n.kind, actor: n.actor, subjects: n.subjects, text });
    return;
  }
  if (rest === '') {
    out.push(reject(p.line, 'record header without a sender name', [p.header, ...body].join('\n')));
    return;
  }
  let kind: MessageKind = 'text';
  let text: string;
  let quote: { name: string; text: string } | null = null;
  const first = body.length > 0 ? body[0]!.trim() : '';
  const ph = body.length === 1 ? placeholderKind(first) : undefined;
  if (ph !== undefined) {
    kind = ph;
    text = first;
  } else if (first.startsWith('[链接]')) {
    // Link cards are written as indented lines: [链接]:title, description, url, app name.
    kind = 'link';
    text = body
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join('\n');
  } else {
    const q = splitQuote(body);
    text = q ? q.text : body.join('\n');
    quote = q ? q.quote : null;
  }
  out.push({
    type: 'message',
    group: KEY,
    line: p.line,
    externalId: null,
    sender: { id: null, name: rest },
    time: p.time,
    utcMs: null,
    kind,
    text,
    replyTo: null,
    quote,
    mentions: kind === 'text' ? mentionsOf(text) : [],
  });
}

export const wechatTxtParser: Parser = {
  format: 'wechat-txt',
  platform: 'wechat',
  sniff({ head }) {
    const lines = head.split(/\r\n|\n|\r/);
    if (head.length >= 64 * 1024 - 16) lines.pop(); // the last line may be cut off
    // QQ's message-manager export: a 消息记录 banner, 消息对象/消息分组 lines, ===== separators.
    for (const l of lines.slice(0, 12)) {
      if (l.startsWith('消息记录') || /^消息(对象|分组)[:：]/.test(l) || /^={16,}$/.test(l)) return 0.02;
    }
    let headers = 0;
    let prevBlank = true;
    let firstSeen = false;
    for (const l of lines.slice(0, 2000)) {
      const blank = l.trim() === '';
      if (!firstSeen && !blank) {
        firstSeen = true;
        if (!HEADER.test(l)) return 0;
      }
      // QQ record headers: unpadded hours, AM/PM, (QQ号) or <email> after the name.
      if (prevBlank && /^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}:\d{2} /.test(l)) {
        const m = HEADER.exec(l);
        if (!m) return 0.05;
        const rest = m[7] ?? '';
        if (/^(AM|PM) /.test(rest) || /\(\d{5,}\)$/.test(rest) || /<[^<>@\s]+@[^<>\s]+>$/.test(rest)) return 0.05;
        headers++;
      }
      prevBlank = blank;
    }
    return headers >= 2 ? 0.7 : headers === 1 ? 0.5 : 0;
  },
  async *parse(input) {
    let out: ParsedRecord[] = [];
    let cur: Pending | null = null;
    let prevBlank = true;
    let started = false;
    const preamble: RejectRecord[] = [];
    for await (const batch of input.lines()) {
      for (const l of batch) {
        const t = l.text;
        const blank = t.trim() === '';
        const m = prevBlank && !blank && isHeaderCandidate(t) ? HEADER.exec(t) : null;
        prevBlank = blank;
        if (m) {
          if (cur) finish(cur, out);
          else if (!started) {
            started = true;
            out.push(groupRecord(KEY, '', 'unknown', null), ...preamble);
          }
          cur = {
            line: l.no,
            header: t,
            time: wallTime(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!),
            rest: m[7] ?? '',
            body: [],
            chars: 0,
            cut: false,
          };
          if (out.length >= BATCH) {
            yield out;
            out = [];
          }
        } else if (cur) {
          if (!cur.cut) {
            cur.chars += t.length + 1;
            if (cur.chars > MAX_RECORD_CHARS) cur.cut = true;
            else cur.body.push(t);
          }
        } else if (!blank) {
          preamble.push(reject(l.no, 'text before the first record header', t));
          if (preamble.length > MAX_PREAMBLE) {
            throw new FormatError(input.fileName, l.no, 'not a WeChatMsg TXT export: no "YYYY-MM-DD HH:MM:SS name" record header found');
          }
        }
      }
    }
    if (cur) finish(cur, out);
    if (!started) throw new FormatError(input.fileName, 1, 'not a WeChatMsg TXT export: no record header found');
    if (out.length > 0) yield out;
  },
};
