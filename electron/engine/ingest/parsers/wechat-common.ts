import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { PLACEHOLDERS } from '../../text/placeholders.js';
import { wallTime } from '../time.js';
import type { GroupRecord, PersonRef, RejectRecord } from '../types.js';

/** The exporting user when the export gives no id for them. */
export const SELF: PersonRef = { id: 'self', name: '我' };

/** Records are yielded in batches of about this many. */
export const BATCH = 2000;

export const reject = (line: number, reason: string, raw: string): RejectRecord => ({ type: 'reject', line, reason, raw });

export function groupRecord(key: string, name: string, chatType: GroupRecord['chatType'], externalId: string | null): GroupRecord {
  return { type: 'group', key, platform: 'wechat', externalId, name, chatType };
}

/** `YYYY-MM-DD HH:MM:SS` (also `/` separators, unpadded fields, missing seconds) → wall time or null. */
const WALL = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$/;
export function parseWall(s: string): string | null {
  // Nearly every row has the canonical shape: check digits by position and return it as is.
  if (s.length === 19 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 32 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    const d = (i: number): number => s.charCodeAt(i) - 48;
    const n2 = (i: number): number => {
      const a = d(i);
      const b = d(i + 1);
      return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
    };
    const y = n2(0) * 100 + n2(2);
    if (n2(0) >= 0 && n2(2) >= 0) return wallTime(y, n2(5), n2(8), n2(11), n2(14), n2(17));
  }
  const m = WALL.exec(s.trim());
  if (!m) return null;
  return wallTime(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] === undefined ? 0 : +m[6]);
}

// ---------------------------------------------------------------------------------------------
// XML as WeChat stores it in StrContent: CDATA sections, entities, nested <refermsg>.

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|lt|gt|amp|quot|apos);/g, (m, e: string) => {
    if (e[0] !== '#') return ENTITIES[e] ?? m;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : +e.slice(1);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}

/**
 * `<![CDATA[x]]>` → `x`. indexOf loops rather than a lazy regex, which rescans to the end of the
 * text from every unclosed opener (quadratic on a damaged row).
 */
export function stripCdata(s: string): string {
  let a = s.indexOf('<![CDATA[');
  if (a < 0) return s;
  let out = '';
  let last = 0;
  while (a >= 0) {
    const b = s.indexOf(']]>', a + 9);
    if (b < 0) break; // no closer after this opener, so none after any later one either
    out += s.slice(last, a) + s.slice(a + 9, b);
    last = b + 3;
    a = s.indexOf('<![CDATA[', last);
  }
  return out + s.slice(last);
}

/** True when a StrContent value is an XML document rather than text. */
export const isXml = (s: string): boolean => {
  const t = s.trimStart();
  return t.startsWith('<?xml') || t.startsWith('<msg') || t.startsWith('<sysmsg') || t.startsWith('<voipmsg') || t.startsWith('<appmsg');
};

/** Text of the first `<tag>` element starting in [from, to); null when absent. */
export function xmlTag(xml: string, tag: string, from = 0, to = xml.length): string | null {
  let i = from;
  for (;;) {
    i = xml.indexOf('<' + tag, i);
    if (i < 0 || i >= to) return null;
    const c = xml.charCodeAt(i + tag.length + 1);
    // `<type` must not match `<typeex>`.
    if (c === 62 || c === 47 || c === 32 || c === 9 || c === 10 || c === 13) break;
    i += tag.length + 1;
  }
  const gt = xml.indexOf('>', i);
  if (gt < 0) return null;
  if (xml.charCodeAt(gt - 1) === 47) return '';
  const end = xml.indexOf('</' + tag + '>', gt);
  if (end < 0 || end > to) return null;
  const inner = xml.slice(gt + 1, end).trim();
  if (inner.startsWith('<![CDATA[') && inner.endsWith(']]>')) return inner.slice(9, -3);
  return decodeEntities(inner);
}

/** Visible text of an XML fragment: tags dropped, CDATA unwrapped, entities decoded. */
export function xmlToText(xml: string): string {
  return collapseBlanks(decodeEntities(dropTags(stripCdata(xml)))).trim();
}

/** Every `<…>` → ' ' (what `replace(/<[^>]*>/g, ' ')` does, without its rescans from each lone '<'). */
function dropTags(s: string): string {
  let lt = s.indexOf('<');
  if (lt < 0) return s;
  let out = '';
  let last = 0;
  while (lt >= 0) {
    const gt = s.indexOf('>', lt + 1);
    if (gt < 0) break;
    out += s.slice(last, lt) + ' ';
    last = gt + 1;
    lt = s.indexOf('<', last);
  }
  return out + s.slice(last);
}

/**
 * A run of blanks holding a line break → one '\n'; two or more spaces/tabs → one space. One pass,
 * linear (the regexes `[ \t]*\n` and `[ \t]{2,}` retry from every position of a long blank run).
 */
function collapseBlanks(s: string): string {
  let out = '';
  let last = 0;
  const n = s.length;
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10) {
      i++;
      continue;
    }
    let j = i;
    let nl = false;
    for (; j < n; j++) {
      const d = s.charCodeAt(j);
      if (d === 10) nl = true;
      else if (d !== 32 && d !== 9) break;
    }
    if (nl || j - i >= 2) {
      out += s.slice(last, i) + (nl ? '\n' : ' ');
      last = j;
    }
    i = j;
  }
  return last === 0 ? s : out + s.slice(last);
}

export interface AppMsg {
  type: number | null;
  title: string;
  url: string;
  /** The quoted message of a reply (appmsg type 57). */
  refer: { svrid: string | null; id: string | null; name: string; text: string } | null;
}

/** Reads an `<appmsg>`: its own fields come before `<refermsg>`, the quoted message's inside it. */
export function parseAppMsg(xml: string): AppMsg {
  const rs = xml.indexOf('<refermsg>');
  const head = rs < 0 ? xml.length : rs;
  const type = Number(xmlTag(xml, 'type', 0, head) ?? NaN);
  const app: AppMsg = {
    type: Number.isFinite(type) ? type : null,
    title: (xmlTag(xml, 'title', 0, head) ?? '').trim(),
    url: (xmlTag(xml, 'url', 0, head) ?? '').trim(),
    refer: null,
  };
  if (rs >= 0) {
    const re = xml.indexOf('</refermsg>', rs);
    const end = re < 0 ? xml.length : re;
    const referType = Number(xmlTag(xml, 'type', rs, end) ?? 1);
    let text = xmlTag(xml, 'content', rs, end) ?? '';
    // A quoted link/file/reply arrives as an escaped XML document of its own, media as bare XML.
    if (isXml(text)) text = parseAppMsg(text).title || placeholderOf(referType, 0);
    else if (text === '' || text.startsWith('<')) text = placeholderOf(referType, 0);
    app.refer = {
      svrid: xmlTag(xml, 'svrid', rs, end) || null,
      id: (xmlTag(xml, 'chatusr', rs, end) ?? '').trim() || null,
      name: (xmlTag(xml, 'displayname', rs, end) ?? '').trim(),
      text: text.trim(),
    };
  }
  return app;
}

// ---------------------------------------------------------------------------------------------
// Message types (the MSG table's Type/SubType, shared by WeChatMsg CSV and chatlog JSON).

export type TypeMapping =
  | { event: EventKind | null } // null: classify the notice text
  | { kind: MessageKind; placeholder: string; quote: boolean };

const BASE: Record<number, readonly [MessageKind, string]> = {
  1: ['text', ''],
  3: ['image', '[图片]'],
  34: ['voice', '[语音]'],
  42: ['other', '[名片]'],
  43: ['video', '[视频]'],
  47: ['sticker', '[动画表情]'],
  48: ['other', '[位置]'],
};
const APP: Record<number, readonly [MessageKind, string]> = {
  3: ['link', '[音乐分享]'],
  4: ['link', '[链接]'],
  5: ['link', '[链接]'],
  6: ['file', '[文件]'],
  8: ['sticker', '[动画表情]'],
  19: ['other', '[聊天记录]'],
  33: ['link', '[小程序]'],
  36: ['link', '[小程序]'],
  51: ['link', '[视频号]'],
  57: ['text', ''],
  2000: ['other', '[转账]'],
  2001: ['other', '[红包]'],
};

export function mapType(type: number, sub: number): TypeMapping {
  if (type === 50) return { event: 'call' };
  if (type === 10000 || type === 10002) return { event: null };
  if (type === 49) {
    if (sub === 62) return { event: 'poke' }; // 拍一拍 as an app message (WeChat 4)
    const a = APP[sub];
    return a ? { kind: a[0], placeholder: a[1], quote: sub === 57 } : { kind: 'other', placeholder: '', quote: false };
  }
  const b = BASE[type];
  return b ? { kind: b[0], placeholder: b[1], quote: false } : { kind: 'other', placeholder: '', quote: false };
}

export function placeholderOf(type: number, sub: number): string {
  const m = mapType(type, sub);
  return 'kind' in m ? m.placeholder : '';
}

/** WeChatMsg CSV v2 writes Chinese type names. */
const TYPE_NAMES: Record<string, TypeMapping> = {};
const nameRow = (names: string, m: TypeMapping): void => {
  for (const n of names.split(' ')) TYPE_NAMES[n] = m;
};
nameRow('文本 文字 消息', { kind: 'text', placeholder: '', quote: false });
nameRow('图片', { kind: 'image', placeholder: '[图片]', quote: false });
nameRow('语音', { kind: 'voice', placeholder: '[语音]', quote: false });
nameRow('视频', { kind: 'video', placeholder: '[视频]', quote: false });
nameRow('文件', { kind: 'file', placeholder: '[文件]', quote: false });
nameRow('链接 分享 分享卡片 卡片式链接 音乐与音频 音乐分享 小程序 视频号', { kind: 'link', placeholder: '[链接]', quote: false });
nameRow('表情 动画表情 表情包', { kind: 'sticker', placeholder: '[动画表情]', quote: false });
nameRow('位置 名片 转账 红包 合并转发 聊天记录', { kind: 'other', placeholder: '', quote: false });
nameRow('引用消息 引用 回复', { kind: 'text', placeholder: '', quote: true });
nameRow('系统消息 系统通知', { event: null });
nameRow('拍一拍', { event: 'poke' });
nameRow('撤回 撤回消息', { event: 'recall' });
nameRow('音视频通话 语音通话 视频通话 通话', { event: 'call' });

/** Type name → mapping; numeric names fall back to the MSG table's numbers; unknown names → null. */
export function mapTypeName(name: string): TypeMapping | null {
  const n = name.trim();
  if (/^\d{1,5}$/.test(n)) return mapType(+n, 0);
  return TYPE_NAMES[n] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Text.

const PLACEHOLDER_KIND = new Map<string, MessageKind>(PLACEHOLDERS);
export const placeholderKind = (s: string): MessageKind | undefined => PLACEHOLDER_KIND.get(s);

const isAsciiAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const MAX_NAME = 64;

/**
 * @-mentions. WeChat ends a picked mention with U+2005, so a name runs to that space (and may hold
 * ordinary spaces) unless another '@' or a line break comes first; a typed mention ends at a space.
 * An '@' glued to ASCII letters is an e-mail address, not a mention.
 */
export function mentionsOf(text: string): string[] {
  let i = text.indexOf('@');
  if (i < 0) return [];
  const out: string[] = [];
  // Next U+2005 after the current '@', kept across '@'s: searching afresh from each one is quadratic.
  let em = -1;
  while (i >= 0) {
    let end = -1;
    if (i === 0 || !isAsciiAlnum(text.charCodeAt(i - 1))) {
      const lim = Math.min(text.length, i + 1 + MAX_NAME);
      if (em !== Infinity && em <= i) {
        em = text.indexOf('\u2005', i + 1);
        if (em < 0) em = Infinity;
      }
      if (em > i + 1 && em < lim) {
        const seg = text.slice(i + 1, em);
        if (seg.indexOf('@') < 0 && seg.indexOf('\n') < 0) end = em;
      }
      if (end < 0) {
        for (let j = i + 1; j < lim; j++) {
          const c = text.charCodeAt(j);
          if (c === 32) {
            if (j > i + 1) end = j;
            break;
          }
          if (c === 10 || c === 13 || c === 64 || c === 0x2005) break;
        }
      }
    }
    if (end > 0) {
      const name = text.slice(i + 1, end).trim();
      if (name !== '' && !out.includes(name)) out.push(name);
      i = text.indexOf('@', end);
    } else {
      i = text.indexOf('@', i + 1);
    }
  }
  return out;
}

/**
 * WeChatMsg's text rendering of a reply: the reply, then `引用:{displayname}:{content}` (or
 * `引用:未知` when the quoted message is gone). The quoted content may run over several lines.
 */
export function splitQuote(lines: string[]): { text: string; quote: { name: string; text: string } } | null {
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.startsWith('引用:') && !l.startsWith('引用：')) continue;
    const rest = [l.slice(3), ...lines.slice(i + 1)].join('\n');
    const colon = rest.search(/[:：]/);
    const quote =
      colon < 0 ? { name: '', text: rest === '未知' ? '' : rest.trim() } : { name: rest.slice(0, colon).trim(), text: rest.slice(colon + 1).trim() };
    return { text: lines.slice(0, i).join('\n'), quote };
  }
  return null;
}
