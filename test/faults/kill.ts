/**
 * The kill campaign behind kill-import.test.ts (CI, a few kills) and `npm run faults` (a hundred):
 * an engine child imports a list of files into one database and is SIGKILLed at a seeded random
 * moment (a random stretch of a measured whole run — start-up, a file's parse, its merge
 * transaction, the duplicate check, the final checkpoint… — then a random point within it).
 * The database is then opened (read-only or read-write, at random) and must hold exactly a prefix
 * of the list: every file the child reported committed, at most one more whose commit raced the
 * kill, each complete, the whole equal to a clean import of that prefix. The next child re-runs
 * the import on the same database (so kills also land in WAL replay, duplicate detection and
 * checkpoints); once every file is in, a re-run must complete with a clean import's totals, and
 * a fresh database starts the next round.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../../electron/engine/db/database.js';
import { Engine } from '../../electron/engine/engine.js';
import { fingerprint, rng, sourceCounts, spawnTs, type SourceCounts } from './lib.js';

export interface KillOptions {
  kills: number;
  seed: string;
  files: readonly string[];
  /** Scratch folder for the databases. */
  work: string;
  log?: (line: string) => void;
}

export interface Reference {
  /** fingerprint after importing files[0..k) cleanly, for k = 0..n. */
  prefix: Record<string, string>[];
  sources: SourceCounts[];
  /** Wall time of the clean import of every file, in ms. */
  importMs: number;
}

export interface KillStats {
  kills: number;
  /** Kills after which every check held. */
  survived: number;
  /** Children that ran to their end (calibration, a re-run once every file was in, the final re-run), each checked against the clean import. */
  completedRuns: number;
  /** Kills after which the database held a file whose `done` line the child had not printed yet. */
  racedCommits: number;
  /** Opens that found a write-ahead log left by a killed child (recovery by replay). */
  walRecoveries: number;
  /** Where the kills landed. */
  byPhase: Record<string, number>;
  failures: string[];
  seconds: number;
}

/** Clean import of the files one at a time, fingerprinting every prefix. */
export async function reference(files: readonly string[], dbPath: string): Promise<Reference> {
  rmSync(dbPath, { force: true });
  rmSync(dbPath + '.wal', { force: true });
  const engine = await Engine.open(dbPath);
  try {
    const prefix = [await fingerprint(engine.db)];
    const t0 = Date.now();
    for (const f of files) {
      const r = await engine.import([f]);
      if (r.errors.length > 0 || r.results.length !== 1) throw new Error(`reference import of ${f} failed: ${JSON.stringify(r.errors)}`);
      prefix.push(await fingerprint(engine.db));
    }
    return { prefix, sources: await sourceCounts(engine.db), importMs: Date.now() - t0 };
  } finally {
    engine.close();
  }
}

interface ChildRun {
  lines: string[];
  /** When each line arrived, ms after spawn. */
  at: number[];
  killed: boolean;
  /** ms after spawn when the kill was sent. */
  killedAt: number | null;
  code: number | null;
  stderr: string;
  ms: number;
}

/** Kill `delayMs` after the child prints `anchor` (null: after spawn). */
interface KillPlan {
  anchor: string | null;
  delayMs: number;
}

function runChild(db: string, files: readonly string[], plan: KillPlan | null): Promise<ChildRun> {
  return new Promise((res, rej) => {
    const t0 = Date.now();
    const c = spawnTs('engine-child.ts', ['import', '--db', db, ...files]);
    let buf = '';
    const lines: string[] = [];
    const at: number[] = [];
    let stderr = '';
    let killed = false;
    let killedAt: number | null = null;
    let timer: NodeJS.Timeout | null = null;
    const arm = () => {
      timer = setTimeout(() => {
        killedAt = Date.now() - t0;
        killed = c.kill('SIGKILL');
      }, plan!.delayMs);
    };
    if (plan && plan.anchor === null) arm();
    c.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        at.push(Date.now() - t0);
        if (plan && !timer && line === plan.anchor) arm();
      }
    });
    c.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('error', rej);
    c.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      res({ lines, at, killed: killed && signal === 'SIGKILL', killedAt, code, stderr, ms: Date.now() - t0 });
    });
  });
}

/**
 * The stretches of a whole run between two consecutive lines (the first from a little before the
 * database opens): every stretch (start-up and WAL replay, each file's parse, merge transaction
 * and duplicate check, the final checkpoint, closing) is as likely to be hit as any other, and
 * within it the moment is uniform.
 */
function stretches(whole: ChildRun): { anchor: string | null; from: number; len: number }[] {
  const out: { anchor: string | null; from: number; len: number }[] = [];
  const opened = whole.lines.indexOf('opened');
  if (opened >= 0) out.push({ anchor: null, from: 0.8 * whole.at[opened]!, len: 0.2 * whole.at[opened]! });
  for (let i = Math.max(opened, 0); i < whole.lines.length; i++) {
    const end = i + 1 < whole.lines.length ? whole.at[i + 1]! : whole.ms;
    out.push({ anchor: whole.lines[i]!, from: 0, len: end - whole.at[i]! });
  }
  return out;
}

/** Names the phase the child was in when it died, from the last line it printed. */
function phaseOf(lines: readonly string[], files: readonly string[]): string {
  const last = lines.at(-1);
  if (!last) return 'startup/open (WAL replay, migrations)';
  if (last === 'opened') return 'reading the first file';
  if (last.startsWith('phase parse')) return 'parse/stage';
  if (last.startsWith('phase merge')) return 'merge transaction';
  if (last.startsWith('done ')) return last.slice(5) === files.at(-1) ? 'final checkpoint' : 'between files (sniff, hash)';
  if (last.startsWith('imported')) return 'close';
  if (last === 'closed') return 'exit';
  return `after "${last.slice(0, 40)}"`;
}

const same = (a: Record<string, string>, b: Record<string, string> | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Checks the database after a kill; returns the number of files it holds. Throws on any violation. */
async function verify(
  db: string,
  files: readonly string[],
  ref: Reference,
  before: number,
  printed: readonly string[],
  readOnly: boolean,
): Promise<{ held: number; raced: boolean }> {
  if (!existsSync(db)) {
    if (before > 0 || printed.length > 0) throw new Error('the database file vanished');
    return { held: 0, raced: false };
  }
  const d = await Database.open(db, { readOnly });
  try {
    // Killed while creating the schema (each migration is its own transaction): no file yet.
    if ((await d.schemaVersion()) < d.latestVersion) {
      if (before > 0 || printed.length > 0) throw new Error('the schema went back to an earlier version');
      return { held: 0, raced: false };
    }
    const got = await sourceCounts(d);
    const paths = got.map((s) => s.path);
    const want = files.slice(0, got.length);
    if (JSON.stringify(paths) !== JSON.stringify(want)) throw new Error(`sources are not a prefix of the import list: ${paths.join(', ')}`);
    if (got.length < before) throw new Error(`committed files were lost: had ${before}, now ${got.length}`);
    const printedIdx = printed.map((p) => files.indexOf(p));
    for (const [i, p] of printedIdx.entries()) if (p < 0 || p >= got.length) throw new Error(`file reported committed is missing: ${printed[i]}`);
    // Everything the child reported, everything committed before, and at most one more (its
    // commit raced the kill): never two files beyond what was known.
    const known = Math.max(before, ...printedIdx.map((p) => p + 1));
    if (got.length > known + 1) throw new Error(`${got.length} files held but only ${known} known committed`);
    for (const [i, s] of got.entries()) {
      const r = ref.sources[i]!;
      const ok = s.messages === r.messages && s.newMessages === r.newMessages && s.events === r.events && s.rejected === r.rejected &&
        s.storedMessages === r.storedMessages && s.storedEvents === r.storedEvents && s.storedRejects === r.storedRejects;
      if (!ok) throw new Error(`partial file ${s.path}: ${JSON.stringify(s)} but a clean import gives ${JSON.stringify(r)}`);
    }
    const fp = await fingerprint(d);
    if (!same(fp, ref.prefix[got.length])) {
      throw new Error(`database differs from a clean import of ${got.length} file(s): ${JSON.stringify(fp)} vs ${JSON.stringify(ref.prefix[got.length])}`);
    }
    return { held: got.length, raced: got.length === known + 1 };
  } finally {
    d.close();
  }
}

export async function killCampaign(o: KillOptions, ref: Reference): Promise<KillStats> {
  const log = o.log ?? (() => undefined);
  const rand = rng(o.seed);
  const t0 = Date.now();
  const stats: KillStats = { kills: 0, survived: 0, completedRuns: 0, racedCommits: 0, walRecoveries: 0, byPhase: {}, failures: [], seconds: 0 };
  let round = 0;
  let db = '';
  let held = 0;
  const fresh = () => {
    round++;
    db = join(o.work, `kill-${round}.duckdb`);
    rmSync(db, { force: true });
    rmSync(db + '.wal', { force: true });
    held = 0;
  };
  /** A child run to its end: it must complete with a clean import's totals. Returns its duration. */
  const complete = async (why: string, done?: ChildRun): Promise<ChildRun> => {
    const run = done ?? (await runChild(db, o.files, null));
    if (run.code !== 0 || !run.lines.some((l) => l.startsWith('imported'))) {
      throw new Error(`${why}: the import did not complete (exit ${run.code}): ${run.lines.slice(-3).join(' | ')} ${run.stderr.slice(-500)}`);
    }
    const d = await Database.open(db);
    try {
      const fp = await fingerprint(d);
      if (!same(fp, ref.prefix[o.files.length])) throw new Error(`${why}: totals differ from a clean import: ${JSON.stringify(fp)}`);
    } finally {
      d.close();
    }
    stats.completedRuns++;
    log(`${why}: the import ran to its end in ${run.ms} ms; totals equal a clean import`);
    return run;
  };

  try {
    // A whole run on a fresh database here and now, to know where its stretches lie.
    fresh();
    const all = stretches(await complete('calibration run'));
    fresh();
    // The first run paid for cold caches (module transforms, page cache): start-up is as quick
    // as the quickest seen since.
    let openedMin = all[0]?.anchor === null ? all[0].from / 0.8 : Infinity;
    while (stats.kills < o.kills) {
      const st = all[Math.floor(rand() * all.length)]!;
      const plan: KillPlan = st.anchor === null
        ? { anchor: null, delayMs: Math.round(openedMin * (0.8 + rand() * 0.2)) }
        : { anchor: st.anchor, delayMs: Math.round(st.from + rand() * st.len) };
      const run = await runChild(db, o.files, plan);
      const opened = run.lines.indexOf('opened');
      if (opened >= 0) openedMin = Math.min(openedMin, run.at[opened]!);
      const at = run.killedAt ?? run.ms;
      if (!run.killed) {
        // It finished first (this run was quicker than the measured one).
        await complete(`round ${round} (finished before its kill)`, run);
        fresh();
        continue;
      }
      stats.kills++;
      const phase = phaseOf(run.lines, o.files);
      stats.byPhase[phase] = (stats.byPhase[phase] ?? 0) + 1;
      const printed = run.lines.filter((l) => l.startsWith('done ')).map((l) => l.slice(5));
      if (existsSync(db + '.wal') && statSync(db + '.wal').size > 0) stats.walRecoveries++;
      const readOnly = rand() < 0.5;
      try {
        const v = await verify(db, o.files, ref, held, printed, readOnly);
        if (v.raced) stats.racedCommits++;
        stats.survived++;
        held = v.held;
        log(`kill ${stats.kills}/${o.kills} at ${at} ms (${phase}): ${v.held}/${o.files.length} files held${v.raced ? ' (one committed just before the kill)' : ''}; checked ${readOnly ? 'read-only' : 'read-write'}`);
      } catch (e) {
        stats.failures.push(`kill ${stats.kills} at ${at} ms (${phase}): ${(e as Error).message}`);
        log(`FAIL kill ${stats.kills} at ${at} ms (${phase}): ${(e as Error).message}`);
        fresh();
        continue;
      }
      // Every file in: re-running the import must now complete with clean totals; then start over.
      if (held === o.files.length) {
        await complete(`round ${round} re-run`);
        fresh();
      }
    }
    // However the last kill fell, re-running the import must complete with a clean import's totals.
    if (held > 0 || existsSync(db)) await complete('final re-run');
  } catch (e) {
    stats.failures.push((e as Error).message);
    log(`FAIL ${(e as Error).message}`);
  }
  stats.seconds = (Date.now() - t0) / 1000;
  return stats;
}
