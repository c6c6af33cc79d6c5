/**
 * Damaged and unavailable database files (extends test/engine/db/database.test.ts, which covers a
 * garbage file, a foreign DuckDB file and a newer schema through Database.open): truncated files,
 * overwritten blocks, damaged write-ahead logs, a file locked by another process, and a newer
 * schema met by the desktop/browser host's open path. Each must fail with a clear message, never
 * crash, and leave the files byte-identical.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../electron/engine/db/database.js';
import { MIGRATIONS } from '../../electron/engine/db/schema.js';
import { Engine } from '../../electron/engine/engine.js';
import { openLibrary } from '../../electron/engine/host/library.js';
import { REPO, runTs, spawnTs, waitForLine } from './lib.js';

const work = mkdtempSync(join(tmpdir(), 'qunxi-dbfiles-'));
const base = join(work, 'base.duckdb');
let messages = 0;

beforeAll(async () => {
  const e = await Engine.open(base);
  await e.import([join(REPO, 'sample-data', 'whatsapp', '_chat.txt')]);
  messages = (await e.db.one<{ n: number }>(`SELECT count(*) AS n FROM messages`))!.n;
  e.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the base database, damaged by `harm`. */
function damaged(name: string, harm: (p: string, size: number) => void): string {
  const p = join(work, `${name}.duckdb`);
  copyFileSync(base, p);
  harm(p, statSync(p).size);
  return p;
}

const xorAt = (p: string, offsets: number[], n = 16) => {
  const b = readFileSync(p);
  for (const o of offsets) for (let i = 0; i < n; i++) b[o + i]! ^= 0x55;
  writeFileSync(p, b);
};

describe('damaged database files', () => {
  it.each([
    ['cut to half', (p: string, size: number) => truncateSync(p, Math.floor(size / 2))],
    ['cut to its first 4 KiB', (p: string) => truncateSync(p, 4096)],
    ['emptied', (p: string) => truncateSync(p, 0)],
    ['header overwritten', (p: string) => xorAt(p, [100])],
  ])('%s: refused with a clear message, file byte-identical, refused again the same way', async (name, harm) => {
    const p = damaged(name.replace(/\W+/g, '-'), harm);
    const before = readFileSync(p);
    for (let i = 0; i < 2; i++) {
      await expect(Engine.open(p)).rejects.toMatchObject({
        name: 'SchemaError',
        message: expect.stringMatching(/cannot open database: the file is damaged \(truncated or overwritten\)/),
      });
    }
    expect(readFileSync(p).equals(before)).toBe(true);
    expect(existsSync(p + '.wal')).toBe(false);
  });

  it('data blocks overwritten: the read that meets one fails with a checksum error; the file is left as it was', async () => {
    // Damage a spot in every 256 KiB block after the first two (the header and catalog).
    const p = damaged('blocks', (q, size) => {
      const at: number[] = [];
      for (let o = 2 * 262144 + 5000; o + 16 < size; o += 262144) at.push(o);
      xorAt(q, at);
    });
    const before = readFileSync(p);
    let failure: Error | null = null;
    try {
      const e = await Engine.open(p);
      try {
        await e.db.all(`SELECT count(*), sum(length(text)), sum(hash(fp)) FROM messages`);
        await e.groups();
      } catch (err) {
        failure = err as Error;
      } finally {
        e.close();
      }
    } catch (err) {
      failure = err as Error;
    }
    expect(failure?.message).toMatch(/Corrupt database file|checksum|damaged/);
    expect(readFileSync(p).equals(before)).toBe(true);
  });
});

describe('damaged write-ahead log', () => {
  /** A database whose last three commits are only in its WAL: two small, one of ~2 MB. */
  async function withWal(name: string): Promise<{ p: string; wal: number }> {
    const p = join(work, `${name}.duckdb`);
    copyFileSync(base, p);
    const d = await Database.open(p);
    await d.run('PRAGMA disable_checkpoint_on_shutdown');
    await d.run(`INSERT INTO groups VALUES (100, 'qq', 'name:w1', 'w1', 'group')`);
    await d.run(`INSERT INTO groups VALUES (101, 'qq', 'name:w2', 'w2', 'group')`);
    await d.run(`INSERT INTO groups SELECT 200 + i, 'qq', 'name:big' || i, repeat('x', 1000), 'group' FROM range(2000) r(i)`);
    d.close();
    return { p, wal: statSync(p + '.wal').size };
  }
  const groupCount = async (p: string) => {
    const d = await Database.open(p, { readOnly: true });
    try {
      return (await d.one<{ n: number }>(`SELECT count(*) AS n FROM groups`))!.n;
    } finally {
      d.close();
    }
  };

  it('torn at the end (a crash mid-append): the commits before the torn one are recovered', async () => {
    const { p, wal } = await withWal('torn');
    truncateSync(p + '.wal', wal - 100);
    expect(await groupCount(p)).toBe(1 + 2);
    const e = await Engine.open(p);
    expect((await e.groups()).length).toBe(3);
    e.close();
    expect(existsSync(p + '.wal')).toBe(false);
  });

  it('overwritten in the middle: refused with a message naming the log; database and log byte-identical', async () => {
    const { p, wal } = await withWal('walflip');
    xorAt(p + '.wal', [Math.floor(wal * 0.7)], 32);
    const db = readFileSync(p);
    const log = readFileSync(p + '.wal');
    await expect(Engine.open(p)).rejects.toMatchObject({ name: 'SchemaError', message: expect.stringMatching(/write-ahead log \(the \.wal file beside it\) is damaged/) });
    await expect(Database.open(p, { readOnly: true })).rejects.toThrow(/write-ahead log/);
    expect(readFileSync(p).equals(db)).toBe(true);
    expect(readFileSync(p + '.wal').equals(log)).toBe(true);
  });
});

describe('a database another process holds', () => {
  it('is refused (read-write and read-only) naming that process; the file is untouched and the holder unharmed', async () => {
    const p = join(work, 'locked.duckdb');
    copyFileSync(base, p);
    const holder = spawnTs('engine-child.ts', ['hold', '--db', p], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      await waitForLine(holder, /^held$/);
      const before = readFileSync(p);
      const pid = new RegExp(`open in another program \\(process ${holder.pid}\\); close that program`);
      await expect(Engine.open(p)).rejects.toMatchObject({ name: 'SchemaError', message: expect.stringMatching(pid) });
      await expect(Database.open(p, { readOnly: true })).rejects.toThrow(pid);
      expect(readFileSync(p).equals(before)).toBe(true);
      const exited = new Promise<number | null>((r) => holder.on('exit', r));
      holder.stdin!.end();
      expect(await exited).toBe(0);
    } finally {
      holder.kill('SIGKILL');
    }
    const e = await Engine.open(p);
    expect((await e.db.one<{ n: number }>(`SELECT count(*) AS n FROM messages`))!.n).toBe(messages);
    e.close();
  });
});

describe('a database from a newer Qunxi, met by the host open path', () => {
  it('openLibrary refuses it with the update message, leaves it byte-identical and lets go of it', async () => {
    const p = join(work, 'newer.duckdb');
    const future = [...MIGRATIONS, { version: 999, description: 'future', sql: [`CREATE TABLE future_only (x INTEGER)`] }];
    (await Database.open(p, { migrations: future })).close();
    const before = readFileSync(p);
    await expect(openLibrary({ dbPath: p, dataDir: work })).rejects.toThrow(/schema version 999 is newer than this Qunxi understands .*update Qunxi/);
    expect(readFileSync(p).equals(before)).toBe(true);
    // The refusal released the file: another process (the newer Qunxi) can open it at once.
    const other = await runTs('engine-child.ts', ['raw', '--db', p]);
    expect(other.stdout.trim()).toBe('ok');
  });
});
