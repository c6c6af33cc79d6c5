import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, memoryBytes } from '../../../electron/engine/db/database.js';

describe('memoryBytes', () => {
  it.each([
    ['512MB', 512e6], ['1GB', 1e9], ['1.5GiB', 1.5 * 2 ** 30], ['300 MiB', 300 * 2 ** 20], ['2048', 2048], ['1gb', 1e9],
  ])('%s = %d bytes', (s, n) => expect(memoryBytes(s)).toBe(n));
  it('refuses anything else', () => {
    for (const s of ['', 'lots', '1GB; DROP TABLE x', '-1GB', '1 PB']) expect(() => memoryBytes(s)).toThrow(/not a memory size/);
  });
});

describe('Database.withMemoryLimit', () => {
  let db: Database;
  // DuckDB reports its cap rounded, in its own units: compare in bytes, within 1 %.
  const cap = async () => {
    const v = (await db.one<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))!.v;
    return memoryBytes(v.replace(/\s+/g, ''));
  };
  const near = (a: number, b: number) => expect(Math.abs(a - b) / b).toBeLessThan(0.01);
  beforeAll(async () => {
    db = await Database.open(':memory:', { memoryLimit: '300MB' });
  });
  afterAll(() => db.close());

  it('raises the cap for the call only', async () => {
    near(await cap(), 300e6);
    const inside = await db.withMemoryLimit('1GB', cap);
    near(inside, 1e9);
    near(await cap(), 300e6);
  });

  it('never lowers it', async () => {
    near(await db.withMemoryLimit('100MB', cap), 300e6);
  });

  it('restores it when the call fails', async () => {
    await expect(db.withMemoryLimit('1GB', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    near(await cap(), 300e6);
  });
});
