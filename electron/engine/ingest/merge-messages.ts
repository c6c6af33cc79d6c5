import type { Database } from '../db/database.js';
import { SEP } from './stage.js';

/** Runs one merge statement (merge.ts reports progress around it). */
export type Run = (sql: string, params?: Record<string, string | number>) => Promise<void>;

/**
 * A message's fingerprint in stg_msg m (sender s, kind k): the platform message id where there is
 * one, else content + the occurrence number among identical records, which a chronological file
 * brings in m.occ (two identical "ok"s in one second both stay).
 */
const FP_OCC = `CASE WHEN m.ext_id IS NOT NULL THEN hash('x', m.ext_id) ELSE hash(s.sender_key, m.ts, k.kind, m.text, m.occ::BIGINT) END`;

/** The staged columns of a message as stored (stg_msg m, stg_kinds k, stg_extra x), from line to chars. */
const STAGED_COLUMNS = `m.line, CAST(m.ts AS TIMESTAMP), CASE WHEN m.utc_ms IS NULL THEN NULL ELSE to_timestamp(m.utc_ms / 1000) END,
  k.kind, m.text, m.ext_id, NULL, x.reply_ext, x.quote_name, x.quote_text,
  CASE WHEN x.mentions IS NULL THEN NULL ELSE string_split(x.mentions, $sep) END,
  CASE WHEN m.terms IS NULL THEN NULL ELSE string_split(m.terms, $sep) END,
  CASE WHEN k.kind IN ('text', 'link') THEN length(m.text) ELSE 0 END`;

/**
 * Inserts the staged messages the library does not hold yet, numbered after its last id in
 * (time, line) order. Leaves per-sender counts of the new messages in stg_sagg and the new quoting
 * messages in stg_quotes. Returns how many messages were new.
 *
 * The common case, a first import of a file whose records come in time order, is one pass over
 * stg_msg: ids are base + seq + 1 and nothing needs de-duplicating. Otherwise narrow rows (seq,
 * ids, fingerprint) are computed first and the staged columns joined back on seq: sorting and
 * de-duplicating whole messages was most of the merge's time and memory.
 */
export async function insertMessages(db: Database, run: Run, sourceId: number): Promise<number> {
  const one = async (sql: string) => (await db.one<{ n: number }>(sql))!.n;
  const base = await one(`SELECT coalesce(max(id), 0)::BIGINT AS n FROM messages`);
  const chronological = (await db.one<{ v: string }>(`SELECT value AS v FROM stg_meta WHERE key = 'chronological'`))?.v === '1';
  const stored = await one(`SELECT count(*) AS n FROM messages WHERE group_id IN (SELECT group_id FROM stg_gmap)`);

  if (chronological && stored === 0) {
    await run(
      `INSERT INTO messages
       SELECT CAST($base AS BIGINT) + m.seq + 1, s.group_id, s.member_id, $src, ${STAGED_COLUMNS}, ${FP_OCC}, s.author_id, x.reactions
       FROM stg_msg m JOIN stg_sm s ON s.idx = m.sender JOIN stg_kinds k ON k.idx = m.kind LEFT JOIN stg_extra x ON x.seq = m.seq`,
      { src: sourceId, sep: SEP, base },
    );
    await run(`CREATE OR REPLACE TEMP TABLE stg_sagg AS
      SELECT s.author_id, s.sender_name, s.sender_aliases, a.first_seen, a.last_seen, a.n FROM (
        SELECT sender, min(CAST(ts AS TIMESTAMP)) AS first_seen, max(CAST(ts AS TIMESTAMP)) AS last_seen, count(*) AS n
        FROM stg_msg GROUP BY sender) a
      JOIN stg_sm s ON s.idx = a.sender`);
    // (Most exports quote nothing: then no pass over every staged message for it.)
    const quotes = await one(`SELECT count(*) AS n FROM stg_extra WHERE quote_name IS NOT NULL OR quote_key IS NOT NULL`);
    await run(`CREATE OR REPLACE TEMP TABLE stg_quotes AS
      SELECT s.group_id, ${FP_OCC} AS fp, CAST(m.ts AS TIMESTAMP) AS ts, x.quote_name, x.quote_text, x.quote_key
      FROM (SELECT * FROM stg_extra WHERE quote_name IS NOT NULL OR quote_key IS NOT NULL) x
      JOIN stg_msg m ON m.seq = x.seq JOIN stg_sm s ON s.idx = m.sender JOIN stg_kinds k ON k.idx = m.kind
      WHERE $quotes > 0`, { quotes });
    return one(`SELECT count(*) AS n FROM stg_msg`);
  }

  if (chronological) {
    await run(`CREATE OR REPLACE TEMP TABLE stg_new AS
      SELECT m.seq, s.group_id, s.member_id, s.author_id, m.sender, CAST(m.ts AS TIMESTAMP) AS ts, m.line, ${FP_OCC} AS fp,
        CAST($base AS BIGINT) + m.seq + 1 AS id
      FROM stg_msg m JOIN stg_sm s ON s.idx = m.sender JOIN stg_kinds k ON k.idx = m.kind`, { base });
  } else {
    // `h`: the content fingerprint as if the record were the first of its kind.
    await run(`CREATE OR REPLACE TEMP TABLE stg_new AS
      SELECT m.seq, s.group_id, s.member_id, s.author_id, m.sender, CAST(m.ts AS TIMESTAMP) AS ts, m.line,
        m.ext_id IS NOT NULL AS has_ext, hash(s.sender_key, m.ts, k.kind, m.text, 1::BIGINT) AS h,
        CASE WHEN m.ext_id IS NOT NULL THEN hash('x', m.ext_id) ELSE h END AS fp, CAST($base AS BIGINT) + m.seq + 1 AS id
      FROM stg_msg m JOIN stg_sm s ON s.idx = m.sender JOIN stg_kinds k ON k.idx = m.kind`, { base });
    // Records identical in (conversation, sender, time, kind, text) share `h`: number them by line
    // (records with a platform id count, as they always did).
    await run(`CREATE OR REPLACE TEMP TABLE stg_dup AS SELECT f.seq FROM stg_new f
      JOIN (SELECT group_id, h FROM stg_new GROUP BY group_id, h HAVING count(*) > 1) d ON d.group_id = f.group_id AND d.h = f.h`);
    if ((await one(`SELECT count(*) AS n FROM stg_dup`)) > 0) {
      await run(`UPDATE stg_new SET fp = o.fp FROM (
          SELECT seq, ext_id IS NOT NULL AS has_ext, hash(sender_key, ts, kind, text,
            row_number() OVER (PARTITION BY group_key, sender_key, ts, kind, text ORDER BY line)) AS fp
          FROM stg_messages WHERE seq IN (SELECT seq FROM stg_dup)
        ) o WHERE stg_new.seq = o.seq AND NOT o.has_ext`);
    }
  }
  // Messages this library already holds (a re-import, overlapping exports) are left out.
  if (stored > 0) await run(`DELETE FROM stg_new WHERE EXISTS (SELECT 1 FROM messages x WHERE x.group_id = stg_new.group_id AND x.fp = stg_new.fp)`);
  const added = await one(`SELECT count(*) AS n FROM stg_new`);
  // Ids follow (time, line): base + seq + 1 already does when the file is in that order and whole.
  if (!chronological || added < (await one(`SELECT count(*) AS n FROM stg_msg`))) {
    await run(`UPDATE stg_new SET id = o.id FROM (
        SELECT seq, CAST($base AS BIGINT) + row_number() OVER (ORDER BY ts, line) AS id FROM stg_new
      ) o WHERE stg_new.seq = o.seq`, { base });
  }
  await run(
    `INSERT INTO messages
     SELECT n.id, n.group_id, n.member_id, $src, ${STAGED_COLUMNS}, n.fp, n.author_id, x.reactions
     FROM stg_new n JOIN stg_msg m ON m.seq = n.seq JOIN stg_kinds k ON k.idx = m.kind LEFT JOIN stg_extra x ON x.seq = n.seq`,
    { src: sourceId, sep: SEP },
  );
  await run(`CREATE OR REPLACE TEMP TABLE stg_sagg AS
    SELECT s.author_id, s.sender_name, s.sender_aliases, a.first_seen, a.last_seen, a.n FROM (
      SELECT sender, min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS n FROM stg_new GROUP BY sender) a
    JOIN stg_sm s ON s.idx = a.sender`);
  await run(`CREATE OR REPLACE TEMP TABLE stg_quotes AS
    SELECT n.group_id, n.fp, n.ts, x.quote_name, x.quote_text, x.quote_key
    FROM (SELECT * FROM stg_extra WHERE quote_name IS NOT NULL OR quote_key IS NOT NULL) x JOIN stg_new n ON n.seq = x.seq`);
  return added;
}
