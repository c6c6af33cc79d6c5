/**
 * Shared pieces of the fault tests and scripts: sample files, database fingerprints, a seeded
 * random source, and engine child processes (node + tsx, so no build is needed).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../electron/engine/db/database.js';
import { seededRng } from '../../electron/engine/metrics/network/graph-algos.js';
import { MAIN_GROUP, generate, relPath } from '../../sample-data/generate.js';
import type { FormatName } from '../../sample-data/writers.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FAULTS_DIR = join(REPO, 'test', 'faults');

export interface FileSpec {
  format: FormatName;
  seed: string;
  messages: number;
}

/**
 * Writes one sample export per spec under `dir` and returns their paths in spec order. Specs with
 * the same seed and size share one generator run (the four formats render one simulated history).
 */
export async function sampleFiles(dir: string, specs: readonly FileSpec[]): Promise<string[]> {
  const runs = new Map<string, { seed: string; messages: number; formats: Set<FormatName> }>();
  for (const s of specs) {
    const k = `${s.seed}-${s.messages}`;
    const r = runs.get(k) ?? { seed: s.seed, messages: s.messages, formats: new Set() };
    r.formats.add(s.format);
    runs.set(k, r);
  }
  for (const [k, r] of runs) {
    await generate({ out: join(dir, k), messages: r.messages, seed: r.seed, formats: [...r.formats] });
  }
  return specs.map((s) => join(dir, `${s.seed}-${s.messages}`, relPath(s.format, MAIN_GROUP, true)));
}

/** The default kill-test inputs: every format once, plus a second QQ file merging into a known group. */
export function killSpecs(messages: number): FileSpec[] {
  return [
    { format: 'qq', seed: 'k1', messages },
    { format: 'wechat', seed: 'k1', messages },
    { format: 'telegram', seed: 'k1', messages },
    { format: 'whatsapp', seed: 'k1', messages },
    { format: 'qq', seed: 'k2', messages },
  ];
}

/**
 * Everything the canonical tables hold, reduced to counts and order-independent hashes (ids,
 * fingerprints, names, links): two databases with equal fingerprints hold the same data.
 * Import times and durations are left out: they differ between runs by nature.
 */
export async function fingerprint(db: Database): Promise<Record<string, string>> {
  const row = await db.one<Record<string, unknown>>(`SELECT
    (SELECT count(*) FROM sources)::VARCHAR AS sources,
    (SELECT coalesce(sum(hash(id, path, sha256, messages, new_messages, events, rejected)), 0) FROM sources)::VARCHAR AS sources_h,
    (SELECT count(*) FROM groups)::VARCHAR AS groups,
    (SELECT coalesce(sum(hash(id, platform, ext_key, name)), 0) FROM groups)::VARCHAR AS groups_h,
    (SELECT count(*) FROM members)::VARCHAR AS members,
    (SELECT coalesce(sum(hash(id, group_id, key, platform_id, name)), 0) FROM members)::VARCHAR AS members_h,
    (SELECT count(*) FROM member_names)::VARCHAR AS member_names,
    (SELECT coalesce(sum(hash(member_id, name, first_seen, last_seen, messages)), 0) FROM member_names)::VARCHAR AS member_names_h,
    (SELECT count(*) FROM messages)::VARCHAR AS messages,
    (SELECT coalesce(sum(hash(id, group_id, member_id, source_id, ts, fp, reply_to, terms)), 0) FROM messages)::VARCHAR AS messages_h,
    (SELECT count(*) FROM events)::VARCHAR AS events,
    (SELECT coalesce(sum(hash(id, group_id, source_id, kind, actor_id, subject_id, fp)), 0) FROM events)::VARCHAR AS events_h,
    (SELECT count(*) FROM rejects)::VARCHAR AS rejects,
    (SELECT count(*) FROM messages WHERE source_id NOT IN (SELECT id FROM sources))::VARCHAR AS orphan_messages,
    (SELECT count(*) FROM events WHERE source_id NOT IN (SELECT id FROM sources))::VARCHAR AS orphan_events`);
  return row as Record<string, string>;
}

export interface SourceCounts {
  path: string;
  /** What the file holds (sources row) … */
  messages: number;
  newMessages: number;
  events: number;
  rejected: number;
  /** … and what the canonical tables hold for it. */
  storedMessages: number;
  storedEvents: number;
  storedRejects: number;
}

export async function sourceCounts(db: Database): Promise<SourceCounts[]> {
  return db.all<SourceCounts>(`SELECT s.path, s.messages, s.new_messages AS "newMessages", s.events, s.rejected,
      (SELECT count(*) FROM messages m WHERE m.source_id = s.id) AS "storedMessages",
      (SELECT count(*) FROM events e WHERE e.source_id = s.id) AS "storedEvents",
      (SELECT count(*) FROM rejects r WHERE r.source_id = s.id) AS "storedRejects"
    FROM sources s ORDER BY s.id`);
}

/** The engine's mulberry32 (seededRng) seeded from a string: kill times reproducible from a seed. */
export function rng(seed: string): () => number {
  let a = 0;
  for (let i = 0; i < seed.length; i++) a = (Math.imul(a ^ seed.charCodeAt(i), 2654435761) + i) >>> 0;
  return seededRng(a);
}

/** Starts a TypeScript script of this folder in its own Node process (tsx loader, repo as cwd). */
export function spawnTs(script: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(FAULTS_DIR, script), ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
    env: { ...process.env, ...opts.env },
  });
}

/** Runs a child to its end, collecting output. */
export function runTs(
  script: string,
  args: readonly string[],
  opts: SpawnOptions = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const c = spawnTs(script, args, opts);
    let stdout = '';
    let stderr = '';
    c.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('error', rej);
    c.on('close', (code, signal) => res({ code, signal, stdout, stderr }));
  });
}

/** Resolves with the first stdout line matching `re` (rejects if the child exits first). */
export function waitForLine(c: ChildProcess, re: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((res, rej) => {
    let buf = '';
    let err = '';
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${re}; stderr: ${err}`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      for (const line of buf.split('\n')) if (re.test(line)) return done(null, line);
    };
    const onErr = (d: Buffer) => (err += d.toString());
    const onExit = (code: number | null) => done(new Error(`child exited (${code}) before ${re}; stderr: ${err}`));
    const done = (e: Error | null, line?: string) => {
      clearTimeout(timer);
      c.stdout?.off('data', onData);
      c.stderr?.off('data', onErr);
      c.off('exit', onExit);
      if (e) rej(e);
      else res(line!);
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', onErr);
    c.on('exit', onExit);
  });
}
