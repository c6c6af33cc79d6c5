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
    expect(tables).toEqual(['d_conv_members', 'd_convs', 'd_edges', 'd_extra_groups', 'd_groups', 'd_member_day', 'd_pair_edges', 'd_seq', 'd_term_day',
      'd_term_mask', 'd_terms', 'd_top_terms', 'events', 'groups', 'identity_ops', 'member_names', 'member_names_eff', 'members', 'messages', 'meta', 'rejects', 'sources']);
    db.close();
  });

  it('upgrades a v1 library to identities: raw authors kept, one person per platform id across groups', async () => {
    const path = join(tmp(), 'v1.duckdb');
    const v1 = await Database.open(path, { migrations: MIGRATIONS.slice(0, 1) });
    await v1.run(`INSERT INTO groups VALUES (1, 'telegram', 'id:1', 'a', 'group'), (2, 'telegram', 'id:2', 'b', 'group'), (3, 'whatsapp', 'name:c', 'c', 'group'), (4, 'whatsapp', 'name:d', 'd', 'group')`);
    // Members 1 and 3 share Telegram id u1 across groups; 5 and 6 share a phone number on WhatsApp;
    // 2 and 4 have their own ids; 7 and 8 are name-keyed with the same name (not assumed the same person).
    await v1.run(`INSERT INTO members VALUES (1, 1, 'u1', 'u1', 'Ann'), (2, 1, 'u2', 'u2', 'Bo'), (3, 2, 'u1', 'u1', 'Ann'), (4, 2, 'u9', 'u9', 'Cy'),
      (5, 3, 'tel:+8613800138000', NULL, '+86 138'), (6, 4, 'tel:+8613800138000', NULL, 'Dee'), (7, 3, 'name:eve', NULL, 'Eve'), (8, 4, 'name:eve', NULL, 'Eve')`);
    await v1.run(`INSERT INTO messages (id, group_id, member_id, source_id, line, ts, kind, text, chars, fp) VALUES
      (1, 1, 2, 1, 1, TIMESTAMP '2024-01-01 10:00:00', 'text', 'hi', 2, 11)`);
    v1.close();
    const db = await Database.open(path);
    expect(await db.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(await db.all(`SELECT id, person_id, merged_into, is_bot FROM members ORDER BY id`)).toEqual([
      { id: 1, person_id: 1, merged_into: null, is_bot: false }, { id: 2, person_id: 2, merged_into: null, is_bot: false },
      { id: 3, person_id: 1, merged_into: null, is_bot: false }, { id: 4, person_id: 4, merged_into: null, is_bot: false },
      { id: 5, person_id: 5, merged_into: null, is_bot: false }, { id: 6, person_id: 5, merged_into: null, is_bot: false },
      { id: 7, person_id: 7, merged_into: null, is_bot: false }, { id: 8, person_id: 8, merged_into: null, is_bot: false },
    ]);
    expect(await db.all(`SELECT member_id, author_id, reactions FROM messages`)).toEqual([{ member_id: 2, author_id: 2, reactions: null }]);
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
