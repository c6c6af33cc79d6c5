/**
 * One import, measured from the inside: wall and CPU time (all threads) per phase, peak RSS, the
 * longest silence between progress callbacks (and what ran then), and with --statements the cost
 * of every SQL statement of the merge. For comparing candidate changes on a shared machine, where
 * wall times are noisy and CPU time and peak RSS are not; run candidates back to back (A, B, A, B).
 *
 *   npx tsx bench/import.ts --size 1m --format whatsapp [--memory-limit 512MB] [--statements] [--analyze]
 *   npx tsx bench/import.ts --file path/to/_chat.txt [--db scratch.duckdb]
 *
 * --analyze runs every registered metric once on the group afterwards, as bench/child.ts does.
 * --keep leaves the database in place (with --db: for bench/latency.ts), else it is deleted.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Database } from '../electron/engine/db/database.js';
import { Engine } from '../electron/engine/engine.js';
import { getMetric, metricKeys } from '../electron/engine/metrics/registry.js';
import { BENCH_FORMATS, ensureDataset, type BenchFormat } from './data.js';
import { markdownTable, parseProcStatus, parseSize } from './lib.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const status = () => parseProcStatus(readFileSync('/proc/self/status', 'utf8'));
const mb = (b: number | null): number => Math.round((b ?? 0) / 1048576);

interface Statement {
  sql: string;
  ms: number;
  cpu: number;
  rss: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      size: { type: 'string', default: '1m' },
      format: { type: 'string', default: 'whatsapp' },
      seed: { type: 'string', default: 'qunxi' },
      dir: { type: 'string', default: join(tmpdir(), 'qunxi-bench') },
      db: { type: 'string' },
      'memory-limit': { type: 'string' },
      statements: { type: 'boolean', default: false },
      analyze: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  let file = values.file;
  if (!file) {
    const format = values.format as BenchFormat;
    if (!BENCH_FORMATS.includes(format)) throw new Error(`--format: one of ${BENCH_FORMATS.join(', ')}`);
    const data = await ensureDataset(REPO, resolve(values.dir), parseSize(values.size), values.seed, [format], (s) => process.stderr.write(`[import] ${s}\n`));
    file = data.files[format]!.path;
  }
  const db = values.db ?? join(tmpdir(), `qunxi-import-${process.pid}.duckdb`);
  const clean = () => {
    for (const f of [db, `${db}.wal`, `${db}.tmp`]) rmSync(f, { recursive: true, force: true });
  };
  clean();

  // Every statement the engine runs goes through Database.run/runTicking/all/one/checkpoint.
  const statements: Statement[] = [];
  let current = 'start';
  for (const name of ['run', 'runTicking', 'all', 'checkpoint'] as const) {
    const proto = Database.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const orig = proto[name]!;
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      const sql = typeof args[0] === 'string' ? args[0].replace(/\s+/g, ' ').trim() : name.toUpperCase();
      const t = performance.now();
      const c = cpuMs();
      current = sql;
      try {
        return await orig.apply(this, args);
      } finally {
        statements.push({ sql, ms: performance.now() - t, cpu: cpuMs() - c, rss: mb(status().rss) });
      }
    };
  }

  const t0 = performance.now();
  const c0 = cpuMs();
  const engine = await Engine.open(db, values['memory-limit'] ? { memoryLimit: values['memory-limit'] } : undefined);
  let last = t0;
  let gap = { ms: 0, during: '' };
  const phases: Record<string, { ms: number; cpu: number; rss: number }> = {};
  let phase = '';
  const report = await engine.import([file], {
    onProgress: (p) => {
      const now = performance.now();
      if (now - last > gap.ms) gap = { ms: now - last, during: current };
      last = now;
      if (p.phase !== phase) {
        phase = p.phase;
        phases[phase] = { ms: now - t0, cpu: cpuMs() - c0, rss: mb(status().hwm) };
      }
    },
  });
  const t1 = performance.now();
  const c1 = cpuMs();
  const hwmImport = mb(status().hwm);
  const r = report.results[0];
  if (!r) throw new Error(`import failed: ${report.errors.map((e) => e.reason).join('; ')}`);
  const lines = [
    `file: ${file} (${(r.bytes / 1048576).toFixed(1)} MB, ${r.messages.toLocaleString('en-US')} messages)`,
    `import: ${((t1 - t0) / 1000).toFixed(2)} s wall, ${((c1 - c0) / 1000).toFixed(2)} s CPU (all threads), peak RSS ${hwmImport} MB, ` +
      `longest progress gap ${Math.round(gap.ms)} ms (during: ${gap.during.slice(0, 60)})`,
    `phases (start at, CPU so far, peak RSS so far): ${Object.entries(phases).map(([k, v]) => `${k} ${(v.ms / 1000).toFixed(2)} s / ${(v.cpu / 1000).toFixed(2)} s / ${v.rss} MB`).join('; ')}`,
  ];
  if (values.analyze) {
    const groupId = r.groups.find((g) => g.groupId !== null)?.groupId ?? null;
    const times: string[] = [];
    for (const key of metricKeys()) {
      const m = getMetric(key) as unknown as { args: { safeParse(x: unknown): { success: boolean; data?: unknown } }; run(ctx: unknown, a: unknown): Promise<unknown> };
      const a = m.args.safeParse({});
      if (!a.success) continue; // needs a value from another metric (drill-downs): bench/child.ts feeds those
      const s = performance.now();
      try {
        await m.run({ db: engine.db, filters: { groups: [groupId] } }, a.data);
        times.push(`${key} ${Math.round(performance.now() - s)}`);
      } catch (e) {
        times.push(`${key} failed (${(e as Error).message.split('\n')[0]!.slice(0, 80)})`);
      }
    }
    const t2 = performance.now();
    lines.push(`analyze: ${((t2 - t0) / 1000).toFixed(2)} s wall, ${((cpuMs() - c0) / 1000).toFixed(2)} s CPU, peak RSS ${mb(status().hwm)} MB; metrics ms: ${times.join(', ')}`);
  }
  lines.push(`load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  engine.close();
  if (!values.keep) clean();
  console.log(lines.join('\n'));
  if (values.statements) {
    const top = statements.filter((s) => s.ms >= 20).map((s) => [s.sql.slice(0, 90).replace(/\|/g, '\\|'), String(Math.round(s.ms)), String(Math.round(s.cpu)), String(s.rss)]);
    console.log('\nStatements of 20 ms or more, in order:\n');
    console.log(markdownTable(['statement', 'wall ms', 'CPU ms', 'RSS after MB'], top, ['l', 'r', 'r', 'r']));
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
