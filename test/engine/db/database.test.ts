import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Database } from '../../../electron/engine/db/database.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../electron/engine/db/schema.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'qunxi-db-'));

describe('database and migrations', () => {
  it('creates every table of the canonical model at the current version', async () => {
    const db = await Database.open(':memory:');
    expect(await db.schemaVersion()).toBe(SCHEMA_VERSION);
    const tables = (await db.all<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1`)).map((r) => r.t);
    expect(tables).toEqual(['events', 'groups', 'member_names', 'members', 'messages', 'meta', 'rejects', 'sources']);
    db.close();
  });

  it('upgrades a database made by an older version, keeping its data', async () => {
    const path = join(tmp(), 'old.duckdb');
    const v1 = await Database.open(path);
    await v1.run(`INSERT INTO groups VALUES (1, 'qq', 'name:x', 'x', 'group')`);
    v1.close();
    const future = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, description: 'test', sql: [`ALTER TABLE groups ADD COLUMN note VARCHAR DEFAULT ''`] }];
    const v2 = await Database.open(path, { migrations: future });
    expect(await v2.schemaVersion()).toBe(SCHEMA_VERSION + 1);
    expect(await v2.all(`SELECT name, note FROM groups`)).toEqual([{ name: 'x', note: '' }]);
    v2.close();
  });

  it('refuses a database from a newer Qunxi and leaves it untouched', async () => {
    const path = join(tmp(), 'new.duckdb');
    const future = [...MIGRATIONS, { version: 99, description: 'future', sql: [] }];
    (await Database.open(path, { migrations: future })).close();
    const before = readFileSync(path);
    await expect(Database.open(path)).rejects.toThrow(/schema version 99 is newer than this Qunxi understands/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a DuckDB file that is not a Qunxi database', async () => {
    const path = join(tmp(), 'other.duckdb');
    const inst = await DuckDBInstance.create(path);
    const c = await inst.connect();
    await c.run('CREATE TABLE t (x INTEGER)');
    c.closeSync();
    inst.closeSync();
    await expect(Database.open(path)).rejects.toThrow(/not a Qunxi database/);
  });

  it('refuses a corrupt or non-database file with a clear message and does not change it', async () => {
    const path = join(tmp(), 'corrupt.duckdb');
    writeFileSync(path, 'this is not a database'.repeat(200));
    const before = readFileSync(path);
    await expect(Database.open(path)).rejects.toThrow(/cannot open database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
