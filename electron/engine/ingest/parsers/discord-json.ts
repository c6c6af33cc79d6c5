/**
 * DiscordChatExporter JSON (FORMATS.md §5): one channel per file,
 * `{"guild":{…},"channel":{…},"dateRange":{…},"exportedAt":…,"messages":[…],"messageCount":N}`.
 * Exports of busy servers run to GBs, so the bytes go through JsonScanner, which cuts out each
 * message element and JSON.parses it alone; only guild and channel fields are kept besides.
 */
import type { ChatType, EventKind } from '../../../../shared/model.js';
import { JsonScanner, type PathKey, type ScanEvent } from '../json-scan.js';
import { batches } from './batches.js';
import { scanJsonExport } from './json-export.js';
import {
  FormatError,
  type EventRecord,
  type GroupRecord,
  type MessageRecord,
  type ParsedRecord,
  type Parser,
  type ParserInput,
  type PersonRef,
  type RejectRecord,
} from '../types.js';
import {
  People,
  SYSTEM_EVENTS,
  attachmentKind,
  isMessageType,
  isoTime,
  messageKind,
  reject,
  type When,
} from './discord-common.js';

type Json = Record<string, unknown>;

const isMessages = (p: readonly PathKey[]): boolean => p.length === 1 && p[0] === 'messages';
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export const discordJsonParser: Parser = {
  format: 'discord-json',
  platform: 'discord',
  sniff: ({ head }) => sniffDiscordJson(head),
  parse,
};

const FIRST_KEY_GUILD = /^\s*\{\s*"guild"\s*:\s*\{/;
const CHANNEL = /"channel"\s*:\s*\{/;
const MESSAGES = /"messages"\s*:\s*\[/;
const DCE_MESSAGE = /"author"\s*:\s*\{|"timestamp"\s*:\s*"\d{4}-/;

/** DCE writes `guild` first, then `channel`, then `messages`; the three together are its signature. */
export function sniffDiscordJson(head: string): number {
  const first = FIRST_KEY_GUILD.test(head);
  if (!first && !/"guild"\s*:\s*\{/.test(head)) return 0;
  if (!CHANNEL.test(head) || !MESSAGES.test(head)) return 0;
  if (first) return 0.98;
  // Keys reordered by a re-serialiser: still DCE when its message shape shows.
  return DCE_MESSAGE.test(head) ? 0.9 : 0.3;
}

const DIRECT: Readonly<Record<string, ChatType>> = { DirectTextChat: 'private', DirectGroupTextChat: 'group' };

/** The conversation: key and externalId = channel id; guild channels are named `Guild / #channel`. */
function groupOf(guild: Json, channel: Json): GroupRecord {
  const id = str(channel.id).trim();
  const type = str(channel.type);
  const cname = str(channel.name).trim();
  const gname = str(guild.name).trim();
  // DMs sit in DCE's pseudo-guild 0 "Direct Messages"; types unknown to us are judged by that.
  const direct = type in DIRECT || (type === '' && str(guild.id) === '0');
  const chatType: ChatType = DIRECT[type] ?? (direct ? 'unknown' : type === 'GuildNews' ? 'channel' : 'group');
  const name = direct || gname === '' ? cname : cname === '' ? gname : `${gname} / #${cname}`;
  return { type: 'group', key: id || 'discord', platform: 'discord', externalId: id || null, name, chatType };
}

async function* parse(input: ParserInput): AsyncGenerator<ParsedRecord[], void, undefined> {
  const file = input.fileName;
  const scanner = new JsonScanner({ capture: isMessages, maxEventDepth: 2 });
  const people = new People();
  const out: ParsedRecord[] = [];
  const guild: Json = {};
  let channel: Json | null = null;
  let group: GroupRecord | null = null;
  let index = 0; // 1-based index of message elements: the records' `line`

  const handle = (e: ScanEvent): void => {
    const p = e.path;
    switch (e.kind) {
      case 'item':
      case 'bad-item': {
        index++;
        if (group === null) return; // unreachable: the array's open event declared it
        out.push(
          e.kind === 'bad-item'
            ? reject(index, `invalid JSON at byte ${e.offset}: ${e.error}`, e.raw)
            : mapMessage(e.value, group.key, index, people),
        );
        return;
      }
      case 'scalar':
        if (p.length === 2 && p[0] === 'guild') guild[p[1] as string] = e.value;
        else if (p.length === 2 && p[0] === 'channel' && channel) channel[p[1] as string] = e.value;
        return;
      case 'open':
        if (p.length === 1 && p[0] === 'channel' && !e.array) channel = {};
        else if (isMessages(p)) {
          if (!e.array) throw new FormatError(file, e.line, 'not a DiscordChatExporter export: "messages" is not an array', e.offset);
          // DCE writes guild and channel before the messages; without them this is another JSON.
          if (channel === null || group !== null) {
            throw new FormatError(file, e.line, 'not a DiscordChatExporter export: no "channel" object before "messages"', e.offset);
          }
          group = groupOf(guild, channel);
          out.push(group);
        }
        return;
      case 'close':
        return;
    }
  };

  // A file cut short keeps what was read before the cut.
  yield* scanJsonExport(input, scanner, out, {
    what: 'a DiscordChatExporter export',
    onEvent: handle,
    onTruncated: (err) => {
      if (group === null) return false;
      out.push(reject(index + 1, `file truncated at byte ${err.offset}`, err.partial));
      return true;
    },
  });
  if (group === null) throw new FormatError(file, null, 'not a DiscordChatExporter export: no "messages" array', 0);
  yield* batches(out);
}

function rawOf(m: unknown): string {
  try {
    return JSON.stringify(m) ?? String(m);
  } catch {
    return String(m);
  }
}

/** One DCE message object → message, event (system types) or reject. */
export function mapMessage(m: unknown, group: string, line: number, people: People): MessageRecord | EventRecord | RejectRecord {
  if (!isObj(m)) return reject(line, 'message element is not a JSON object', rawOf(m));
  const ts = m.timestamp;
  const when = typeof ts === 'string' ? isoTime(ts.trim()) : null;
  if (when === null) return reject(line, `unreadable timestamp ${JSON.stringify(ts ?? null)}`, rawOf(m));
  const author = people.fromJson(m.author);
  if (author === null) return reject(line, 'no author', rawOf(m));
  const type = str(m.type);
  const content = str(m.content);
  if (isMessageType(type)) return message(m, group, line, when, author, content);
  return event(m, group, line, when, author, SYSTEM_EVENTS[type] ?? 'other', content, people);
}

function persons(list: unknown, people: People): PersonRef[] {
  if (!Array.isArray(list) || list.length === 0) return [];
  const out: PersonRef[] = [];
  for (const u of list) {
    const p = people.fromJson(u);
    if (p) out.push(p);
  }
  return out;
}

function message(m: Json, group: string, line: number, when: When, sender: PersonRef, content: string): MessageRecord {
  let text = content;
  let attachments = m.attachments;
  let stickers = m.stickers;
  // A forward carries the original in `forwardedMessage`; the forwarder's own content is empty.
  const fwd = m.forwardedMessage;
  if (text === '' && isObj(fwd)) {
    text = str(fwd.content);
    if (!Array.isArray(attachments) || attachments.length === 0) attachments = fwd.attachments;
    if (!Array.isArray(stickers) || stickers.length === 0) stickers = fwd.stickers;
  }
  let first: ReturnType<typeof attachmentKind> | null = null;
  if (Array.isArray(attachments) && attachments.length > 0) {
    const a: unknown = attachments[0];
    const o = isObj(a) ? a : {};
    first = attachmentKind(str(o.fileName) || str(o.url), str(o.contentType));
  }
  const hasSticker = Array.isArray(stickers) && stickers.length > 0;
  const ref = m.reference;
  const isForward = isObj(ref) && str(ref.type) === 'Forward';
  const replyTo = isObj(ref) && !isForward ? str(ref.messageId) || null : null;
  const mentions: string[] = [];
  if (Array.isArray(m.mentions)) {
    for (const u of m.mentions) {
      const id = isObj(u) ? str(u.id) : '';
      if (id !== '') mentions.push(id);
    }
  }
  const r: MessageRecord = {
    type: 'message',
    group,
    line,
    externalId: str(m.id) || null,
    sender,
    time: when.time,
    utcMs: when.utcMs,
    kind: messageKind(text, first, hasSticker),
    text,
    replyTo,
    quote: null,
    mentions,
  };
  const reactions = reactionsOf(m.reactions);
  if (reactions.length > 0) r.reactions = reactions;
  return r;
}

function reactionsOf(list: unknown): { emoji: string; count: number }[] {
  if (!Array.isArray(list) || list.length === 0) return [];
  const out: { emoji: string; count: number }[] = [];
  for (const x of list) {
    if (!isObj(x)) continue;
    const e = x.emoji;
    const emoji = (isObj(e) ? str(e.name) : str(e)).trim();
    const count = typeof x.count === 'number' ? x.count : Number(str(x.count));
    if (emoji !== '' && Number.isFinite(count) && count > 0) out.push({ emoji, count });
  }
  return out;
}

function event(m: Json, group: string, line: number, when: When, author: PersonRef, mapped: EventKind, content: string, people: People): EventRecord {
  let kind = mapped;
  let actor: PersonRef | null = author;
  let subjects: PersonRef[] = [];
  switch (kind) {
    case 'invite':
      subjects = persons(m.mentions, people);
      break;
    case 'remove': {
      subjects = persons(m.mentions, people);
      // DCE writes "Left the group." when the removed recipient is the author.
      const self = subjects.length === 1 ? subjects[0]!.id === author.id : subjects.length === 0 && content.trim() === 'Left the group.';
      if (self) {
        kind = 'leave';
        actor = null;
        subjects = [author];
      }
      break;
    }
    case 'join':
      actor = null;
      subjects = [author];
      break;
  }
  return { type: 'event', group, line, time: when.time, utcMs: when.utcMs, kind, actor, subjects, text: content };
}
