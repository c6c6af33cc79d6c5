import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import type { Database } from '../../db/database.js';
import { dayFilterSql, filterSql, type SqlPart } from '../filter-sql.js';
import { extraBuilt, PAIR_EDGES_WINDOW_MINUTES } from '../../derive-extra.js';
import { countPairs, type PairColumns } from './pair-counts.js';
import { typedColumns } from './typed-columns.js';
import type { EdgeType, EdgeWeights } from '../../../../shared/metrics/network.js';

export type { EdgeType, EdgeWeights, PairColumns };

/**
 * Interaction edges A→B (ARCHITECTURE §5), shared by the graph and KOL metrics.
 * - reply: A's message replies to a message of B (messages.reply_to).
 * - mention: A's message @-mentions a name that resolves to B (see buildInteractionsSql). A mention
 *   of the member the same message replies to is folded into the reply (QQ/WeChat insert that @).
 * - adjacent: A's message immediately follows B's in the group within `windowMinutes`, and A's
 *   message carries no reply and no @ (it addresses no one explicitly). Weaker evidence.
 * Self-edges are dropped. Both ends must pass the members/exclude filters.
 */
export const EDGE_TYPES = ['reply', 'mention', 'adjacent'] as const satisfies readonly EdgeType[];

export const DEFAULT_WEIGHTS = { reply: 3, mention: 2, adjacent: 0.5 } as const;

export const EdgeWeightsArg = z
  .object({
    reply: z.number().min(0).max(100).default(DEFAULT_WEIGHTS.reply),
    mention: z.number().min(0).max(100).default(DEFAULT_WEIGHTS.mention),
    adjacent: z.number().min(0).max(100).default(DEFAULT_WEIGHTS.adjacent),
  })
  .prefault({});

export interface InteractionOptions {
  types: readonly EdgeType[];
  /** Adjacency window in minutes (default 5). */
  windowMinutes: number;
  weights: EdgeWeights;
  /** Pairs whose weight is below this are not returned (0 keeps every pair). */
  minWeight: number;
}

/** Interactions from `source` to `target` in the filtered period, by type. */
export interface PairCounts {
  source: number;
  target: number;
  replies: number;
  mentions: number;
  adjacent: number;
  /** replies · w.reply + mentions · w.mention + adjacent · w.adjacent. */
  weight: number;
}

/**
 * Pure: the definition of the interaction pairs, in SQL. The metrics read the edge rows
 * (buildEdgeRowsSql) and count them in JavaScript (loadPairColumns → countPairs), which tests hold
 * equal to this query. Edges come from the derived tables (engine/derive.ts), built at import:
 *  - reply and mention edges from d_edges. Mention resolution, per mentioned name and message,
 *    within the message's group: 1. members who held that name at the moment (member_names
 *    first_seen ≤ ts ≤ last_seen); 2. else members for whom it was the latest name seen before the
 *    moment (greatest first_seen ≤ ts), so a name stays attached between sightings but not after a
 *    later name appeared; 3. else members whose latest name (members.name) is that name. The first
 *    tier with any match decides: one member resolves, several are ambiguous and ignored.
 *  - adjacency from d_seq: each message's predecessor in the group, which must lie in the period
 *    too (the period's first message has none) and within the window.
 */
export function buildInteractionsSql(f: Filters, o: InteractionOptions): SqlPart {
  const rows = buildEdgeRowsSql(f, o);
  const sql = `
WITH er AS (${rows.sql})
SELECT source, target, replies::INTEGER AS replies, mentions::INTEGER AS mentions, adjacent::INTEGER AS adjacent,
  (replies * $i_wr + mentions * $i_wm + adjacent * $i_wa)::DOUBLE AS weight
FROM (
  SELECT source, target, count(*) FILTER (WHERE k = 1) AS replies, count(*) FILTER (WHERE k = 2) AS mentions,
    count(*) FILTER (WHERE k = 3) AS adjacent
  FROM er
  GROUP BY source, target
)
WHERE (replies * $i_wr + mentions * $i_wm + adjacent * $i_wa)::DOUBLE >= $i_minw
ORDER BY source, target`;
  const w = o.weights;
  return { sql, params: { ...rows.params, i_wr: w.reply, i_wm: w.mention, i_wa: w.adjacent, i_minw: o.minWeight } };
}

/**
 * Pure: the edges buildInteractionsSql counts, one row each (source, target, k: 1 reply, 2 mention,
 * 3 adjacent), self-edges and filtered members dropped, in no particular order.
 */
export function buildEdgeRowsSql(f: Filters, o: Pick<InteractionOptions, 'types' | 'windowMinutes'>): SqlPart {
  const scopeE = filterSql({ groups: f.groups, from: f.from, to: f.to }, 'e');
  const scopeS = filterSql({ groups: f.groups, from: f.from, to: f.to }, 's');
  // The predecessor must be in the period as well: it is the message before the period otherwise.
  const prevIn: SqlPart = f.from ? { sql: `s.prev_ts >= CAST($f_from AS TIMESTAMP)`, params: { f_from: f.from } } : { sql: 'TRUE', params: {} };
  const srcF = filterSql({ members: f.members, exclude: f.exclude }, '', 'source');
  const dstF = filterSql({ members: f.members, exclude: f.exclude }, '', 'target');
  const has = (t: EdgeType) => o.types.includes(t);
  const kinds = [...(has('reply') ? [1] : []), ...(has('mention') ? [2] : [])];
  const params: Record<string, DuckDBValue> = { ...scopeE.params, ...scopeS.params, ...prevIn.params, ...srcF.params, ...dstF.params };
  const arms: string[] = [];
  if (kinds.length > 0) {
    // A mention of the member the same message replies to is folded into the reply, when replies count.
    arms.push(`SELECT e.source, e.target, e.kind::INTEGER AS k
    FROM d_edges e WHERE ${scopeE.sql} AND list_contains($i_kinds, e.kind) AND NOT (e.folded AND $i_fold)`);
    Object.assign(params, { i_kinds: listValue(kinds), i_fold: has('reply') });
  }
  if (has('adjacent')) {
    arms.push(`SELECT s.member_id AS source, s.prev_member AS target, 3 AS k
    FROM d_seq s WHERE ${scopeS.sql} AND ${prevIn.sql} AND NOT s.explicit AND s.prev_member IS NOT NULL
      AND s.ts - s.prev_ts <= to_milliseconds(CAST($i_window * 60000 AS BIGINT))`);
    params['i_window'] = o.windowMinutes;
  }
  if (arms.length === 0) arms.push(`SELECT NULL::INTEGER AS source, NULL::INTEGER AS target, NULL::INTEGER AS k WHERE FALSE`);
  const sql = `SELECT source, target, k FROM (
  ${arms.join('\n  UNION ALL ')}
) WHERE source <> target AND ${srcF.sql} AND ${dstF.sql}`;
  return { sql, params };
}

/** Pure: messages per member in the filtered period (from the per-day counts). */
export function buildMessageCountsSql(f: Filters): SqlPart {
  const flt = dayFilterSql(f, 'd');
  return { sql: `SELECT d.member_id AS id, sum(d.messages)::INTEGER AS messages FROM d_member_day d WHERE ${flt.sql} GROUP BY d.member_id`, params: flt.params };
}

export interface Interactions {
  pairs: PairCounts[];
  /** Messages per member in the filtered period (members with none are absent). */
  messages: Map<number, number>;
  /** Latest names of every member appearing in `pairs` or `messages`. */
  names: Map<number, string>;
}

/**
 * Pure: per member, how many distinct members replied to or @-mentioned them and in how many
 * messages — with every edge type counted (a mention folded into a reply counts once), both ends
 * passing the member filters and no self-edges, as the interaction pairs count them.
 */
export function buildReceivedSql(f: Filters): SqlPart {
  const scope = filterSql({ groups: f.groups, from: f.from, to: f.to }, 'e');
  const srcF = filterSql({ members: f.members, exclude: f.exclude }, 'e', 'source');
  const dstF = filterSql({ members: f.members, exclude: f.exclude }, 'e', 'target');
  return {
    sql: `SELECT e.target AS id, count(DISTINCT e.source)::INTEGER AS drawn, count(*)::INTEGER AS received
FROM d_edges e
WHERE ${scope.sql} AND NOT (e.kind = 2 AND e.folded) AND e.source <> e.target AND ${srcF.sql} AND ${dstF.sql}
GROUP BY e.target`,
    params: { ...scope.params, ...srcF.params, ...dstF.params },
  };
}

/** Messages per member in the filtered period (members with none are absent). */
export async function loadMessageCounts(db: Database, f: Filters): Promise<Map<number, number>> {
  const c = buildMessageCountsSql(f);
  const { rows, cols } = await typedColumns(db, c.sql, c.params, { id: 'int', messages: 'int' });
  const out = new Map<number, number>();
  for (let i = 0; i < rows; i++) out.set(cols.id[i]!, cols.messages[i]!);
  return out;
}

/** Latest names of the given members. */
export async function loadNames(db: Database, ids: Iterable<number>): Promise<Map<number, string>> {
  const list = [...ids];
  const names = new Map<number, string>();
  if (list.length > 0) {
    const rows = await db.all<{ id: number; name: string }>(`SELECT id, name FROM members WHERE id IN (SELECT unnest($ids))`, {
      ids: listValue(list),
    });
    for (const r of rows) names.set(r.id, r.name);
  }
  return names;
}

/**
 * Pure: buildEdgeRowsSql's rows from d_pair_edges (derive-extra.ts), in (source, target) order
 * within each group. Only for the window it was built with and with replies counted (mentions
 * folded into replies are not stored).
 */
export function buildStoredEdgeRowsSql(f: Filters, o: Pick<InteractionOptions, 'types' | 'windowMinutes'>): SqlPart | null {
  if (o.windowMinutes !== PAIR_EDGES_WINDOW_MINUTES || !o.types.includes('reply')) return null;
  const scope = filterSql({ groups: f.groups, from: f.from, to: f.to }, 'p');
  const prevIn: SqlPart = f.from ? { sql: `p.prev_ts >= CAST($f_from AS TIMESTAMP)`, params: { f_from: f.from } } : { sql: 'TRUE', params: {} };
  const srcF = filterSql({ members: f.members, exclude: f.exclude }, 'p', 'source');
  const dstF = filterSql({ members: f.members, exclude: f.exclude }, 'p', 'target');
  const kinds = [1, ...(o.types.includes('mention') ? [2] : []), ...(o.types.includes('adjacent') ? [3] : [])];
  return {
    sql: `SELECT p.source, p.target, p.k FROM d_pair_edges p
WHERE ${scope.sql} AND list_contains($i_kinds, p.k) AND (p.k <> 3 OR ${prevIn.sql}) AND ${srcF.sql} AND ${dstF.sql}`,
    params: { ...scope.params, ...prevIn.params, ...srcF.params, ...dstF.params, i_kinds: listValue(kinds) },
  };
}

/**
 * The interaction pairs of the period as columns, as buildInteractionsSql defines them: the edge
 * rows are read into typed arrays and counted here (countPairs), no object per pair. From the
 * stored edges when the filter's groups have them (already in pair order), else from d_edges/d_seq.
 */
export async function loadPairColumns(db: Database, f: Filters, o: InteractionOptions): Promise<PairColumns> {
  const stored = buildStoredEdgeRowsSql(f, o);
  const q = stored && (await extraBuilt(db, f.groups)) ? stored : buildEdgeRowsSql(f, o);
  const { cols } = await typedColumns(db, q.sql, q.params, { source: 'int', target: 'int', k: 'int' });
  return countPairs(cols.source, cols.target, cols.k, o.weights, o.minWeight);
}

/** Runs the interaction and message-count queries and looks up the names involved. */
export async function loadInteractions(db: Database, f: Filters, o: InteractionOptions, signal?: AbortSignal): Promise<Interactions> {
  const { rows, cols } = await loadPairColumns(db, f, o);
  const pairs = new Array<PairCounts>(rows);
  for (let i = 0; i < rows; i++) pairs[i] = pairAt(cols, i);
  signal?.throwIfAborted();
  const messages = await loadMessageCounts(db, f);
  signal?.throwIfAborted();
  const ids = new Set(messages.keys());
  for (const p of pairs) ids.add(p.source).add(p.target);
  return { pairs, messages, names: await loadNames(db, ids) };
}

/** Row `i` of the pair columns as an object. */
export function pairAt(cols: PairColumns['cols'], i: number): PairCounts {
  return {
    source: cols.source[i]!,
    target: cols.target[i]!,
    replies: cols.replies[i]!,
    mentions: cols.mentions[i]!,
    adjacent: cols.adjacent[i]!,
    weight: cols.weight[i]!,
  };
}
