/**
 * The canonical store (ARCHITECTURE.md §4) as versioned migrations. Migration N brings a database
 * from version N-1 to N; `meta.schema_version` records where a database stands.
 *
 * Time columns: `ts` is the wall-clock time as written in the export (TIMESTAMP, no zone);
 * `utc` is the instant where the export carries one.
 * messages/events carry no PRIMARY KEY or index on purpose: ART indexes make bulk appends slow and
 * memory-hungry at 10^7 rows; ids are assigned by the loader and de-duplication is a hash anti-join
 * on (group_id, fp).
 */
import { DERIVED_MIGRATION_SQL, EDGES_MIGRATION_SQL } from '../derive.js';
import { EXTRA_DDL } from '../derive-extra.js';

export interface Migration {
  version: number;
  description: string;
  sql: string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'canonical model: sources, groups, members, names, messages, events, rejects',
    sql: [
      `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
      `CREATE SEQUENCE IF NOT EXISTS seq_source START 1`,
      `CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        path VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        encoding VARCHAR NOT NULL,
        bytes BIGINT NOT NULL,
        imported_at TIMESTAMP NOT NULL,
        messages BIGINT NOT NULL,
        new_messages BIGINT NOT NULL,
        events BIGINT NOT NULL,
        rejected BIGINT NOT NULL,
        seconds DOUBLE NOT NULL
      )`,
      `CREATE TABLE groups (
        id INTEGER PRIMARY KEY,
        platform VARCHAR NOT NULL,
        ext_key VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        chat_type VARCHAR NOT NULL,
        UNIQUE (platform, ext_key)
      )`,
      // One row per stable identity within a group. `key` is the platform id, or 'name:<normalised>'.
      `CREATE TABLE members (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL,
        key VARCHAR NOT NULL,
        platform_id VARCHAR,
        name VARCHAR NOT NULL,
        UNIQUE (group_id, key)
      )`,
      `CREATE TABLE member_names (
        member_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        first_seen TIMESTAMP NOT NULL,
        last_seen TIMESTAMP NOT NULL,
        messages BIGINT NOT NULL,
        PRIMARY KEY (member_id, name)
      )`,
      `CREATE TABLE messages (
        id BIGINT NOT NULL,
        group_id INTEGER NOT NULL,
        member_id INTEGER NOT NULL,
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        ts TIMESTAMP NOT NULL,
        utc TIMESTAMPTZ,
        kind VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        ext_id VARCHAR,
        reply_to BIGINT,
        reply_ext VARCHAR,
        quote_name VARCHAR,
        quote_text VARCHAR,
        mentions VARCHAR[],
        terms VARCHAR[],
        chars INTEGER NOT NULL,
        fp UBIGINT NOT NULL
      )`,
      `CREATE TABLE events (
        id BIGINT NOT NULL,
        group_id INTEGER NOT NULL,
        source_id INTEGER NOT NULL,
        line INTEGER NOT NULL,
        ts TIMESTAMP NOT NULL,
        utc TIMESTAMPTZ,
        kind VARCHAR NOT NULL,
        actor_id INTEGER,
        subject_id INTEGER,
        text VARCHAR NOT NULL,
        fp UBIGINT NOT NULL
      )`,
      `CREATE TABLE rejects (
        source_id INTEGER NOT NULL,
        file VARCHAR NOT NULL,
        line INTEGER NOT NULL,
        reason VARCHAR NOT NULL,
        raw VARCHAR NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    description: 'identity: bots, person across groups, hand-made merges (undoable), reactions, raw authors',
    sql: [
      // Rebuilt rather than altered: DuckDB refuses two ALTERs of an indexed table in one transaction.
      // merged_into: the member this one was merged into by hand (NULL: it stands for itself),
      // derived from identity_ops by replaying them (engine/identity.ts), never edited on its own.
      // person_id: the same person across groups: same platform id on the same platform (on
      // WhatsApp the same phone number), or merged by hand.
      `CREATE TABLE members_v2 (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL,
        key VARCHAR NOT NULL,
        platform_id VARCHAR,
        name VARCHAR NOT NULL,
        is_bot BOOLEAN NOT NULL DEFAULT false,
        merged_into INTEGER,
        person_id INTEGER,
        UNIQUE (group_id, key)
      )`,
      `INSERT INTO members_v2 SELECT m.id, m.group_id, m.key, m.platform_id, m.name, false, NULL,
         min(m.id) OVER (PARTITION BY g.platform, coalesce(m.platform_id, CASE WHEN starts_with(m.key, 'tel:') THEN m.key END, 'member:' || m.id))
       FROM members m JOIN groups g ON g.id = m.group_id`,
      `DROP TABLE members`,
      `ALTER TABLE members_v2 RENAME TO members`,
      // messages.member_id is the member as merged (what every metric reads); author_id the
      // member the export named, so merges can be undone.
      `ALTER TABLE messages ADD COLUMN author_id INTEGER`,
      `ALTER TABLE messages ADD COLUMN reactions INTEGER`,
      `ALTER TABLE events ADD COLUMN actor_raw INTEGER`,
      `ALTER TABLE events ADD COLUMN subject_raw INTEGER`,
      // Hand-made identity operations, replayed in id order; undo marks the latest one undone.
      `CREATE TABLE identity_ops (
        id INTEGER PRIMARY KEY,
        op VARCHAR NOT NULL,
        members INTEGER[] NOT NULL,
        created_at TIMESTAMP NOT NULL,
        undone_at TIMESTAMP
      )`,
      // Nickname history as merged: an absorbed member's names belong to the member it joined.
      `CREATE VIEW member_names_eff AS
        SELECT coalesce(m.merged_into, n.member_id) AS member_id, n.name, min(n.first_seen) AS first_seen,
          max(n.last_seen) AS last_seen, sum(n.messages)::BIGINT AS messages
        FROM member_names n JOIN members m ON m.id = n.member_id GROUP BY ALL`,
    ],
  },
  {
    // Separate from v2: DuckDB refuses to UPDATE a table altered in the same transaction.
    version: 3,
    description: 'identity: raw authors of a library made before v2',
    sql: [
      `UPDATE messages SET author_id = member_id WHERE author_id IS NULL`,
      `UPDATE events SET actor_raw = actor_id, subject_raw = subject_id WHERE actor_raw IS NULL AND subject_raw IS NULL`,
    ],
  },
  {
    // Precomputed per-group rows the metrics aggregate (engine/derive.ts), filled here for the
    // groups a library made before v4 holds; imports and identity changes keep them current.
    version: 4,
    description: 'derived tables: message order and neighbours, interaction edges, member-days, terms',
    sql: [...DERIVED_MIGRATION_SQL],
  },
  {
    version: 5,
    description: 'interaction edges: WhatsApp @phone-number mentions resolve to the member with that number',
    sql: [...EDGES_MIGRATION_SQL],
  },
  {
    version: 6,
    // Empty: a group without rows there (d_extra_groups) is served by the metrics' queries over
    // d_edges/d_seq/d_terms, as before, until its next import or identity change builds them.
    description: 'faster metric tables: pair edges, conversations, top-term masks (filled per group at its next import)',
    sql: [...EXTRA_DDL],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
