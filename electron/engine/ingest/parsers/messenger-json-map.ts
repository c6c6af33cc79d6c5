/**
 * Maps one Facebook Messenger / Instagram `message_N.json` message object to a record
 * (FORMATS.md §8), repairs Meta's mojibake, and collects the clues that tell Instagram from
 * Messenger.
 */
import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { wallFromUtcMs } from '../time.js';
import type { EventRecord, MessageRecord, PersonRef, RejectRecord } from '../types.js';

type Json = Record<string, unknown>;

const RAW_MAX = 2000;
const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Meta writes every string as its UTF-8 bytes, one latin-1 code point per byte ("😆" arrives as
 * "\u00f0\u009f\u0098\u0086"). A string is repaired only when all its characters are ≤ U+00FF
 * and the bytes they stand for are valid UTF-8; anything else (already correct text, a real "é"
 * alone) is kept as it is.
 */
export function repairMojibake(s: string): string {
  let high = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return s;
    if (c > 0x7f) high = true;
  }
  if (!high) return s;
  try {
    return strict.decode(Buffer.from(s, 'latin1'));
  } catch {
    return s;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? repairMojibake(v) : null);
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

/**
 * Clues for the platform of the file. Instagram and Messenger exports share one schema, and the
 * fields that look specific (`is_geoblocked_for_viewer`, `joinable_mode`, `magic_words`,
 * `thread_path: inbox/…`) occur in both. What differs: Instagram's newer exports keep media under
 * `your_instagram_activity/`, Facebook's under `your_facebook_activity/`, and Instagram post/profile
 * shares carry `original_content_owner` / `profile_share_username`.
 */
export interface Clues {
  instagram: number;
  facebook: number;
}

function uriClues(v: unknown, clues: Clues): void {
  const list = Array.isArray(v) ? v : [v];
  for (const x of list) {
    if (!isObj(x) || typeof x.uri !== 'string') continue;
    if (x.uri.startsWith('your_instagram_activity/')) clues.instagram++;
    else if (x.uri.startsWith('your_facebook_activity/')) clues.facebook++;
  }
}

const MEDIA: readonly (readonly [string, MessageKind])[] = [
  ['photos', 'image'],
  ['videos', 'video'],
  ['audio_files', 'voice'],
  ['files', 'file'],
  ['gifs', 'image'],
];

const URL_ONLY = /^(?:https?:\/\/|www\.)\S+$/i;
/** Instagram writes reactions of old clients as messages of their own. */
const REACTION_NOTICE = /^(?:Liked a message|Reacted .{1,20} to your message ?)$/;

export type MetaRecord = MessageRecord | EventRecord | RejectRecord;

/** `group` is filled in by the caller once the conversation is known. */
export function mapMessage(v: unknown, line: number, group: string, clues: Clues): MetaRecord {
  if (!isObj(v)) return reject(line, 'message element is not a JSON object', v);
  const ms = v.timestamp_ms;
  // Years 1970…2200: anything else is a broken value, not a date Meta wrote.
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 7_258_118_400_000) {
    return reject(line, 'no valid "timestamp_ms"', v);
  }
  const senderName = str(v.sender_name)?.trim() ?? '';
  if (senderName === '') return reject(line, 'no "sender_name"', v);
  const sender: PersonRef = { id: null, name: senderName };
  // Meta exports carry no zone: the wall clock is given in UTC.
  const time = wallFromUtcMs(ms, 0);
  const utcMs = ms;
  const content = str(v.content);

  for (const [field] of MEDIA) if (v[field] !== undefined) uriClues(v[field], clues);
  if (v.sticker !== undefined) uriClues(v.sticker, clues);
  const share = isObj(v.share) ? v.share : null;
  if (share && (share.original_content_owner !== undefined || share.profile_share_username !== undefined)) clues.instagram++;

  const event = (kind: EventKind, actor: PersonRef | null, subjects: PersonRef[]): EventRecord => ({
    type: 'event', group, line, time, utcMs, kind, actor, subjects, text: content ?? '',
  });
  if (v.is_unsent === true) return event('recall', sender, []);
  const type = v.type;
  if (type === 'Call' || v.call_duration !== undefined) return event('call', sender, []);
  if (type === 'Subscribe' || type === 'Unsubscribe') {
    const users = usersOf(v.users);
    const self = users.length === 0 || (users.length === 1 && users[0]!.name === senderName);
    if (type === 'Subscribe') return self ? event('join', null, [sender]) : event('invite', sender, users);
    return self || users.some((u) => u.name === senderName) ? event('leave', null, [sender]) : event('remove', sender, users);
  }
  if (content !== null && REACTION_NOTICE.test(content)) return event('other', sender, []);

  let kind: MessageKind | null = null;
  for (const [field, k] of MEDIA) {
    if (nonEmpty(v[field])) {
      kind = k;
      break;
    }
  }
  if (kind === null && v.sticker !== undefined && v.sticker !== null) kind = 'sticker';
  const link = share && typeof share.link === 'string' ? repairMojibake(share.link) : null;
  if (kind === null && link) kind = 'link';
  if (kind === null && content !== null) kind = URL_ONLY.test(content.trim()) ? 'link' : 'text';
  const rec: MessageRecord = {
    type: 'message',
    group,
    line,
    externalId: null,
    sender,
    time,
    utcMs,
    kind: kind ?? 'other',
    text: content ?? link ?? '',
    replyTo: null,
    quote: null,
    mentions: [],
  };
  const reactions = reactionsOf(v.reactions);
  if (reactions.length) rec.reactions = reactions;
  return rec;
}

function usersOf(v: unknown): PersonRef[] {
  if (!Array.isArray(v)) return [];
  const out: PersonRef[] = [];
  for (const u of v) {
    const name = isObj(u) ? str(u.name)?.trim() : null;
    if (name) out.push({ id: null, name });
  }
  return out;
}

/** `[{reaction, actor}]` → one entry per emoji, counting its actors. */
function reactionsOf(v: unknown): { emoji: string; count: number }[] {
  if (!Array.isArray(v)) return [];
  const counts = new Map<string, number>();
  for (const r of v) {
    const emoji = isObj(r) ? str(r.reaction) : null;
    if (emoji) counts.set(emoji, (counts.get(emoji) ?? 0) + 1);
  }
  return [...counts].map(([emoji, count]) => ({ emoji, count }));
}

export function reject(line: number, reason: string, m: unknown): RejectRecord {
  let raw: string;
  try {
    raw = JSON.stringify(m) ?? String(m);
  } catch {
    raw = String(m);
  }
  return { type: 'reject', line, reason, raw: raw.slice(0, RAW_MAX) };
}

/** Whether a message element has the Meta shape (for telling a foreign `messages` array). */
export const isMetaShaped = (v: unknown): boolean => isObj(v) && 'sender_name' in v && 'timestamp_ms' in v;

/** Content-only confidence that `head` begins a Messenger/Instagram `message_N.json`. */
export function sniffMeta(head: string): number {
  let i = 0;
  while (i < head.length && (head[i] === ' ' || head[i] === '\n' || head[i] === '\r' || head[i] === '\t')) i++;
  if (head[i] !== '{') return 0;
  if (!/"messages"\s*:\s*\[/.test(head)) return 0;
  if (!/"sender_name"\s*:/.test(head) || !/"timestamp_ms"\s*:/.test(head)) return 0;
  return /"participants"\s*:\s*\[/.test(head) ? 0.95 : 0.9;
}
