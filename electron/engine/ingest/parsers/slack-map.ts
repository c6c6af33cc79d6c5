/**
 * Slack workspace export (FORMATS.md §6): people from users.json, Slack's text markup, and one
 * message object of a `<channel>/<YYYY-MM-DD>.json` day file → a record.
 */
import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { wallFromUtcMs } from '../time.js';
import type { EventRecord, MessageRecord, PersonRef, RejectRecord } from '../types.js';

type Json = Record<string, unknown>;
export type SlackRecord = MessageRecord | EventRecord | RejectRecord;

const RAW_MAX = 2000;
/** File ids remembered per conversation for legacy file comments (bounded: very old, very busy channels). */
const FILES_MAX = 100_000;
const ONLY_URL = /^(?:https?:\/\/|www\.)\S+$/i;
const TS = /^(\d{1,12})(?:\.(\d{1,9}))?$/;
const BROADCAST = new Set(['here', 'channel', 'everyone', 'group']);
/** Hidden bookkeeping copies of other messages (an edit, a new thread reply): nothing of their own. */
const SKIPPED = new Set(['message_changed', 'message_replied']);

/** Housekeeping subtypes: notices, never messages. */
const EVENT_SUBTYPES: Record<string, EventKind> = {
  channel_join: 'join',
  group_join: 'join',
  channel_leave: 'leave',
  group_leave: 'leave',
  channel_name: 'title',
  group_name: 'title',
  channel_topic: 'other',
  group_topic: 'other',
  channel_purpose: 'other',
  group_purpose: 'other',
  channel_archive: 'other',
  channel_unarchive: 'other',
  group_archive: 'other',
  group_unarchive: 'other',
  channel_convert_to_private: 'other',
  channel_convert_to_public: 'other',
  channel_posting_permissions: 'other',
  bot_add: 'other',
  bot_remove: 'other',
  bot_enable: 'other',
  bot_disable: 'other',
  pinned_item: 'pin',
  unpinned_item: 'other',
  reminder_add: 'other',
  message_deleted: 'recall',
  tombstone: 'recall',
  huddle_thread: 'call',
  sh_room_created: 'call',
};

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const obj = (v: unknown): Json | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null);

/**
 * A person from a users.json entry or a message's `user_profile`: shown name = display name,
 * else real name, else the account name; the other names become aliases.
 */
export function personOf(id: string, o: Json, bot = false): PersonRef {
  const p = obj(o.profile) ?? o;
  const names: string[] = [];
  for (const n of [str(p.display_name), str(p.real_name), str(o.real_name), str(o.name)]) {
    if (n !== '' && !names.includes(n)) names.push(n);
  }
  const ref: PersonRef = { id, name: names[0] ?? id };
  if (names.length > 1) ref.aliases = names.slice(1);
  if (bot || o.is_bot === true) ref.bot = true;
  return ref;
}

/** What the export teaches about names while it is read. */
export class SlackNames {
  readonly users = new Map<string, PersonRef>();
  /** Conversation id → name, for `<#C…>` links without a label. */
  readonly channels = new Map<string, string>();
  /** Bot id → name (from bot_message `username`/`bot_profile`, or the label of its bot_add link). */
  readonly bots = new Map<string, string>();
  /** File id → ts of the message that shared it, in the conversation being read. */
  readonly files = new Map<string, string>();

  user(id: string): PersonRef {
    return this.users.get(id) ?? { id, name: id };
  }

  rememberFile(id: string, ts: string): void {
    if (this.files.size >= FILES_MAX) this.files.clear();
    this.files.set(id, ts);
  }
}

/** `&amp; &lt; &gt;` — the only entities Slack writes. */
export function unescapeSlack(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : '>'));
}

/**
 * Decodes Slack markup: `<@U1>`/`<@U1|name>` → '@name' (the id goes into mentions),
 * `<#C1|general>` → '#general', `<!here>` → '@here', `<url|label>` → 'label (url)', `<url>` → url.
 * Literal '<' and '>' are always escaped by Slack, so every '<' opens markup.
 */
export function decodeSlack(s: string, names: SlackNames): { text: string; mentions: string[] } {
  const mentions: string[] = [];
  if (s.indexOf('<') < 0) return { text: unescapeSlack(s), mentions };
  let out = '';
  let i = 0;
  for (;;) {
    const lt = s.indexOf('<', i);
    const gt = lt < 0 ? -1 : s.indexOf('>', lt + 1);
    if (gt < 0) break;
    out += unescapeSlack(s.slice(i, lt)) + token(s.slice(lt + 1, gt), names, mentions);
    i = gt + 1;
  }
  return { text: out + unescapeSlack(s.slice(i)), mentions };
}

function token(inner: string, names: SlackNames, mentions: string[]): string {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : unescapeSlack(inner.slice(bar + 1)).trim();
  const rest = target.slice(1);
  switch (target[0]) {
    case '@':
      mentions.push(rest);
      return '@' + (label.replace(/^@/, '') || names.user(rest).name);
    case '#':
      return '#' + (label.replace(/^#/, '') || names.channels.get(rest) || rest);
    case '!':
      if (BROADCAST.has(rest)) return '@' + rest;
      return label || rest;
    default: {
      const url = unescapeSlack(target);
      if (label === '' || label === url || label === url.replace(/^(?:mailto|tel):/, '')) return label || url;
      return `${label} (${url})`;
    }
  }
}

/** `"1454884927.000002"` → epoch ms (the fraction is Slack's per-channel sequence; its ms part kept). */
export function tsToMs(ts: string): number | null {
  const m = TS.exec(ts);
  if (!m) return null;
  return Number(m[1]) * 1000 + Number(((m[2] ?? '') + '000').slice(0, 3));
}

function tsOf(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function reject(file: string, line: number, reason: string, value: unknown): RejectRecord {
  let raw: string;
  try {
    raw = JSON.stringify(value) ?? String(value);
  } catch {
    raw = String(value);
  }
  return { type: 'reject', file, line, reason, raw: raw.length > RAW_MAX ? raw.slice(0, RAW_MAX) : raw };
}

function kindOfMime(mime: string): MessageKind {
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'voice';
  return 'file';
}

function reactionsOf(v: unknown): { emoji: string; count: number }[] {
  if (!Array.isArray(v)) return [];
  const out: { emoji: string; count: number }[] = [];
  for (const r of v) {
    const o = obj(r);
    const name = o ? str(o.name) : '';
    if (!o || name === '') continue;
    const count = typeof o.count === 'number' ? o.count : Array.isArray(o.users) ? o.users.length : 1;
    out.push({ emoji: name, count });
  }
  return out;
}

/** Text of attachments, for bot posts whose `text` is empty (e.g. GitHub commit notices). */
function attachmentText(v: unknown, names: SlackNames): { text: string; mentions: string[] } {
  const texts: string[] = [];
  const mentions: string[] = [];
  if (Array.isArray(v)) {
    for (const a of v) {
      const o = obj(a);
      if (!o) continue;
      const raw = str(o.fallback) || [str(o.pretext), str(o.title), str(o.text)].filter((x) => x !== '').join('\n');
      if (raw === '') continue;
      const d = decodeSlack(raw, names);
      texts.push(d.text);
      mentions.push(...d.mentions);
    }
  }
  return { text: texts.join('\n'), mentions };
}

function botSender(o: Json, names: SlackNames): PersonRef {
  const id = str(o.bot_id) || null;
  const profile = obj(o.bot_profile);
  let name = str(o.username) || (profile ? str(profile.name) : '');
  if (name !== '' && id) names.bots.set(id, name);
  if (name === '') name = (id && names.bots.get(id)) || id || 'bot';
  return { id, name, bot: true };
}

/** One element of a day file → a record (null: a hidden copy, skipped). `line` is its 1-based index in the file. */
export function mapSlack(v: unknown, group: string, file: string, line: number, names: SlackNames): SlackRecord | null {
  const o = obj(v);
  if (!o) return reject(file, line, 'message element is not a JSON object', v);
  if (o.hidden === true && typeof o.subtype === 'string' && SKIPPED.has(o.subtype)) return null;
  const ts = tsOf(o.ts);
  const ms = ts === null ? null : tsToMs(ts);
  if (ts === null || ms === null) return reject(file, line, 'message without a valid "ts"', v);
  // Slack writes no zone anywhere in the export (day files are bucketed in an undocumented zone),
  // so the instant is shown as UTC wall time.
  const time = wallFromUtcMs(ms);
  const subtype = str(o.subtype);
  const userId = str(o.user);

  const ev = EVENT_SUBTYPES[subtype];
  if (ev) {
    const d = decodeSlack(typeof o.text === 'string' ? o.text : '', names);
    const user = userId !== '' && userId !== 'USLACKBOT' ? withProfile(userId, o, names) : null;
    let kind = ev;
    let actor: PersonRef | null = user;
    const subjects: PersonRef[] = [];
    if (ev === 'join' || ev === 'leave') {
      if (user) subjects.push(user);
      const inviter = str(o.inviter);
      // A join with an inviter is someone adding the member (EventKind 'invite').
      actor = ev === 'join' && inviter !== '' && inviter !== userId ? names.user(inviter) : null;
      if (actor) kind = 'invite';
    } else if (subtype.startsWith('bot_') && str(o.bot_id) !== '') {
      const botId = str(o.bot_id);
      const label = /\|([^>]+)>/.exec(typeof o.text === 'string' ? o.text : '')?.[1]?.trim();
      if (label && !names.bots.has(botId)) names.bots.set(botId, unescapeSlack(label));
      subjects.push({ id: botId, name: names.bots.get(botId) ?? botId, bot: true });
    }
    return { type: 'event', group, line, time, utcMs: ms, kind, actor, subjects, text: d.text.trim() || subtype };
  }

  let sender: PersonRef;
  const comment = subtype === 'file_comment' ? obj(o.comment) : null;
  if (subtype === 'bot_message') sender = botSender(o, names);
  else if (comment && str(comment.user) !== '') sender = withProfile(str(comment.user), o, names);
  else if (userId !== '') sender = withProfile(userId, o, names);
  else if (str(o.bot_id) !== '' || str(o.username) !== '') sender = botSender(o, names);
  else return reject(file, line, 'message without "user"', v);

  // A legacy file comment (pre-2018 exports): the comment is what the member wrote, and it
  // answers the message that shared the file.
  const raw = comment && typeof comment.comment === 'string' ? comment.comment : typeof o.text === 'string' ? o.text : '';
  let { text, mentions } = decodeSlack(raw, names);
  if (text.trim() === '' && o.attachments !== undefined) ({ text, mentions } = attachmentText(o.attachments, names));

  const files = Array.isArray(o.files) ? o.files.map(obj) : obj(o.file) ? [obj(o.file)] : [];
  const first = files.find((f) => f !== null) ?? null;
  let kind: MessageKind;
  let replyTo: string | null = null;
  if (comment || subtype === 'file_mention') {
    kind = 'text';
    const fid = first ? str(first.id) : '';
    replyTo = (fid && names.files.get(fid)) || null;
  } else if (first) {
    kind = kindOfMime(str(first.mimetype));
    for (const f of files) if (f && str(f.id) !== '') names.rememberFile(str(f.id), ts);
    if (text.trim() === '') text = str(first.title) || str(first.name);
  } else {
    kind = ONLY_URL.test(text.trim()) ? 'link' : 'text';
  }
  // Slack's own wording of shares and comments names the sender ("<@U1> uploaded a file"): not a mention.
  if (first && sender.id) mentions = mentions.filter((m) => m !== sender.id);

  const threadTs = tsOf(o.thread_ts);
  if (threadTs !== null && threadTs !== ts) replyTo = threadTs;
  const r: MessageRecord = {
    type: 'message', group, line, externalId: ts, sender, time, utcMs: ms, kind, text, replyTo, quote: null,
    mentions: [...new Set(mentions)],
  };
  const reactions = reactionsOf(o.reactions);
  if (reactions.length > 0) r.reactions = reactions;
  return r;
}

/** The user as users.json names them, or as the message's own `user_profile` (names at the time) does. */
function withProfile(id: string, o: Json, names: SlackNames): PersonRef {
  const known = names.user(id);
  const profile = obj(o.user_profile);
  let p = known;
  if (profile) {
    p = personOf(id, profile, known.bot === true);
    // users.json's names (as of the export) are other names of the same member.
    const aliases = [...(p.aliases ?? [])];
    for (const n of names.users.has(id) ? [known.name, ...(known.aliases ?? [])] : []) {
      if (n !== p.name && !aliases.includes(n)) aliases.push(n);
    }
    if (aliases.length > 0) p.aliases = aliases;
  }
  if (!p.bot && o.subtype !== 'bot_message' && obj(o.bot_profile) && str(o.bot_id) !== '') return { ...p, bot: true };
  return p;
}
