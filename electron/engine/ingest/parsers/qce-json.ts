/**
 * QQ Chat Exporter (shuakami/qq-chat-exporter, a NapCat plugin for QQNT) single-file JSON export
 * (docs/FORMATS-QCE.md): `{"metadata":{name,copyright,version},"chatInfo":{name,type,…},
 * "statistics":{…},"messages":[…],"avatars"?:{…},"exportOptions"?:{…}}`, or the rare V4
 * split form `{"metadata","chunkInfo","chunks":[{"chatInfo","messages":[…]}…]}`. Exports of big
 * groups run to GBs, so the bytes go through JsonScanner, which cuts out each message element
 * and JSON.parses it on its own.
 */
import { JsonScanner, type PathKey, type ScanEvent } from '../json-scan.js';
import { batches } from './batches.js';
import { scanJsonExport } from './json-export.js';
import { FormatError, type ParsedRecord, type Parser, type ParserInput } from '../types.js';
import { chatOf, isQceShaped, mapQceMessage, type QceChat } from './qce-map.js';

/** The first FOREIGN_PROBE messages (or all, when at least FOREIGN_MIN) not QCE-shaped: not QCE. */
const FOREIGN_PROBE = 20;
const FOREIGN_MIN = 3;

const EXPORTER = /QQChatExporter|qq-chat-exporter|QQ Chat Exporter|qq_export/;

/** Content-only confidence that `head` begins a QCE single-file JSON export. */
export function sniffQceJson(head: string): number {
  let i = 0;
  while (i < head.length && (head[i] === ' ' || head[i] === '\n' || head[i] === '\r' || head[i] === '\t')) i++;
  if (head[i] !== '{') return 0;
  if (!/"chatInfo"\s*:\s*\{/.test(head) || !/"metadata"\s*:\s*\{/.test(head)) return 0;
  const messages = /"messages"\s*:\s*\[/.test(head);
  // manifest.json of a chunked-JSONL export: the bundle parser reads it with its chunks.
  if (!messages && /"chunked"\s*:\s*\{/.test(head)) return 0.05;
  if (EXPORTER.test(head)) return 0.95;
  if (messages && /"sender"\s*:\s*\{/.test(head) && /"content"\s*:\s*\{/.test(head)) return 0.6;
  return 0.1;
}

/** [messages] or [chunks, i, messages] */
function isMessages(p: readonly PathKey[]): boolean {
  if (p.length === 1) return p[0] === 'messages';
  return p.length === 3 && p[0] === 'chunks' && typeof p[1] === 'number' && p[2] === 'messages';
}

/** chatInfo field: [chatInfo, k] or [chunks, i, chatInfo, k] */
function chatInfoField(p: readonly PathKey[]): string | null {
  if (p.length === 2 && p[0] === 'chatInfo') return p[1] as string;
  if (p.length === 4 && p[0] === 'chunks' && p[2] === 'chatInfo' && typeof p[3] === 'string') return p[3];
  return null;
}

export const qceJsonParser: Parser = {
  format: 'qce-json',
  platform: 'qq',
  sniff: (input) => sniffQceJson(input.head),
  parse,
};

async function* parse(input: ParserInput): AsyncGenerator<ParsedRecord[], void, undefined> {
  const file = input.fileName;
  const scanner = new JsonScanner({ capture: isMessages, maxEventDepth: 4 });
  const out: ParsedRecord[] = [];
  let sawMessages = false;
  let sawManifest = false;
  const info: Record<string, unknown> = {};
  let chat: QceChat | null = null;
  let index = 0; // 1-based index of message elements over the whole file: the records' `line`
  let good = 0;
  let foreign = 0;

  const handle = (e: ScanEvent): void => {
    const p = e.path;
    switch (e.kind) {
      case 'item':
      case 'bad-item': {
        index++;
        if (!chat) return; // unreachable: the array's open event made the chat
        if (e.kind === 'bad-item') {
          out.push({ type: 'reject', line: index, reason: `invalid JSON at byte ${e.offset}: ${e.error}`, raw: e.raw });
        } else {
          const r = mapQceMessage(e.value, chat, index);
          out.push(r);
          if (r.type !== 'reject') good++;
          else if (!isQceShaped(e.value)) foreign++;
        }
        if (index === FOREIGN_PROBE) checkForeign(e.line, e.offset);
        return;
      }
      case 'scalar': {
        const k = chatInfoField(p);
        // A split V4 file repeats chatInfo in every chunk: the first one names the chat.
        if (k !== null && !chat && !(k in info)) info[k] = e.value;
        return;
      }
      case 'open':
        if (p.length === 1 && p[0] === 'chunked') sawManifest = true;
        if (e.array && isMessages(p)) {
          sawMessages = true;
          if (!chat) {
            chat = chatOf(info);
            out.push(chat.group);
          }
        }
        return;
      default:
    }
  };

  const checkForeign = (line: number, offset: number | null): void => {
    if (good === 0 && foreign >= FOREIGN_MIN && foreign === index) {
      throw new FormatError(file, line, 'not a QQ Chat Exporter export: the messages have no "sender" / "content" objects', offset);
    }
  };

  // A file cut short keeps what was read before the cut.
  yield* scanJsonExport(input, scanner, out, {
    what: 'a QQ Chat Exporter export',
    onEvent: handle,
    onTruncated: (err) => {
      if (index === 0) return false;
      out.push({ type: 'reject', line: index + 1, reason: `file truncated at byte ${err.offset}`, raw: err.partial });
      return true;
    },
  });
  if (index > 0 && index < FOREIGN_PROBE) checkForeign(1, null);
  if (!sawMessages) {
    throw new FormatError(
      file,
      null,
      sawManifest
        ? 'this is the manifest.json of a QQ Chat Exporter chunked-JSONL export: import the whole folder (manifest.json with chunks/)'
        : 'not a QQ Chat Exporter export: no "messages" array',
      0,
    );
  }
  yield* batches(out);
}
