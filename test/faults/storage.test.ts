/**
 * Storage that refuses writes. A read-only folder or file: a clear error, no crash, nothing
 * changed. A full disk: a real small tmpfs when the test may mount one (root with CAP_SYS_ADMIN,
 * as in CI), plus a faked failing commit that runs anywhere: the import reports a clear error,
 * the database stays as it was, the engine keeps serving and the file re-opens.
 *
 * Run as root, permission bits do not stop us: the read-only cases then run their engine child
 * as the unprivileged user `nobody` (65534), which they do stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Engine } from '../../electron/engine/engine.js';
import { fingerprint, REPO, runTs, sampleFiles } from './lib.js';

const root = process.getuid?.() === 0;
const asUser = root ? { uid: 65534, gid: 65534 } : {};
const work = mkdtempSync(join(tmpdir(), 'qunxi-storage-'));
chmodSync(work, 0o755);
const base = join(work, 'base.duckdb');
const small = join(REPO, 'sample-data', 'whatsapp', '_chat.txt');
let big = '';
let baseFp: Record<string, string> = {};

beforeAll(async () => {
  big = (await sampleFiles(join(work, 'data'), [{ format: 'telegram', seed: 's1', messages: 6000 }]))[0]!;
  for (const d of [work, join(work, 'data'), join(work, 'data', 's1-6000'), join(work, 'data', 's1-6000', 'telegram')]) chmodSync(d, 0o755);
  chmodSync(big, 0o644);
  const e = await Engine.open(base);
  await e.import([small]);
  baseFp = await fingerprint(e.db);
  e.close();
});
afterAll(() => {
  for (const d of readdirSync(work)) if (d.startsWith('ro')) chmodSync(join(work, d), 0o755);
  rmSync(work, { recursive: true, force: true });
});

/** A folder for the unprivileged child, made read-only after `fill` has put files in it. */
function readOnlyDir(name: string, fill: (dir: string) => void = () => undefined): string {
  const dir = join(work, name);
  mkdirSync(dir);
  fill(dir);
  chmodSync(dir, 0o555);
  return dir;
}

describe('read-only storage', () => {
  it('a new database in a read-only folder: a clear error, exit without crash, nothing created', async () => {
    const dir = readOnlyDir('ro-new');
    const r = await runTs('engine-child.ts', ['open', '--db', join(dir, 'library.duckdb')], asUser);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error SchemaError: .*library\.duckdb: cannot open database: permission denied: the database file or its folder is read-only/m);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a writable database in a read-only folder: the import fails clearly at commit, the file is unchanged', async () => {
    const dir = readOnlyDir('ro-folder', (d) => {
      copyFileSync(base, join(d, 'x.duckdb'));
      if (root) chownSync(join(d, 'x.duckdb'), 65534, 65534);
    });
    const p = join(dir, 'x.duckdb');
    const before = readFileSync(p);
    const r = await runTs('engine-child.ts', ['import', '--db', p, big], asUser);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.startsWith('imported '))!;
    const report = JSON.parse(line.slice(9)) as { files: number; errors: { reason: string }[] };
    expect(report.files).toBe(0);
    expect(report.errors[0]!.reason).toMatch(/^cannot save to the database: permission denied: .*read-only.*; nothing of this change was saved/);
    expect(readFileSync(p).equals(before)).toBe(true);
    expect(existsSync(p + '.wal')).toBe(false);
  });

  it('a library from an older Qunxi in a read-only folder: the upgrade cannot be saved, a clear error, unchanged', async () => {
    const dir = readOnlyDir('ro-old', (d) => {
      const p = join(d, 'old.duckdb');
      execFileSync(process.execPath, ['--import', 'tsx', '-e', `
        const { Database } = await import('./electron/engine/db/database.ts');
        const { MIGRATIONS } = await import('./electron/engine/db/schema.ts');
        (await Database.open(${JSON.stringify(p)}, { migrations: MIGRATIONS.slice(0, 1) })).close();`], { cwd: REPO });
      if (root) chownSync(p, 65534, 65534);
    });
    const p = join(dir, 'old.duckdb');
    const before = readFileSync(p);
    const r = await runTs('engine-child.ts', ['open', '--db', p], asUser);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error SchemaError: .*old\.duckdb: cannot open database: permission denied: .*read-only for this user; nothing of this change was saved/m);
    expect(readFileSync(p).equals(before)).toBe(true);
  });

  it('a read-only database file: a clear error, the file is unchanged', async () => {
    const dir = join(work, 'ro-file');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const p = join(dir, 'x.duckdb');
    copyFileSync(base, p);
    chmodSync(p, 0o444);
    const before = readFileSync(p);
    const r = await runTs('engine-child.ts', ['open', '--db', p], asUser);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/cannot open database: permission denied/);
    expect(readFileSync(p).equals(before)).toBe(true);
  });
});

describe('disk full (faked: the commit fails as DuckDB fails on ENOSPC)', () => {
  it('reports a clear error, keeps the database as it was, and serves the next request', async () => {
    const p = join(work, 'fake-full.duckdb');
    copyFileSync(base, p);
    const engine = await Engine.open(p);
    try {
      const conn = engine.db.conn as DuckDBConnection & { run: DuckDBConnection['run'] };
      const real = conn.run.bind(conn);
      let full = true;
      conn.run = (async (sql: string, ...rest: unknown[]) => {
        if (full && sql === 'COMMIT') {
          await real('ROLLBACK');
          throw new Error(`TransactionContext Error: Failed to commit: Could not write file "${p}.wal": No space left on device`);
        }
        return (real as (...a: unknown[]) => ReturnType<DuckDBConnection['run']>)(sql, ...rest);
      }) as DuckDBConnection['run'];
      const r = await engine.import([big]);
      expect(r.results).toEqual([]);
      expect(r.errors[0]!.reason).toMatch(/^cannot save to the database: the disk is full; free some space and try again; nothing of this change was saved/);
      expect(await fingerprint(engine.db)).toEqual(baseFp);
      full = false;
      const again = await engine.import([big]);
      expect(again.errors).toEqual([]);
      expect(again.results[0]!.newMessages).toBe(6000);
    } finally {
      engine.close();
    }
  });
});

/** Mounts a tmpfs of `bytes` at a new folder; null when this process may not mount. */
function tmpfs(name: string, bytes: number): string | null {
  if (!root) return null;
  const dir = join(work, name);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(bytes / 4096) * 4096}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return null;
  }
}
const umount = (dir: string) => execFileSync('umount', [dir], { stdio: 'ignore' });
const canMount = (() => {
  const d = root ? tmpfs('probe', 1 << 20) : null;
  if (d) umount(d);
  return d !== null;
})();

describe.skipIf(!canMount)('disk full (real: a small tmpfs)', () => {
  let db0 = 0;
  let wal = 0;
  beforeAll(async () => {
    // Measure what importing the big file writes: the log of its commit, before any checkpoint.
    const p = join(work, 'measure.duckdb');
    copyFileSync(base, p);
    db0 = statSync(p).size;
    const e = await Engine.open(p);
    await e.db.run('PRAGMA disable_checkpoint_on_shutdown');
    e.db.checkpoint = async () => undefined;
    await e.import([big]);
    e.close();
    wal = statSync(p + '.wal').size;
  });

  it('full while committing: a clear error, the database as it was, the engine serving, the file re-opening', async () => {
    const dir = tmpfs('full-commit', db0 + wal / 2)!;
    try {
      const p = join(dir, 'x.duckdb');
      copyFileSync(base, p);
      const before = readFileSync(p);
      const engine = await Engine.open(p);
      try {
        const r = await engine.import([big]);
        expect(r.results).toEqual([]);
        expect(r.errors[0]!.reason).toMatch(/^cannot save to the database: the disk is full.*No space left on device/);
        expect(await fingerprint(engine.db)).toEqual(baseFp);
        expect((await engine.sources()).length).toBe(1);
      } finally {
        engine.close();
      }
      expect(readFileSync(p).equals(before)).toBe(true);
      const again = await Engine.open(p);
      expect(await fingerprint(again.db)).toEqual(baseFp);
      again.close();
    } finally {
      umount(dir);
    }
  });

  // KNOWN BUG (reproducer; `it.fails` is green while it lasts): the commit fits, the checkpoint
  // Engine.import runs after it does not. DuckDB then invalidates the database: import() throws
  // although the file WAS saved (in the log), and every later request fails until the engine is
  // restarted, which nothing does (the engine process did not crash).
  it.fails('full at the checkpoint after a commit: the import is reported saved and the engine keeps serving', async () => {
    const dir = tmpfs('full-checkpoint', db0 + wal + 65536)!;
    try {
      const p = join(dir, 'x.duckdb');
      copyFileSync(base, p);
      const engine = await Engine.open(p);
      try {
        const r = await engine.import([big]).catch((e: Error) => e);
        expect(r).not.toBeInstanceOf(Error);
        expect((await engine.sources()).length).toBe(2);
      } finally {
        engine.close();
      }
    } finally {
      umount(dir);
    }
  });

  it('full at the checkpoint after a commit: nothing is lost, the file re-opens with the import in it', async () => {
    const dir = tmpfs('full-checkpoint-2', db0 + wal + 65536)!;
    try {
      const p = join(dir, 'x.duckdb');
      copyFileSync(base, p);
      const engine = await Engine.open(p);
      let err: Error | null = null;
      try {
        await engine.import([big]);
      } catch (e) {
        err = e as Error;
      } finally {
        engine.close();
      }
      // What Engine.import says today (see the known bug above): that the checkpoint failed.
      expect(err?.message).toMatch(/checkpoint.*No space left on device/);
      const again = await Engine.open(p, { readOnly: true });
      try {
        expect((await again.sources()).map((s) => s.path)).toEqual([small, big]);
        expect((await again.db.one<{ n: number }>(`SELECT count(*) AS n FROM messages`))!.n).toBe(6000 + 6000);
      } finally {
        again.close();
      }
    } finally {
      umount(dir);
    }
  });
});
