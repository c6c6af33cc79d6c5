import { z } from 'zod';
import { FiltersSchema } from './filters.js';
import { FORMATS, type EventKind, type FormatId } from './model.js';
import { ColumnMappingSchema, DELIMITERS, MAPPING_FORMATS, type ColumnMapping, type Delimiter, type MappingFormat } from './column-mapping.js';

export { ColumnMappingSchema, type ColumnMapping };

/**
 * The Engine API: the one contract between the renderer and the engine, whatever the transport
 * (Electron MessagePort, WebSocket in browser mode, in-process for the CLI and tests).
 * Every request is validated with these schemas on the engine side before it runs.
 */
export const EngineParams = {
  info: z.object({}).strict(),
  listGroups: z.object({}).strict(),
  listSources: z.object({}).strict(),
  listRejects: z.object({ limit: z.number().int().min(1).max(10_000).default(500), offset: z.number().int().min(0).default(0) }).strict(),
  importFiles: z
    .object({
      paths: z.array(z.string().min(1).max(4096)).min(1).max(1000),
      format: z.enum(FORMATS).optional(),
      /** Read the files as generic CSV / JSONL with this column mapping (no format detection). */
      mapping: ColumnMappingSchema.optional(),
    })
    .strict(),
  /** First rows of a CSV / JSONL file, with a suggested column mapping (the mapping dialog). */
  previewFile: z.object({ path: z.string().min(1).max(4096), format: z.enum(MAPPING_FORMATS).optional(), delimiter: z.enum(DELIMITERS).optional() }).strict(),
  runMetric: z.object({ key: z.string().min(1).max(64), filters: FiltersSchema.default({}), args: z.record(z.string(), z.unknown()).default({}) }).strict(),
  messages: z
    .object({
      filters: FiltersSchema.default({}),
      search: z.string().max(200).optional(),
      term: z.string().max(64).optional(),
      memberId: z.number().int().nonnegative().optional(),
      weekday: z.number().int().min(0).max(6).optional(),
      hour: z.number().int().min(0).max(23).optional(),
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(2000).default(200),
    })
    .strict(),
  report: z.object({ filters: FiltersSchema.default({}), pseudonymize: z.boolean().default(false), lang: z.enum(['zh', 'en']).default('zh') }).strict(),
  /** Hand-made identity decisions: list them, merge members into one, split one out, undo the latest. */
  identity: z.discriminatedUnion('action', [
    z.object({ action: z.literal('list') }).strict(),
    z.object({ action: z.literal('merge'), members: z.array(z.number().int().positive()).min(2).max(100) }).strict(),
    z.object({ action: z.literal('split'), member: z.number().int().positive() }).strict(),
    z.object({ action: z.literal('undo') }).strict(),
  ]),
} as const;

export type EngineMethod = keyof typeof EngineParams;
export type EngineParamsOf<M extends EngineMethod> = z.input<(typeof EngineParams)[M]>;

export interface EngineInfo {
  dbPath: string;
  schemaVersion: number;
  version: string;
  demo: boolean;
}

export interface GroupInfo {
  id: number;
  platform: string;
  name: string;
  chatType: string;
  messages: number;
  members: number;
  from: string | null;
  to: string | null;
}

export interface SourceInfo {
  id: number;
  path: string;
  format: string;
  encoding: string;
  bytes: number;
  importedAt: string;
  messages: number;
  newMessages: number;
  events: number;
  rejected: number;
}

export interface RejectInfo {
  sourceId: number;
  file: string;
  line: number;
  reason: string;
  raw: string;
}

export interface MessageRow {
  id: number;
  groupId: number;
  memberId: number;
  name: string;
  ts: string;
  kind: string;
  text: string;
  replyTo: number | null;
}

export interface MessagePage {
  total: number;
  rows: MessageRow[];
}

/** Import progress as the engine reports it. */
export interface ImportProgress {
  file: string;
  phase: 'parse' | 'merge' | 'done';
  bytesRead: number;
  totalBytes: number;
  records: number;
  elapsedMs: number;
}
export type ImportProgressInfo = ImportProgress;

/** Per-conversation summary of what one file holds (the CLI's `--json` shape). */
export interface GroupSummary {
  format: FormatId;
  group: string;
  groupId: number | null;
  messages: number;
  senders: number;
  events: Partial<Record<EventKind, number>>;
  rejected: number;
  from: string | null;
  to: string | null;
}

export interface FileImportResult {
  file: string;
  format: FormatId;
  encoding: string;
  bytes: number;
  messages: number;
  newMessages: number;
  events: number;
  newEvents: number;
  rejected: number;
  /** The identical file (same SHA-256) was imported before; nothing was written. */
  duplicateOf: string | null;
  groups: GroupSummary[];
  seconds: number;
}

export interface ImportReportInfo {
  results: FileImportResult[];
  errors: { file: string; line: number | null; offset: number | null; reason: string }[];
  skipped: { file: string; line: number | null; offset: number | null; reason: string }[];
}

/** The first rows of a CSV / JSONL file as the mapping dialog shows them. */
export interface FilePreview {
  format: MappingFormat;
  encoding: string;
  /** CSV only: the delimiter used (given, or guessed from the header line). */
  delimiter: Delimiter | null;
  /** CSV header cells, or the dotted JSON paths met in the first rows. */
  columns: string[];
  /** The first 20 rows as text, cells in `columns` order. */
  rows: string[][];
  /** A mapping guessed from the column names (English and Chinese) and the sample times. */
  suggested: Partial<ColumnMapping>;
}

/** Result type of each Engine API method (runMetric's depends on the metric: see metric-results). */
export interface EngineResults {
  info: EngineInfo;
  listGroups: GroupInfo[];
  listSources: SourceInfo[];
  listRejects: RejectInfo[];
  importFiles: ImportReportInfo;
  previewFile: FilePreview;
  runMetric: unknown;
  messages: MessagePage;
  report: { html: string };
  identity: IdentityOp[];
}

/** One hand-made identity decision (newest first in lists). */
export interface IdentityOp {
  id: number;
  op: 'merge' | 'split';
  members: { id: number; name: string; group: string }[];
  createdAt: string;
  undoneAt: string | null;
}
