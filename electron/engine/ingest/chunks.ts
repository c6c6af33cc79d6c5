import {
  DuckDBBooleanType,
  DuckDBDataChunk,
  DuckDBDoubleType,
  DuckDBIntegerType,
  DuckDBVarCharType,
  type DuckDBAppender,
  type DuckDBType,
} from '@duckdb/node-api';
import { duckdbBindings } from '../db/bindings.js';

/**
 * The few raw C-API calls a column writer needs (db/bindings.ts). The vector classes of
 * @duckdb/node-api keep a per-item cache and BigInt validity masks, which made chunks slower than
 * the appender.
 */
interface Bindings {
  data_chunk_get_vector(chunk: unknown, column: number): unknown;
  vector_assign_string_element(vector: unknown, index: number, str: string): void;
  vector_ensure_validity_writable(vector: unknown): void;
  copy_data_to_vector(vector: unknown, targetByteOffset: number, source: ArrayBuffer, sourceByteOffset: number, byteCount: number): void;
  copy_data_to_vector_validity(vector: unknown, targetByteOffset: number, source: ArrayBuffer, sourceByteOffset: number, byteCount: number): void;
  vector_size(): number;
}

const native = (): Bindings => duckdbBindings<Bindings>();

export type ColumnType = 'INTEGER' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR';

const TYPES: Record<ColumnType, DuckDBType> = {
  INTEGER: DuckDBIntegerType.instance,
  DOUBLE: DuckDBDoubleType.instance,
  BOOLEAN: DuckDBBooleanType.instance,
  VARCHAR: DuckDBVarCharType.instance,
};

type Column =
  | { type: 'INTEGER'; values: Int32Array<ArrayBuffer>; valid: Uint8Array }
  | { type: 'DOUBLE'; values: Float64Array<ArrayBuffer>; valid: Uint8Array }
  | { type: 'BOOLEAN'; values: Uint8Array<ArrayBuffer>; valid: Uint8Array }
  | { type: 'VARCHAR'; values: (string | null)[] };

/**
 * Appends rows to a table one DuckDB data chunk (2048 rows) at a time: numbers and NULLs go
 * through typed arrays copied once per chunk, and only non-NULL strings cross into native code
 * one by one. One N-API call per value (the row appender) was a fifth of a 1M-message import.
 *
 * Fill a row with the setters (every column, in any order), then `endRow()`.
 */
export class ChunkWriter {
  private readonly cols: Column[];
  private readonly chunk: DuckDBDataChunk;
  private readonly size: number;
  private readonly mask: Uint32Array<ArrayBuffer>;
  private n = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    types: readonly ColumnType[],
  ) {
    this.size = native().vector_size();
    this.chunk = DuckDBDataChunk.create(types.map((t) => TYPES[t]));
    this.mask = new Uint32Array(Math.ceil(this.size / 64) * 2);
    this.cols = types.map((t): Column => {
      switch (t) {
        case 'INTEGER':
          return { type: t, values: new Int32Array(this.size), valid: new Uint8Array(this.size) };
        case 'DOUBLE':
          return { type: t, values: new Float64Array(this.size), valid: new Uint8Array(this.size) };
        case 'BOOLEAN':
          return { type: t, values: new Uint8Array(this.size), valid: new Uint8Array(this.size) };
        case 'VARCHAR':
          return { type: t, values: new Array<string | null>(this.size).fill(null) };
      }
    });
  }

  /** Rows written but not yet handed to the appender. */
  get pending(): number {
    return this.n;
  }

  int(c: number, v: number | null): void {
    const col = this.cols[c] as Extract<Column, { type: 'INTEGER' }>;
    if (v === null) col.valid[this.n] = 0;
    else {
      col.values[this.n] = v;
      col.valid[this.n] = 1;
    }
  }

  double(c: number, v: number | null): void {
    const col = this.cols[c] as Extract<Column, { type: 'DOUBLE' }>;
    if (v === null || !Number.isFinite(v)) col.valid[this.n] = 0;
    else {
      col.values[this.n] = v;
      col.valid[this.n] = 1;
    }
  }

  bool(c: number, v: boolean): void {
    const col = this.cols[c] as Extract<Column, { type: 'BOOLEAN' }>;
    col.values[this.n] = v ? 1 : 0;
    col.valid[this.n] = 1;
  }

  str(c: number, v: string | null): void {
    (this.cols[c] as Extract<Column, { type: 'VARCHAR' }>).values[this.n] = v;
  }

  endRow(): void {
    if (++this.n === this.size) this.flush();
  }

  /** Hands the buffered rows to the appender (which still needs its own flush to make them visible). */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const b = native();
    const chunk = this.chunk;
    chunk.reset();
    chunk.rowCount = n;
    const words = Math.ceil(n / 64) * 2;
    for (let c = 0; c < this.cols.length; c++) {
      const col = this.cols[c]!;
      const vec = b.data_chunk_get_vector(chunk.chunk, c);
      const mask = this.mask;
      mask.fill(0, 0, words);
      let nulls = 0;
      if (col.type === 'VARCHAR') {
        const vals = col.values;
        for (let i = 0; i < n; i++) {
          const s = vals[i];
          if (s === null || s === undefined) nulls++;
          else {
            b.vector_assign_string_element(vec, i, s);
            mask[i >>> 5]! |= 1 << (i & 31);
          }
          vals[i] = null;
        }
      } else {
        const valid = col.valid;
        for (let i = 0; i < n; i++) {
          if (valid[i]) mask[i >>> 5]! |= 1 << (i & 31);
          else nulls++;
        }
        const v = col.values;
        b.copy_data_to_vector(vec, 0, v.buffer, v.byteOffset, n * v.BYTES_PER_ELEMENT);
      }
      if (nulls > 0) {
        b.vector_ensure_validity_writable(vec);
        b.copy_data_to_vector_validity(vec, 0, mask.buffer, 0, words * 4);
      }
    }
    this.appender.appendDataChunk(chunk);
    this.n = 0;
  }
}
