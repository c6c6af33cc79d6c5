/**
 * CPU profile of one real import (`qunxi import`, the CLI) on a benchmark export, summarised:
 * top functions and files by self time, per thread.
 *
 *   npx tsx bench/profile.ts [--size 1m] [--format whatsapp] [--seed qunxi] [--dir DIR] [--top 25] [--root DIR]
 *
 * --root profiles the CLI of another checkout (a worktree with a candidate fix) on the same data.
 * The .cpuprofile files stay in <dir>/profiles/ for Chrome DevTools / speedscope. DuckDB's own
 * threads do not appear in them (native, off the JS thread): the wall time minus the sampled JS
 * time is roughly what the main thread spent waiting for SQL.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_FORMATS, ensureDataset, type BenchFormat } from './data.js';
import { markdownTable, MiB, num, parseSize, sizeLabel, summariseProfile, type CpuProfile } from './lib.js';
import { runMeasured } from './proc.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Regex "functions" are named by their whole source; a table cell needs less. */
const short = (s: string): string => (s.length > 70 ? `${s.slice(0, 67)}…` : s).replace(/\|/g, '\\|');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '1m' },
      format: { type: 'string', default: 'whatsapp' },
      seed: { type: 'string', default: 'qunxi' },
      dir: { type: 'string', default: join(tmpdir(), 'qunxi-bench') },
      top: { type: 'string', default: '25' },
      root: { type: 'string' },
    },
  });
  const format = values.format as BenchFormat;
  if (!BENCH_FORMATS.includes(format)) throw new Error(`--format: one of ${BENCH_FORMATS.join(', ')}`);
  const size = parseSize(values.size);
  const base = resolve(values.dir);
  const log = (s: string) => process.stderr.write(`[profile] ${s}\n`);
  const data = await ensureDataset(REPO, base, size, values.seed, [format], log);
  const file = data.files[format]!;
  const root = values.root ? resolve(values.root) : REPO;
  const profDir = join(base, 'profiles', `${sizeLabel(size)}-${format}`);
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const db = join(profDir, 'profile.duckdb');
  log(`profiling import of ${file.path} (${(file.bytes / MiB).toFixed(1)} MB)`);
  const r = await runMeasured(
    process.execPath,
    ['--cpu-prof', '--cpu-prof-dir', profDir, '--import', 'tsx', join(root, 'electron/cli/main.ts'), 'import', file.path, '--db', db, '--json'],
    { cwd: root },
  );
  for (const f of [db, `${db}.wal`, `${db}.tmp`]) rmSync(f, { recursive: true, force: true });
  if (r.code !== 0) throw new Error(`import failed (exit ${r.code}): ${r.stderr.slice(-1000)}`);
  const top = Number(values.top);
  const out: string[] = [
    `## CPU profile: import of ${sizeLabel(size)} ${format} (${(file.bytes / MiB).toFixed(1)} MB)`,
    '',
    `Code: ${root}. Wall ${num(r.wallMs / 1000, 2)} s (profiling on), peak RSS ${num(r.peakRss / MiB, 0)} MB. Profiles: ${profDir}`,
  ];
  const profiles = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile')).sort();
  for (const name of profiles) {
    const p = JSON.parse(readFileSync(join(profDir, name), 'utf8')) as CpuProfile;
    const totalMs = (p.endTime - p.startTime) / 1000;
    const fns = summariseProfile(p, top, root);
    const files = summariseProfile(p, 15, root, 'file');
    out.push(
      '',
      `### ${name} — ${num(totalMs / 1000, 2)} s sampled`,
      '',
      markdownTable(['self ms', 'share', 'function', 'where'], fns.map((e) => [num(e.ms, 0), `${num(100 * e.share, 1)}%`, short(e.name), e.where]), ['r', 'r', 'l', 'l']),
      '',
      markdownTable(['self ms', 'share', 'file'], files.map((e) => [num(e.ms, 0), `${num(100 * e.share, 1)}%`, short(e.where || e.name)]), ['r', 'r', 'l']),
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: Error) => {
  process.stderr.write(`profile: ${e.message}\n`);
  process.exit(1);
});
