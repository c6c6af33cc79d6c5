import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import type { Database } from '../../db/database.js';
import { filterSql, type SqlPart } from '../filter-sql.js';
import { numberColumns } from './columns.js';
import type { EdgeType, EdgeWeights } from '../../../../shared/metrics/network.js';

export type { EdgeType, EdgeWeights };

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
 * Pure. Mention resolution, per mentioned name and message, within the message's group:
 *  1. members who held that name at the moment (member_names first_seen ≤ ts ≤ last_seen);
 *  2. else members for whom it was the latest name seen before the moment (greatest first_seen ≤ ts),
 *     so a name stays attached between sightings but not after a later name appeared;
 *  3. else members whose latest name (members.name) is that name.
 * The first tier with any match decides: one member resolves, several are ambiguous and ignored.
 */
export function buildInteractionsSql(f: Filters, o: InteractionOptions): SqlPart {
  const scope = filterSql({ groups: f.groups, from: f.from, to: f.to }, 'm');
  const srcF = filterSql({ members: f.members, exclude: f.exclude }, '', 'source');
  const dstF = filterSql({ members: f.members, exclude: f.exclude }, '', 'target');
  const has = (t: EdgeType) => o.types.includes(t);
  const lag = has('adjacent')
    ? `lag(m.member_id) OVER w AS prev_member, lag(m.ts) OVER w AS prev_ts`
    : `NULL::INTEGER AS prev_member, NULL::TIMESTAMP AS prev_ts`;
  const window = has('adjacent') ? `WINDOW w AS (PARTITION BY m.group_id ORDER BY m.ts, m.id)` : '';
  // Folding a mention into the reply only makes sense when replies are counted.
  const fold = has('reply') ? `AND NOT EXISTS (SELECT 1 FROM reply r WHERE r.mid = x.mid AND r.target = x.target)` : '';
  const arms: string[] = [];
  if (has('reply')) arms.push(`SELECT source, target, 1 AS r, 0 AS mn, 0 AS ad FROM reply`);
  if (has('mention')) arms.push(`SELECT source, target, 0 AS r, 1 AS mn, 0 AS ad FROM mention_edge`);
  if (has('adjacent')) arms.push(`SELECT source, target, 0 AS r, 0 AS mn, 1 AS ad FROM adjacent`);
  if (arms.length === 0) arms.push(`SELECT NULL::INTEGER AS source, NULL::INTEGER AS target, 0 AS r, 0 AS mn, 0 AS ad WHERE FALSE`);
  const sql = `
WITH src AS (
  SELECT m.id, m.group_id, m.member_id, m.ts, m.reply_to, m.mentions, ${lag}
  FROM messages m WHERE ${scope.sql}
  ${window}
),
reply AS (
  SELECT s.id AS mid, s.member_id AS source, r.member_id AS target
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
mention_res AS (
  SELECT x.mid, x.source,
    CASE WHEN t1.n IS NOT NULL THEN (CASE WHEN t1.n = 1 THEN t1.target END)
         WHEN t2.n IS NOT NULL THEN (CASE WHEN t2.n = 1 THEN t2.target END)
         WHEN t3.n = 1 THEN t3.target END AS target
  FROM ment x
  LEFT JOIN t1 ON t1.mid = x.mid AND t1.name = x.name
  LEFT JOIN t2 ON t2.mid = x.mid AND t2.name = x.name
  LEFT JOIN t3 ON t3.mid = x.mid AND t3.name = x.name
),
mention_edge AS (
  SELECT DISTINCT x.mid, x.source, x.target FROM mention_res x WHERE x.target IS NOT NULL ${fold}
),
adjacent AS (
  SELECT s.id AS mid, s.member_id AS source, s.prev_member AS target
  FROM src s
  WHERE s.prev_member IS NOT NULL AND s.ts - s.prev_ts <= to_milliseconds(CAST($i_window * 60000 AS BIGINT))
    AND s.reply_to IS NULL AND (s.mentions IS NULL OR len(s.mentions) = 0)
),
edges AS (
  ${arms.join('\n  UNION ALL ')}
)
SELECT source, target, sum(r)::INTEGER AS replies, sum(mn)::INTEGER AS mentions, sum(ad)::INTEGER AS adjacent,
  (sum(r) * $i_wr + sum(mn) * $i_wm + sum(ad) * $i_wa)::DOUBLE AS weight
FROM edges
WHERE source <> target AND ${srcF.sql} AND ${dstF.sql}
GROUP BY source, target
HAVING weight >= $i_minw
ORDER BY source, target`;
  const w = o.weights;
  return {
    sql,
    params: { ...scope.params, ...srcF.params, ...dstF.params, i_window: o.windowMinutes, i_wr: w.reply, i_wm: w.mention, i_wa: w.adjacent, i_minw: o.minWeight },
  };
}

/** Pure: messages per member in the filtered period. */
export function buildMessageCountsSql(f: Filters): SqlPart {
  const flt = filterSql(f, 'm');
  return { sql: `SELECT m.member_id AS id, count(*)::INTEGER AS messages FROM messages m WHERE ${flt.sql} GROUP BY m.member_id`, params: flt.params };
}

export interface Interactions {
  pairs: PairCounts[];
  /** Messages per member in the filtered period (members with none are absent). */
  messages: Map<number, number>;
  /** Latest names of every member appearing in `pairs` or `messages`. */
  names: Map<number, string>;
}

/** Runs the interaction and message-count queries and looks up the names involved. */
export async function loadInteractions(db: Database, f: Filters, o: InteractionOptions, signal?: AbortSignal): Promise<Interactions> {
  const q = buildInteractionsSql(f, o);
  const cols = await numberColumns(db, q.sql, q.params, ['source', 'target', 'replies', 'mentions', 'adjacent', 'weight'] as const);
  const pairs: PairCounts[] = cols.source.map((source, i) => ({
    source,
    target: cols.target[i]!,
    replies: cols.replies[i]!,
    mentions: cols.mentions[i]!,
    adjacent: cols.adjacent[i]!,
    weight: cols.weight[i]!,
  }));
  signal?.throwIfAborted();
  const c = buildMessageCountsSql(f);
  const mc = await numberColumns(db, c.sql, c.params, ['id', 'messages'] as const);
  const messages = new Map(mc.id.map((id, i) => [id, mc.messages[i]!]));
  signal?.throwIfAborted();
  const ids = new Set(messages.keys());
  for (const p of pairs) ids.add(p.source).add(p.target);
  const names = new Map<number, string>();
  if (ids.size > 0) {
    const rows = await db.all<{ id: number; name: string }>(`SELECT id, name FROM members WHERE id IN (SELECT unnest($ids))`, {
      ids: listValue([...ids]),
    });
    for (const r of rows) names.set(r.id, r.name);
  }
  return { pairs, messages, names };
}
