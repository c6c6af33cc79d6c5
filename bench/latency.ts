/**
 * Metric latency on an EXISTING database, under the same random filters bench/child.ts draws (same
 * seed ⇒ same filters per metric), without importing anything: for comparing metric changes back
 * to back on one database.
 *
 *   npx tsx bench/latency.ts --db /tmp/s3/m1m.duckdb [--metrics kol,graph] [--runs 20] [--seed qunxi] [--dump out.json]
 *
 * Runs each metric once on the whole largest group ("first"), then --runs times under random
 * filters; prints first / p50 / p95 wall ms per metric and pooled, and the p95 of process CPU time
 * (all threads: DuckDB's included). --dump writes every result, for checking that a change leaves
 * them equal. Metrics whose arguments have required fields (drill-downs) are skipped.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Engine } from '../electron/engine/engine.js';
import { getMetric, metricKeys } from '../electron/engine/metrics/registry.js';
import type { Filters } from '../shared/filters.js';
import { filterSpace, randomFilters, Rng } from './filters.js';
import { markdownTable, percentile } from './lib.js';

type Runnable = { args: { safeParse(x: unknown): { success: boolean; data?: unknown } }; run(ctx: unknown, a: unknown): Promise<unknown> };

const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      metrics: { type: 'string' },
      runs: { type: 'string', default: '20' },
      seed: { type: 'string', default: 'qunxi' },
      dump: { type: 'string' },
    },
  });
  if (!values.db) throw new Error('usage: latency.ts --db X.duckdb [--metrics a,b] [--runs N] [--seed S] [--dump F]');
  const runs = Number(values.runs);
  const keys = values.metrics ? values.metrics.split(',').map((s) => s.trim()) : metricKeys();
  const engine = await Engine.open(values.db);
  try {
    const big = await engine.db.one<{ g: number; n: number }>(`SELECT group_id AS g, count(*)::INTEGER AS n FROM messages GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`);
    if (!big) throw new Error('no messages in the database');
    const space = await filterSpace(engine, big.g);
    process.stderr.write(`group ${big.g}: ${big.n.toLocaleString('en-US')} messages, ${space.from} … ${space.to}\n`);
    const rows: string[][] = [];
    const pooled: number[] = [];
    const dump: Record<string, { filters: Filters; result: unknown }[]> = {};
    for (const key of keys) {
      const m = getMetric(key) as Runnable | undefined;
      if (!m) throw new Error(`no metric ${key}`);
      const a = m.args.safeParse({});
      if (!a.success) {
        process.stderr.write(`${key}: skipped (required arguments)\n`);
        continue;
      }
      const time = async (filters: Filters): Promise<{ ms: number; cpu: number; result: unknown }> => {
        const c = cpuMs();
        const s = performance.now();
        const result = await m.run({ db: engine.db, filters }, a.data);
        return { ms: performance.now() - s, cpu: cpuMs() - c, result };
      };
      const whole: Filters = { groups: [big.g] };
      const first = await time(whole);
      const out = (dump[key] = [{ filters: whole, result: first.result }]);
      const rng = new Rng(`${values.seed}:${key}`);
      const ms: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < runs; i++) {
        const filters = randomFilters(rng, space);
        const t = await time(filters);
        ms.push(t.ms);
        cpu.push(t.cpu);
        if (values.dump) out.push({ filters, result: t.result });
      }
      pooled.push(...ms);
      const row = [key, String(Math.round(first.ms)), String(Math.round(percentile(ms, 50))), String(Math.round(percentile(ms, 95))), String(Math.round(percentile(cpu, 95))), String(Math.round(Math.max(...ms)))];
      rows.push(row);
      process.stderr.write(`${row.join(' ')}\n`);
    }
    rows.push(['pooled', '', String(Math.round(percentile(pooled, 50))), String(Math.round(percentile(pooled, 95))), '', '']);
    console.log(markdownTable(['metric', 'first ms', 'p50 ms', 'p95 ms', 'p95 CPU ms', 'max ms'], rows, ['l', 'r', 'r', 'r', 'r', 'r']));
    if (values.dump) writeFileSync(values.dump, JSON.stringify(dump));
  } finally {
    engine.close();
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
