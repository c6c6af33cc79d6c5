/** Maps one Telegram Desktop result.json message object to a record (FORMATS.md §4). */
import type { ChatType, EventKind, MessageKind } from '../../../../shared/model.js';
import { wallFromUtcMs, wallTime } from '../time.js';
import type { EventRecord, MessageRecord, PersonRef, RejectRecord } from '../types.js';

type Json = Record<string, unknown>;

const DELETED = 'Deleted Account';
const RAW_MAX = 2000;

const CHAT_TYPES: Record<string, ChatType> = {
  private_group: 'group',
  private_supergroup: 'group',
  public_supergroup: 'group',
  personal_chat: 'private',
  bot_chat: 'private',
  saved_messages: 'private',
  private_channel: 'channel',
  public_channel: 'channel',
};

export function chatTypeOf(type: unknown): ChatType {
  if (typeof type !== 'string') return 'unknown';
  return CHAT_TYPES[type] ?? (type.endsWith('_channel') ? 'channel' : 'unknown');
}

/** Display name of a chat; Telegram writes none for Saved Messages and null for deleted peers. */
export function chatNameOf(name: unknown, type: unknown, key: string): string {
  if (typeof name === 'string' && name.trim()) return name.trim();
  if (type === 'saved_messages') return 'Saved Messages';
  if (type === 'personal_chat' || type === 'bot_chat') return DELETED;
  return key;
}

const MEDIA_KINDS: Record<string, MessageKind> = {
  sticker: 'sticker',
  voice_message: 'voice',
  audio_file: 'voice',
  video_message: 'video',
  video_file: 'video',
  animation: 'video',
};

const OTHER_MEDIA = ['poll', 'location_information', 'contact_information', 'place_name', 'game_title', 'invoice_information', 'todo_list', 'giveaway_information', 'dice'];

const ONLY_URL = /^(?:https?:\/\/|www\.)\S+$/i;
const DATE_SUFFIX = /^(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?$/;

export type TelegramRecord = MessageRecord | EventRecord | RejectRecord;

export function mapRecord(m: unknown, group: string, line: number): TelegramRecord {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    return reject(line, 'message element is not a JSON object', m);
  }
  const o = m as Json;
  const kind = o.type;
  if (kind !== 'message' && kind !== 'service') {
    return reject(line, `unknown record type ${JSON.stringify(kind ?? null)}`, m);
  }
  const when = timeOf(o);
  if (typeof when === 'string') return reject(line, when, m);
  if (kind === 'message') return mapMessage(o, group, line, when.time, when.utcMs);
  return mapService(o, group, line, when.time, when.utcMs);
}

/** True when `m` looks like a Telegram message at all (used to tell foreign JSON apart). */
export function isTelegramShaped(m: unknown): boolean {
  const t = typeof m === 'object' && m !== null ? (m as Json).type : undefined;
  return t === 'message' || t === 'service';
}

/** Instants wallTime() accepts (years 1800–2200); anything else is a damaged field, not a date. */
const MIN_MS = Date.UTC(1800, 0, 1);
const MAX_MS = Date.UTC(2201, 0, 1) - 1000;
const instant = (ms: number): number | null => (ms >= MIN_MS && ms <= MAX_MS ? ms : null);

function timeOf(o: Json): { time: string; utcMs: number | null } | string {
  let utcMs: number | null = null;
  const unix = o.date_unixtime;
  const hasUnix = (typeof unix === 'string' && unix !== '') || typeof unix === 'number';
  if (hasUnix) utcMs = instant(Number(unix) * 1000);
  const date = o.date;
  if (typeof date === 'string') {
    const time = wallOfDate(date);
    if (time === null) return `unreadable date ${JSON.stringify(date)}`;
    // Telegram writes the exporting machine's local time without a zone; a zone (generated
    // samples) makes the date an instant too. Whole seconds, so time and utcMs stay consistent.
    // An offset Date.parse cannot read (+99:99) leaves the wall clock without an instant.
    if (utcMs === null && date.length > 19 && /[Z+-]/.test(date.slice(19))) {
      utcMs = instant(Math.floor(Date.parse(date) / 1000) * 1000);
    }
    return { time, utcMs };
  }
  // Edited samples carry only date_unixtime: the wall clock of the exporting machine is unknown,
  // so the UTC wall clock stands in for it.
  if (utcMs !== null) return { time: wallFromUtcMs(utcMs), utcMs };
  if (hasUnix) return `date_unixtime ${JSON.stringify(unix)} is not a time between 1800 and 2200`;
  return 'no date or date_unixtime';
}

/** `YYYY-MM-DDTHH:MM:SS[.fff][Z|±hh:mm]` → wall clock as written; null when malformed or out of range. */
function wallOfDate(s: string): string | null {
  if (s.length < 19 || s[4] !== '-' || s[7] !== '-' || (s[10] !== 'T' && s[10] !== ' ') || s[13] !== ':' || s[16] !== ':') {
    return null;
  }
  if (s.length > 19 && !DATE_SUFFIX.test(s.slice(19))) return null;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if ((y | mo | d | h | mi | sec) < 0) return null;
  return wallTime(y, mo, d, h, mi, sec);
}

/** Decimal value of s[at, at+n), or -1 when a character is not a digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let k = at; k < at + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function person(id: unknown, name: unknown): PersonRef {
  return {
    id: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
    name: typeof name === 'string' && name.trim() ? name.trim() : DELETED,
  };
}

/** Concatenates a `text` that is a string or an array of strings and {type,text} pieces. */
export function textOf(t: unknown): string {
  if (typeof t === 'string') return t;
  if (!Array.isArray(t)) return '';
  let s = '';
  for (const p of t) {
    if (typeof p === 'string') s += p;
    else if (p !== null && typeof p === 'object' && typeof (p as Json).text === 'string') s += (p as Json).text as string;
  }
  return s;
}

function mapMessage(o: Json, group: string, line: number, time: string, utcMs: number | null): MessageRecord {
  const text = textOf(o.text);
  const mentions: string[] = [];
  let hasLink = false;
  const ents = Array.isArray(o.text_entities) ? o.text_entities : Array.isArray(o.text) ? o.text : null;
  if (ents) {
    for (const e of ents as unknown[]) {
      if (e === null || typeof e !== 'object') continue;
      const { type, text: et } = e as Json;
      if (type === 'mention') {
        if (typeof et === 'string') mentions.push(et.startsWith('@') ? et.slice(1) : et);
      } else if (type === 'mention_name') {
        const uid = (e as Json).user_id;
        if (typeof uid === 'string' || typeof uid === 'number') mentions.push(`user${uid}`);
        else if (typeof et === 'string') mentions.push(et);
      } else if (type === 'link' || type === 'text_link') hasLink = true;
    }
  }
  const reply = o.reply_to_message_id;
  return {
    type: 'message',
    group,
    line,
    externalId: idOf(o.id),
    sender: person(o.from_id, o.from),
    time,
    utcMs,
    kind: kindOf(o, text, hasLink),
    text,
    replyTo: typeof reply === 'string' || typeof reply === 'number' ? String(reply) : null,
    quote: null,
    mentions,
  };
}

function kindOf(o: Json, text: string, hasLink: boolean): MessageKind {
  if (o.photo !== undefined) return 'image';
  const media = o.media_type;
  if (typeof media === 'string') return MEDIA_KINDS[media] ?? (o.file !== undefined ? 'file' : 'other');
  if (o.file !== undefined) return 'file';
  // Telegram writes polls, locations, contacts … without a caption: skip the lookups otherwise.
  if (text === '') for (const f of OTHER_MEDIA) if (o[f] !== undefined) return 'other';
  if (hasLink || ONLY_URL.test(text.trim())) return 'link';
  return 'text';
}

const EVENT_KINDS: Record<string, EventKind> = {
  create_group: 'create',
  create_channel: 'create',
  migrate_to_supergroup: 'create',
  migrate_from_group: 'create',
  edit_group_title: 'title',
  pin_message: 'pin',
  phone_call: 'call',
  group_call: 'call',
};

function mapService(o: Json, group: string, line: number, time: string, utcMs: number | null): EventRecord {
  const action = typeof o.action === 'string' ? o.action : 'unknown';
  const actor = o.actor !== undefined || o.actor_id !== undefined ? person(o.actor_id, o.actor) : null;
  const names = Array.isArray(o.members)
    ? (o.members as unknown[]).map((n) => (typeof n === 'string' && n.trim() ? n.trim() : DELETED))
    : [];
  const members = names.map((name): PersonRef => ({ id: null, name }));
  const self = actor !== null && names.length === 1 && names[0] === actor.name;
  let kind: EventKind;
  let subjects: PersonRef[] = members;
  switch (action) {
    case 'invite_members':
      kind = self ? 'join' : 'invite';
      break;
    case 'remove_members':
      kind = self ? 'leave' : 'remove';
      break;
    case 'join_group_by_link':
    case 'join_group_by_request':
      kind = 'join';
      subjects = actor ? [actor] : [];
      break;
    default:
      kind = EVENT_KINDS[action] ?? 'other';
  }
  if (self && (kind === 'join' || kind === 'leave')) subjects = [actor];

  const parts = [actor?.name ?? '', action];
  if (names.length) parts.push(names.join(', '));
  if (typeof o.title === 'string') parts.push(`"${o.title}"`);
  if (typeof o.duration_seconds === 'number') parts.push(`${o.duration_seconds}s`);
  if (o.message_id !== undefined) parts.push(`#${String(o.message_id)}`);
  return { type: 'event', group, line, time, utcMs, kind, actor, subjects, text: parts.join(' ').trim() };
}

function idOf(id: unknown): string | null {
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
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

const CHAT_MARKERS =
  /"type"\s*:\s*"(?:message|service|personal_chat|bot_chat|private_group|private_supergroup|public_supergroup|private_channel|public_channel|saved_messages)"|"date_unixtime"\s*:|"from_id"\s*:\s*"(?:user|channel)|"text_entities"\s*:|"actor_id"\s*:/;

/** Content-only confidence that `head` is the beginning of a Telegram result.json. */
export function sniffTelegram(head: string): number {
  let i = 0;
  while (i < head.length && (head[i] === ' ' || head[i] === '\n' || head[i] === '\r' || head[i] === '\t')) i++;
  if (head[i] !== '{') return 0;
  // DiscordChatExporter JSON also has a top-level messages array.
  if (/"guild"\s*:|"author"\s*:\s*\{/.test(head)) return 0;
  if (/"personal_information"\s*:\s*\{/.test(head)) return 0.95;
  if (!/"(?:messages|chats)"\s*:/.test(head)) return 0;
  if (CHAT_MARKERS.test(head)) return 0.95;
  if (/"date"\s*:\s*"\d{4}-\d\d-\d\dT/.test(head) && /"from"\s*:/.test(head)) return 0.5;
  return 0.05;
}
