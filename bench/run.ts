/**
 * `npm run bench` — generates exports, imports and analyses each in its own process, measures
 * the peer chat-analytics on the same files, prints one markdown report. See docs/BENCHMARKS.md.
 *
 *   npm run bench -- --sizes 100k,1m,10m [--formats whatsapp,telegram,qq] [--out FILE] [--json FILE]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem, type, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ChildMessage, ChildResult } from './child.js';
import { BENCH_FORMATS, ensureDataset, type BenchFormat } from './data.js';
import { parseSizes, sizeLabel } from './lib.js';
import { ensurePeer, PEER_PACKAGE, PEER_PLATFORM, PEER_VERSION, runPeer, type Peer, type PeerRun } from './peer.js';
import { runMeasured, selfPeakRss } from './proc.js';
import { renderReport, type Machine, type Row } from './report.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');

const USAGE = `npm run bench -- [options]

  --sizes LIST        messages per export: 100k,1m,10m (default 100k,1m)
  --formats LIST      whatsapp,telegram,qq (default all three)
  --seed S            generator and filter seed (default qunxi)
  --dir DIR           cache of exports, databases and the peer (default ${join(tmpdir(), 'qunxi-bench')})
  --out FILE          also write the markdown report to FILE
  --json FILE         write the raw measurements as JSON
  --runs N            metric runs under random filters, per metric (default 20)
  --budget S          stop a metric's latency runs after S seconds (at least 5 runs; default 20)
  --seg-max-mb N      segment at most N MB of message text when timing jieba (default 64)
  --no-peer           skip chat-analytics
  --peer-version V    chat-analytics version (default ${PEER_VERSION})
  --peer-timeout S    kill the peer after S seconds (default 1800)
  --timeout S         kill our import/analyze child after S seconds (default 3600)
  --regen             regenerate the exports even if cached
  --keep-db           keep the databases (default: deleted after measuring their size)
`;

const log = (s: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
};

function dbFiles(db: string): string[] {
  return [db, `${db}.wal`, `${db}.tmp`];
}

function sizeOnDisk(db: string): number | null {
  if (!existsSync(db)) return null;
  return dbFiles(db).slice(0, 2).reduce((s, f) => s + (existsSync(f) ? statSync(f).size : 0), 0);
}

/** The engine version measured: commit, and whether engine sources differ from it. */
function codeVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'electron', 'shared'], { cwd: REPO, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in electron/ or shared/` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

interface OursOutcome {
  result: ChildResult | null;
  error: string | null;
  peakRss: number | null;
}

async function runOurs(file: string, db: string, o: { seed: string; runs: number; budgetS: number; segMaxMb: number; timeoutS: number }): Promise<OursOutcome> {
  for (const f of dbFiles(db)) rmSync(f, { recursive: true, force: true });
  mkdirSync(dirname(db), { recursive: true });
  let result: ChildResult | null = null;
  let error: string | null = null;
  let analyzedPeak: number | null = null;
  let lastProgress = 0;
  const r = await runMeasured(
    process.execPath,
    ['--import', 'tsx', join(HERE, 'child.ts'), '--db', db, '--file', file, '--seed', o.seed, '--runs', String(o.runs),
      '--budget-ms', String(o.budgetS * 1000), '--seg-max-mb', String(o.segMaxMb)],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      timeoutMs: o.timeoutS * 1000,
      onSpawn: (child, poller) => {
        child.on('message', (m: ChildMessage) => {
          if (m.type === 'progress') {
            const now = Date.now();
            if (now - lastProgress > 1500) {
              lastProgress = now;
              log(`  ${m.text}`);
            }
          } else if (m.type === 'analyzed') {
            poller.sample();
            analyzedPeak = poller.peak;
          } else if (m.type === 'result') result = m;
          else if (m.type === 'error') error = m.message;
        });
      },
    },
  );
  if (!result && !error) {
    error = r.timedOut ? `timed out after ${o.timeoutS} s` : `child exited ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-5).join(' ')}`;
    if (/heap out of memory/i.test(r.stderr)) error = `OOM: ${error}`;
  }
  const res = result as ChildResult | null;
  const peaks = [res?.peakRssAnalyze ?? null, analyzedPeak].filter((x): x is number => x !== null && x > 0);
  return { result: res, error, peakRss: peaks.length ? Math.max(...peaks) : null };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100k,1m' },
      formats: { type: 'string', default: BENCH_FORMATS.join(',') },
      seed: { type: 'string', default: 'qunxi' },
      dir: { type: 'string', default: join(tmpdir(), 'qunxi-bench') },
      out: { type: 'string' },
      json: { type: 'string' },
      runs: { type: 'string', default: '20' },
      budget: { type: 'string', default: '20' },
      'seg-max-mb': { type: 'string', default: '64' },
      'no-peer': { type: 'boolean', default: false },
      'peer-version': { type: 'string', default: PEER_VERSION },
      'peer-timeout': { type: 'string', default: '1800' },
      timeout: { type: 'string', default: '3600' },
      regen: { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const sizes = parseSizes(values.sizes);
  const formats = values.formats.split(',').map((s) => s.trim()).filter(Boolean) as BenchFormat[];
  const bad = formats.filter((f) => !BENCH_FORMATS.includes(f));
  if (bad.length || formats.length === 0) throw new Error(`--formats takes ${BENCH_FORMATS.join(',')}; got ${values.formats}`);
  const positive = (v: string, name: string): number => {
    const n = Number(v);
    if (!(n > 0)) throw new Error(`${name} needs a positive number, got ${v}`);
    return n;
  };
  const opts = {
    seed: values.seed,
    runs: positive(values.runs, '--runs'),
    budgetS: positive(values.budget, '--budget'),
    segMaxMb: positive(values['seg-max-mb'], '--seg-max-mb'),
    timeoutS: positive(values.timeout, '--timeout'),
  };
  const peerTimeoutMs = positive(values['peer-timeout'], '--peer-timeout') * 1000;
  const base = resolve(values.dir);
  mkdirSync(base, { recursive: true });

  let peer: Peer | null = null;
  let peerError: string | null = null;
  const wantPeer = !values['no-peer'] && formats.some((f) => PEER_PLATFORM[f]);
  if (wantPeer) {
    const prefix = join(base, 'peer');
    mkdirSync(prefix, { recursive: true });
    try {
      peer = await ensurePeer(prefix, values['peer-version'], log);
      log(`peer: ${PEER_PACKAGE}@${peer.version} (${peer.cli})`);
    } catch (e) {
      peerError = (e as Error).message.split('\n')[0]!.slice(0, 200);
      log(`peer unavailable: ${peerError}`);
    }
  }

  // Other processes competing for the cores skew every number: record how busy the machine was.
  const loadStart = loadavg()[0]!;
  const code = codeVersion();
  const rows: Row[] = [];
  for (const size of sizes) {
    const data = await ensureDataset(REPO, base, size, values.seed, formats, log, values.regen);
    for (const format of formats) {
      const file = data.files[format]!;
      const db = join(data.dir, 'db', `${format}.duckdb`);
      log(`${sizeLabel(size)} ${format}: importing ${(file.bytes / 1048576).toFixed(1)} MB (${file.path})`);
      const ours = await runOurs(file.path, db, opts);
      const dbBytes = sizeOnDisk(db);
      if (!values['keep-db']) for (const f of dbFiles(db)) rmSync(f, { recursive: true, force: true });
      if (ours.result) {
        const r = ours.result;
        log(`${sizeLabel(size)} ${format}: import ${(r.importMs / 1000).toFixed(2)} s, analyze ${(r.analyzeMs / 1000).toFixed(2)} s, peak ${((ours.peakRss ?? 0) / 1048576).toFixed(0)} MB`);
      } else log(`${sizeLabel(size)} ${format}: FAILED ${ours.error?.split('\n')[0]}`);

      let peerRun: PeerRun | null = null;
      if (wantPeer && PEER_PLATFORM[format]) {
        if (peer) {
          log(`${sizeLabel(size)} ${format}: running ${PEER_PACKAGE} …`);
          peerRun = await runPeer(peer, format, file.path, data.dir, peerTimeoutMs);
          log(`${sizeLabel(size)} ${format}: peer ${peerRun.ok ? `${peerRun.wallS?.toFixed(1)} s, ${peerRun.peakRssMB?.toFixed(0)} MB` : `${peerRun.failure}: ${peerRun.detail.slice(0, 200)}`}`);
        } else peerRun = { ok: false, failure: 'not installed', wallS: null, peakRssMB: null, messages: null, detail: peerError ?? '' };
      } else if (wantPeer) {
        peerRun = { ok: false, failure: 'unsupported', wallS: null, peakRssMB: null, messages: null, detail: `${PEER_PACKAGE} cannot read ${format}` };
      }
      rows.push({ size, format, bytes: file.bytes, ours: ours.result, oursError: ours.error, peakRss: ours.peakRss, dbBytes, peer: peerRun });
    }
  }

  const c = cpus();
  const hwm = selfPeakRss();
  const machine: Machine = {
    cores: c.length,
    cpu: c[0]?.model.trim() ?? '?',
    memGB: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${type()} ${release()}`,
    duckdb: rows.find((r) => r.ours)?.ours?.duckdb ?? '?',
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
    peer: peer ? `${PEER_PACKAGE}@${peer.version}` : values['no-peer'] ? 'skipped' : `unavailable (${peerError ?? 'no supported format'})`,
    harnessPeakMB: hwm !== null ? hwm / 1048576 : null,
    code,
    load: `${loadStart.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
  };
  const md = renderReport(rows, machine);
  process.stdout.write(md);
  if (values.out) writeFileSync(values.out, md);
  if (values.json) writeFileSync(values.json, JSON.stringify({ machine, rows }, null, 2) + '\n');
  return rows.every((r) => r.ours) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`bench: ${e.message}\n`);
    process.exit(2);
  },
);
