/**
 * More derived rows, per group, built after the tables of derive.ts (from d_edges and d_seq) and
 * rebuilt whole with them:
 *  - d_pair_edges: every interaction edge the graph and KOL metrics count with their default
 *    adjacency window (5 minutes) and replies counted — reply and resolved @mention edges (a
 *    mention folded into a reply left out), adjacency edges within the window — stored in
 *    (source, target, ts) order. A filtered scan keeps that order, so the metrics count pairs in one
 *    pass instead of sorting ≈ 10^6 edges per call (network/pair-counts.ts).
 *  - d_convs, d_conv_members: per conversation (d_seq.conv) its last message, and per member in it
 *    the member's first message: KOL's conversation starters and their people over the conversations
 *    a period holds whole, without a pass over every message (network/kol-conversations.ts).
 *  - d_top_terms, d_term_mask: the group's 64 most frequent terms (that pass the term guard) and,
 *    per message holding two or more of them, which (bit i = the term numbered i): co-occurrence
 *    pairs of any period whose top terms are among these are counted per distinct set of terms
 *    without joining every (message, term) row (network/cooccurrence.ts).
 *  - d_extra_groups: the groups whose rows are built (a library made before these tables has none:
 *    the metrics then read d_edges and d_seq as before).
 */
import { listValue } from '@duckdb/node-api';
import type { Database } from './db/database.js';
import { termGuardSql } from './metrics/network/term-guard.js';

/** Adjacency window (minutes) d_pair_edges is built with. */
export const PAIR_EDGES_WINDOW_MINUTES = 5;

/** The tables: created by migration 6, and by refreshExtra if missing (a library opened with fewer migrations, as in tests). */
export const EXTRA_DDL: readonly string[] = [
  // k: 1 reply, 2 mention, 3 adjacent; prev_ts: the previous message's time (adjacency only).
  `CREATE TABLE IF NOT EXISTS d_pair_edges (
    group_id INTEGER NOT NULL,
    source INTEGER NOT NULL,
    target INTEGER NOT NULL,
    k INTEGER NOT NULL,
    ts TIMESTAMP NOT NULL,
    prev_ts TIMESTAMP
  )`,
  `CREATE TABLE IF NOT EXISTS d_convs (group_id INTEGER NOT NULL, conv BIGINT NOT NULL, last_rn BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS d_conv_members (group_id INTEGER NOT NULL, conv BIGINT NOT NULL, member_id INTEGER NOT NULL, first_rn BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS d_top_terms (group_id INTEGER NOT NULL, term VARCHAR NOT NULL, bit INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS d_term_mask (group_id INTEGER NOT NULL, ts TIMESTAMP NOT NULL, member_id INTEGER NOT NULL, mask UBIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS d_extra_groups (group_id INTEGER PRIMARY KEY)`,
];

/** Terms numbered in d_top_terms (bits of d_term_mask.mask). */
export const MASK_TERMS = 64;

const PAIR_EDGES_SQL = `INSERT INTO d_pair_edges
SELECT group_id, source, target, k, ts, prev_ts FROM (
  SELECT e.group_id, e.source, e.target, e.kind::INTEGER AS k, e.ts, NULL::TIMESTAMP AS prev_ts
  FROM d_edges e WHERE e.group_id = $g AND NOT (e.kind = 2 AND e.folded) AND e.source <> e.target
  UNION ALL
  SELECT s.group_id, s.member_id, s.prev_member, 3, s.ts, s.prev_ts
  FROM d_seq s WHERE s.group_id = $g AND NOT s.explicit AND s.prev_member IS NOT NULL AND s.member_id <> s.prev_member
    AND s.ts - s.prev_ts <= INTERVAL ${PAIR_EDGES_WINDOW_MINUTES} MINUTE
) ORDER BY source, target, ts`;

/** Rebuilds the extra derived rows of one group from its d_edges and d_seq rows as they stand. */
export async function refreshExtra(db: Database, groupId: number): Promise<void> {
  for (const ddl of EXTRA_DDL) await db.run(ddl);
  for (const t of ['d_pair_edges', 'd_convs', 'd_conv_members', 'd_top_terms', 'd_term_mask', 'd_extra_groups']) await db.run(`DELETE FROM ${t} WHERE group_id = $g`, { g: groupId });
  await db.run(PAIR_EDGES_SQL, { g: groupId });
  await db.run(`INSERT INTO d_convs SELECT group_id, conv, max(rn) FROM d_seq WHERE group_id = $g GROUP BY ALL ORDER BY conv`, { g: groupId });
  await db.run(
    `INSERT INTO d_conv_members SELECT group_id, conv, member_id, min(rn) FROM d_seq WHERE group_id = $g GROUP BY ALL ORDER BY conv, member_id`,
    { g: groupId },
  );
  const guard = termGuardSql('term');
  await db.run(
    `INSERT INTO d_top_terms SELECT $g, term, (row_number() OVER (ORDER BY n DESC, term) - 1)::INTEGER FROM (
       SELECT term, sum(n) AS n FROM d_term_day WHERE group_id = $g GROUP BY term HAVING ${guard.sql} ORDER BY n DESC, term LIMIT ${MASK_TERMS})`,
    { g: groupId, ...guard.params },
  );
  await db.run(
    `INSERT INTO d_term_mask
     SELECT d.group_id, d.ts, d.member_id, bit_or(1::UBIGINT << t.bit)
     FROM d_terms d JOIN d_top_terms t ON t.group_id = d.group_id AND t.term = d.term
     WHERE d.group_id = $g GROUP BY d.group_id, d.mid, d.ts, d.member_id HAVING count(*) >= 2 ORDER BY d.ts`,
    { g: groupId },
  );
  await db.run(`INSERT INTO d_extra_groups VALUES ($g)`, { g: groupId });
}

/** True when every one of `groupIds` has its extra rows built (false for none listed). */
export async function extraBuilt(db: Database, groupIds: readonly number[] | undefined): Promise<boolean> {
  if (!groupIds || groupIds.length === 0) return false;
  const t = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'd_extra_groups' AND schema_name = 'main'`);
  if (!t || t.n === 0) return false;
  const ids = [...new Set(groupIds)];
  const r = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM d_extra_groups WHERE group_id IN (SELECT unnest($g))`, { g: listValue(ids) });
  return (r?.n ?? 0) === ids.length;
}
