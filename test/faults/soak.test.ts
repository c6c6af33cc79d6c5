/**
 * Short soak (CI): twenty imports in a row, a warm-up pass (every request kind once), then ~20 s
 * of metric, message and report requests under random filters (a tenth of them cancelled) in one
 * engine process. Every import and request must succeed, and memory must stay flat after warm-up.
 * `npm run soak -- --minutes 10` is the long run; see soak.ts for how the figures are taken.
 *
 * Bounds, from measurements on the 2-core CI-class machine (under load from other work):
 *  - RSS growth after warm-up: 8–13 % in runs of this size (V8 lets its heap's high-water mark
 *    climb for a while before major collections; RSS keeps those pages), 6 % over a 10-minute
 *    full-size run where it levels off. Bound 25 %: noise passes, a leak of a few hundred kB per
 *    request (≈ 100 MB over this run) does not.
 *  - Live V8 heap after a full collection: 2–5 % growth measured. Bound 20 %.
 */
import { describe, expect, it } from 'vitest';
import { runTs } from './lib.js';
import type { SoakResult } from './soak.js';

const RSS_GROWTH_BOUND = 0.25;
const LIVE_HEAP_GROWTH_BOUND = 0.2;

describe('soak', () => {
  it('20 imports then ~20 s of random requests: no failure, memory flat after warm-up', async () => {
    const r = await runTs('soak.ts', ['--seconds', '20', '--imports', '20', '--messages', '500', '--sample', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as SoakResult;
    expect(s.imports.errors).toEqual([]);
    expect(s.imports.files).toBe(20);
    expect(s.queries.failed).toEqual([]);
    expect(s.queries.done).toBeGreaterThan(10);
    expect(s.growthAfterWarmup, JSON.stringify(s.rssMB)).toBeLessThan(RSS_GROWTH_BOUND);
    expect(s.liveHeapGrowth, JSON.stringify(s.liveHeapMB)).toBeLessThan(LIVE_HEAP_GROWTH_BOUND);
  }, 120_000);
});
