/**
 * Maps one QQ Chat Exporter (shuakami/qq-chat-exporter, "QCE") message object to a record. Shared
 * by the single-file JSON parser and the chunked-JSONL bundle parser (docs/FORMATS-QCE.md).
 *
 * Two message shapes exist: the CleanMessage of V4.x-V5 and later (`id`, `timestamp` ms, `time`,
 * `sender{uid,uin,name,nickname,groupCard,remark}`, `type`, `content{text,elements,resources,
 * mentions}`, `recalled`, `system`) and early-V4 ParsedMessage dumps (`messageId`, ISO
 * `timestamp`, `messageType`, `isSystemMessage`, `isRecalled`, `content{reply,emojis,card…}`,
 * `rawMessage{sendNickName,sendMemberName…}`). Both are read by the same code.
 */
import type { ChatType, EventKind, MessageKind } from '../../../../shared/model.js';
import { wallFromUtcMs, wallTime, wallToMs } from '../time.js';
import type { EventRecord, GroupRecord, MessageRecord, PersonRef, RejectRecord } from '../types.js';
import { readNotice } from './qce-notice.js';

type Json = Record<string, unknown>;

export interface QceChat {
  group: GroupRecord;
  /** The account that exported (chatInfo.selfUin/selfName): notices call it 你. */
  self: PersonRef | null;
}

export type QceRecord = MessageRecord | EventRecord | RejectRecord;

const RAW_MAX = 2000;
/** QQ users and QCE's own `time` strings keep Beijing time (UTC+8). */
const CHINA_OFFSET_MIN = 480;
const NO_ID = new Set(['', '0', '未知', 'unknown']);
const NO_NAME = new Set(['', '未知用户', '未知', 'unknown']);
const VAGUE_QUOTE = new Set(['', '原消息', '引用消息']);
const ONLY_URL = /^(?:https?:\/\/|www\.)\S+$/i;
const LOCAL_TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2}):(\d{1,2}):(\d{1,2})$/;
const ZONED = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)$/;

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
const idStr = (v: unknown): string => {
  const s = str(v);
  return NO_ID.has(s) ? '' : s;
};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const CHAT_TYPES: Record<string, ChatType> = { group: 'group', private: 'private', friend: 'private', c2c: 'private', temp: 'private' };

/** The conversation a QCE `chatInfo` describes. */
export function chatOf(info: unknown): QceChat {
  const c = isObj(info) ? info : {};
  const name = str(c.name);
  const chatType = CHAT_TYPES[str(c.type).toLowerCase()] ?? 'unknown';
  // QCE itself writes no chat id; QCE-compatible exporters (qq_export) add id/uin/uid. For a group
  // the peerUid is the group number too.
  let externalId: string | null = null;
  for (const k of ['groupCode', 'groupId', 'id', 'uin', 'peerUin', 'peerUid', 'uid']) {
    const v = idStr(c[k]);
    if (v) {
      externalId = v;
      break;
    }
  }
  const selfId = idStr(c.selfUin) || idStr(c.selfUid);
  const selfName = str(c.selfName);
  return {
    group: { type: 'group', key: externalId ?? (name || 'qce-chat'), platform: 'qq', externalId, name, chatType },
    self: selfName || selfId ? { id: selfId || null, name: selfName || selfId } : null,
  };
}

/** True when `m` looks like a QCE message at all (tells foreign JSON apart). */
export function isQceShaped(m: unknown): boolean {
  return isObj(m) && isObj(m.sender) && isObj(m.content);
}

export function mapQceMessage(m: unknown, chat: QceChat, line: number): QceRecord {
  if (!isObj(m)) return reject(line, 'message is not a JSON object', m);
  const when = timeOf(m);
  if (typeof when === 'string') return reject(line, when, m);
  const content = isObj(m.content) ? m.content : {};
  const system = m.system === true || m.isSystemMessage === true || m.type === 'system';
  const recalled = m.recalled === true || m.isRecalled === true;
  const sender = isObj(m.sender) ? personOf(m.sender, isObj(m.rawMessage) ? m.rawMessage : null) : null;
  const elements = arr(content.elements).filter(isObj);
  if (system || recalled) return noticeEvent(m, content, elements, chat, line, when, sender, system);
  if (!sender) return reject(line, 'message has no sender', m);
  if (elements.some((e) => e.type === 'av_record')) {
    const text = str(content.text);
    return { type: 'event', group: chat.group.key, line, ...when, kind: 'call', actor: sender, subjects: [], text };
  }

  const reply = replyOf(elements, content);
  let text = typeof content.text === 'string' ? content.text : '';
  if (reply) text = stripReplyPrefix(text, reply.data);
  text = text.trim();
  return {
    type: 'message',
    group: chat.group.key,
    line,
    externalId: idStr(m.id) || idStr(m.messageId) || null,
    sender,
    time: when.time,
    utcMs: when.utcMs,
    kind: m.type === 'error' ? 'other' : kindOf(m, content, elements, text),
    text,
    replyTo: reply?.to ?? null,
    quote: reply?.quote ?? null,
    mentions: mentionsOf(content, elements),
  };
}

// ---------------------------------------------------------------------------------------------
// Time

/** Epoch ms of `timestamp` (ms or s, number or string, or an ISO instant); null when unreadable. */
function instantOf(ts: unknown): number | null {
  let n: number;
  if (typeof ts === 'number') n = ts;
  else if (typeof ts === 'string') {
    const s = ts.trim();
    if (ZONED.test(s)) return Date.parse(s.replace(' ', 'T'));
    n = s !== '' && /^\d+(?:\.\d+)?$/.test(s) ? Number(s) : NaN;
  } else return null;
  if (!Number.isFinite(n) || n <= 0) return null;
  // 1e11 s is the year 5138 and 1e11 ms is 1973: QQ did not exist then.
  return Math.round(n < 1e11 ? n * 1000 : n);
}

/** `time` as QCE writes it (the exporting machine's local clock, zh-CN `YYYY-MM-DD HH:MM:SS`). */
function localWall(time: unknown): string | null {
  if (typeof time !== 'string') return null;
  const t = LOCAL_TIME.exec(time.trim());
  if (!t) return null;
  return wallTime(+t[1]!, +t[2]!, +t[3]!, +t[4]!, +t[5]!, +t[6]!);
}

function timeOf(m: Json): { time: string; utcMs: number } | string {
  if (m.timestamp === undefined || m.timestamp === null || m.timestamp === '') return 'message has no timestamp';
  const ms = instantOf(m.timestamp);
  if (ms === null || Number.isNaN(ms)) return `unreadable timestamp ${JSON.stringify(m.timestamp)}`;
  const written = localWall(m.time);
  if (written !== null) {
    // The written clock must sit a real UTC offset away from the instant (whole quarter hours,
    // -12 h … +14 h); otherwise it was edited or mangled and the instant wins.
    const d = wallToMs(written) - Math.floor(ms / 1000) * 1000;
    if (d >= -12 * 3_600_000 && d <= 14 * 3_600_000 && d % 900_000 === 0) return { time: written, utcMs: ms };
  }
  return { time: wallFromUtcMs(ms, CHINA_OFFSET_MIN), utcMs: ms };
}

// ---------------------------------------------------------------------------------------------
// People

/** Sender: id = QQ number (uin) else uid; name = group card, else the shown name, nickname, remark. */
function personOf(s: Json, raw: Json | null): PersonRef {
  const uin = idStr(s.uin) || idStr(raw?.senderUin);
  const uid = idStr(s.uid) || idStr(raw?.senderUid);
  const names: string[] = [];
  const card = str(s.groupCard) || str(raw?.sendMemberName);
  const nick = str(s.nickname) || str(raw?.sendNickName);
  const remark = str(s.remark) || str(raw?.sendRemarkName);
  for (const n of [card, str(s.name), nick, remark]) {
    // QCE falls back to the QQ number or uid as `name` when it knows no name.
    if (!NO_NAME.has(n) && n !== uin && n !== uid && !names.includes(n)) names.push(n);
  }
  const id = uin || uid || null;
  const name = names[0] ?? (id ?? '未知用户');
  return names.length > 1 ? { id, name, aliases: names.slice(1) } : { id, name };
}

const named = (name: string, chat: QceChat, sender: PersonRef | null): PersonRef => {
  if (name === '你' && chat.self) return chat.self;
  if (sender && (sender.name === name || sender.aliases?.includes(name))) return sender;
  return { id: null, name };
};

// ---------------------------------------------------------------------------------------------
// Notices (gray tips), recalls

function noticeEvent(
  m: Json, content: Json, elements: Json[], chat: QceChat, line: number,
  when: { time: string; utcMs: number }, sender: PersonRef | null, system: boolean,
): EventRecord {
  const tip = elements.find((e) => e.type === 'system');
  const data = tip && isObj(tip.data) ? tip.data : {};
  const text = str(data.text) || str(data.summary) || str(content.text);
  const base = { type: 'event' as const, group: chat.group.key, line, ...when, text };
  // A message body kept after it was recalled (recalled but not a gray tip): its author recalled it.
  if (!system) return { ...base, kind: 'recall', actor: sender, subjects: sender ? [sender] : [] };

  const notice = readNotice(text);
  const revoke = isObj(data.originalData) && isObj(data.originalData.revokeElement) ? data.originalData.revokeElement : null;
  let kind: EventKind = notice.kind;
  let actorName = notice.actor;
  let subjectNames = notice.subjects;
  if (revoke) {
    kind = 'recall';
    actorName = str(revoke.operatorName) || actorName;
    const orig = str(revoke.origMsgSenderName);
    if (orig) subjectNames = [orig];
  }
  const actor = actorName ? named(actorName, chat, sender) : null;
  let subjects = subjectNames.map((n) => named(n, chat, sender));
  // A revoke tip keeps the recalled message's author as its sender.
  if (kind === 'recall' && subjects.length === 0 && sender?.id) subjects = [sender];
  return { ...base, kind, actor: kind === 'recall' && !actor && subjects.length ? subjects[0]! : actor, subjects };
}

// ---------------------------------------------------------------------------------------------
// Replies and mentions

interface Reply {
  to: string | null;
  quote: MessageRecord['quote'];
  data: Json;
}

function replyOf(elements: Json[], content: Json): Reply | null {
  const el = elements.find((e) => e.type === 'reply');
  const d = el && isObj(el.data) ? el.data : isObj(content.reply) ? content.reply : null;
  if (!d) return null;
  const to = idStr(d.referencedMessageId) || idStr(d.messageId) || null;
  const text = str(d.content);
  const qid = idStr(d.senderUin);
  let name = str(d.senderName);
  // The MessageParser path puts the uid (u_…) or the QQ number where the name belongs.
  if (name.startsWith('u_') || name === qid) name = '';
  const quote = VAGUE_QUOTE.has(text) ? null : qid ? { id: qid, name, text } : { name, text };
  return { to, quote, data: d };
}

/** Removes the quote QCE writes in front of the reply text (`[回复 name: quoted]\n`, `[回复消息]`). */
function stripReplyPrefix(text: string, d: Json): string {
  for (const who of new Set([typeof d.senderName === 'string' ? d.senderName : '', 'undefined'])) {
    const p = `[回复 ${who}: ${typeof d.content === 'string' ? d.content : ''}]`;
    if (text.startsWith(p)) return text.slice(p.length);
  }
  return text.startsWith('[回复消息]') ? text.slice(6) : text;
}

function mentionsOf(content: Json, elements: Json[]): string[] {
  const src = Array.isArray(content.mentions)
    ? content.mentions
    : elements.filter((e) => e.type === 'at').map((e) => e.data);
  const out: string[] = [];
  for (const x of src) {
    if (!isObj(x)) continue;
    // Names: @-mentions resolve to members through the names they had (metrics/network).
    let n = str(x.name);
    if (n.startsWith('@')) n = n.slice(1).trim();
    if (!n) n = idStr(x.uin) || idStr(x.uid);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kinds

const TYPE_KINDS: Record<string, MessageKind | 'card'> = {
  type_8: 'file', file: 'file', type_6: 'voice', audio: 'voice', type_9: 'video', video: 'video',
  type_7: 'card', json: 'card', type_11: 'other', forward: 'other', type_17: 'other', location: 'other',
};
/** NTMsgType of early-V4 `messageType`. */
const NT_KINDS: Record<number, MessageKind | 'card'> = { 3: 'file', 4: 'card', 6: 'voice', 7: 'video', 8: 'other', 11: 'card' };

const hasUrl = (d: unknown): boolean => {
  if (!isObj(d)) return false;
  for (const k of ['url', 'jumpUrl', 'qqdocurl']) if (str(d[k]).startsWith('http')) return true;
  return typeof d.content === 'string' && (d.content.includes('"http') || d.content.includes('jumpUrl'));
};

function kindOf(m: Json, content: Json, elements: Json[], text: string): MessageKind {
  let voice = false, video = false, file = false, image = false, sticker = false, card = false, link = false, other = false;
  const faces: string[] = [];
  const media = (t: string, d: unknown): void => {
    switch (t) {
      case 'image': case 'pic': case 'picture':
        if (isObj(d) && d.subType === 'sticker') sticker = true;
        else image = true;
        break;
      case 'audio': case 'voice': case 'ptt': case 'record': voice = true; break;
      case 'video': video = true; break;
      case 'file': file = true; break;
    }
  };
  for (const e of elements) {
    const t = str(e.type).toLowerCase();
    const d = e.data;
    switch (t) {
      case 'face': case 'emoji':
        if (isObj(d)) faces.push(`[${str(d.name)}]`, `[表情${str(d.id)}]`, str(d.name).startsWith('[') ? str(d.name) : '');
        break;
      case 'market_face': case 'marketface': case 'mface': case 'face_bubble': case 'giphy': case 'sticker':
        sticker = true;
        break;
      case 'json': case 'ark': case 'card': case 'xml': case 'share': case 'music':
        card = true;
        if (hasUrl(d)) link = true;
        break;
      case 'forward': case 'multiforward': case 'node': case 'location': case 'contact': case 'long_message': case 'calendar':
        other = true;
        break;
      default:
        media(t, d);
    }
  }
  // Early-V4 dumps have no elements: their resources, emojis and card say what was sent. Where
  // elements exist they are the whole story (a sticker image is a resource too, typed 'image').
  if (elements.length === 0) {
    for (const r of arr(content.resources)) if (isObj(r)) media(str(r.type).toLowerCase(), r);
    for (const e of arr(content.emojis)) {
      if (!isObj(e)) continue;
      if (e.type === 'market' || e.type === 'custom') sticker = true;
      else faces.push(`[${str(e.name)}]`, `[表情${str(e.id)}]`);
    }
    if (isObj(content.card)) {
      card = true;
      if (hasUrl(content.card)) link = true;
    }
    if (isObj(content.multiForward) || isObj(content.location)) other = true;
  }

  if (voice) return 'voice';
  if (video) return 'video';
  if (file) return 'file';
  if (image) return 'image';
  if (sticker) return 'sticker';
  if (card) return link || ONLY_URL.test(text) ? 'link' : 'other';
  if (other) return 'other';
  if (faces.length && !hasRealText(text, faces)) return 'sticker';
  const byType = TYPE_KINDS[str(m.type)] ?? (typeof m.messageType === 'number' ? NT_KINDS[m.messageType] : undefined);
  if (byType === 'card') return text.includes('http') ? 'link' : 'other';
  if (byType) return byType;
  if (ONLY_URL.test(text)) return 'link';
  return text ? 'text' : 'other';
}

/** Whether anything but the faces' placeholders is left of the text. */
function hasRealText(text: string, faces: string[]): boolean {
  let t = text;
  // Longest first, so "[[微笑]]" goes before "[微笑]" leaves a bracket pair behind.
  for (const f of [...faces].sort((a, b) => b.length - a.length)) if (f && f !== '[]') t = t.split(f).join('');
  return t.replace(/[\s[\]]/g, '') !== '';
}

function reject(line: number, reason: string, m: unknown): RejectRecord {
  let raw: string;
  try {
    raw = JSON.stringify(m) ?? String(m);
  } catch {
    raw = String(m);
  }
  return { type: 'reject', line, reason, raw: raw.slice(0, RAW_MAX) };
}
