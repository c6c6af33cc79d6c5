/**
 * One benchmark subject, run as its own process by bench/run.ts so that its peak RSS is its own:
 * import a file into a fresh database, run every registered metric once (= "analyze"), then
 * measure metric latency under changing filters and jieba segmentation speed on the file's text.
 * Reports to the parent over IPC; prints nothing on stdout.
 *
 *   node --import tsx bench/child.ts --db X.duckdb --file F [--seed S] [--runs 20] [--budget-ms 20000] [--seg-max-mb 64]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { Engine } from '../electron/engine/engine.js';
import { getMetric, metricKeys } from '../electron/engine/metrics/registry.js';
import { Segmenter } from '../electron/engine/text/segmenter.js';
import type { Filters } from '../shared/filters.js';
import { filterSpace, randomFilters, Rng } from './filters.js';
import { parseProcStatus } from './lib.js';

export interface MetricTiming {
  key: string;
  /** First run, on the whole group, right after the import (part of "analyze"). */
  firstMs: number | null;
  /** Runs under random filters. */
  latencies: number[];
  error: string | null;
}

export interface ChildResult {
  type: 'result';
  file: string;
  format: string;
  bytes: number;
  messages: number;
  events: number;
  rejected: number;
  importMs: number;
  /** CPU time (all threads) during the import ÷ its wall time: cores kept busy. */
  importCores: number;
  /** Longest gap between two import progress callbacks (and before the first), ms. */
  maxProgressGapMs: number;
  analyzeMs: number;
  /** VmHWM right after the import, bytes: the import's own peak, before any metric ran. */
  peakRssImport?: number | null;
  /** VmHWM at the end of analyze, bytes. */
  peakRssAnalyze: number | null;
  /** VmHWM at the very end (latency and segmentation runs included), bytes. */
  peakRssEnd: number | null;
  metrics: MetricTiming[];
  seg: { bytes: number; messages: number; ms: number; dictMs: number } | null;
  duckdb: string;
}

export type ChildMessage =
  | { type: 'progress'; text: string }
  | { type: 'analyzed' }
  | ChildResult
  | { type: 'error'; message: string };

/** Resolves once the message is handed to the IPC channel, so exiting right after cannot lose it. */
const send = (m: ChildMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(m, undefined, {}, () => resolve());
  });

function hwm(): number | null {
  try {
    return parseProcStatus(readFileSync('/proc/self/status', 'utf8')).hwm;
  } catch {
    return null;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMetric = { key: string; args: z.ZodType; run: (ctx: { db: Engine['db']; filters: Filters }, args: any) => Promise<unknown> };

/** Top-level keys a metric's argument schema requires (no default), with the type zod expected. */
function requiredArgs(m: AnyMetric): Map<string, string> | null {
  const r = m.args.safeParse({});
  if (r.success) return null;
  const out = new Map<string, string>();
  for (const issue of r.error.issues) {
    const key = issue.path[0];
    if (typeof key === 'string' && issue.path.length === 1 && issue.code === 'invalid_type') out.set(key, String((issue as { expected?: string }).expected));
  }
  return out;
}

/**
 * Values for required arguments, found under the same property name in earlier metrics' results
 * (a drill-down's `term` is some keyword metric's `term`): the product's own flow, without the
 * harness knowing any metric. Bounded walk, first match wins.
 */
function harvest(result: unknown, wanted: Map<string, string>, found: Map<string, unknown>): void {
  const stack: unknown[] = [result];
  for (let seen = 0; stack.length > 0 && seen < 20_000; seen++) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = Math.min(v.length, 50) - 1; i >= 0; i--) stack.push(v[i]);
      continue;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const type = wanted.get(k);
      if (type && !found.has(k) && typeof x === type && (typeof x !== 'string' || x.trim() !== '')) found.set(k, x);
      else if (typeof x === 'object') stack.push(x);
    }
  }
}

function argsFor(m: AnyMetric, required: Map<string, string> | null, found: Map<string, unknown>): unknown {
  const input: Record<string, unknown> = {};
  for (const [k, type] of required ?? []) input[k] = found.get(k) ?? (type === 'array' ? [] : type === 'boolean' ? false : undefined);
  const r = m.args.safeParse(input);
  return r.success ? r.data : null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      file: { type: 'string' },
      seed: { type: 'string', default: 'qunxi' },
      runs: { type: 'string', default: '20' },
      'budget-ms': { type: 'string', default: '20000' },
      'seg-max-mb': { type: 'string', default: '64' },
    },
  });
  if (!values.db || !values.file) throw new Error('usage: child.ts --db X --file F');
  const runs = Number(values.runs);
  const budgetMs = Number(values['budget-ms']);
  const segMax = Number(values['seg-max-mb']) * 1024 * 1024;

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const engine = await Engine.open(values.db);
  let lastTick = t0;
  let maxGap = 0;
  let lastSent = 0;
  const report = await engine.import([values.file], {
    onProgress: (p) => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - lastTick);
      lastTick = now;
      if (now - lastSent > 2000) {
        lastSent = now;
        const pct = p.totalBytes > 0 ? Math.round((100 * p.bytesRead) / p.totalBytes) : 0;
        void send({ type: 'progress', text: `${p.phase} ${pct}% ${p.records.toLocaleString('en-US')} records, ${(p.elapsedMs / 1000).toFixed(1)} s` });
      }
    },
  });
  const importMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const peakRssImport = hwm();
  if (report.errors.length > 0 || report.results.length === 0) {
    throw new Error(`import failed: ${report.errors.map((e) => `${e.file}:${e.line ?? ''} ${e.reason}`).join('; ') || 'no result'}`);
  }
  const res = report.results[0]!;
  const groupId = res.groups.find((g) => g.groupId !== null)?.groupId;
  if (groupId == null) throw new Error('import wrote no group');

  // Metrics that run on their defaults first; those needing a value (a term to drill into) after,
  // fed from the earlier results. Each runs once, on the whole group: analyze = import + these.
  const metrics: (MetricTiming & { m: AnyMetric; required: Map<string, string> | null; args: unknown })[] = [];
  for (const key of metricKeys()) {
    const m = getMetric(key) as AnyMetric | undefined;
    if (m) metrics.push({ key, m, required: requiredArgs(m), args: null, firstMs: null, latencies: [], error: null });
  }
  metrics.sort((a, b) => Number(a.required !== null) - Number(b.required !== null));
  const wanted = new Map<string, string>();
  for (const x of metrics) for (const [k, t] of x.required ?? []) wanted.set(k, t);
  const found = new Map<string, unknown>();
  let metricsMs = 0;
  for (const x of metrics) {
    x.args = argsFor(x.m, x.required, found);
    if (x.args === null) {
      x.error = `no value for required argument(s) ${[...x.required!.keys()].join(', ')}`;
      continue;
    }
    void send({ type: 'progress', text: `metric ${x.key}` });
    const s = performance.now();
    try {
      const out = await x.m.run({ db: engine.db, filters: { groups: [groupId] } }, x.args);
      x.firstMs = performance.now() - s;
      metricsMs += x.firstMs;
      if (wanted.size > found.size) harvest(out, wanted, found);
    } catch (e) {
      x.error = (e as Error).message.slice(0, 300);
    }
  }
  const analyzeMs = importMs + metricsMs;
  const peakRssAnalyze = hwm();
  await send({ type: 'analyzed' });

  // Latency under filters a user might set next.
  const space = await filterSpace(engine, groupId);
  for (const x of metrics) {
    if (x.error) continue;
    void send({ type: 'progress', text: `latency ${x.key}` });
    const rng = new Rng(`${values.seed}:${x.key}`);
    const started = performance.now();
    for (let i = 0; i < runs; i++) {
      if (i >= 5 && performance.now() - started > budgetMs) break;
      const filters = randomFilters(rng, space);
      const s = performance.now();
      try {
        await x.m.run({ db: engine.db, filters }, x.args);
      } catch (e) {
        x.error = `under ${JSON.stringify(filters)}: ${(e as Error).message.slice(0, 300)}`;
        break;
      }
      x.latencies.push(performance.now() - s);
    }
  }

  void send({ type: 'progress', text: 'segmentation' });
  const seg = await segmentationRate(engine, groupId, segMax);
  const duckdb = (await engine.db.one<{ v: string }>(`SELECT version() AS v`))?.v ?? '?';
  engine.close();

  await send({
    type: 'result', file: values.file, format: res.format, bytes: res.bytes, messages: res.messages, events: res.events,
    rejected: res.rejected, importMs, importCores: (cpu.user + cpu.system) / 1000 / importMs, maxProgressGapMs: maxGap,
    analyzeMs, peakRssImport, peakRssAnalyze, peakRssEnd: hwm(),
    metrics: metrics.map(({ key, firstMs, latencies, error }) => ({ key, firstMs, latencies, error })),
    seg, duckdb,
  });
}

const SEGMENTED_KINDS = `('text', 'link')`;


/** Times jieba (the product's Segmenter) alone over the texts the import segments, streamed from the db. */
async function segmentationRate(engine: Engine, groupId: number, maxBytes: number): Promise<ChildResult['seg']> {
  const d0 = performance.now();
  const seg = new Segmenter();
  const dictMs = performance.now() - d0;
  const result = await engine.db.conn.stream(
    `SELECT text FROM messages WHERE group_id = $g AND kind IN ${SEGMENTED_KINDS} ORDER BY id`, { g: groupId });
  let bytes = 0;
  let messages = 0;
  let ms = 0;
  outer: for await (const rows of result.yieldRows()) {
    const texts = rows.map((r) => String(r[0] ?? ''));
    const s = performance.now();
    for (const t of texts) seg.terms(t);
    ms += performance.now() - s;
    for (const t of texts) bytes += Buffer.byteLength(t);
    messages += texts.length;
    if (bytes >= maxBytes) break outer;
  }
  return messages > 0 ? { bytes, messages, ms, dictMs } : null;
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    void send({ type: 'error', message: e.stack ?? e.message }).then(() => process.exit(1));
  },
);
