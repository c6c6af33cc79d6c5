import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../../electron/engine/db/database.js';
import { columnsByChunks, typedColumns } from '../../../../electron/engine/metrics/network/typed-columns.js';

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

describe('typedColumns', () => {
  it('copies INTEGER and DOUBLE columns across several chunks, NULL as 0', async () => {
    // 5,000 rows: three DuckDB chunks of at most 2,048. Every 7th a is NULL.
    const r = await typedColumns(
      db,
      `SELECT CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 3 - 100)::INTEGER END AS a, (i / 4)::DOUBLE AS b FROM range(5000) t(i) ORDER BY i`,
      {},
      { a: 'int', b: 'double' },
    );
    expect(r.rows).toBe(5000);
    for (const i of [0, 3, 10, 2047, 2048, 2049, 4095, 4096, 4999]) {
      expect(r.cols.a[i]).toBe(i % 7 === 3 ? 0 : i * 3 - 100);
      expect(r.cols.b[i]).toBe(i / 4);
    }
    expect(r.cols.a.reduce((s, x) => s + x, 0)).toBe(
      Array.from({ length: 5000 }, (_, i) => (i % 7 === 3 ? 0 : i * 3 - 100)).reduce((s, x) => s + x, 0),
    );
  });

  it('reads the same through the portable chunk-by-chunk path', async () => {
    // The fast path uses result_get_chunk (deprecated in DuckDB's C API) and a protected field: a
    // later @duckdb/node-api without them falls back to columnsByChunks.
    const sql = `SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE i::INTEGER END AS a, (i * 0.5)::DOUBLE AS b FROM range(4500) t(i) ORDER BY i`;
    const fast = await typedColumns(db, sql, {}, { a: 'int', b: 'double' });
    const slow = await columnsByChunks(await db.conn.run(sql), ['a', 'b'], [0, 1], { a: 'int', b: 'double' });
    expect(slow.rows).toBe(4500);
    expect(Array.from(slow.cols.a)).toEqual(Array.from({ length: 4500 }, (_, i) => (i % 5 === 0 ? 0 : i)));
    expect(Array.from(slow.cols.b)).toEqual(Array.from({ length: 4500 }, (_, i) => i * 0.5));
    expect(Array.from(fast.cols.a)).toEqual(Array.from(slow.cols.a));
    expect(Array.from(fast.cols.b)).toEqual(Array.from(slow.cols.b));
  });

  it('returns empty columns for no rows and refuses a column of another type', async () => {
    const r = await typedColumns(db, `SELECT 1::INTEGER AS a WHERE false`, {}, { a: 'int' });
    expect(r.rows).toBe(0);
    expect(r.cols.a.length).toBe(0);
    await expect(typedColumns(db, `SELECT 1::BIGINT AS a`, {}, { a: 'int' })).rejects.toThrow(/not INTEGER/);
  });
});
