/**
 * Soak: one engine imports files one after another, then answers metric, message and report
 * requests under random filters (some cancelled mid-way) for a while, sampling its RSS; prints
 * start / after-imports / steady / max RSS and the growth after warm-up.
 *
 *   npm run soak -- --minutes 10 [--imports 20] [--messages 5000] [--seed S] [--sample 5] [--json]
 *
 * Warm-up: every kind of request once, unfiltered (each metric, message queries, a report), so
 * DuckDB's buffer cache, V8's heap and compiled code reach their working size. Growth after
 * warm-up compares the median RSS of the last fifth of the random phase with that of its first
 * fifth. A leak shows as growth that keeps rising with the run's length.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Engine } from '../../electron/engine/engine.js';
import { engineHandlers } from '../../electron/engine/host/handlers.js';
import { metricKeys } from '../../electron/engine/metrics/registry.js';
import type { Filters } from '../../shared/filters.js';
import type { FormatName } from '../../sample-data/writers.js';
import { rng, sampleFiles, type FileSpec } from './lib.js';

export interface SoakResult {
  imports: { files: number; messages: number; errors: string[]; seconds: number };
  queries: { done: number; cancelled: number; failed: string[]; seconds: number; byKind: Record<string, number> };
  /** warm: median of the random phase's first fifth; steady: of all of it; end: of its last fifth. */
  rssMB: { start: number; afterImports: number; warm: number; steady: number; end: number; max: number };
  growthAfterWarmup: number;
  /** RSS beyond DuckDB's own accounting (JS heap, native code, allocator): where a leak outside the buffer pool shows. */
  otherMB: { warm: number; end: number };
  otherGrowth: number;
  /** V8 heap in use right after a full collection: a JS leak shows here. */
  liveHeapMB: { afterWarmup: number; end: number };
  liveHeapGrowth: number;
  samples: { t: number; phase: 'import' | 'warmup' | 'query'; rssMB: number; heapMB: number; duckMB: number }[];
}

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    seconds: { type: 'string' },
    imports: { type: 'string', default: '20' },
    messages: { type: 'string', default: '5000' },
    seed: { type: 'string', default: 'soak' },
    sample: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const queryMs = values.seconds ? Number(values.seconds) * 1000 : Number(values.minutes ?? '10') * 60_000;
const nImports = Number(values.imports);
const perFile = Number(values.messages);
const sampleMs = Number(values.sample) * 1000;
const log = values.json ? () => undefined : (s: string) => process.stdout.write(s + '\n');
const MB = 1048576;
// A full collection on demand, for the live-heap figure (as `node --expose-gc` would give).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const liveHeap = () => {
  gc();
  return process.memoryUsage().heapUsed / MB;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!;
};

const work = mkdtempSync(join(tmpdir(), 'qunxi-soak-'));
const rand = rng(values.seed!);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const samples: SoakResult['samples'] = [];
const t0 = Date.now();
let phase: 'import' | 'warmup' | 'query' = 'import';
let engine: Engine | null = null;
let lastSample = 0;
/** RSS, V8 heap and what DuckDB itself accounts for (its buffer pool, tables, indexes). */
const sample = async (force = true) => {
  if (!force && Date.now() - lastSample < sampleMs) return;
  lastSample = Date.now();
  const m = process.memoryUsage();
  const duck = engine ? (await engine.db.one<{ b: number }>(`SELECT sum(memory_usage_bytes)::BIGINT AS b FROM duckdb_memory()`))!.b : 0;
  samples.push({ t: (Date.now() - t0) / 1000, phase, rssMB: m.rss / MB, heapMB: m.heapUsed / MB, duckMB: duck / MB });
};

try {
  // Distinct exports: each seed is a different simulated history, rendered in a rotating format.
  const formats: FormatName[] = ['qq', 'wechat', 'telegram', 'whatsapp'];
  const specs: FileSpec[] = Array.from({ length: nImports }, (_, i) => ({ format: formats[i % 4]!, seed: `${values.seed}-${i}`, messages: perFile }));
  const files = await sampleFiles(join(work, 'data'), specs);
  engine = await Engine.open(join(work, 'soak.duckdb'));
  const h = engineHandlers(engine, { version: 'soak', demo: false });
  await sample();
  const result: SoakResult = {
    imports: { files: 0, messages: 0, errors: [], seconds: 0 },
    queries: { done: 0, cancelled: 0, failed: [], seconds: 0, byKind: {} },
    rssMB: { start: samples[0]!.rssMB, afterImports: 0, warm: 0, steady: 0, end: 0, max: 0 },
    growthAfterWarmup: 0,
    otherMB: { warm: 0, end: 0 },
    otherGrowth: 0,
    liveHeapMB: { afterWarmup: 0, end: 0 },
    liveHeapGrowth: 0,
    samples,
  };
  const ctx = (signal = new AbortController().signal) => ({ signal, progress: () => undefined });

  const ti = Date.now();
  for (const f of files) {
    const r = (await h.importFiles!({ paths: [f] }, ctx())) as { results: { newMessages: number }[]; errors: { reason: string }[] };
    result.imports.files += r.results.length;
    result.imports.messages += r.results.reduce((s, x) => s + x.newMessages, 0);
    result.imports.errors.push(...r.errors.map((e) => e.reason));
    log(`imported ${result.imports.files}/${files.length} (${Math.round(process.memoryUsage().rss / MB)} MB RSS)`);
    await sample(false);
  }
  result.imports.seconds = (Date.now() - ti) / 1000;
  await sample();
  result.rssMB.afterImports = samples.at(-1)!.rssMB;
  phase = 'warmup';

  const groups = (await h.listGroups!({}, ctx())) as { id: number; from: string | null; to: string | null }[];
  const members = (await engine.db.all<{ id: number }>(`SELECT id FROM members ORDER BY id`)).map((m) => m.id);
  const days = (await engine.db.all<{ d: string }>(`SELECT DISTINCT strftime(ts, '%Y-%m-%d') AS d FROM messages ORDER BY 1`)).map((r) => r.d);
  const terms = (await engine.db.all<{ t: string }>(
    `SELECT t FROM (SELECT unnest(terms) AS t FROM messages USING SAMPLE 2000) GROUP BY t ORDER BY count(*) DESC, t LIMIT 50`,
  )).map((r) => r.t);
  const keys = metricKeys();
  const randomFilters = (): Filters => {
    const f: Filters = {};
    if (rand() < 0.6) f.groups = groups.filter(() => rand() < 0.5).map((g) => g.id).slice(0, 64);
    if (rand() < 0.5) {
      const a = Math.floor(rand() * days.length);
      const b = a + Math.floor(rand() * (days.length - a));
      f.from = days[a];
      f.to = days[b];
    }
    if (rand() < 0.15) f.members = members.filter(() => rand() < 0.05);
    if (rand() < 0.2) f.exclude = members.filter(() => rand() < 0.02);
    return f;
  };

  const warm = async (kind: string, run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (e) {
      result.queries.failed.push(`${kind} (warm-up): ${(e as Error).message}`);
    }
  };
  for (const key of keys) await warm(key, () => h.runMetric!({ key, filters: {}, args: key === 'termMessages' ? { term: terms[0] } : {} }, ctx()));
  for (const q of [{}, { term: terms[0] }, { search: terms[0]!.slice(0, 2) }, { memberId: members[0] }, { day: days[0] }]) {
    await warm('messages', () => h.messages!(q, ctx()));
  }
  await warm('report', () => h.report!({ filters: {}, pseudonymize: true, lang: 'zh' }, ctx()));
  await sample();
  const live0 = liveHeap();
  phase = 'query';

  const tq = Date.now();
  while (Date.now() - tq < queryMs) {
    const r = rand();
    let kind: string;
    let run: (signal: AbortSignal) => Promise<unknown>;
    if (r < 0.75) {
      const key = pick(keys);
      kind = key;
      const args = key === 'termMessages' ? { term: pick(terms) } : {};
      run = (signal) => h.runMetric!({ key, filters: randomFilters(), args }, ctx(signal));
    } else if (r < 0.97) {
      kind = 'messages';
      const q: Record<string, unknown> = { filters: randomFilters(), limit: 200, offset: Math.floor(rand() * 400) };
      const s = rand();
      if (s < 0.3) q['term'] = pick(terms);
      else if (s < 0.5) q['search'] = pick(terms).slice(0, 2);
      else if (s < 0.7) q['memberId'] = pick(members);
      else if (s < 0.85) q['day'] = pick(days);
      run = (signal) => h.messages!(q, ctx(signal));
    } else {
      kind = 'report';
      run = (signal) => h.report!({ filters: { from: pick(days) }, pseudonymize: rand() < 0.5, lang: rand() < 0.5 ? 'zh' : 'en' }, ctx(signal));
    }
    // One request in ten is cancelled after a few milliseconds (a filter changed mid-way).
    const ac = new AbortController();
    const cancel = rand() < 0.1;
    const timer2 = cancel ? setTimeout(() => ac.abort(), Math.floor(rand() * 30)) : null;
    try {
      await run(ac.signal);
      result.queries.done++;
      result.queries.byKind[kind] = (result.queries.byKind[kind] ?? 0) + 1;
    } catch (e) {
      if (ac.signal.aborted) result.queries.cancelled++;
      else if (result.queries.failed.length < 20) result.queries.failed.push(`${kind}: ${(e as Error).message}`);
      else result.queries.failed.length++;
    } finally {
      if (timer2) clearTimeout(timer2);
    }
    await sample(false);
    const q = result.queries.done + result.queries.cancelled;
    if (q % 200 === 0) log(`${q} requests, ${Math.round((Date.now() - tq) / 1000)} s, ${Math.round(process.memoryUsage().rss / MB)} MB RSS`);
  }
  result.queries.seconds = (Date.now() - tq) / 1000;
  await sample();
  const live1 = liveHeap();
  result.liveHeapMB = { afterWarmup: Math.round(live0), end: Math.round(live1) };
  result.liveHeapGrowth = (live1 - live0) / live0;
  engine.close();

  const qs = samples.filter((s) => s.phase === 'query');
  const fifth = (i: number) => qs.filter((_, j) => Math.floor((j * 5) / qs.length) === i).map((s) => s.rssMB);
  result.rssMB.warm = median(fifth(0));
  result.rssMB.steady = median(qs.map((s) => s.rssMB));
  result.rssMB.end = median(fifth(4));
  result.rssMB.max = Math.max(...samples.map((s) => s.rssMB));
  result.growthAfterWarmup = result.rssMB.warm > 0 ? (result.rssMB.end - result.rssMB.warm) / result.rssMB.warm : 0;
  const other = (i: number) => median(qs.filter((_, j) => Math.floor((j * 5) / qs.length) === i).map((s) => s.rssMB - s.duckMB));
  result.otherMB = { warm: Math.round(other(0)), end: Math.round(other(4)) };
  result.otherGrowth = result.otherMB.warm > 0 ? (result.otherMB.end - result.otherMB.warm) / result.otherMB.warm : 0;
  for (const k of Object.keys(result.rssMB) as (keyof SoakResult['rssMB'])[]) result.rssMB[k] = Math.round(result.rssMB[k]);
  if (values.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    const r = result.rssMB;
    log('');
    log(`imports: ${result.imports.files} files, ${result.imports.messages} messages in ${result.imports.seconds.toFixed(0)} s; errors: ${result.imports.errors.length}`);
    log(`requests: ${result.queries.done} answered, ${result.queries.cancelled} cancelled, ${result.queries.failed.length} failed in ${result.queries.seconds.toFixed(0)} s`);
    log(`  by kind: ${Object.entries(result.queries.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    for (const f of result.queries.failed.slice(0, 10)) log(`  failed: ${f}`);
    log(`RSS MB: start ${r.start}, after imports ${r.afterImports}, warm ${r.warm}, steady ${r.steady}, end ${r.end}, max ${r.max}`);
    log(`growth after warm-up: ${(result.growthAfterWarmup * 100).toFixed(1)}% (${samples.length} samples, one every ≥ ${sampleMs / 1000} s between requests)`);
    const duck = qs.map((x) => x.duckMB);
    log(`DuckDB's own memory MB: first fifth ${Math.round(median(duck.slice(0, Math.ceil(duck.length / 5))))}, last fifth ${Math.round(median(duck.slice(-Math.ceil(duck.length / 5))))}`);
    log(`RSS beyond DuckDB's accounting MB: ${result.otherMB.warm} → ${result.otherMB.end} (${(result.otherGrowth * 100).toFixed(1)}%)`);
    log(`V8 heap live after a full GC MB: ${result.liveHeapMB.afterWarmup} → ${result.liveHeapMB.end} (${(result.liveHeapGrowth * 100).toFixed(1)}%)`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
