import { describe, expect, it } from 'vitest';
import { Database } from '../../../electron/engine/db/database.js';
import { ChunkWriter } from '../../../electron/engine/ingest/chunks.js';

describe('ChunkWriter', () => {
  it('writes every type, NULLs included, across chunk boundaries (2048 rows each)', async () => {
    const db = await Database.open(':memory:');
    await db.run(`CREATE TEMP TABLE t (i INTEGER, d DOUBLE, b BOOLEAN, s VARCHAR)`);
    const a = await db.conn.createAppender('t', 'main', 'temp');
    const w = new ChunkWriter(a, ['INTEGER', 'DOUBLE', 'BOOLEAN', 'VARCHAR']);
    const n = 5000; // two full chunks and a partial one
    for (let k = 0; k < n; k++) {
      w.int(0, k % 7 === 0 ? null : k - 2500);
      w.double(1, k % 5 === 0 ? null : k === 1 ? NaN : k === 2 ? Infinity : k / 4);
      w.bool(2, k % 2 === 0);
      w.str(3, k % 3 === 0 ? null : k === 4 ? '' : `行${k}😀`);
      w.endRow();
    }
    w.flush();
    a.flushSync();
    a.closeSync();
    // Worked out from the loop: multiples of 7 → NULL i; multiples of 5, NaN and ±Infinity → NULL d;
    // multiples of 3 → NULL s; row 4 the empty string.
    const rows = await db.all<{ i: number | null; d: number | null; b: boolean; s: string | null }>(`SELECT * FROM t`);
    expect(rows).toHaveLength(n);
    const byI = new Map(rows.filter((r) => r.i !== null).map((r) => [r.i! + 2500, r]));
    expect(byI.get(1)).toEqual({ i: -2499, d: null, b: false, s: '行1😀' });
    expect(byI.get(2)).toEqual({ i: -2498, d: null, b: true, s: '行2😀' });
    expect(byI.get(4)).toEqual({ i: -2496, d: 1, b: true, s: '' });
    expect(byI.get(4999)).toEqual({ i: 2499, d: 1249.75, b: false, s: '行4999😀' });
    const agg = (await db.one<Record<string, number>>(
      `SELECT count(*) - count(i) AS ni, count(*) - count(d) AS nd, count(*) - count(s) AS ns, count(*) FILTER (WHERE b) AS nb FROM t`,
    ))!;
    // NULL i: ⌈5000/7⌉ = 715; NULL d: 1000 multiples of 5 + rows 1 and 2; NULL s: ⌈5000/3⌉ = 1667; even rows: 2500.
    expect(agg).toEqual({ ni: 715, nd: 1002, ns: 1667, nb: 2500 });
    db.close();
  });

  it('flush with nothing buffered does nothing', async () => {
    const db = await Database.open(':memory:');
    await db.run(`CREATE TEMP TABLE t (s VARCHAR)`);
    const a = await db.conn.createAppender('t', 'main', 'temp');
    const w = new ChunkWriter(a, ['VARCHAR']);
    w.flush();
    expect(w.pending).toBe(0);
    a.closeSync();
    expect((await db.one<{ n: number }>(`SELECT count(*) AS n FROM t`))!.n).toBe(0);
    db.close();
  });
});
