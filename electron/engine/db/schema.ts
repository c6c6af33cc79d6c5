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
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
