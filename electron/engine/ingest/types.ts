import type { ChatType, EventKind, FormatId, MessageKind, Platform } from '../../../shared/model.js';

/**
 * A person as the export names them. `id` is the platform's stable id (QQ number, wxid,
 * Telegram from_id …); null when the export gives only a display name (WhatsApp, QQ friend
 * chats, QQ join notices) — the loader then keys the member by the normalised name.
 */
export interface PersonRef {
  id: string | null;
  name: string;
  /** Other names the export gives for this person in the same record (Discord account name beside the server nickname, Slack real name beside the display name). Stored as name history, searchable. */
  aliases?: string[];
  /** The export marks this sender as a bot or integration. */
  bot?: boolean;
}

/** Declares a conversation. Must be yielded before the first record that names its key. */
export interface GroupRecord {
  type: 'group';
  /** Unique within the file: conversation name, chat id … */
  key: string;
  platform: Platform;
  /** The platform's id for the chat where the export has one (Telegram chat id, @chatroom id). */
  externalId: string | null;
  name: string;
  chatType: ChatType;
}

export interface MessageRecord {
  type: 'message';
  /** Key of a GroupRecord yielded earlier. */
  group: string;
  /** 1-based line (text formats) or record index (JSON) where the record starts. */
  line: number;
  /** The platform's message id where the export has one (Telegram id, WeChat localId …). */
  externalId: string | null;
  sender: PersonRef;
  /** Wall-clock time exactly as the export writes it, normalised to `YYYY-MM-DD HH:MM:SS`. */
  time: string;
  /** UTC instant in epoch milliseconds, where the export carries one. */
  utcMs: number | null;
  kind: MessageKind;
  /** Message text; for media, the placeholder or caption as written. */
  text: string;
  /** External id of the message this one replies to. */
  replyTo: string | null;
  /**
   * A quoted message where the export has no id for it (WeChat quotes): the quoted sender's
   * platform id when given (WeChat `chatusr`), their name, and the quoted text.
   */
  quote: { id?: string | null; name: string; text: string } | null;
  /** @-mentions as written (names, without '@'), or ids where the export resolves them. */
  mentions: string[];
  /** Reactions to this message where the export lists them (emoji or name, count). */
  reactions?: { emoji: string; count: number }[];
}

export interface EventRecord {
  type: 'event';
  group: string;
  line: number;
  time: string;
  utcMs: number | null;
  kind: EventKind;
  /** Who did it (the inviter, the remover); null when unknown. */
  actor: PersonRef | null;
  /** Who it happened to (the joiner, the leaver …); may be empty. */
  subjects: PersonRef[];
  /** The notice as written. */
  text: string;
}

export interface RejectRecord {
  type: 'reject';
  /** File inside a bundle (folder/zip export) the line belongs to; absent for single-file exports. */
  file?: string;
  line: number;
  reason: string;
  raw: string;
}

export type ParsedRecord = GroupRecord | MessageRecord | EventRecord | RejectRecord;

/** One physical line of a text file. `eol` is the terminator that ended it ('' at end of file). */
export interface Line {
  text: string;
  no: number;
  eol: '\r\n' | '\n' | '\r' | '';
}

/** What a parser gets: the file as bytes, or as decoded lines. Never the whole file at once. */
export interface ParserInput {
  /** Display name of the file (used in errors only). */
  fileName: string;
  size: number;
  /** Encoding detected by sniffing (utf-8, utf-16le, utf-16be, gb18030). */
  encoding: string;
  /** Raw bytes, streamed. */
  bytes(): AsyncIterable<Uint8Array>;
  /** Decoded lines, streamed in batches, BOM removed. */
  lines(): AsyncIterable<Line[]>;
}

/** The first bytes of a file, decoded, for format detection. */
export interface SniffInput {
  /** Up to the first 64 KiB decoded with the detected encoding, BOM removed. */
  head: string;
  encoding: string;
  size: number;
}

/** Thrown by a parser when the file as a whole cannot be read as its format. */
export class FormatError extends Error {
  override name = 'FormatError';
  constructor(
    readonly file: string,
    /** 1-based line, or null when `offset` is the better locator. */
    readonly line: number | null,
    readonly reason: string,
    readonly offset: number | null = null,
  ) {
    super(`${file}${line !== null ? `:${line}` : offset !== null ? ` @byte ${offset}` : ''}: ${reason}`);
  }
}

export interface Parser {
  format: FormatId;
  platform: Platform;
  /** Confidence 0..1 that `input` is this format, judged from content only. */
  sniff(input: SniffInput): number;
  /** Streams records in batches (a few thousand at most each). */
  parse(input: ParserInput): AsyncGenerator<ParsedRecord[], void, undefined>;
}

/**
 * A multi-file export read as one (Slack workspace: channels.json + users.json + <channel>/<day>.json;
 * QQ Chat Exporter chunked JSONL: manifest.json + chunks/*.jsonl), from a folder or a zip.
 */
export interface BundleInput {
  /** Display name of the folder or zip (used in errors). */
  name: string;
  /** Paths of the bundle's files, '/'-separated, relative to the bundle's root, sorted. */
  files: readonly string[];
  /** Opens one file of the bundle for streaming (encoding sniffed, BOM removed). */
  open(path: string): Promise<ParserInput>;
}

export interface BundleParser {
  format: FormatId;
  platform: Platform;
  /** Confidence 0..1 that the bundle is this format, from its file list (and small reads through `open` when needed). */
  detect(bundle: BundleInput): Promise<number>;
  /** Streams records in batches; rejects carry `file` (path inside the bundle). */
  parse(bundle: BundleInput): AsyncGenerator<ParsedRecord[], void, undefined>;
}
