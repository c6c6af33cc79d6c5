/**
 * Facebook Messenger / Instagram "Download your information" JSON (`message_1.json`, FORMATS.md §8):
 * `{participants, messages (newest first), title, is_still_participant, thread_path, …}`. One file
 * is one conversation (long ones are split into message_1.json, message_2.json … sharing
 * `thread_path`, which becomes the group's external id so the parts merge).
 *
 * The fields that name the conversation (`title`, `thread_path`) come AFTER the messages array, and
 * the platform is judged from clues inside the messages (messenger-json-map.ts `Clues`), so records
 * are held until the root object closes. Meta splits threads into files of at most 10,000 messages;
 * past HOLD_MAX held records (a hand-made file) the group is declared from what is known so far and
 * the rest streams.
 *
 * Platform rule: 'instagram' when the file shows an Instagram clue and no Facebook one (media under
 * `your_instagram_activity/`, Instagram post/profile share fields), else 'messenger'. Older
 * Instagram files without such clues (e.g. chat-miner's sample) are therefore filed as Messenger.
 */
import type { ChatType, Platform } from '../../../../shared/model.js';
import { JsonScanner, type PathKey, type ScanEvent } from '../json-scan.js';
import { batches } from './batches.js';
import { scanJsonExport } from './json-export.js';
import { FormatError, type GroupRecord, type ParsedRecord, type Parser, type ParserInput } from '../types.js';
import { isMetaShaped, mapMessage, repairMojibake, sniffMeta, type Clues, type MetaRecord } from './messenger-json-map.js';

const HOLD_MAX = 20_000;
/** The first FOREIGN_PROBE elements without sender_name/timestamp_ms mean another JSON's `messages`. */
const FOREIGN_PROBE = 20;

const isCaptured = (p: readonly PathKey[]): boolean => p.length === 1 && (p[0] === 'messages' || p[0] === 'participants');

export const messengerJsonParser: Parser = {
  format: 'messenger-json',
  platform: 'messenger',
  sniff: (input) => sniffMeta(input.head),
  parse,
};

async function* parse(input: ParserInput): AsyncGenerator<ParsedRecord[], void, undefined> {
  const file = input.fileName;
  const scanner = new JsonScanner({ capture: isCaptured, maxEventDepth: 1 });
  const out: ParsedRecord[] = [];
  let held: MetaRecord[] | null = [];
  let group: GroupRecord | null = null;
  let sawMessages = false;
  let index = 0;
  let good = 0;
  const fields: Record<string, unknown> = {};
  const participants: string[] = [];
  const senders = new Set<string>();
  const clues: Clues = { instagram: 0, facebook: 0 };

  const declare = (): void => {
    const path = typeof fields.thread_path === 'string' && fields.thread_path !== '' ? repairMojibake(fields.thread_path) : null;
    const title = typeof fields.title === 'string' ? repairMojibake(fields.title).trim() : '';
    const platform: Platform = clues.instagram > 0 && clues.facebook === 0 ? 'instagram' : 'messenger';
    group = { type: 'group', key: path ?? title, platform, externalId: path, name: title, chatType: chatTypeOf() };
    out.push(group);
    for (const r of held!) {
      if (r.type !== 'reject') r.group = group.key;
      out.push(r);
    }
    held = null;
  };

  const chatTypeOf = (): ChatType => {
    if (fields.thread_type === 'RegularGroup') return 'group';
    if (fields.thread_type === 'Regular') return 'private';
    if (participants.length > 2) return 'group';
    if (participants.length > 0) return 'private';
    return senders.size > 2 ? 'group' : 'private';
  };

  const add = (r: MetaRecord): void => {
    if (!held) {
      out.push(r);
      return;
    }
    if (r.type === 'message') senders.add(r.sender.name);
    held.push(r);
    if (held.length >= HOLD_MAX) declare();
  };

  const handle = (e: ScanEvent): void => {
    const p = e.path;
    switch (e.kind) {
      case 'item':
      case 'bad-item':
        if (p[0] === 'participants') {
          const name = e.kind === 'item' && typeof e.value === 'object' && e.value !== null ? (e.value as Record<string, unknown>).name : null;
          if (typeof name === 'string') participants.push(repairMojibake(name).trim());
          return;
        }
        index++;
        if (e.kind === 'bad-item') {
          add({ type: 'reject', line: index, reason: `invalid JSON at byte ${e.offset}: ${e.error}`, raw: e.raw });
        } else {
          if (isMetaShaped(e.value)) good++;
          add(mapMessage(e.value, index, group?.key ?? '', clues));
        }
        if (index === FOREIGN_PROBE && good === 0) foreign(e.line, e.offset);
        return;
      case 'scalar':
        if (p.length === 1) fields[p[0] as string] = e.value;
        return;
      case 'open':
        if (p.length === 1 && p[0] === 'messages') {
          if (!e.array) throw new FormatError(file, e.line, 'not a Messenger/Instagram export: "messages" is not an array', e.offset);
          sawMessages = true;
        }
        return;
      case 'close':
        return;
    }
  };

  const foreign = (line: number | null, offset: number | null): never => {
    throw new FormatError(file, line, 'not a Messenger/Instagram export: the messages have no "sender_name" / "timestamp_ms"', offset);
  };

  // A file cut short keeps what was read before the cut.
  yield* scanJsonExport(input, scanner, out, {
    what: 'a Messenger/Instagram export',
    onEvent: handle,
    onTruncated: (err) => {
      if (index === 0) return false;
      add({ type: 'reject', line: index + 1, reason: `file truncated at byte ${err.offset}`, raw: err.partial });
      return true;
    },
  });
  if (!sawMessages) throw new FormatError(file, null, 'not a Messenger/Instagram export: no top-level "messages" array', 0);
  if (index > 0 && good === 0) foreign(null, null);
  if (held) declare();
  yield* batches(out);
}
