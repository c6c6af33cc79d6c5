/**
 * Level-1 fuzz: every parser in PARSERS (read at run time, so new parsers are fuzzed too) over
 * mutations of every shared fixture, every committed sample and a few synthetic seeds (seeds.ts):
 * truncations at record boundaries and at random bytes, byte flips/insertions/deletions, invalid
 * UTF-8, partial and whole re-encodings (UTF-16LE/BE, GB18030), CR/LF/CRLF mixes, long lines, long
 * runs of one token inside a line, 100k-deep JSON, huge numbers, impossible dates, duplicated and
 * shuffled records, empty/BOM-only/NUL files — plus 10 MiB lines under a heap bound (cases.ts).
 *
 * Each case must end in records that keep the parser contract (harness.ts) or a FormatError.
 * The cases run in a worker thread watched from here: a case that sends nothing for `hangMs` is a
 * hang (a synchronous loop blocks the worker's own timers; the worker is killed and restarted after
 * that case); a worker out of its heap limit is unbounded memory. The first test proves the harness
 * catches each of these with deliberately broken parsers.
 *
 * A failure prints `#i seed=… mutation=… caseSeed=… parser=…`. The description rebuilds the input
 * (`buildInput(planInputs(), {seed, mutation, caseSeed, shrunk, at})`, cases.ts); `FUZZ_ONLY=i,j`
 * reruns those case indexes while PARSERS and the seeds are unchanged. `FUZZ_SCALE=4` runs 4× the
 * cases per seed.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CONFIG, FUZZ_SCALE } from './cases.js';
import type { WorkerIn, WorkerOut } from './worker.js';

interface RunOptions {
  /** No message from the worker for this long: the running case hangs. */
  hangMs: number;
  heapLimitMb: number;
}
const DEFAULTS: RunOptions = { hangMs: 30_000, heapLimitMb: 2048 };
/** Parallel fuzz workers (at most one per core). */
const WORKERS = 2;

interface Failure {
  i: number;
  desc: string;
  parser: string;
  why: string;
}

interface Stats {
  total: number;
  parsers: string[];
  perParser: Map<string, { cases: number; records: number; formatErrors: number; fails: number; ms: number }>;
  failures: Failure[];
  bigPeak: Map<string, number>;
  restarts: number;
  ms: number;
}

function runWorker(start: WorkerIn, stats: Stats, current: { i: number; desc: string }, o: RunOptions): Promise<'done' | 'hung' | 'crashed'> {
  const HANG_MS = o.hangMs;
  return new Promise((resolve) => {
    const w = new Worker(new URL('./boot.mjs', import.meta.url), {
      workerData: { ...start, entry: new URL('./worker.ts', import.meta.url).href },
      resourceLimits: { maxOldGenerationSizeMb: o.heapLimitMb },
      stdout: false,
      stderr: false,
    });
    let timer = setTimeout(onHang, Math.max(HANG_MS, 30_000) * 2); // loading and planning take a moment
    let settled = false;
    const settle = (r: 'done' | 'hung' | 'crashed'): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    function onHang(): void {
      stats.failures.push({ i: current.i, desc: current.desc, parser: current.desc.split('parser=')[1] ?? '?', why: `no progress for ${HANG_MS} ms: hang` });
      void w.terminate();
      settle('hung');
    }
    w.on('message', (m: WorkerOut) => {
      clearTimeout(timer);
      timer = setTimeout(onHang, HANG_MS);
      switch (m.t) {
        case 'plan':
          stats.total = m.total;
          stats.parsers = m.parsers;
          break;
        case 'start':
          current.i = m.i;
          current.desc = m.desc;
          break;
        case 'case': {
          if (m.parser !== 'sniff') {
            const s = stats.perParser.get(m.parser) ?? { cases: 0, records: 0, formatErrors: 0, fails: 0, ms: 0 };
            s.cases++;
            s.ms += m.ms;
            if (m.outcome === 'records') s.records++;
            else if (m.outcome === 'format-error') s.formatErrors++;
            else s.fails++;
            stats.perParser.set(m.parser, s);
          }
          if (m.big) stats.bigPeak.set(m.parser, Math.max(stats.bigPeak.get(m.parser) ?? 0, m.peakGrowth));
          if (m.outcome === 'fail') stats.failures.push({ i: m.i, desc: current.desc, parser: m.parser, why: m.why ?? '' });
          else if (m.big && m.peakGrowth > CONFIG.bigLineHeapBytes) {
            stats.failures.push({ i: m.i, desc: current.desc, parser: m.parser, why: `heap grew by ${Math.round(m.peakGrowth / 2 ** 20)} MiB on a 10 MiB line` });
          }
          break;
        }
        case 'done':
          settle('done');
          void w.terminate();
          break;
      }
    });
    w.on('error', (e) => {
      stats.failures.push({ i: current.i, desc: current.desc, parser: current.desc.split('parser=')[1] ?? '?', why: `worker died: ${e.message}` });
      settle('crashed');
    });
    w.on('exit', () => {
      if (!settled) {
        stats.failures.push({ i: current.i, desc: current.desc, parser: '?', why: 'worker exited early' });
        settle('crashed');
      }
    });
  });
}

/** Runs the cases (all, or `only`), restarting the worker after the case that hung or killed it. */
async function runAll(stats: Stats, base: Omit<WorkerIn, 'from'>, o: RunOptions): Promise<void> {
  const current = { i: -1, desc: '' };
  let start: WorkerIn = { ...base, from: 0 };
  for (;;) {
    const r = await runWorker(start, stats, current, o);
    if (r === 'done' || current.i < 0) return;
    stats.restarts++;
    if (stats.restarts > 20) return;
    const after = current.i;
    start = base.only ? { ...base, from: 0, only: base.only.filter((i) => i > after) } : { ...base, from: after + 1 };
    if (start.only?.length === 0) return;
    current.i = -1;
  }
}

const newStats = (): Stats => ({ total: 0, parsers: [], perParser: new Map(), failures: [], bigPeak: new Map(), restarts: 0, ms: 0 });

describe('parser fuzz (level 1)', () => {
  it('self-test: a sync hang, an endless async loop, a crash, a bad record and runaway memory are all reported', async () => {
    const stats = newStats();
    // Input 0 (the first seed, unmutated) through each of the six self-test parsers.
    await runAll(stats, { only: [0, 1, 2, 3, 4, 5], selfTest: true, budgetMs: 300 }, { hangMs: 3000, heapLimitMb: 256 });
    const why = Object.fromEntries(stats.failures.map((f) => [f.parser, f.why]));
    expect(why).toEqual({
      'selftest-sync-hang': expect.stringMatching(/^no progress for 3000 ms: hang$/),
      'selftest-async-loop': expect.stringMatching(/^still parsing after 30\d ms/),
      'selftest-crash': expect.stringMatching(/^threw TypeError: Cannot read properties/),
      'selftest-bad-record': expect.stringMatching(/^event references undeclared group "nope"/),
      'selftest-oom': expect.stringMatching(/^worker died: .*(memory|Memory)/),
    });
    expect(stats.perParser.get('selftest-ok')).toMatchObject({ cases: 1, records: 1, fails: 0 });
  }, 120_000);

  it('every parser survives every mutated seed: records + rejects or a FormatError, no hang, bounded heap', async () => {
    const t0 = Date.now();
    const stats = newStats();
    const only = process.env.FUZZ_ONLY ? process.env.FUZZ_ONLY.split(',').map(Number) : undefined;
    // One worker per core: the cases are independent, interleaved so both get a fair mix.
    const n = Math.max(1, Math.min(WORKERS, availableParallelism()));
    await Promise.all(Array.from({ length: n }, (_, k) => runAll(stats, { only, shard: { k, n } }, DEFAULTS)));
    stats.ms = Date.now() - t0;

    const per = stats.parsers
      .map((p) => {
        const s = stats.perParser.get(p);
        const peak = stats.bigPeak.get(p);
        return `${p}=${s?.cases ?? 0} (${s?.records ?? 0} ok/${s?.formatErrors ?? 0} FormatError/${s?.fails ?? 0} fail, ${Math.round(s?.ms ?? 0)} ms${peak !== undefined ? `, 10MiB-line heap +${Math.round(peak / 2 ** 20)} MiB` : ''})`;
      })
      .join('; ');
    const cases = [...stats.perParser.values()].reduce((n, s) => n + s.cases, 0);
    console.log(`[fuzz] level 1: ${cases} cases over ${stats.parsers.length} parsers in ${(stats.ms / 1000).toFixed(1)} s (scale ${FUZZ_SCALE}, ${stats.failures.length} failures, ${stats.restarts} worker restarts): ${per}`);
    const shown = stats.failures.slice(0, 60).map((f) => `#${f.i} ${f.desc} [${f.parser}]: ${f.why}`);
    if (stats.failures.length) console.log(`[fuzz] failures:\n${shown.join('\n')}`);
    expect(shown).toEqual([]);
    if (!only) expect(cases).toBe(stats.total);
  }, 600_000);
});
