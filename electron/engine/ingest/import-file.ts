import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { TermSource } from './stage.js';
import type { EventKind, FormatId } from '../../../shared/model.js';
import type { FileImportResult, GroupSummary, ImportProgress } from '../../../shared/api.js';
import { prepareInput, type ByteSource } from './input.js';
import { mergeStaged } from './merge.js';
import { Stager } from './stage.js';
import { FormatError, type Parser, type SniffInput } from './types.js';

export type { FileImportResult, GroupSummary, ImportProgress };

export interface ImportFileOptions {
  db: Database;
  segmenter: TermSource | null;
  parsers: readonly Parser[];
  /** Skip sniffing and use this format. */
  format?: FormatId;
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
      bin ? 'binary file, not a chat export' : 'unrecognised format: the content matches no supported chat export (QQ, WeChat, Telegram, WhatsApp)',
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
  const parser = o.format ? o.parsers.find((p) => p.format === o.format) : choose(o.parsers, sniff, src.name);
  if (!parser) throw new FormatError(src.name, null, `unknown format '${o.format}'`, 0);

  const stager = new Stager(o.db, o.segmenter, src.name);
  await stager.open();
  let lastReport = 0;
  const report = (phase: ImportProgress['phase']) =>
    o.onProgress?.({
      file: src.name, phase, bytesRead, totalBytes: src.size,
      records: stager.counts.messages + stager.counts.events + stager.counts.rejected, elapsedMs: Date.now() - t0,
    });
  try {
    for await (const batch of parser.parse(input)) {
      if (o.signal?.aborted) throw new ImportCancelled(`${src.name}: import cancelled`);
      stager.add(batch);
      await stager.waitTerms();
      const now = Date.now();
      if (now - lastReport >= 250) {
        lastReport = now;
        report('parse');
      }
    }
    await stager.waitTerms(0);
    stager.flush();
    if (o.signal?.aborted) throw new ImportCancelled(`${src.name}: import cancelled`);
    if (stager.counts.messages + stager.counts.events === 0) {
      const why = stager.counts.rejected > 0 ? `no readable record (${stager.counts.rejected} lines rejected)` : 'no record found';
      throw new FormatError(src.name, null, `${why}; is this really a ${parser.format} export?`);
    }
    report('merge');
    const sha256 = bytesRead === src.size ? hash.digest('hex') : await hashAll(src);
    const groups = await summarise(o.db, parser.format, stager.counts.groups, o.fallbackName);
    const dup = await o.db.one<{ path: string }>(`SELECT path FROM sources WHERE sha256 = $s AND bytes = $b LIMIT 1`, {
      s: sha256, b: src.size,
    });
    let merged = { newMessages: 0, newEvents: 0, sourceId: 0 };
    if (!dup) {
      merged = await mergeStaged(o.db, stager.counts.groups, {
        path: src.name, name: src.name.split(/[\\/]/).pop() ?? src.name, sha256, format: parser.format, encoding,
        bytes: src.size, seconds: (Date.now() - t0) / 1000, fallbackName: o.fallbackName,
      }, () => {
        if (Date.now() - lastReport >= 250) {
          lastReport = Date.now();
          report('merge');
        }
      });
      const ids = await o.db.all<{ key: string; group_id: number }>(`SELECT key, group_id FROM stg_gmap`);
      for (const g of groups) g.groupId = ids.find((i) => i.key === g.group)?.group_id ?? null;
    }
    for (const g of groups) g.group = displayGroupName(stager.counts.groups, g.group, o.fallbackName);
    report('done');
    return {
      file: src.name, format: parser.format, encoding, bytes: src.size,
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
  _fallback: string,
): Promise<GroupSummary[]> {
  const msgs = await db.all<{ g: string; n: number; s: number; a: string | null; b: string | null }>(
    `SELECT group_key AS g, count(*) AS n, count(DISTINCT sender_key) AS s, min(ts) AS a, max(ts) AS b FROM stg_messages GROUP BY 1`,
  );
  const evs = await db.all<{ g: string; k: EventKind; n: number; a: string | null; b: string | null }>(
    `SELECT group_key AS g, kind AS k, count(DISTINCT seq) AS n, min(ts) AS a, max(ts) AS b FROM stg_events GROUP BY 1, 2`,
  );
  // A reject belongs to the conversation of the nearest record before it (first one if none).
  const rej = await db.all<{ g: string | null; n: number }>(
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
