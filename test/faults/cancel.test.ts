/**
 * Cancellation: an import cancelled mid-file leaves the database exactly as before that file; a
 * metric cancelled mid-query is interrupted inside DuckDB (rejects at once instead of running to
 * its end); either way the engine stays usable and the next request gives the right answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Engine } from '../../electron/engine/engine.js';
import { Metrics } from '../../electron/engine/metrics/registry.js';
import { defineMetric } from '../../electron/engine/metrics/types.js';
import { fingerprint, sampleFiles } from './lib.js';
import { rpcClient } from './rpc.js';

const work = mkdtempSync(join(tmpdir(), 'qunxi-cancel-'));
let files: string[] = [];
beforeAll(async () => {
  files = await sampleFiles(join(work, 'data'), [
    { format: 'qq', seed: 'c1', messages: 6000 },
    { format: 'telegram', seed: 'c1', messages: 6000 },
    { format: 'whatsapp', seed: 'c1', messages: 6000 },
  ]);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('cancelling an import', () => {
  it('mid-parse: the cancelled file leaves no trace, the files before it stay, the engine goes on', async () => {
    const engine = await Engine.open(join(work, 'parse.duckdb'));
    try {
      await engine.import([files[0]!]);
      const before = await fingerprint(engine.db);
      const ac = new AbortController();
      const phases: string[] = [];
      const run = engine.import([files[1]!, files[2]!], {
        signal: ac.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          if (p.phase === 'parse' && p.bytesRead > 0) ac.abort();
        },
      });
      await expect(run).rejects.toMatchObject({ name: 'ImportCancelled' });
      expect(phases).not.toContain('merge');
      expect(await fingerprint(engine.db)).toEqual(before);
      // No staging table survives into the next import, which must be complete.
      const again = await engine.import([files[1]!]);
      expect(again.errors).toEqual([]);
      expect(again.results[0]!.newMessages).toBe(6000);
      expect((await engine.sources()).map((s) => s.path)).toEqual([files[0], files[1]]);
    } finally {
      engine.close();
    }
  });

  it('through the RPC host: the client gets ImportCancelled and the same connection keeps working', async () => {
    const engine = await Engine.open(join(work, 'rpc.duckdb'));
    const rpc = rpcClient(engine);
    try {
      const ac = new AbortController();
      const run = rpc.call('importFiles', { paths: [files[2]!] }, {
        signal: ac.signal,
        onProgress: (p) => {
          if ((p as { phase: string }).phase === 'parse') ac.abort();
        },
      });
      await expect(run).rejects.toMatchObject({ name: 'ImportCancelled' });
      expect(await rpc.call('listSources', {})).toEqual([]);
      expect(await rpc.call('listGroups', {})).toEqual([]);
      const ok = (await rpc.call('importFiles', { paths: [files[2]!] })) as { results: { newMessages: number }[] };
      expect(ok.results[0]!.newMessages).toBe(6000);
    } finally {
      rpc.close();
      engine.close();
    }
  });

  it('during the merge: too late to stop that file, which is then whole; the next file is not started', async () => {
    const engine = await Engine.open(join(work, 'merge.duckdb'));
    try {
      const ac = new AbortController();
      const report = await engine.import([files[0]!, files[1]!], {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.phase === 'merge') ac.abort();
        },
      });
      expect(report.results.map((r) => r.file)).toEqual([files[0]]);
      const src = await engine.sources();
      expect(src.map((s) => s.path)).toEqual([files[0]]);
      const n = await engine.db.one<{ n: number }>(`SELECT count(*) AS n FROM messages`);
      expect(n!.n).toBe(6000);
    } finally {
      engine.close();
    }
  });
});

/**
 * A metric whose one query scans the library `rounds` times over. Injected into the registry so
 * the test does not hang on how fast the real metrics happen to be (they read precomputed tables
 * and finish in milliseconds on test data); it runs through the same host path as any metric.
 */
const slowScan = defineMetric({
  key: 'faultsSlowScan',
  title: { zh: '慢', en: 'Slow scan' },
  args: z.object({ rounds: z.number().int().min(1) }).strict(),
  async run({ db }, a) {
    return db.one(`SELECT count(*) AS n FROM messages m, range($r) t(i) WHERE hash(m.text, i) % 7 = 3`, { r: a.rounds });
  },
});

describe('cancelling a metric', () => {
  let engine: Engine;
  beforeAll(async () => {
    (Metrics as Record<string, unknown>)[slowScan.key] = slowScan;
    engine = await Engine.open(join(work, 'metrics.duckdb'));
    await engine.import([files[0]!]);
  }, 60_000);
  afterAll(() => {
    delete (Metrics as Record<string, unknown>)[slowScan.key];
    engine?.close();
  });

  it('is interrupted inside DuckDB, rejects promptly, and the next query answers correctly', async () => {
    const rpc = rpcClient(engine);
    try {
      const expected = await rpc.call('runMetric', { key: 'overview', filters: {}, args: {} });
      const ac = new AbortController();
      const t0 = Date.now();
      let abortedAt = 0;
      // 6000 messages × 10^6 rounds: minutes of work if nothing stops it.
      const run = rpc.call('runMetric', { key: slowScan.key, filters: {}, args: { rounds: 1_000_000 } }, { signal: ac.signal });
      setTimeout(() => {
        abortedAt = Date.now();
        ac.abort();
      }, 300);
      const err = await run.then(
        () => null,
        (e: Error) => e,
      );
      const afterAbort = Date.now() - abortedAt;
      expect(err, `the scan finished in ${Date.now() - t0} ms before it could be cancelled`).not.toBeNull();
      expect(err!.message).toMatch(/interrupt/i);
      expect(afterAbort).toBeLessThan(1000);
      expect(await rpc.call('runMetric', { key: 'overview', filters: {}, args: {} })).toEqual(expected);
    } finally {
      rpc.close();
    }
  }, 60_000);

  // KNOWN BUG (reproducer, see below): `it.fails` is green while the bug lasts.
  it.fails('cancelling one metric leaves another running metric alone', async () => {
    const rpc = rpcClient(engine);
    try {
      const other = rpc.call('runMetric', { key: slowScan.key, filters: {}, args: { rounds: 20_000 } }).then(
        () => 'finished',
        (e: Error) => e.message,
      );
      await new Promise((r) => setTimeout(r, 100));
      const ac = new AbortController();
      const cancelled = rpc.call('runMetric', { key: 'overview', filters: {}, args: {} }, { signal: ac.signal }).catch(() => null);
      ac.abort();
      await cancelled;
      // Today: "INTERRUPT Error: Interrupted!" although nobody cancelled it.
      expect(await other).toBe('finished');
    } finally {
      rpc.close();
    }
  }, 60_000);
});

/**
 * KNOWN BUGS, kept as reproducers (`it.fails`: green while the bug is there; when it is fixed,
 * vitest reports them failing: turn them into plain `it`). Cause: every request of a host shares
 * the engine's one DuckDB connection, and `db.interrupt()` stops whatever statement runs on it.
 * Database now ignores interrupts during transactions and stepped statements (the merge itself),
 * but an import also runs statements outside its transaction (staging, summary, duplicate check),
 * and one metric's cancel still stops another metric's query (above).
 * Fix direction: a connection per request (and one for the import), interrupting only its own.
 */
describe('known bugs: one DuckDB connection serves every concurrent request', () => {
  it.fails('cancelling metrics while files are imported does not fail the imports', async () => {
    const engine = await Engine.open(join(work, 'cross.duckdb'));
    const rpc = rpcClient(engine);
    try {
      const errors: unknown[] = [];
      for (const f of files) {
        // A chart asked for and dropped again and again (filters being changed) during the import.
        let done = false;
        let churn: Promise<void> | null = null;
        const report = (await rpc.call('importFiles', { paths: [f] }, {
          onProgress: () => {
            churn ??= (async () => {
              while (!done) {
                const ac = new AbortController();
                const r = rpc.call('runMetric', { key: 'overview', filters: {}, args: {} }, { signal: ac.signal }).catch(() => null);
                setTimeout(() => ac.abort(), 1);
                await r;
              }
            })();
          },
        })) as { errors: unknown[] };
        done = true;
        await churn;
        errors.push(...report.errors);
      }
      // Today: [{ reason: 'INTERRUPT Error: Interrupted!' }, …]: files not imported.
      expect(errors).toEqual([]);
    } finally {
      rpc.close();
      engine.close();
    }
  }, 60_000);
});

describe('requests while an import merges', () => {
  // The library view refreshing again and again while a file is merged must not break the import.
  it('reads during the merge do not make the import fail', async () => {
    const engine = await Engine.open(join(work, 'reads.duckdb'));
    const rpc = rpcClient(engine);
    try {
      let done = false;
      let reads = 0;
      let polling: Promise<void> | null = null;
      const report = (await rpc.call('importFiles', { paths: [files[1]!] }, {
        onProgress: (p) => {
          if ((p as { phase: string }).phase !== 'merge' || polling) return;
          polling = (async () => {
            while (!done) {
              await rpc.call('listGroups', {});
              reads++;
            }
          })();
        },
      })) as { errors: unknown[]; results: unknown[] };
      done = true;
      await polling;
      expect(reads).toBeGreaterThan(0);
      expect(report.errors).toEqual([]);
      expect((await rpc.call('listGroups', {})) as { messages: number }[]).toMatchObject([{ messages: 6000 }]);
    } finally {
      rpc.close();
      engine.close();
    }
  }, 60_000);
});
