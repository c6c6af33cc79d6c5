import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../../db/database.js';

/**
 * Runs a query and returns its numeric columns as arrays. Column-wise reading is several times
 * faster than row objects for large aggregates (hundreds of thousands of graph edges).
 * The SQL must yield INTEGER / DOUBLE / BIGINT columns; BIGINT becomes a JS number.
 */
export async function numberColumns<K extends string>(
  db: Database,
  sql: string,
  params: Record<string, DuckDBValue>,
  names: readonly K[],
): Promise<Record<K, number[]>> {
  await db.ready();
  const reader = await db.conn.runAndReadAll(sql, params);
  const cols = reader.getColumnsObject();
  const present = new Set(reader.columnNames());
  const out = {} as Record<K, number[]>;
  for (const n of names) {
    // An empty result has no column arrays at all.
    const col = cols[n] ?? (present.has(n) ? [] : undefined);
    if (!col) throw new Error(`numberColumns: no column ${n}`);
    out[n] = col.map((v) => (typeof v === 'number' ? v : Number(v)));
  }
  return out;
}
