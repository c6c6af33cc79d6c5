import { DuckDBDoubleVector, DuckDBIntegerVector, type DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../../db/database.js';

export type ColumnKind = 'int' | 'double';
type Column<T extends ColumnKind> = T extends 'int' ? Int32Array : Float64Array;

/**
 * Runs a query and copies its columns straight from DuckDB's vectors into typed arrays: for
 * results of 10^5–10^6 rows, building JS value arrays first (getColumnsObject) costs more than the
 * query. Each named column must be INTEGER ('int') or DOUBLE ('double') and never NULL (the SQL
 * guarantees it; a NULL would read as 0).
 */
export async function typedColumns<K extends string, S extends Record<K, ColumnKind>>(
  db: Database,
  sql: string,
  params: Record<string, DuckDBValue>,
  spec: S,
): Promise<{ rows: number; cols: { [P in keyof S]: Column<S[P]> } }> {
  const result = await db.conn.run(sql, params);
  const names = Object.keys(spec) as K[];
  const index = names.map((n) => {
    const i = result.columnNames().indexOf(n);
    if (i < 0) throw new Error(`typedColumns: no column ${n}`);
    return i;
  });
  const parts: Array<Array<Int32Array | Float64Array>> = names.map(() => []);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    names.forEach((name, k) => {
      const v = chunk.getColumnVector(index[k]!);
      const want = spec[name];
      let out: Int32Array | Float64Array;
      if (want === 'int' && v instanceof DuckDBIntegerVector) out = new Int32Array(n);
      else if (want === 'double' && v instanceof DuckDBDoubleVector) out = new Float64Array(n);
      else throw new Error(`typedColumns: column ${name} is not ${want === 'int' ? 'INTEGER' : 'DOUBLE'}`);
      for (let i = 0; i < n; i++) out[i] = v.getItem(i) ?? 0;
      parts[k]!.push(out);
    });
    rows += n;
  }
  const cols = {} as Record<K, Int32Array | Float64Array>;
  names.forEach((n, k) => {
    const out = spec[n] === 'int' ? new Int32Array(rows) : new Float64Array(rows);
    let at = 0;
    for (const p of parts[k]!) {
      out.set(p, at);
      at += p.length;
    }
    cols[n] = out;
  });
  return { rows, cols: cols as { [P in keyof S]: Column<S[P]> } };
}
