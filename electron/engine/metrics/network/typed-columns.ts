import { DuckDBMaterializedResult, DuckDBTypeId, type DuckDBDataChunk, type DuckDBResult, type DuckDBValue } from '@duckdb/node-api';
import { duckdbBindings } from '../../db/bindings.js';
import type { Database } from '../../db/database.js';

/**
 * The raw C-API reads a column copy needs (db/bindings.ts). The vector classes' getItem tests a
 * BigInt validity mask per value: ≈ 30 ns a value, 60 ms for 10^6 edges.
 */
interface Bindings {
  result_is_streaming?(result: unknown): boolean;
  result_chunk_count?(result: unknown): number;
  result_get_chunk?(result: unknown, index: number): unknown;
  data_chunk_get_size(chunk: unknown): number;
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  vector_get_data(vector: unknown, byteCount: number): Uint8Array;
  vector_get_validity(vector: unknown, byteCount: number): Uint8Array | null;
}

const native = (): Bindings => duckdbBindings<Bindings>();

/** Copies `n` values of a fixed-width column of a raw chunk into `out`; NULLs (invalid rows) read as 0. */
function copyColumn(chunk: unknown, column: number, out: Int32Array | Float64Array): void {
  const n = out.length;
  const b = native();
  const vector = b.data_chunk_get_vector(chunk, column);
  const bytes = b.vector_get_data(vector, n * out.BYTES_PER_ELEMENT);
  if (bytes.byteOffset % out.BYTES_PER_ELEMENT === 0) {
    out.set(out instanceof Int32Array ? new Int32Array(bytes.buffer, bytes.byteOffset, n) : new Float64Array(bytes.buffer, bytes.byteOffset, n));
  } else {
    const copy = bytes.slice();
    out.set(out instanceof Int32Array ? new Int32Array(copy.buffer, 0, n) : new Float64Array(copy.buffer, 0, n));
  }
  const valid = b.vector_get_validity(vector, Math.ceil(n / 64) * 8);
  if (!valid) return;
  for (let j = 0; j * 8 < n; j++) {
    if (valid[j] === 0xff) continue;
    for (let i = j * 8; i < Math.min(n, j * 8 + 8); i++) if ((valid[j]! & (1 << (i & 7))) === 0) out[i] = 0;
  }
}

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
    const want = spec[n] === 'int' ? DuckDBTypeId.INTEGER : DuckDBTypeId.DOUBLE;
    if (result.columnTypeId(i) !== want) throw new Error(`typedColumns: column ${n} is not ${spec[n] === 'int' ? 'INTEGER' : 'DOUBLE'}`);
    return i;
  });
  // A materialized result's chunks can be read synchronously (the C API's result_get_chunk) and
  // straight into columns of its known row count: one awaited fetch per 2,048 rows cost ≈ 50 µs,
  // a quarter of a second for 10^7 edges, and a copy per chunk then another into the columns more.
  const b = native();
  const raw = (result as unknown as { result?: unknown }).result;
  if (raw !== undefined && b.result_chunk_count && b.result_get_chunk && b.result_is_streaming && !b.result_is_streaming(raw)) {
    const rows = result instanceof DuckDBMaterializedResult ? result.rowCount : -1;
    if (rows >= 0) {
      const cols = names.map((n) => (spec[n] === 'int' ? new Int32Array(rows) : new Float64Array(rows)));
      const count = b.result_chunk_count(raw);
      let at = 0;
      for (let c = 0; c < count; c++) {
        const chunk = b.result_get_chunk(raw, c);
        const n = b.data_chunk_get_size(chunk);
        if (n === 0) continue;
        names.forEach((_, k) => copyColumn(chunk, index[k]!, cols[k]!.subarray(at, at + n)));
        at += n;
      }
      if (at !== rows) throw new Error(`typedColumns: read ${at} of ${rows} rows`);
      return { rows, cols: Object.fromEntries(names.map((n, k) => [n, cols[k]!])) as { [P in keyof S]: Column<S[P]> } };
    }
  }
  return columnsByChunks(result, names, index, spec);
}

/**
 * The portable path of typedColumns: fetches the result chunk by chunk through the public API
 * (used when the synchronous C calls or the materialized result are not there, e.g. a later
 * @duckdb/node-api). Exported for its test.
 */
export async function columnsByChunks<K extends string, S extends Record<K, ColumnKind>>(
  result: DuckDBResult,
  names: readonly K[],
  index: readonly number[],
  spec: S,
): Promise<{ rows: number; cols: { [P in keyof S]: Column<S[P]> } }> {
  const parts: Array<Array<Int32Array | Float64Array>> = names.map(() => []);
  let rows = 0;
  for (;;) {
    const chunk: DuckDBDataChunk | null = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    names.forEach((name, k) => {
      const out = spec[name] === 'int' ? new Int32Array(n) : new Float64Array(n);
      copyColumn(chunk.chunk, index[k]!, out);
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
