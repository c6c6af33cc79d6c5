/**
 * Telegram Desktop `result.json` (FORMATS.md §4): a single chat `{"name","type","id","messages":[…]}`
 * or a full account export whose chats sit in `chats.list` / `left_chats.list`, each with its own
 * `messages`. Files reach several GB, so the bytes are streamed through JsonScanner, which cuts out
 * each message element and JSON.parses it on its own; nothing else of the file is kept.
 */
import { JsonScanner, type PathKey, type ScanEvent } from '../json-scan.js';
import { batches } from './batches.js';
import { scanJsonExport } from './json-export.js';
import { FormatError, type GroupRecord, type ParsedRecord, type Parser, type ParserInput } from '../types.js';
import { chatNameOf, chatTypeOf, isTelegramShaped, mapRecord, sniffTelegram } from './telegram-json-map.js';

/**
 * When the first FOREIGN_PROBE message elements (or all of them, if at least FOREIGN_MIN) have no
 * Telegram `type`, the file is some other JSON with a `messages` array (e.g. DiscordChatExporter).
 */
const FOREIGN_PROBE = 20;
const FOREIGN_MIN = 3;
const CHAT_FIELDS = new Set(['name', 'type', 'id']);

/** `messages` of the root chat, or of a chat in chats.list / left_chats.list. */
function isMessages(p: readonly PathKey[]): boolean {
  if (p.length === 1) return p[0] === 'messages';
  return p.length === 4 && p[3] === 'messages' && isListChat(p);
}

/** [chats|left_chats, 'list', i, …] */
function isListChat(p: readonly PathKey[]): boolean {
  return (p[0] === 'chats' || p[0] === 'left_chats') && p[1] === 'list' && typeof p[2] === 'number';
}

interface Chat {
  fields: Record<string, unknown>;
  group: GroupRecord | null;
}

export const telegramJsonParser: Parser = {
  format: 'telegram-json',
  platform: 'telegram',
  sniff: (input) => sniffTelegram(input.head),
  parse,
};

async function* parse(input: ParserInput): AsyncGenerator<ParsedRecord[], void, undefined> {
  const file = input.fileName;
  const scanner = new JsonScanner({ capture: isMessages, maxEventDepth: 4 });
  const out: ParsedRecord[] = [];
  let exportShape = false; // saw `messages` at the root or a chats / left_chats list
  const root: Chat = { fields: {}, group: null };
  let listChat: Chat | null = null;
  let current: Chat | null = null; // the chat whose messages array is open
  let chatNo = 0;
  const keys = new Set<string>();
  let index = 0; // 1-based index of message elements over the whole file: the records' `line`
  let good = 0;
  let foreign = 0;

  const openGroup = (chat: Chat): GroupRecord => {
    if (chat.group) return chat.group;
    chatNo++;
    const { name, type, id } = chat.fields;
    const externalId = typeof id === 'number' || typeof id === 'string' ? String(id) : null;
    let key = externalId ?? `chat-${chatNo}`;
    if (keys.has(key)) key = `${key}#${chatNo}`;
    keys.add(key);
    const g: GroupRecord = {
      type: 'group',
      key,
      platform: 'telegram',
      externalId,
      name: chatNameOf(name, type, key),
      chatType: chatTypeOf(type),
    };
    chat.group = g;
    out.push(g);
    return g;
  };

  const handle = (e: ScanEvent): void => {
    const p = e.path;
    switch (e.kind) {
      case 'item':
      case 'bad-item': {
        index++;
        const key = current?.group?.key;
        if (key === undefined) return; // unreachable: the array's open event set `current`
        if (e.kind === 'bad-item') {
          out.push({ type: 'reject', line: index, reason: `invalid JSON at byte ${e.offset}: ${e.error}`, raw: e.raw });
        } else {
          const r = mapRecord(e.value, key, index);
          out.push(r);
          if (r.type !== 'reject') good++;
          else if (!isTelegramShaped(e.value)) foreign++;
        }
        if (index === FOREIGN_PROBE) checkForeign(e.line, e.offset);
        return;
      }
      case 'scalar':
        if (p.length === 1 && CHAT_FIELDS.has(p[0] as string)) root.fields[p[0] as string] = e.value;
        else if (p.length === 4 && listChat && isListChat(p) && CHAT_FIELDS.has(p[3] as string)) {
          listChat.fields[p[3] as string] = e.value;
        }
        return;
      case 'open':
        if (p.length === 1 && (p[0] === 'chats' || p[0] === 'left_chats')) exportShape = true;
        if (e.array && isMessages(p)) {
          exportShape = true;
          current = p.length === 1 ? root : listChat;
          if (current) openGroup(current);
        } else if (!e.array && p.length === 3 && isListChat(p)) {
          listChat = { fields: {}, group: null };
        }
        return;
      case 'close':
        if (e.array && isMessages(p)) current = null;
        // A listed chat without a messages array is still a conversation of the export.
        else if (!e.array && p.length === 3 && isListChat(p) && listChat) {
          openGroup(listChat);
          listChat = null;
        }
        return;
    }
  };

  const checkForeign = (line: number, offset: number | null): void => {
    if (good === 0 && foreign >= FOREIGN_MIN && foreign === index) {
      throw new FormatError(file, line, 'not a Telegram export: the messages have no "type": "message" / "service"', offset);
    }
  };

  // A file cut short keeps what was read before the cut.
  yield* scanJsonExport(input, scanner, out, {
    what: 'a Telegram export',
    onEvent: handle,
    onTruncated: (err) => {
      if (!(chatNo > 0 || index > 0)) return false;
      out.push({ type: 'reject', line: index + 1, reason: `file truncated at byte ${err.offset}`, raw: err.partial });
      return true;
    },
  });
  if (index > 0 && index < FOREIGN_PROBE) checkForeign(1, null);
  if (!exportShape) throw new FormatError(file, null, 'not a Telegram export: no "messages" array and no "chats" list', 0);
  yield* batches(out);
}
