/**
 * Kill test (CI size): an engine child importing four files is SIGKILLed at seeded random moments;
 * after every kill the database opens and holds exactly the files whose commit had finished (a
 * commit racing the kill may be there, complete), never part of one; re-running the import
 * completes with a clean import's totals. `npm run faults` runs the same with 100 kills.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killCampaign, reference } from './kill.js';
import { killSpecs, sampleFiles } from './lib.js';

const work = mkdtempSync(join(tmpdir(), 'qunxi-kill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('SIGKILL during import', () => {
  it('never leaves a partial file, and a re-run completes with clean totals', async () => {
    // Four formats (the full-size run in `npm run faults` adds a second QQ file merging into a known group).
    const files = await sampleFiles(join(work, 'data'), killSpecs(2000).slice(0, 4));
    const ref = await reference(files, join(work, 'reference.duckdb'));
    const lines: string[] = [];
    const s = await killCampaign({ kills: 10, seed: process.env['QUNXI_FAULT_SEED'] ?? 'ci', files, work, log: (l) => lines.push(l) }, ref);
    if (s.failures.length > 0) console.error(lines.join('\n'));
    expect(s.failures).toEqual([]);
    expect(s.survived).toBe(10);
    expect(s.completedRuns).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
