/**
 * Line shapes and text classifiers of the QQ message-manager TXT export (FORMATS.md §2).
 * Pure functions, no state: qq-txt.ts drives them line by line.
 */
import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { PLACEHOLDERS } from '../../text/placeholders.js';
import { to24h, wallTime } from '../time.js';
import type { PersonRef } from '../types.js';

export const FILE_TITLE = '消息记录（此消息记录为文本格式，不支持重新导入）';
export const SEPARATOR = '='.repeat(64);

/** 消息分组 values that mean the conversation is a group chat. */
const GROUP_FOLDERS = new Set(['我的群聊', '我的QQ群', '我加入的群聊', '我的讨论组', '我加入的讨论组', '讨论组']);
export const isGroupFolder = (folder: string): boolean => GROUP_FOLDERS.has(folder);

export const isFileTitle = (t: string): boolean => {
  const s = t.trim();
  return s === FILE_TITLE || s.startsWith('消息记录（') || s.startsWith('消息记录(');
};

/** `消息分组:X` / `消息对象:Y` (ASCII or full-width colon); null for any other line. */
export function matchBlockLine(t: string): { field: 'folder' | 'peer'; value: string } | null {
  if (t.charCodeAt(0) !== 0x6d88 /* 消 */ || t.length < 5) return null;
  const c = t[4];
  if (c !== ':' && c !== '：') return null;
  const head = t.slice(0, 4);
  if (head === '消息分组') return { field: 'folder', value: t.slice(5).trim() };
  if (head === '消息对象') return { field: 'peer', value: t.slice(5).trim() };
  return null;
}

/*
 * `YYYY-MM-DD [上午|下午]H:MM:SS[ AM|PM][ sender]`. Hour unpadded; the sender part is everything
 * after the time (empty for client notices, which end in two spaces). No nested quantifiers, so a
 * line is matched in linear time.
 */
const HEADER_RE = /^(\d{4})-(\d{1,2})-(\d{1,2}) (?:(上午|下午) ?)?(\d{1,2}):(\d{2}):(\d{2})(?: ([AaPp][Mm]))?(?: (.*))?$/;

export interface Header {
  /** Wall-clock time, or null when the date/time does not exist (2019-02-30). */
  time: string | null;
  /** Everything after the time, untrimmed ('' when absent). */
  sender: string;
}

/** Matches a record header; null when the line has not the shape (cheap pre-check first). */
export function matchHeader(t: string): Header | null {
  if (t.length < 14 || t.charCodeAt(4) !== 45 /* - */) return null;
  const c0 = t.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return null;
  const m = HEADER_RE.exec(t);
  if (!m) return null;
  let h = +m[5]!;
  let sender = m[9] ?? '';
  const zh = m[4];
  const en = m[8];
  if (en !== undefined) {
    if (h >= 1 && h <= 12) h = to24h(h, en === 'PM' || en === 'pm');
    // A 24-hour time followed by a name such as "PMer": the letters belong to the name.
    else sender = m[9] === undefined ? en : `${en} ${m[9]}`;
  } else if (zh !== undefined && h <= 12) {
    h = to24h(h, zh === '下午');
  }
  return { time: wallTime(+m[1]!, +m[2]!, +m[3]!, h, +m[6]!, +m[7]!), sender };
}

/**
 * Splits `name(12345)` / `name<mail@x>` / `name`. The id is the LAST parenthesised digits at the
 * end, because names may contain parentheses themselves: `(A)(123123)`, `(B(123123)`.
 * A `【title】` prefix (group role/rank) is not part of the person's name.
 */
export function parseSender(raw: string): PersonRef {
  const s = raw.trim();
  let name = s;
  let id: string | null = null;
  const last = s.charCodeAt(s.length - 1);
  if (last === 41 /* ) */) {
    const open = s.lastIndexOf('(');
    if (open >= 0 && /^\d+$/.test(s.slice(open + 1, -1))) {
      id = s.slice(open + 1, -1);
      name = s.slice(0, open);
    }
  } else if (last === 62 /* > */) {
    const open = s.lastIndexOf('<');
    const inner = open >= 0 ? s.slice(open + 1, -1) : '';
    if (inner.includes('@') && !/\s/.test(inner)) {
      id = inner;
      name = s.slice(0, open);
    }
  }
  return { id, name: stripTitle(name.trim()) };
}

function stripTitle(name: string): string {
  if (name.charCodeAt(0) !== 0x3010 /* 【 */) return name;
  const end = name.indexOf('】');
  if (end < 0) return name;
  const rest = name.slice(end + 1).trim();
  return rest === '' ? name : rest;
}

/** QQ's own notices come from 系统消息(10000) (1:1) and 系统消息(1000000) (groups). */
export const isSystemSender = (p: PersonRef): boolean => p.name === '系统消息' && p.id !== null && /^10{4,}$/.test(p.id);

export interface Notice {
  kind: EventKind;
  actor: PersonRef | null;
  subjects: PersonRef[];
}

const who = (name: string): PersonRef => ({ id: null, name: name.trim() });
/** 管理员/群主 name a role, not a person. */
const actorOf = (name: string | undefined): PersonRef | null =>
  name === undefined || name.trim() === '' || name === '管理员' || name === '群主' ? null : who(name);
// QQ lists several invitees as A、B、C.
const people = (names: string): PersonRef[] => names.split('、').filter((n) => n.trim() !== '').map(who);

const INVITE_RE = /^(.+?)邀请(.+?)加入(?:了)?(?:本群|群聊)$/;
const JOIN_RE = /^(.+?)加入(?:了)?(?:本群|群聊)$/;
const LEAVE_RE = /^(.+?)退出(?:了)?(?:本群|群聊)$/;
const REMOVED_BY_RE = /^(.+?)被(.*?)移出(?:了)?(?:本群|群聊)$/;
const MOVE_OUT_RE = /^(.+?)将(.+?)移出(?:了)?(?:本群|群聊)$/;
export const RECALL_RE = /^(.*?)撤回了一条(?:成员)?消息$/;

/**
 * Longer than this, a 系统消息 body is not one of the notices below (the longest, an invitation of
 * many people, stays far shorter); the lazy-group regexes are quadratic, so they never see more.
 */
const NOTICE_MAX = 2000;
const isEndMark = (c: number): boolean => c === 0x3002 /* 。 */ || c === 0x2e || c === 0xff01 /* ！ */ || c === 0x21;

/** Classifies the body of a 系统消息 record. */
export function classifyNotice(body: string): Notice {
  let t = body.trim();
  if (t.length > NOTICE_MAX) return { kind: 'other', actor: null, subjects: [] };
  let end = t.length;
  while (end > 0 && isEndMark(t.charCodeAt(end - 1))) end--;
  t = t.slice(0, end);
  let m: RegExpExecArray | null;
  if ((m = RECALL_RE.exec(t))) return { kind: 'recall', actor: actorOf(m[1]), subjects: [] };
  if (t.includes('修改了群名称')) return { kind: 'title', actor: actorOf(t.slice(0, t.indexOf('修改了群名称'))), subjects: [] };
  if (t.includes('成为新群主')) return { kind: 'other', actor: null, subjects: [] };
  if (t.includes('精华')) return { kind: 'pin', actor: null, subjects: [] };
  if (t.includes('戳一戳') || t.includes('拍了拍')) return { kind: 'poke', actor: null, subjects: [] };
  if ((m = INVITE_RE.exec(t))) return { kind: 'invite', actor: who(m[1]!), subjects: people(m[2]!) };
  if ((m = REMOVED_BY_RE.exec(t))) return { kind: 'remove', actor: actorOf(m[2]), subjects: [who(m[1]!)] };
  if ((m = MOVE_OUT_RE.exec(t))) return { kind: 'remove', actor: actorOf(m[1]), subjects: [who(m[2]!)] };
  if ((m = LEAVE_RE.exec(t))) return { kind: 'leave', actor: null, subjects: [who(m[1]!)] };
  if ((m = JOIN_RE.exec(t))) return { kind: 'join', actor: null, subjects: [who(m[1]!)] };
  return { kind: 'other', actor: null, subjects: [] };
}

/** Client notices under an empty sender: only the window shake has a kind of its own. */
export const clientNoticeKind = (body: string): EventKind => (body.includes('窗口抖动') ? 'poke' : 'other');

const PLACEHOLDER_KIND = new Map<string, MessageKind>(PLACEHOLDERS);
const BRACKET_ONLY_RE = /^(?:\s*\[[^[\]\s]{1,12}\])+\s*$/;
const BRACKET_RE = /\[[^[\]\s]{1,12}\]/g;
const URL_RE = /https?:\/\/[^\s]+/g;
/** Text besides the URL that still counts as "just a link" (a short caption such as 看这个). */
const LINK_SLACK = 16;

export function messageKind(text: string): MessageKind {
  const t = text.trim();
  if (t === '') return 'other';
  const exact = PLACEHOLDER_KIND.get(t);
  if (exact !== undefined) return exact;
  if (t.charCodeAt(0) === 91 /* [ */ && BRACKET_ONLY_RE.test(t)) {
    // Only bracket tokens: named faces are stickers; media placeholders win over faces.
    for (const tok of t.match(BRACKET_RE) ?? []) {
      const k = PLACEHOLDER_KIND.get(tok);
      if (k !== undefined && k !== 'sticker') return k;
    }
    return 'sticker';
  }
  if (t.includes('http')) {
    const rest = t.replace(URL_RE, '').replace(/\s+/g, '');
    if (rest.length !== t.replace(/\s+/g, '').length && rest.length <= LINK_SLACK) return 'link';
  }
  return 'text';
}

/** `@昵称` up to whitespace; an @ glued to ASCII letters/digits is an e-mail address, not a mention. */
const MENTION_RE = /(?<![A-Za-z0-9._%+-])@([^\s@]+)/g;
export function mentionsOf(text: string): string[] {
  if (!text.includes('@')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(MENTION_RE)) out.push(m[1]!);
  return out;
}

/** Sniff helper: traits only QQ writes (unpadded hour, 12-hour marker, `(QQ号)`/`<e-mail>` ids). */
const QQ_TIME_RE = /^\d{4}-\d{1,2}-\d{1,2} (?:上午|下午|\d:|\d{1,2}:\d{2}:\d{2} [AaPp][Mm](?: |$))/;
const QQ_ID_RE = /(?:\(\d{5,}\)|<[^<>\s]+@[^<>\s]+>)\s*$/;
export const hasQqTrait = (line: string, h: Header): boolean => QQ_TIME_RE.test(line) || QQ_ID_RE.test(h.sender);
