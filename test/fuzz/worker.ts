/**
 * Level-1 fuzz loop, run in a worker thread so that the test's main thread can stop it when a case
 * hangs (a synchronous loop blocks the event loop, so no timer in the same thread would fire) or
 * runs out of memory (the worker has a heap limit). Posts one message per case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BUNDLE_PARSERS, PARSERS } from '../../electron/engine/ingest/parsers/index.js';
import { genericParser } from '../../electron/engine/ingest/parsers/generic.js';
import { bufferSource, prepareInput } from '../../electron/engine/ingest/input.js';
import type { BundleParser, Parser, SniffInput } from '../../electron/engine/ingest/types.js';
import { ColumnMappingSchema } from '../../shared/column-mapping.js';
import {
  budgetFor,
  buildBundle,
  buildInput,
  CONFIG,
  describeBundleCase,
  describeCase,
  planBigLines,
  planBundles,
  planInputs,
  type BundleCase,
  type InputCase,
} from './cases.js';
import { checkSniffs, describeError, listBundleSeeds, runBundleCase, runCase } from './harness.js';
import { SELF_TEST_PARSERS } from './selftest-parsers.js';

export interface WorkerIn {
  /** First case index to run (after a restart, the case after the one that hung). */
  from: number;
  /** Run only these case indexes (reproducing a failure). */
  only?: number[];
  /** Run only the cases i with i % shard.n === shard.k (parallel workers). */
  shard?: { k: number; n: number };
  /** Self-test: the broken parsers of selftest-parsers.ts instead of PARSERS. */
  selfTest?: boolean;
  /** Per-case budget (default CONFIG.budgetMs). */
  budgetMs?: number;
}

export type WorkerOut =
  | { t: 'plan'; total: number; parsers: string[]; inputs: number }
  | { t: 'start'; i: number; desc: string }
  | { t: 'case'; i: number; parser: string; outcome: 'records' | 'format-error' | 'fail'; why?: string; ms: number; peakGrowth: number; big: boolean }
  | { t: 'done' };

const port = parentPort!;
const send = (m: WorkerOut): void => port.postMessage(m);
const { from, only, shard, selfTest, budgetMs } = workerData as WorkerIn;
const budget = budgetMs ?? CONFIG.budgetMs;

/**
 * The generic CSV/JSONL parser runs with a column mapping the user picks; fuzz it with the mappings
 * of the repository's generic fixtures (every input goes through each).
 */
const GENERIC: { label: string; parser: Parser }[] = [
  ['generic-csv', { format: 'csv', time: 'date', senderName: 'author', senderId: 'author_id', text: 'content', replyTo: 'reply_to', messageId: 'id', group: 'channel', kind: 'type' }],
  ['generic-csv;', { format: 'csv', delimiter: ';', time: '时间', senderName: '发送者', senderId: '用户ID', text: '内容', kind: '类型', timeFormat: 'DD/MM/YYYY HH:mm' }],
  ['generic-jsonl', { format: 'jsonl', time: 'ts', senderName: 'author.name', senderId: 'author.id', text: 'text', replyTo: 'reply_to', messageId: 'id', group: 'chat' }],
].map(([label, m]) => ({ label: label as string, parser: genericParser(ColumnMappingSchema.parse(m)) }));

const parsers: { label: string; parser: Parser }[] = selfTest
  ? SELF_TEST_PARSERS.map((p) => ({ label: p.format, parser: p }))
  : [...PARSERS.map((p) => ({ label: p.format, parser: p })), ...GENERIC];
const bundleParsers: readonly BundleParser[] = selfTest ? [] : BUNDLE_PARSERS;

const plan = planInputs();
// The first seed each parser claims (it sniffs best and at least 0.5) gets a 10 MiB line for that parser.
const native = new Map<string, string>();
for (const id of plan.seeds.keys()) {
  const { sniff } = await prepareInput(bufferSource(id, buildInput(plan, { seed: id, mutation: 'original', caseSeed: 0, shrunk: true })));
  let best: string | null = null;
  let score = 0.5;
  for (const { label, parser } of parsers) {
    const s = safeSniff(parser, sniff);
    if (s >= score) [best, score] = [label, s];
  }
  if (best !== null && !native.has(best)) native.set(best, id);
}
const inputs: InputCase[] = [...plan.inputs, ...planBigLines(native)];
const bundleSeeds = selfTest ? [] : listBundleSeeds();
const bundles: BundleCase[] = planBundles(bundleSeeds.map((b) => b.id));

/** Case i: (input, parser) pairs first (inputs that name their parsers run only those), then (bundle, bundle parser). */
type Case = { kind: 'file'; k: number; label: string; parser: Parser } | { kind: 'bundle'; k: number; parser: BundleParser };
const cases: Case[] = [];
inputs.forEach((c, k) => {
  for (const { label, parser } of parsers) if (!c.parsers || c.parsers.includes(label)) cases.push({ kind: 'file', k, label, parser });
});
bundles.forEach((_, k) => {
  for (const parser of bundleParsers) cases.push({ kind: 'bundle', k, parser });
});
const total = cases.length;
send({ t: 'plan', total, parsers: [...parsers.map((p) => p.label), ...bundleParsers.map((p) => p.format)], inputs: inputs.length + bundles.length });

function safeSniff(p: Parser, s: SniffInput): number {
  try {
    return p.sniff(s);
  } catch {
    return 0;
  }
}

let built = -1;
let data: Uint8Array = new Uint8Array(0);
let builtBundle = -1;
let bundleFiles: Record<string, Uint8Array> = {};
const indexes = (only ?? Array.from({ length: Math.max(0, total - from) }, (_, k) => from + k)).filter((i) => !shard || i % shard.n === shard.k);
for (const i of indexes) {
  const c = cases[i]!;
  if (c.kind === 'bundle') {
    const b = bundles[c.k]!;
    send({ t: 'start', i, desc: `${describeBundleCase(b)} parser=${c.parser.format}` });
    if (c.k !== builtBundle) {
      bundleFiles = buildBundle(bundleSeeds.find((s) => s.id === b.bundle)!.files, b);
      builtBundle = c.k;
    }
    try {
      const r = await runBundleCase(c.parser, bundleFiles, budget);
      send({ t: 'case', i, parser: c.parser.format, outcome: r.outcome, why: r.why, ms: r.ms, peakGrowth: 0, big: false });
    } catch (e) {
      send({ t: 'case', i, parser: c.parser.format, outcome: 'fail', why: `harness: ${describeError(e)}`, ms: 0, peakGrowth: 0, big: false });
    }
    continue;
  }
  const input = inputs[c.k]!;
  send({ t: 'start', i, desc: `${describeCase(input)} parser=${c.label}` });
  if (c.k !== built) {
    data = buildInput(plan, input);
    built = c.k;
    // Sniffers see every input once (the importer sniffs with all of them).
    const { sniff } = await prepareInput(bufferSource('fuzz', data));
    const why = checkSniffs(parsers.map((p) => p.parser), sniff);
    if (why) send({ t: 'case', i, parser: 'sniff', outcome: 'fail', why, ms: 0, peakGrowth: 0, big: !!input.big });
  }
  try {
    const name = input.seed.split('/').pop() ?? 'fuzz';
    const r = await runCase(c.parser, data, name, input.big ? CONFIG.bigLineBudgetMs : budgetFor(data.length, budget), !!input.big);
    send({ t: 'case', i, parser: c.label, outcome: r.outcome, why: r.why, ms: r.ms, peakGrowth: r.peakGrowth, big: !!input.big });
  } catch (e) {
    send({ t: 'case', i, parser: c.label, outcome: 'fail', why: `harness: ${describeError(e)}`, ms: 0, peakGrowth: 0, big: !!input.big });
  }
}
send({ t: 'done' });
