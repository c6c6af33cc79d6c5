/**
 * What DiscordChatExporter's JSON and CSV share (FORMATS.md §5): timestamps, authors, attachment
 * kinds, reactions, and the system-message types that become events.
 */
import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { to24h, wallTime } from '../time.js';
import type { PersonRef, RejectRecord } from '../types.js';

/** Records are yielded in batches of about this many. */
export const BATCH = 2000;
const RAW_MAX = 2000;

/** Discord's own name for an account that no longer exists; used when the export names nobody. */
export const DELETED_USER = 'Deleted User';

export const reject = (line: number, reason: string, raw: string): RejectRecord => ({
  type: 'reject',
  line,
  reason,
  raw: raw.length > RAW_MAX ? raw.slice(0, RAW_MAX) : raw,
});

export interface When {
  time: string;
  utcMs: number | null;
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

/**
 * `YYYY-MM-DDTHH:MM:SS[.f…][Z|±HH:MM]` (DCE's JSON timestamps and CSV round-trip dates, whose
 * fraction has 3 or 7 digits). `time` is the wall clock in the written offset, whole seconds;
 * `utcMs` the instant (to the millisecond), or null when no zone is written.
 */
export function isoTime(s: string): When | null {
  if (s.length < 19 || s[4] !== '-' || s[7] !== '-' || (s[10] !== 'T' && s[10] !== ' ') || s[13] !== ':' || s[16] !== ':') {
    return null;
  }
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if ((y | mo | d | h | mi | sec) < 0) return null;
  const time = wallTime(y, mo, d, h, mi, sec);
  if (time === null) return null;
  let i = 19;
  let ms = 0;
  if (s[i] === '.') {
    const start = ++i;
    let scale = 100;
    for (let c = s.charCodeAt(i) - 48; c >= 0 && c <= 9; c = s.charCodeAt(++i) - 48) {
      ms += c * scale; // digits past the millisecond add 0
      scale = scale >= 10 ? scale / 10 : 0;
    }
    if (i === start) return null;
  }
  if (i === s.length) return { time, utcMs: null };
  let offset = 0;
  if (s[i] === 'Z' && i + 1 === s.length) offset = 0;
  else {
    const sign = s[i] === '+' ? 1 : s[i] === '-' ? -1 : 0;
    const rest = s.slice(i + 1);
    const m = rest.length === 5 && rest[2] === ':' ? [digits(rest, 0, 2), digits(rest, 3, 2)] : rest.length === 4 ? [digits(rest, 0, 2), digits(rest, 2, 2)] : null;
    if (sign === 0 || m === null || m[0]! < 0 || m[1]! < 0 || m[0]! > 14 || m[1]! > 59) return null;
    offset = sign * (m[0]! * 60 + m[1]!);
  }
  return { time, utcMs: Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset * 60_000 };
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const LEGACY = /^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AaPp])\.?[Mm]\.?)?$/;

/** Older DCE's default `dd-MMM-yy hh:mm tt` (e.g. `01-Jan-20 01:33 AM`): local time, no instant. */
export function legacyTime(s: string): When | null {
  const m = LEGACY.exec(s.trim());
  if (!m) return null;
  const mo = MONTHS[m[2]!.toLowerCase()];
  if (mo === undefined) return null;
  const y = m[3]!.length === 2 ? 2000 + +m[3]! : +m[3]!;
  let h = +m[4]!;
  if (m[7] !== undefined) {
    if (h < 1 || h > 12) return null;
    h = to24h(h, m[7] === 'P' || m[7] === 'p');
  }
  const time = wallTime(y, mo, +m[1]!, h, +m[5]!, m[6] === undefined ? 0 : +m[6]);
  return time === null ? null : { time, utcMs: null };
}

/**
 * A Discord account as a PersonRef: the per-server display name (nickname) when there is one,
 * the account name beside it as an alias, and `name#1234` for accounts from before Discord
 * dropped discriminators (`0000` / `0` mean none).
 */
export function discordPerson(id: string | null, name: string, nickname: string, discriminator: string, bot: boolean): PersonRef {
  const account = name.trim();
  const display = nickname.trim() || account || DELETED_USER;
  const aliases: string[] = [];
  if (account !== '' && account !== display) aliases.push(account);
  if (account !== '' && discriminator !== '' && !/^0+$/.test(discriminator)) aliases.push(`${account}#${discriminator}`);
  const p: PersonRef = { id, name: display };
  if (aliases.length > 0) p.aliases = aliases;
  if (bot) p.bot = true;
  return p;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * Author objects repeat on every message: the PersonRef built for an id is reused while the
 * fields it came from stay the same, so a 10M-message file does not build 10M of them.
 */
export class People {
  private readonly byId = new Map<string, { sig: string; ref: PersonRef }>();

  /** PersonRef of a DCE JSON user object (`author`, `mentions[]`); null when it is not one. */
  fromJson(u: unknown): PersonRef | null {
    if (typeof u !== 'object' || u === null) return null;
    const o = u as Record<string, unknown>;
    const id = str(o.id).trim();
    const name = str(o.name);
    const nickname = str(o.nickname);
    const disc = str(o.discriminator).trim();
    const bot = o.isBot === true;
    if (id === '' && name.trim() === '' && nickname.trim() === '') return null;
    return this.get(id, name, nickname, disc, bot);
  }

  /** PersonRef of a CSV row: `AuthorID` and `Author` (`name` or legacy `name#1234`). */
  fromCsv(authorId: string, author: string): PersonRef {
    const full = author.trim();
    const hash = full.lastIndexOf('#');
    const tail = hash > 0 ? full.slice(hash + 1) : '';
    const legacy = tail.length >= 1 && tail.length <= 4 && digits(tail, 0, tail.length) >= 0;
    return this.get(authorId.trim(), legacy ? full.slice(0, hash) : full, '', legacy ? tail : '', false);
  }

  private get(id: string, name: string, nickname: string, disc: string, bot: boolean): PersonRef {
    const sig = `${name}\u0001${nickname}\u0001${disc}\u0001${bot ? 1 : 0}`;
    if (id !== '') {
      const hit = this.byId.get(id);
      if (hit && hit.sig === sig) return hit.ref;
    }
    const ref = discordPerson(id || null, name, nickname, disc, bot);
    if (id !== '' && this.byId.size < 200_000) this.byId.set(id, { sig, ref });
    return ref;
  }
}

const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'avif', 'heic', 'heif', 'tif', 'tiff', 'svg']);
const VIDEO = new Set(['mp4', 'mov', 'webm', 'mkv', 'avi', 'm4v', 'wmv', 'flv', '3gp']);
const AUDIO = new Set(['ogg', 'oga', 'opus', 'mp3', 'm4a', 'wav', 'flac', 'aac', 'wma']);

/** Kind of an attachment from its content type when given, else its file name or URL's extension. */
export function attachmentKind(nameOrUrl: string, contentType = ''): MessageKind {
  const ct = contentType.toLowerCase();
  if (ct.startsWith('image/')) return 'image';
  if (ct.startsWith('video/')) return 'video';
  if (ct.startsWith('audio/')) return 'voice';
  let end = nameOrUrl.length;
  const q = nameOrUrl.indexOf('?');
  if (q >= 0) end = q;
  const f = nameOrUrl.indexOf('#');
  if (f >= 0 && f < end) end = f;
  const path = nameOrUrl.slice(0, end);
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return 'file';
  const ext = path.slice(dot + 1).toLowerCase();
  return IMAGE.has(ext) ? 'image' : VIDEO.has(ext) ? 'video' : AUDIO.has(ext) ? 'voice' : 'file';
}

const ONLY_URL = /^(?:https?:\/\/|www\.)\S+$/i;

/**
 * Kind of a message: its (first) attachment decides, as a captioned photo is an image in the
 * other parsers (telegram-json-map.ts); then a sticker; then content that is only a URL.
 */
export function messageKind(content: string, firstAttachment: MessageKind | null, hasSticker: boolean): MessageKind {
  if (firstAttachment !== null) return firstAttachment;
  if (hasSticker) return 'sticker';
  const t = content.trim();
  if (t.length > 0 && t.length < 4096 && ONLY_URL.test(t)) return 'link';
  return 'text';
}

/** DCE message `type` → event kind, for system messages (MessageKind 1–18 in DCE's source). */
export const SYSTEM_EVENTS: Readonly<Record<string, EventKind>> = {
  RecipientAdd: 'invite',
  RecipientRemove: 'remove',
  Call: 'call',
  ChannelNameChange: 'title',
  ChannelIconChange: 'other',
  ChannelPinnedMessage: 'pin',
  GuildMemberJoin: 'join',
  ThreadCreated: 'other',
};

/**
 * Types that are messages members send. DCE names only Default and Reply; Discord's later types
 * come out as their number, and slash / context-menu command replies (20, 23) are ordinary
 * messages from a bot, not notices.
 */
const MESSAGE_TYPES = new Set(['', 'Default', 'Reply', '0', '19', 'ChatInputCommand', '20', 'ContextMenuCommand', '23']);

export const isMessageType = (type: string): boolean => MESSAGE_TYPES.has(type);

/** `👍 (2),❤️ (1)` (CSV Reactions) → reactions; pieces that do not read are skipped. */
export function parseReactions(s: string): { emoji: string; count: number }[] {
  const out: { emoji: string; count: number }[] = [];
  let at = 0;
  while (at < s.length) {
    // Each piece ends with ` (N)` followed by ',' or the end; emoji names hold no ')'.
    const close = s.indexOf(')', at);
    if (close < 0) break;
    const open = s.lastIndexOf(' (', close);
    if (open >= at) {
      const n = s.slice(open + 2, close);
      const emoji = s.slice(at, open).trim();
      if (emoji !== '' && n !== '' && digits(n, 0, n.length) >= 0) out.push({ emoji, count: +n });
    }
    const comma = s.indexOf(',', close);
    if (comma < 0) break;
    at = comma + 1;
  }
  return out;
}
