import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { TermSource } from './stage.js';
import type { EventKind, FormatId } from '../../../shared/model.js';
import type { FileImportResult, GroupSummary, ImportProgress } from '../../../shared/api.js';
import { BundleReader, type BundleSource } from './bundle.js';
import { prepareInput, type ByteSource } from './input.js';
import { mergeStaged } from './merge.js';
import { genericParser } from './parsers/generic.js';
import type { ColumnMapping } from '../../../shared/column-mapping.js';
import { Stager } from './stage.js';
import { FormatError, type BundleParser, type ParsedRecord, type Parser, type SniffInput } from './types.js';

export type { FileImportResult, GroupSummary, ImportProgress };

export interface ImportFileOptions {
  db: Database;
  segmenter: TermSource | null;
  parsers: readonly Parser[];
  /** Skip sniffing and use this format. */
  format?: FormatId;
  /** Generic CSV / JSONL: parse with this column mapping instead of sniffing. */
  mapping?: ColumnMapping;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Name for conversations the export does not name. */
  fallbackName: string;
}

export class ImportCancelled extends Error {
  override name = 'ImportCancelled';
}

/** Picks the parser whose sniff is most confident; refuses below 0.5. */
export function choose(parsers: readonly Parser[], sniff: SniffInput, file: string): Parser {
  let best: Parser | null = null;
  let bestScore = 0;
  for (const p of parsers) {
    const s = p.sniff(sniff);
    if (s > bestScore) {
      best = p;
      bestScore = s;
    }
  }
  if (!best || bestScore < 0.5) {
    const bin = looksBinary(sniff.head);
    throw new FormatError(
      file,
      null,
      bin ? 'binary file, not a chat export' : 'unrecognised format: the content matches no supported chat export (QQ, WeChat, Telegram, WhatsApp, Discord, Slack, LINE, Messenger/Instagram, Signal; for any other CSV/JSONL use a column mapping)',
      0,
    );
  }
  return best;
}

function looksBinary(head: string): boolean {
  let bad = 0;
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = head.charCodeAt(i);
    if ((c < 9 || (c > 13 && c < 32)) || c === 0xfffd) bad++;
  }
  return n > 0 && bad / n > 0.05;
}

/**
 * Imports one byte source atomically: sniff → parse (streaming) → stage → merge in one
 * transaction. On error or cancel nothing of this file is written.
 */
export async function importSource(src: ByteSource, o: ImportFileOptions): Promise<FileImportResult> {
  const t0 = Date.now();
  const hash = createHash('sha256');
  let bytesRead = 0;
  const { sniff, input, encoding } = await prepareInput(src, (chunk, first) => {
    if (first) bytesRead = 0;
    bytesRead += chunk.length;
    hash.update(chunk);
  });
  if (src.size === 0) throw new FormatError(src.name, null, 'empty file', 0);
  const parser = o.mapping ? genericParser(o.mapping) : o.format ? o.parsers.find((p) => p.format === o.format) : choose(o.parsers, sniff, src.name);
  if (!parser) throw new FormatError(src.name, null, `unknown format '${o.format}'`, 0);
  return stageAndMerge(
    {
      name: src.name, size: src.size, format: parser.format, records: parser.parse(input), bytesRead: () => bytesRead,
      encoding: () => encoding, sha256: async () => (bytesRead === src.size ? hash.digest('hex') : hashAll(src)),
    },
    o, t0,
  );
}

export type ImportBundleOptions = Omit<ImportFileOptions, 'parsers' | 'format'>;

/**
 * Imports a bundle (folder or zip read by one bundle parser) atomically, like a file: one
 * `sources` row whose path is the folder's or zip's, and whose hash covers the files read.
 */
export async function importBundle(
  open: () => Promise<BundleSource | null>,
  name: string,
  parser: BundleParser,
  o: ImportBundleOptions,
): Promise<FileImportResult> {
  const t0 = Date.now();
  const bundle = await open();
  if (!bundle) throw new FormatError(name, null, 'too many files to read as one export', 0);
  try {
    const reader = new BundleReader(bundle);
    return await stageAndMerge(
      {
        name: bundle.name, size: await bundle.totalSize(), format: parser.format, records: parser.parse(reader.input),
        bytesRead: () => reader.bytesRead, encoding: () => reader.encoding(), sha256: () => reader.sha256(), bundle: true,
      },
      o, t0,
    );
  } finally {
    bundle.close();
  }
}

/** What stageAndMerge needs to know about a source, whatever it is read from. */
interface StageJob {
  /** Display path: progress, errors, `sources.path`. */
  name: string;
  size: number;
  format: FormatId;
  records: AsyncIterable<ParsedRecord[]>;
  bytesRead(): number;
  /** Known once the records were read (a bundle's files are sniffed as they are opened). */
  encoding(): string;
  sha256(): Promise<string>;
  /**
   * Lines restart in every file of a bundle, so a reject is given to the conversation of the
   * record before it in the stream, and its file is stored with it.
   */
  bundle?: boolean;
}

/** Messages from which a file's merge runs with BIG_MERGE_MEMORY. */
const BIG_MERGE_MESSAGES = 2_000_000;
const BIG_MERGE_MEMORY = '1GB';

/** Stages a record stream, then merges it in one transaction; the summary is of what the source holds. */
async function stageAndMerge(job: StageJob, o: ImportBundleOptions, t0: number): Promise<FileImportResult> {
  const stager = new Stager(o.db, o.segmenter, job.name);
  await stager.open();
  let lastReport = 0;
  const report = (phase: ImportProgress['phase']) =>
    o.onProgress?.({
      file: job.name, phase, bytesRead: phase === 'done' ? job.size : job.bytesRead(), totalBytes: job.size,
      records: stager.counts.messages + stager.counts.events + stager.counts.rejected, elapsedMs: Date.now() - t0,
    });
  const rejectGroups = job.bundle ? new Map<string | null, number>() : null;
  let current: string | null = null;
  try {
    for await (const batch of job.records) {
      if (o.signal?.aborted) throw new ImportCancelled(`${job.name}: import cancelled`);
      stager.add(batch);
      if (rejectGroups) {
        for (const r of batch) {
          if (r.type === 'reject') rejectGroups.set(current, (rejectGroups.get(current) ?? 0) + 1);
          else current = r.type === 'group' ? r.key : r.group;
        }
      }
      await stager.waitTerms();
      const now = Date.now();
      if (now - lastReport >= 250) {
        lastReport = now;
        report('parse');
      }
    }
    await stager.waitTerms(0);
    stager.flush();
    if (o.signal?.aborted) throw new ImportCancelled(`${job.name}: import cancelled`);
    if (stager.counts.messages + stager.counts.events === 0) {
      const why = stager.counts.rejected > 0 ? `no readable record (${stager.counts.rejected} lines rejected)` : 'no record found';
      throw new FormatError(job.name, null, `${why}; is this really a ${job.format} export?`);
    }
    report('merge');
    const sha256 = await job.sha256();
    const groups = await summarise(o.db, job.format, stager.counts.groups, rejectGroups);
    const dup = await o.db.one<{ path: string }>(`SELECT path FROM sources WHERE sha256 = $s AND bytes = $b LIMIT 1`, {
      s: sha256, b: job.size,
    });
    const encoding = job.encoding();
    let merged = { newMessages: 0, newEvents: 0, sourceId: 0 };
    if (!dup) {
      // A file of millions of messages merges with a bigger memory cap (see withMemoryLimit).
      const limit = stager.counts.messages >= BIG_MERGE_MESSAGES ? BIG_MERGE_MEMORY : o.db.memoryLimit;
      merged = await o.db.withMemoryLimit(limit, () => mergeStaged(o.db, stager.counts.groups, {
        path: job.name, name: job.name.split(/[\\/]/).pop() ?? job.name, sha256, format: job.format, encoding,
        bytes: job.size, seconds: (Date.now() - t0) / 1000, fallbackName: o.fallbackName,
      }, () => {
        if (Date.now() - lastReport >= 250) {
          lastReport = Date.now();
          report('merge');
        }
      }));
      const ids = await o.db.all<{ key: string; group_id: number }>(`SELECT key, group_id FROM stg_gmap`);
      for (const g of groups) g.groupId = ids.find((i) => i.key === g.group)?.group_id ?? null;
    }
    for (const g of groups) g.group = displayGroupName(stager.counts.groups, g.group, o.fallbackName);
    report('done');
    return {
      file: job.name, format: job.format, encoding, bytes: job.size,
      messages: stager.counts.messages, newMessages: merged.newMessages,
      events: stager.counts.events, newEvents: merged.newEvents, rejected: stager.counts.rejected,
      duplicateOf: dup?.path ?? null, groups, seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await stager.drop();
  }
}

/** Hash of the whole source, for parsers that stopped reading before its end. */
async function hashAll(src: ByteSource): Promise<string> {
  const h = createHash('sha256');
  for await (const c of src.stream()) h.update(c);
  return h.digest('hex');
}

function displayGroupName(groups: readonly { key: string; name: string }[], key: string, fallback: string): string {
  const g = groups.find((x) => x.key === key);
  return g && g.name.trim() ? g.name.trim() : fallback;
}

/** Summaries computed from the staged file (what the file holds, before de-duplication). */
async function summarise(
  db: Database,
  format: FormatId,
  groups: readonly { key: string }[],
  /** Rejects per conversation counted while streaming (bundles); null: by line (single files). */
  rejectGroups: ReadonlyMap<string | null, number> | null,
): Promise<GroupSummary[]> {
  const msgs = await db.all<{ g: string; n: number; s: number; a: string | null; b: string | null }>(
    `SELECT group_key AS g, count(*) AS n, count(DISTINCT sender_key) AS s, min(ts) AS a, max(ts) AS b FROM stg_messages GROUP BY 1`,
  );
  const evs = await db.all<{ g: string; k: EventKind; n: number; a: string | null; b: string | null }>(
    `SELECT group_key AS g, kind AS k, count(DISTINCT seq) AS n, min(ts) AS a, max(ts) AS b FROM stg_events GROUP BY 1, 2`,
  );
  // A reject belongs to the conversation of the nearest record before it (first one if none).
  const rej = rejectGroups ? [...rejectGroups].map(([g, n]) => ({ g, n })) : await db.all<{ g: string | null; n: number }>(
    `SELECT x.group_key AS g, count(*) AS n FROM stg_rejects r ASOF LEFT JOIN (
       SELECT line, group_key FROM stg_messages UNION ALL SELECT line, group_key FROM stg_events) x ON r.line >= x.line
     GROUP BY 1`,
  );
  return groups.map((g, i) => {
    const m = msgs.find((x) => x.g === g.key);
    const events: Partial<Record<EventKind, number>> = {};
    let from = m?.a ?? null;
    let to = m?.b ?? null;
    for (const e of evs.filter((x) => x.g === g.key)) {
      events[e.k] = e.n;
      if (!m) {
        from = from === null || (e.a !== null && e.a < from) ? e.a : from;
        to = to === null || (e.b !== null && e.b > to) ? e.b : to;
      }
    }
    const rejected = rej.filter((r) => r.g === g.key || (r.g === null && i === 0)).reduce((s, r) => s + r.n, 0);
    return { format, group: g.key, groupId: null, messages: m?.n ?? 0, senders: m?.s ?? 0, events, rejected, from, to };
  });
}
