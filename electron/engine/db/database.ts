import {
  DuckDBArrayValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBListValue,
  DuckDBStructValue,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MIGRATIONS, type Migration } from './schema.js';

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** Bytes of a DuckDB size such as '512MB', '1GB', '1.5GiB' (an integer: a SET statement cannot bind it). */
export function memoryBytes(size: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$/i.exec(size);
  if (!m) throw new Error(`not a memory size: ${size}`);
  const unit = (m[2] ?? 'B').toLowerCase();
  const pow: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
  return Math.round(Number(m[1]) * pow[unit]!);
}

export interface OpenOptions {
  /**
   * DuckDB memory cap, e.g. '1GB' (default '512MB'). Beyond it DuckDB spills to disk instead of
   * growing (to `<db>.tmp` beside a database file). The process needs ≈ 300–400 MB besides (Node,
   * the segmentation thread while importing, the JS heap): 512MB keeps a 1M-message import and
   * analysis near 0.9–1.1 GB where 1GB took it to 1.2–1.4 GB, at the same CPU time
   * (docs/BENCHMARKS.md, "Import work of issue 5").
   */
  memoryLimit?: string;
  threads?: number;
  readOnly?: boolean;
  /** Migrations to apply (tests inject future ones); defaults to the schema's. */
  migrations?: readonly Migration[];
}

/**
 * One DuckDB database: the instance, one connection for writes and reads, and the schema
 * migrations. Values are always bound, never interpolated (ARCHITECTURE §6 rule 9).
 */
export class Database {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    private readonly migrations: readonly Migration[],
    /** The memory cap the database was opened with (see OpenOptions.memoryLimit). */
    readonly memoryLimit: string,
  ) {}

  /**
   * Runs `fn` with DuckDB's memory cap raised to at least `limit` (never lowered), then restores it.
   * For merges of very big files: below ≈ 1 GB a 10^7-message merge spills its sorts and inserts to
   * disk, while the process stays well under its 2 GB budget (docs/BENCHMARKS.md).
   */
  async withMemoryLimit<T>(limit: string, fn: () => Promise<T>): Promise<T> {
    const want = memoryBytes(limit);
    const restore = memoryBytes(this.memoryLimit);
    if (want <= restore) return fn();
    await this.conn.run(`SET memory_limit = '${want}B'`);
    try {
      return await fn();
    } finally {
      await this.conn.run(`SET memory_limit = '${restore}B'`);
    }
  }

  get latestVersion(): number {
    return this.migrations[this.migrations.length - 1]!.version;
  }

  static async open(path: string, opts: OpenOptions = {}): Promise<Database> {
    const config: Record<string, string> = {
      memory_limit: opts.memoryLimit ?? '512MB',
      threads: String(opts.threads ?? 2),
      // Nothing may be downloaded at run time.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (opts.readOnly) config['access_mode'] = 'READ_ONLY';
    let instance: DuckDBInstance;
    if (path !== ':memory:' && !opts.readOnly) mkdirSync(dirname(resolve(path)), { recursive: true });
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (e) {
      throw new SchemaError(cannotOpen(path, e));
    }
    // A damaged file can open and fail on its first read: say so, and release the file (a
    // failed open must not keep it locked for the rest of the process).
    let conn: DuckDBConnection | null = null;
    try {
      conn = await instance.connect();
      const db = new Database(path, instance, conn, opts.migrations ?? MIGRATIONS, config['memory_limit']!);
      if (!opts.readOnly) await db.migrate();
      else await db.checkVersion();
      return db;
    } catch (e) {
      conn?.closeSync();
      instance.closeSync();
      throw e instanceof SchemaError ? e : new SchemaError(cannotOpen(path, e));
    }
  }

  async schemaVersion(): Promise<number> {
    const has = await this.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'`,
    );
    if (!has || has.n === 0) {
      const any = await this.one<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_schema = 'main'`,
      );
      if (any && any.n > 0) throw new SchemaError(`${this.path}: not a Qunxi database (tables exist but no schema version)`);
      return 0;
    }
    const row = await this.one<{ value: string }>(`SELECT value FROM meta WHERE key = 'schema_version'`);
    return row ? Number(row.value) : 0;
  }

  private async checkVersion(): Promise<number> {
    const v = await this.schemaVersion();
    if (v > this.latestVersion) {
      throw new SchemaError(
        `${this.path}: database schema version ${v} is newer than this Qunxi understands (${this.latestVersion}); update Qunxi to open it`,
      );
    }
    return v;
  }

  /** Applies pending migrations, each in its own transaction. */
  async migrate(): Promise<void> {
    const v = await this.checkVersion();
    for (const m of this.migrations) {
      if (m.version <= v) continue;
      await this.transaction(async () => {
        for (const stmt of m.sql) await this.run(stmt);
        await this.run(`INSERT OR REPLACE INTO meta VALUES ('schema_version', $v)`, { v: String(m.version) });
      });
    }
  }

  /** Transactions open on this connection: the writes of imports and identity edits. */
  private writing = 0;

  async run(sql: string, params?: Params): Promise<void> {
    if (params) await this.conn.run(sql, params as Record<string, DuckDBValue>);
    else await this.conn.run(sql);
  }

  /** Rows as plain JS objects (BIGINT → number when safe, TIMESTAMP → ISO-like string). */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = params
      ? await this.conn.runAndReadAll(sql, params as Record<string, DuckDBValue>)
      : await this.conn.runAndReadAll(sql);
    const names = reader.columnNames();
    const out: T[] = [];
    for (const r of reader.getRows()) {
      const o: Row = {};
      for (let i = 0; i < names.length; i++) o[names[i]!] = plain(r[i]!);
      out.push(o as T);
    }
    return out;
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.run('BEGIN TRANSACTION');
    this.writing++;
    try {
      const r = await fn();
      await this.run('COMMIT');
      return r;
    } catch (e) {
      await this.run('ROLLBACK').catch(() => undefined);
      const why = storageProblem((e as Error)?.message ?? '');
      throw why ? new Error(`${SAVE_FAILED}${why}; nothing of this change was saved (${(e as Error).message})`) : e;
    } finally {
      this.writing--;
    }
  }

  /**
   * Interrupts the statement running on this connection (cancellation of a read). Never while a
   * write is under way: the interrupt cannot tell whose statement runs, and a cancelled chart
   * must not abort an import's merge; the read it meant to stop runs to its end instead.
   */
  interrupt(): void {
    if (this.writing > 0) return;
    this.conn.interrupt();
  }

  async checkpoint(): Promise<void> {
    await this.run('CHECKPOINT');
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

const SAVE_FAILED = 'cannot save to the database: ';

/**
 * What a storage failure means for the user, from DuckDB's message (null: not a storage failure).
 * DuckDB's own text stays appended to ours for support.
 */
export function storageProblem(message: string): string | null {
  if (/Could not set lock on file/i.test(message)) {
    const pid = /\(PID (\d+)\)/.exec(message)?.[1];
    return `it is open in another program${pid ? ` (process ${pid})` : ''}; close that program (or the other Qunxi window) and try again`;
  }
  if (/No space left on device|disk is full/i.test(message)) return 'the disk is full; free some space and try again';
  if (/Permission denied|Read-only file system/i.test(message)) return 'permission denied: the database file or its folder is read-only for this user';
  if (/database has been invalidated/i.test(message)) return 'the database stopped after an earlier storage error; restart Qunxi to reopen it (what was saved before is kept)';
  if (/replaying WAL|Corrupt WAL/i.test(message)) {
    return 'its write-ahead log (the .wal file beside it) is damaged; moved away, the database opens as of its last checkpoint, without the changes after it';
  }
  if (/not a valid DuckDB database|Could not read enough bytes|checksum|Corrupt|truncat/i.test(message)) return 'the file is damaged (truncated or overwritten) or is not a Qunxi database';
  return null;
}

function cannotOpen(path: string, e: unknown): string {
  const raw = (e as Error)?.message ?? String(e);
  // A migration that could not be committed is already explained by transaction().
  if (raw.startsWith(SAVE_FAILED)) return `${path}: cannot open database: ${raw.slice(SAVE_FAILED.length)}`;
  const why = storageProblem(raw);
  return `${path}: cannot open database: ${why ? `${why} (${raw})` : raw}`;
}

/**
 * Converts a DuckDB value to plain JSON-able JS: BIGINT → number (exact below 2^53, which every
 * count and id here is), DECIMAL → number, lists → arrays, structs → objects, temporal values →
 * their SQL text ('2024-01-01 10:00:00').
 */
export function plain(v: DuckDBValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(plain);
  if (v instanceof DuckDBStructValue) {
    const o: Row = {};
    for (const [k, x] of Object.entries(v.entries)) o[k] = plain(x);
    return o;
  }
  if (v instanceof DuckDBDecimalValue) return v.toDouble();
  return String(v);
}
