import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { csvRecords, firstCsvRecord, type CsvRecord } from '../csv.js';
import { FormatError, type Parser, type ParsedRecord, type ParserInput, type PersonRef } from '../types.js';
import {
  BATCH,
  SELF,
  groupRecord,
  isXml,
  mapType,
  mapTypeName,
  mentionsOf,
  parseAppMsg,
  parseWall,
  reject,
  splitQuote,
  stripCdata,
  xmlToText,
  type TypeMapping,
} from './wechat-common.js';
import { classifyNotice, cleanNotice } from './wechat-notice.js';

const V1_HEADER = ['localId', 'TalkerId', 'Type', 'SubType', 'IsSender', 'CreateTime', 'Status', 'StrContent', 'StrTime', 'Remark', 'NickName', 'Sender'] as const;
const V2_HEADER = ['消息ID', '类型', '发送人', '时间', '内容', '备注', '昵称', '更多信息'] as const;
const CHATLOG_HEADER = ['Time', 'SenderName', 'Sender', 'TalkerName', 'Talker', 'Content'] as const;

const sameHeader = (f: readonly string[], h: readonly string[]): boolean => f.length === h.length && h.every((x, i) => f[i]!.trim() === x);

function headerSniff(head: string, header: readonly string[]): number {
  const f = firstCsvRecord(head);
  return f && sameHeader(f, header) ? 0.98 : 0;
}

/** Context a row handler gets: its fields, the record (for line/raw), and where to put records. */
interface Row {
  f: string[];
  rec: CsvRecord;
  out: ParsedRecord[];
}

/**
 * Runs the CSV reader, checks the header, rejects malformed and wrong-width rows, and hands the
 * rest to `handle` (which may push a reject itself).
 */
async function* runCsv(
  input: ParserInput,
  header: readonly string[],
  what: string,
  handle: (row: Row) => void,
): AsyncGenerator<ParsedRecord[], void, undefined> {
  let seenHeader = false;
  let out: ParsedRecord[] = [];
  for await (const batch of csvRecords(input.lines())) {
    for (const rec of batch) {
      if (!seenHeader) {
        if (!sameHeader(rec.fields, header)) {
          throw new FormatError(input.fileName, rec.line, `not a ${what} file: expected the header "${header.join(',')}"`);
        }
        seenHeader = true;
        continue;
      }
      if (rec.error !== null) out.push(reject(rec.line, rec.error, rec.raw));
      else if (rec.fields.length !== header.length) {
        out.push(reject(rec.line, `expected ${header.length} fields, found ${rec.fields.length}`, rec.raw));
      } else handle({ f: rec.fields, rec, out });
      if (out.length >= BATCH) {
        yield out;
        out = [];
      }
    }
  }
  if (!seenHeader) throw new FormatError(input.fileName, 1, `not a ${what} file: no header`);
  if (out.length > 0) yield out;
}

const intOf = (s: string): number | null => (/^-?\d{1,10}$/.test(s.trim()) ? +s.trim() : null);

/** Declares each conversation the first time a row names it. */
class Groups {
  private readonly seen = new Set<string>();
  ensure(out: ParsedRecord[], key: string, name: string, chatType: 'group' | 'private' | 'unknown', externalId: string | null): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    out.push(groupRecord(key, name, chatType, externalId));
  }
}

interface Body {
  kind: MessageKind;
  text: string;
  quote: { id?: string | null; name: string; text: string } | null;
  replyTo: string | null;
}

/** Message body from StrContent-like content under a type mapping (text, reply XML, media XML). */
function bodyOf(m: Extract<TypeMapping, { kind: MessageKind }>, content: string): Body {
  const b: Body = { kind: m.kind, text: '', quote: null, replyTo: null };
  if (m.quote) {
    if (isXml(content)) {
      const app = parseAppMsg(content);
      b.text = app.title;
      if (app.refer) {
        b.quote = { id: app.refer.id, name: app.refer.name, text: app.refer.text };
        b.replyTo = app.refer.svrid;
      }
    } else {
      const q = splitQuote(content.split(/\r?\n/));
      if (q) {
        b.text = q.text;
        b.quote = q.quote;
      } else b.text = content;
    }
  } else if (m.kind === 'text') {
    b.text = stripCdata(content);
  } else if (isXml(content)) {
    const app = content.includes('<appmsg') ? parseAppMsg(content) : null;
    b.text = app?.title || m.placeholder || xmlToText(content);
  } else {
    b.text = content.trim() === '' ? m.placeholder : content;
  }
  return b;
}

function message(
  row: Row,
  group: string,
  externalId: string | null,
  sender: PersonRef,
  time: string,
  utcMs: number | null,
  b: Body,
): ParsedRecord {
  return {
    type: 'message',
    group,
    line: row.rec.line,
    externalId,
    sender,
    time,
    utcMs,
    kind: b.kind,
    text: b.text,
    replyTo: b.replyTo,
    quote: b.quote,
    mentions: b.kind === 'text' ? mentionsOf(b.text) : [],
  };
}

/** A notice as an event; `forced` overrides the kind the text suggests (calls, pokes, recalls). */
function event(
  row: Row,
  group: string,
  time: string,
  utcMs: number | null,
  content: string,
  self: PersonRef,
  forced: EventKind | null,
  sender: PersonRef | null,
): ParsedRecord {
  const text = cleanNotice(content);
  const n = classifyNotice(text, self);
  const kind = forced ?? n.kind;
  const actor = forced === 'call' ? sender : (n.actor ?? (forced ? sender : null));
  return { type: 'event', group, line: row.rec.line, time, utcMs, kind, actor, subjects: forced === 'call' ? [] : n.subjects, text };
}

// ---------------------------------------------------------------------------------------------

export const wechatCsvParser: Parser = {
  format: 'wechat-csv',
  platform: 'wechat',
  sniff: ({ head }) => headerSniff(head, V1_HEADER),
  async *parse(input) {
    const groups = new Groups();
    // The exporting user's wxid once a row of theirs shows it; notices then say 你 about the same person.
    let self: PersonRef | null = null;
    yield* runCsv(input, V1_HEADER, 'WeChatMsg CSV', (row) => {
      const { f, rec, out } = row;
      const bad = (reason: string): void => void out.push(reject(rec.line, reason, rec.raw));
      const talker = f[1]!.trim();
      if (talker === '') return bad('missing TalkerId');
      const type = intOf(f[2]!);
      if (type === null) return bad(`unknown Type "${f[2]}"`);
      const sub = f[3]!.trim() === '' ? 0 : intOf(f[3]!);
      if (sub === null) return bad(`unknown SubType "${f[3]}"`);
      const isSender = f[4]!.trim();
      if (isSender !== '0' && isSender !== '1') return bad(`unknown IsSender "${f[4]}"`);
      const created = f[5]!.trim();
      if (!/^\d{1,11}$/.test(created)) return bad(`unparseable CreateTime "${f[5]}"`);
      const time = parseWall(f[8]!);
      if (time === null) return bad(`unparseable StrTime "${f[8]}"`);
      const utcMs = +created * 1000;
      const isGroup = talker.endsWith('@chatroom');
      groups.ensure(out, talker, '', isGroup ? 'group' : 'private', talker);

      const wxid = f[11]!.trim();
      const name = f[9]!.trim() || f[10]!.trim() || wxid;
      let sender: PersonRef | null;
      if (isSender === '1') {
        // In 1:1 chats WeChatMsg fills Remark/NickName/Sender with the peer's contact even for
        // own rows, so a Sender equal to the talker is not "me".
        if (wxid !== '' && wxid !== talker) sender = self = { id: wxid, name };
        else sender = self ?? SELF;
      } else if (wxid !== '' || name !== '') sender = { id: wxid || null, name: name || wxid };
      else sender = isGroup ? null : { id: talker, name: talker };

      let content = f[7]!;
      const m = mapType(type, sub);
      if ('event' in m) {
        out.push(event(row, talker, time, utcMs, content, self ?? SELF, m.event, sender));
        return;
      }
      if (sender === null) return bad('missing Sender');
      // Raw group rows from older databases prefix the member's wxid to the text.
      if (isGroup && wxid !== '' && content.startsWith(wxid + ':\n')) content = content.slice(wxid.length + 2);
      out.push(message(row, talker, f[0]!.trim() || null, sender, time, utcMs, bodyOf(m, content)));
    });
  },
};

const WXID_LIKE = /^wxid_[A-Za-z0-9_-]+$/;

export const wechatCsvV2Parser: Parser = {
  format: 'wechat-csv-v2',
  platform: 'wechat',
  sniff: ({ head }) => headerSniff(head, V2_HEADER),
  async *parse(input) {
    // One conversation per file and no talker column: the loader names it after the file.
    const KEY = 'chat';
    let declared = false;
    yield* runCsv(input, V2_HEADER, 'WeChatMsg CSV (v2)', (row) => {
      const { f, rec, out } = row;
      const bad = (reason: string): void => void out.push(reject(rec.line, reason, rec.raw));
      const time = parseWall(f[3]!);
      if (time === null) return bad(`unparseable 时间 "${f[3]}"`);
      const typeName = f[1]!.trim();
      if (typeName === '') return bad('missing 类型');
      const m: TypeMapping = mapTypeName(typeName) ?? { kind: 'other', placeholder: '', quote: false };
      if (!declared) {
        out.push(groupRecord(KEY, '', 'unknown', null));
        declared = true;
      }
      const who = f[2]!.trim();
      const name = f[5]!.trim() || f[6]!.trim() || who;
      // 发送人 is a wxid in some builds and a display name in others.
      const sender: PersonRef | null = who === '' ? null : { id: WXID_LIKE.test(who) || name !== who ? who : null, name };
      const content = f[4]!;
      if ('event' in m) {
        out.push(event(row, KEY, time, null, content, SELF, m.event, sender));
        return;
      }
      if (sender === null) return bad('missing 发送人');
      out.push(message(row, KEY, f[0]!.trim() || null, sender, time, null, bodyOf(m, content)));
    });
  },
};

// ---------------------------------------------------------------------------------------------
// sjzar/chatlog writes rendered text: placeholders like `[图片]`, `![图片](url)`, `[文件|name](url)`.

const LABELS: Record<string, MessageKind | 'call'> = {
  图片: 'image',
  语音: 'voice',
  视频: 'video',
  动画表情: 'sticker',
  表情: 'sticker',
  表情包: 'sticker',
  文件: 'file',
  链接: 'link',
  音乐: 'link',
  音乐分享: 'link',
  小程序: 'link',
  视频号: 'link',
  分享: 'link',
  位置: 'other',
  名片: 'other',
  转账: 'other',
  红包: 'other',
  合并转发: 'other',
  聊天记录: 'other',
  语音通话: 'call',
  视频通话: 'call',
  通话: 'call',
};

/** Kind of a rendered chatlog content, from its leading `[label]` / `![label](…)` / `[label|…](…)`. */
export function chatlogKind(content: string): MessageKind | 'call' {
  const t = content.startsWith('![') ? content.slice(1) : content;
  if (!t.startsWith('[')) return 'text';
  const e = t.slice(0, 8).search(/[|\]]/);
  return e > 1 ? (LABELS[t.slice(1, e)] ?? 'text') : 'text';
}

/** chatlog renders a reply as `> Name(wxid): quoted` lines followed by the reply. */
function chatlogQuote(content: string): Body | null {
  if (!content.startsWith('>')) return null;
  const lines = content.split(/\r?\n/);
  let k = 0;
  while (k < lines.length && lines[k]!.startsWith('>')) k++;
  if (k === lines.length) return null;
  const quoted = lines
    .slice(0, k)
    .map((l) => l.replace(/^>\s?/, ''))
    .join('\n');
  const m = /^([^:：\n]{1,80}?)[:：]\s?([\s\S]*)$/.exec(quoted);
  const quote = m ? { name: m[1]!.replace(/\([^()]*\)$/, '').trim(), text: m[2]!.trim() } : { name: '', text: quoted.trim() };
  return { kind: 'text', text: lines.slice(k).join('\n'), quote, replyTo: null };
}

export const wechatChatlogCsvParser: Parser = {
  format: 'wechat-chatlog-csv',
  platform: 'wechat',
  sniff: ({ head }) => headerSniff(head, CHATLOG_HEADER),
  async *parse(input) {
    const groups = new Groups();
    yield* runCsv(input, CHATLOG_HEADER, 'chatlog CSV', (row) => {
      const { f, rec, out } = row;
      const bad = (reason: string): void => void out.push(reject(rec.line, reason, rec.raw));
      const time = parseWall(f[0]!);
      if (time === null) return bad(`unparseable Time "${f[0]}"`);
      const talker = f[4]!.trim();
      if (talker === '') return bad('missing Talker');
      groups.ensure(out, talker, f[3]!.trim(), talker.endsWith('@chatroom') ? 'group' : 'private', talker);
      const wxid = f[2]!.trim();
      const name = f[1]!.trim();
      const content = f[5]!;
      if ((wxid === '' && name === '') || name === '系统消息') {
        out.push(event(row, talker, time, null, content, SELF, null, null));
        return;
      }
      const sender: PersonRef = wxid === '我' ? SELF : { id: wxid || null, name: name || wxid };
      const first = content.trimStart()[0];
      // Pats arrive as app messages from the patter: `"X" 拍了拍 "Y"`.
      if ((first === '"' || first === '“') && content.includes('拍了拍') && classifyNotice(content, SELF).kind === 'poke') {
        out.push(event(row, talker, time, null, content, SELF, 'poke', sender));
        return;
      }
      const kind = chatlogKind(content);
      if (kind === 'call') {
        out.push(event(row, talker, time, null, content, SELF, 'call', sender));
        return;
      }
      const body = (kind === 'text' && chatlogQuote(content)) || { kind, text: content, quote: null, replyTo: null };
      out.push(message(row, talker, null, sender, time, null, body));
    });
  },
};
