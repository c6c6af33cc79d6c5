/**
 * Derived tables: what the slow metrics used to recompute from raw messages on every call —
 * message order and neighbours, interaction edges with @mentions resolved to members, per-day
 * member counts, per-message terms and per-day term counts — computed once per import (for the
 * groups the file touched) and after identity merges/splits, so metrics aggregate small tables under
 * the filters instead (docs/PIPELINE.md "Derived tables").
 *
 * Every row carries `group_id`, a time (`ts` or `day`) and the member AS MERGED
 * (messages.member_id), so each common filter applies to it directly. A group's rows are always
 * rebuilt whole: a later import can change an earlier message's neighbours (overlapping exports),
 * its reply target (resolved late) and whom an @name resolves to (new nickname history).
 *
 * The statements are fixed SQL over the groups listed in TEMP table `d_todo`, so the v4 migration
 * runs the very same statements to fill a library made before it. A later change to these tables
 * must come as a new migration that drops and rebuilds them with the statements of its day.
 */
import { listValue } from '@duckdb/node-api';
import type { Database } from './db/database.js';
import { refreshExtra } from './derive-extra.js';
import { PATTERN_SQL } from './text/patterns.js';

/**
 * Conversation gap (minutes) the per-message conversation ids (d_seq.conv) are computed with: the
 * default of the conversations and KOL metrics; other gaps are computed at query time.
 */
export const CONV_GAP_MINUTES = 30;

/** Position bits of d_seq.rn: rn = group_id · 2^40 + position, so one group's rows are contiguous. */
export const RN_GROUP_SHIFT = 1099511627776;

/** A code constant as a SQL string literal (migrations cannot bind parameters). */
const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const QUESTION_RE = literal(PATTERN_SQL.question);
const CHECKIN_RE = literal(PATTERN_SQL.checkIn);
const RN_SHIFT = String(RN_GROUP_SHIFT);
const CONV_GAP = `INTERVAL ${CONV_GAP_MINUTES} MINUTE`;
const TODO = `(SELECT group_id FROM temp.d_todo)`;
/** Every group: the groups table's and any id messages carry (hand-built test data may lack the former). */
const ALL_GROUPS = `CREATE OR REPLACE TEMP TABLE d_todo AS SELECT id AS group_id FROM groups UNION SELECT DISTINCT group_id FROM messages`;

/** The derived tables (created by migration 4). */
export const DERIVED_TABLES = ['d_seq', 'd_edges', 'd_member_day', 'd_terms', 'd_term_day', 'd_groups'] as const;

export const DERIVED_DDL: readonly string[] = [
  // One row per message; rn orders a group's messages by (ts, id).
  // prev_*: the group's previous message (NULL for the first). explicit: the message replies or
  // @-mentions (it gets no adjacency edge). isq: it matches the question pattern. nxo_rn: rn of the
  // first later message by another member; for questions (their first answer) also its time and
  // author (ans_ts, ans_member). conv: rn of the start of its conversation (CONV_GAP_MINUTES).
  `CREATE TABLE d_seq (
    group_id INTEGER NOT NULL,
    rn BIGINT NOT NULL,
    id BIGINT NOT NULL,
    ts TIMESTAMP NOT NULL,
    member_id INTEGER NOT NULL,
    prev_ts TIMESTAMP,
    prev_member INTEGER,
    explicit BOOLEAN NOT NULL,
    isq BOOLEAN NOT NULL,
    nxo_rn BIGINT,
    ans_ts TIMESTAMP,
    ans_member INTEGER,
    conv BIGINT NOT NULL
  )`,
  // Reply (kind 1) and resolved @mention (kind 2) edges of each message; folded: a mention of the
  // member the same message replies to.
  `CREATE TABLE d_edges (
    group_id INTEGER NOT NULL,
    ts TIMESTAMP NOT NULL,
    mid BIGINT NOT NULL,
    source INTEGER NOT NULL,
    target INTEGER NOT NULL,
    kind UTINYINT NOT NULL,
    folded BOOLEAN NOT NULL
  )`,
  // Messages per member and day; checkins: of them, those matching the check-in pattern.
  `CREATE TABLE d_member_day (
    group_id INTEGER NOT NULL,
    day DATE NOT NULL,
    member_id INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    chars BIGINT NOT NULL,
    first_ts TIMESTAMP NOT NULL,
    last_ts TIMESTAMP NOT NULL,
    checkins INTEGER NOT NULL
  )`,
  // messages.terms, one row per (message, term).
  `CREATE TABLE d_terms (
    group_id INTEGER NOT NULL,
    ts TIMESTAMP NOT NULL,
    member_id INTEGER NOT NULL,
    mid BIGINT NOT NULL,
    term VARCHAR NOT NULL
  )`,
  // Term occurrences per group and day (all members).
  `CREATE TABLE d_term_day (
    group_id INTEGER NOT NULL,
    day DATE NOT NULL,
    term VARCHAR NOT NULL,
    n INTEGER NOT NULL
  )`,
  // Groups whose rows are built, with a signature of their members (id, merged_into, name) at the
  // time: identity changes rebuild only the groups whose signature moved (staleGroups).
  `CREATE TABLE d_groups (
    group_id INTEGER PRIMARY KEY,
    members_sig UBIGINT NOT NULL
  )`,
];

/** Per group: the signature of its members' identity state (everything derived rows depend on). */
const MEMBERS_SIG = `SELECT group_id, bit_xor(hash(id, merged_into, name)) AS sig FROM members GROUP BY group_id`;

/** Mention resolution (was interactions.ts, per call): see docs/METRICS.md "graph". */
const EDGES_SQL = `INSERT INTO d_edges
WITH src AS (
  SELECT m.id, m.group_id, m.member_id, m.ts, m.reply_to, m.mentions
  FROM messages m
  WHERE m.group_id IN ${TODO} AND (m.reply_to IS NOT NULL OR m.mentions IS NOT NULL)
),
reply AS (
  SELECT s.id AS mid, s.group_id, s.ts, s.member_id AS source, r.member_id AS target
  FROM src s JOIN messages r ON r.id = s.reply_to
),
ment AS (
  SELECT DISTINCT mid, group_id, source, ts, name
  FROM (SELECT s.id AS mid, s.group_id, s.member_id AS source, s.ts, unnest(s.mentions) AS name FROM src s WHERE s.mentions IS NOT NULL)
),
cand AS (
  SELECT x.mid, x.name, x.ts, mn.member_id AS target, mn.first_seen, mn.last_seen
  FROM ment x
  JOIN member_names_eff mn ON mn.name = x.name
  JOIN members mem ON mem.id = mn.member_id AND mem.group_id = x.group_id
),
t1 AS (
  SELECT mid, name, count(DISTINCT target) AS n, min(target) AS target
  FROM cand WHERE ts BETWEEN first_seen AND last_seen GROUP BY mid, name
),
t2 AS (
  SELECT mid, name, count(DISTINCT target) AS n, min(target) AS target
  FROM cand c
  WHERE c.first_seen <= c.ts AND NOT EXISTS (
    SELECT 1 FROM member_names_eff o WHERE o.member_id = c.target AND o.first_seen > c.first_seen AND o.first_seen <= c.ts)
  GROUP BY mid, name
),
t3 AS (
  SELECT x.mid, x.name, count(*) AS n, min(mem.id) AS target
  FROM ment x JOIN members mem ON mem.group_id = x.group_id AND mem.name = x.name AND mem.merged_into IS NULL
  GROUP BY x.mid, x.name
),
-- WhatsApp writes an @mention as the phone number (@8613800138000): it names the member whose
-- key is that number (a sender the export shows by number; a saved contact's number is unknown).
t4 AS (
  SELECT x.mid, x.name, count(DISTINCT coalesce(mem.merged_into, mem.id)) AS n, min(coalesce(mem.merged_into, mem.id)) AS target
  FROM (SELECT * FROM ment WHERE regexp_full_match(name, '[0-9]{5,15}')) x
  JOIN members mem ON mem.group_id = x.group_id AND mem.key = 'tel:+' || x.name
  GROUP BY x.mid, x.name
),
mention_res AS (
  SELECT x.mid, x.group_id, x.ts, x.source,
    CASE WHEN t1.n IS NOT NULL THEN (CASE WHEN t1.n = 1 THEN t1.target END)
         WHEN t2.n IS NOT NULL THEN (CASE WHEN t2.n = 1 THEN t2.target END)
         WHEN t3.n IS NOT NULL THEN (CASE WHEN t3.n = 1 THEN t3.target END)
         WHEN t4.n = 1 THEN t4.target END AS target
  FROM ment x
  LEFT JOIN t1 ON t1.mid = x.mid AND t1.name = x.name
  LEFT JOIN t2 ON t2.mid = x.mid AND t2.name = x.name
  LEFT JOIN t3 ON t3.mid = x.mid AND t3.name = x.name
  LEFT JOIN t4 ON t4.mid = x.mid AND t4.name = x.name
),
mention_edge AS (
  SELECT DISTINCT mid, group_id, ts, source, target FROM mention_res WHERE target IS NOT NULL
)
SELECT group_id, ts, mid, source, target, 1, false FROM reply
UNION ALL
SELECT e.group_id, e.ts, e.mid, e.source, e.target, 2,
  EXISTS (SELECT 1 FROM reply r WHERE r.mid = e.mid AND r.target = e.target)
FROM mention_edge e`;

/**
 * The text is tested against the question pattern first, so the windows sort narrow rows. One
 * window pass in (group, ts, id) order gives positions and neighbours (cut at group boundaries);
 * a second, in the same order, counts conversation starts and finds each message's first later
 * message by another member: the next message whose author differs from the one before it (the
 * author's own follow-ups are skipped). Single ordered partitions: each group's boundaries are
 * handled by hand, so one sort serves every group. Rows are not re-sorted for writing (at 10^7
 * rows that sort costs seconds and memory the import does not have); scans read all row groups.
 */
const SEQ_SQL = `INSERT INTO d_seq
WITH x AS MATERIALIZED (
  SELECT m.group_id, m.id, m.ts, m.member_id,
    (m.reply_to IS NOT NULL OR coalesce(len(m.mentions), 0) > 0) AS explicit,
    regexp_matches(m.text, ${QUESTION_RE}) AS isq
  FROM messages m WHERE m.group_id IN ${TODO}
),
v AS (
  SELECT group_id, id, ts, member_id, explicit, isq, gpos,
    CASE WHEN pg = group_id THEN pts END AS prev_ts, CASE WHEN pg = group_id THEN pm END AS prev_member,
    CASE WHEN isq AND ng = group_id THEN nts END AS next_ts, CASE WHEN isq AND ng = group_id THEN nm END AS next_member
  FROM (
    SELECT x.*, row_number() OVER o AS gpos,
      lag(x.group_id) OVER o AS pg, lag(x.ts) OVER o AS pts, lag(x.member_id) OVER o AS pm,
      lead(x.group_id) OVER o AS ng, lead(x.ts) OVER o AS nts, lead(x.member_id) OVER o AS nm
    FROM x
    WINDOW o AS (ORDER BY x.group_id, x.ts, x.id))
),
c AS MATERIALIZED (
  SELECT *,
    sum(CASE WHEN prev_ts IS NULL OR prev_ts <= ts - ${CONV_GAP} THEN 1 ELSE 0 END)
      OVER (ORDER BY gpos ROWS UNBOUNDED PRECEDING) AS conv_no,
    first_value(CASE WHEN member_id IS DISTINCT FROM prev_member THEN gpos END IGNORE NULLS)
      OVER (ORDER BY gpos ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS nxo
  FROM v
),
g AS (SELECT group_id, min(gpos) - 1 AS base, max(gpos) AS last FROM c GROUP BY group_id),
convs AS (SELECT conv_no, min(gpos) AS conv_gpos FROM c GROUP BY conv_no),
-- Questions followed by more of the asker's messages (few): their answer's time and author.
tails AS (
  SELECT q.gpos, a.ts, a.member_id FROM (SELECT gpos, nxo FROM c WHERE isq AND next_member = member_id) q
  JOIN c a ON a.gpos = q.nxo
)
SELECT c.group_id, c.group_id * ${RN_SHIFT} + c.gpos - g.base, c.id, c.ts, c.member_id, c.prev_ts, c.prev_member,
  c.explicit, c.isq,
  CASE WHEN c.nxo <= g.last THEN c.group_id * ${RN_SHIFT} + c.nxo - g.base END,
  CASE WHEN NOT c.isq THEN NULL WHEN c.next_member IS DISTINCT FROM c.member_id THEN c.next_ts WHEN c.nxo <= g.last THEN t.ts END,
  CASE WHEN NOT c.isq THEN NULL WHEN c.next_member IS DISTINCT FROM c.member_id THEN c.next_member WHEN c.nxo <= g.last THEN t.member_id END,
  c.group_id * ${RN_SHIFT} + cv.conv_gpos - g.base
FROM c JOIN g ON g.group_id = c.group_id JOIN convs cv ON cv.conv_no = c.conv_no LEFT JOIN tails t ON t.gpos = c.gpos`;

const MEMBER_DAY_SQL = `INSERT INTO d_member_day
SELECT m.group_id, CAST(m.ts AS DATE), m.member_id, count(*), sum(m.chars), min(m.ts), max(m.ts),
  count(*) FILTER (WHERE regexp_matches(m.text, ${CHECKIN_RE}))
FROM messages m WHERE m.group_id IN ${TODO}
GROUP BY ALL ORDER BY 1, 2, 3`;

const TERMS_SQL = `INSERT INTO d_terms
SELECT group_id, ts, member_id, id, term
FROM (SELECT m.group_id, m.ts, m.member_id, m.id, unnest(m.terms) AS term FROM messages m WHERE m.group_id IN ${TODO} AND m.terms IS NOT NULL)
WHERE term IS NOT NULL`;

const GROUPS_SQL = `INSERT INTO d_groups
SELECT t.group_id, coalesce(s.sig, 0) FROM temp.d_todo t LEFT JOIN (${MEMBERS_SIG}) s ON s.group_id = t.group_id`;

const TERM_DAY_SQL = `INSERT INTO d_term_day
SELECT t.group_id, CAST(t.ts AS DATE), t.term, count(*) FROM d_terms t WHERE t.group_id IN ${TODO}
GROUP BY ALL ORDER BY 1, 2, 3`;

/** Rebuilds every derived row of the groups in TEMP table d_todo. */
export const DERIVE_SQL: readonly string[] = [
  `DELETE FROM d_seq WHERE group_id IN ${TODO}`,
  `DELETE FROM d_edges WHERE group_id IN ${TODO}`,
  `DELETE FROM d_member_day WHERE group_id IN ${TODO}`,
  `DELETE FROM d_terms WHERE group_id IN ${TODO}`,
  `DELETE FROM d_term_day WHERE group_id IN ${TODO}`,
  `DELETE FROM d_groups WHERE group_id IN ${TODO}`,
  SEQ_SQL,
  EDGES_SQL,
  MEMBER_DAY_SQL,
  TERMS_SQL,
  TERM_DAY_SQL,
  GROUPS_SQL,
];

/** Migration 4: the tables, filled for every group a library made before it already holds. */
export const DERIVED_MIGRATION_SQL: readonly string[] = [
  ...DERIVED_DDL,
  ALL_GROUPS,
  ...DERIVE_SQL,
  `DROP TABLE temp.d_todo`,
];

/** Migration 5: interaction edges rebuilt with @phone-number mentions resolved (EDGES_SQL's t4). */
export const EDGES_MIGRATION_SQL: readonly string[] = [
  ALL_GROUPS,
  `DELETE FROM d_edges WHERE group_id IN ${TODO}`,
  EDGES_SQL,
  `DROP TABLE temp.d_todo`,
];

/**
 * Recomputes the derived rows of `groupIds` (null: every group) from messages, members and
 * nickname history as they stand. Runs inside the caller's transaction when there is one.
 * `onStep` is called after each statement (import progress).
 */
export async function refreshDerived(db: Database, groupIds: readonly number[] | null, onStep?: () => void): Promise<void> {
  if (groupIds !== null && groupIds.length === 0) return;
  if (groupIds === null) await db.run(ALL_GROUPS);
  else {
    await db.run(`CREATE OR REPLACE TEMP TABLE d_todo AS SELECT DISTINCT unnest($g)::INTEGER AS group_id`, {
      g: listValue([...groupIds]),
    });
  }
  // Statements run off this thread, so the caller's heartbeat (the merge's) keeps ticking.
  for (const sql of DERIVE_SQL) {
    await db.run(sql);
    onStep?.();
  }
  // The metrics' faster tables (derive-extra.ts) are built from the rows above, so with them.
  for (const { g } of await db.all<{ g: number }>(`SELECT group_id AS g FROM temp.d_todo ORDER BY 1`)) {
    await refreshExtra(db, g);
    onStep?.();
  }
  await db.run(`DROP TABLE IF EXISTS temp.d_todo`);
}

/**
 * Groups whose derived rows no longer match their members (a merge or split since they were built,
 * a member renamed), or were never built. After identity changes only these need rebuilding:
 * merges and splits act within a group.
 */
export async function staleGroups(db: Database): Promise<number[]> {
  const rows = await db.all<{ g: number }>(
    `SELECT s.group_id AS g FROM (${MEMBERS_SIG}) s LEFT JOIN d_groups d ON d.group_id = s.group_id
     WHERE d.members_sig IS DISTINCT FROM s.sig ORDER BY 1`,
  );
  return rows.map((r) => r.g);
}

/** The groups the file being merged touched (merge.ts keeps them in TEMP table stg_gmap). */
export async function stagedGroups(db: Database): Promise<number[]> {
  return (await db.all<{ g: number }>(`SELECT DISTINCT group_id AS g FROM stg_gmap ORDER BY 1`)).map((r) => r.g);
}
