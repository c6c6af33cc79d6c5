import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { CONV_GAP_MINUTES } from '../../derive.js';
import { extraBuilt } from '../../derive-extra.js';
import { dayFilterSql, filterSql, type SqlPart } from '../filter-sql.js';
import { defineMetric } from '../types.js';
import { pagerankIndexed } from './graph-algos.js';
import { buildStoredConversationStartsSql, SPLIT_CONVERSATIONS } from './kol-conversations.js';
import { pairGraph } from './pair-graph.js';
import { buildReceivedSql, EDGE_TYPES, EdgeWeightsArg, loadMessageCounts, loadNames, loadPairColumns, type EdgeWeights } from './interactions.js';
import { DEFAULT_KOL_WEIGHTS, scoreKol, type KolCandidate, type KolRaw, type KolWeights, type Normalisation } from './kol-score.js';
import type { KolResult, RisingNewcomer } from '../../../../shared/metrics/network.js';

export type { RisingNewcomer, KolResult };

const w = (d: number) => z.number().min(0).max(100).default(d);

export const KolArgs = z.object({
  weights: z
    .object({
      drawnIn: w(DEFAULT_KOL_WEIGHTS.drawnIn),
      pagerank: w(DEFAULT_KOL_WEIGHTS.pagerank),
      repliesPerMessage: w(DEFAULT_KOL_WEIGHTS.repliesPerMessage),
      conversationsDrawing: w(DEFAULT_KOL_WEIGHTS.conversationsDrawing),
    })
    .prefault({}),
  normalisation: z.enum(['max', 'rank']).default('max'),
  /** Edge weights of the interaction graph PageRank runs on (all edge types). */
  edgeWeights: EdgeWeightsArg,
  /** Candidates need at least this many messages in the period. */
  minMessages: z.number().int().min(1).max(100_000).default(3),
  limit: z.number().int().min(1).max(1000).default(30),
  /** Conversation gap (minutes): a longer silence starts a new conversation. */
  gapMinutes: z.number().min(1).max(24 * 60).default(30),
  /** Other members a started conversation must draw in to count. */
  minOthers: z.number().int().min(1).max(100).default(2),
  /** Rising newcomers: first message or join within this many days of the end of the data. */
  newcomerDays: z.number().int().min(1).max(3650).default(30),
  /** Rising newcomers: distinct members who already replied to or @-mentioned them. */
  newcomerMinDrawnIn: z.number().int().min(1).max(1000).default(2),
});
export type KolArgs = z.infer<typeof KolArgs>;

/** Per conversation (CTE `c`: group_id, rn, member_id, conv): starter and people; then per starter. */
const CONV_AGG = `agg AS (
  SELECT group_id, conv, arg_min(member_id, rn) AS starter, count(DISTINCT member_id) AS people
  FROM c GROUP BY group_id, conv
)
SELECT starter AS id, count(*)::INTEGER AS started, (count(*) FILTER (WHERE people - 1 >= $k_others))::INTEGER AS drawing
FROM agg GROUP BY starter`;

/**
 * Pure: conversations (gap ≥ gapMinutes splits) per starter, over the filtered messages, from the
 * derived message order (d_seq). With the default gap and no `members` filter, the conversations
 * precomputed at import are cut by the period (the one running at its start begins at its first
 * message) and split where excluded members' messages bridged a gap (the first kept message after
 * a run of excluded ones starts a conversation when the kept message before the run lies outside
 * the period or at least the gap earlier). Otherwise they are computed over the filtered messages.
 */
export function buildConversationStartsSql(f: Filters, gapMinutes: number, minOthers: number): SqlPart {
  const fast = gapMinutes === CONV_GAP_MINUTES && !(f.members && f.members.length > 0);
  if (!fast) {
    const flt = filterSql(f, 'm');
    const sql = `
WITH s AS (
  SELECT m.group_id, m.member_id, m.rn,
    CASE WHEN lag(m.group_id) OVER w IS DISTINCT FROM m.group_id
           OR m.ts - lag(m.ts) OVER w >= to_milliseconds(CAST($k_gap * 60000 AS BIGINT)) THEN 1 ELSE 0 END AS brk
  FROM d_seq m WHERE ${flt.sql}
  WINDOW w AS (ORDER BY m.rn)
),
c AS (SELECT *, sum(brk) OVER (ORDER BY rn ROWS UNBOUNDED PRECEDING) AS conv FROM s),
${CONV_AGG}`;
    return { sql, params: { ...flt.params, k_gap: gapMinutes, k_others: minOthers } };
  }
  const scope = filterSql({ groups: f.groups, from: f.from, to: f.to }, 'm');
  const keep = filterSql({ exclude: f.exclude }, 'm');
  const sql = `
WITH s AS (SELECT m.group_id, m.rn, m.ts, m.member_id, m.conv, (${keep.sql}) AS keep FROM d_seq m WHERE ${scope.sql}),
lo AS (SELECT group_id, min(rn) AS lo FROM s GROUP BY group_id),
ex AS (SELECT group_id, rn, rn - row_number() OVER (ORDER BY rn) AS isl FROM s WHERE NOT keep),
runs AS (SELECT group_id, min(rn) AS a, max(rn) AS b FROM ex GROUP BY group_id, isl),
splits AS (
  SELECT n.group_id, n.rn FROM runs r
  JOIN s n ON n.group_id = r.group_id AND n.rn = r.b + 1
  LEFT JOIN s p ON p.group_id = r.group_id AND p.rn = r.a - 1
  WHERE p.rn IS NULL OR n.ts - p.ts >= to_milliseconds(CAST($k_gap * 60000 AS BIGINT))
),
k AS (SELECT s.group_id, s.rn, s.member_id, greatest(s.conv, lo.lo) AS conv FROM s JOIN lo ON lo.group_id = s.group_id WHERE s.keep),
${SPLIT_CONVERSATIONS},
${CONV_AGG}`;
  return { sql, params: { ...scope.params, ...keep.params, k_gap: gapMinutes, k_others: minOthers } };
}

/**
 * Pure: members whose first appearance in the group's whole history (first message, or join /
 * invite event) lies within `days` days before the last message of the filtered period.
 */
export function buildNewcomersSql(f: Filters, days: number): SqlPart {
  const hist = dayFilterSql({ groups: f.groups }, 'h');
  const ev = filterSql({ groups: f.groups }, 'e');
  const scope = dayFilterSql({ groups: f.groups, from: f.from, to: f.to }, 'm');
  const who = filterSql({ members: f.members, exclude: f.exclude }, 'fs', 'id');
  const sql = `
WITH firsts AS (
  SELECT id, min(ts) AS first FROM (
    SELECT h.member_id AS id, h.first_ts AS ts FROM d_member_day h WHERE ${hist.sql}
    UNION ALL
    SELECT e.subject_id AS id, e.ts FROM events e WHERE e.kind IN ('join', 'invite') AND e.subject_id IS NOT NULL AND ${ev.sql}
  ) GROUP BY id
),
ending AS (SELECT max(m.last_ts) AS t1 FROM d_member_day m WHERE ${scope.sql})
SELECT fs.id, CAST(fs.first AS VARCHAR) AS first
FROM firsts fs CROSS JOIN ending
WHERE fs.first >= ending.t1 - to_days(CAST($k_days AS INTEGER)) AND fs.first <= ending.t1 AND ${who.sql}`;
  return { sql, params: { ...hist.params, ...ev.params, ...scope.params, ...who.params, k_days: days } };
}

export const kol = defineMetric({
  key: 'kol',
  title: { zh: 'KOL 候选人', en: 'KOL candidates' },
  args: KolArgs,
  async run(ctx, args): Promise<KolResult> {
    const { db, filters, signal } = ctx;
    // PageRank needs every weighted pair; only their ends and weights are read.
    const pairs = await loadPairColumns(db, filters, { types: EDGE_TYPES, windowMinutes: 5, weights: args.edgeWeights, minWeight: 0 });
    signal?.throwIfAborted();
    const messageCounts = await loadMessageCounts(db, filters);
    // Started before PageRank, though a query issued here proceeds only when this thread yields.
    const rq = buildReceivedSql(filters);
    const stored = args.gapMinutes === CONV_GAP_MINUTES && !(filters.members && filters.members.length > 0) && (await extraBuilt(db, filters.groups));
    const conv = stored ? buildStoredConversationStartsSql(filters, args.minOthers) : buildConversationStartsSql(filters, args.gapMinutes, args.minOthers);
    const nq = buildNewcomersSql(filters, args.newcomerDays);
    const rest = (async () => ({
      received: await db.all<{ id: number; drawn: number; received: number }>(rq.sql, rq.params),
      convRows: await db.all<{ id: number; started: number; drawing: number }>(conv.sql, conv.params),
      fresh: await db.all<{ id: number; first: string }>(nq.sql, nq.params),
    }))();
    // Settled by the await below; a rejection is reported there, not as unhandled meanwhile.
    rest.catch(() => undefined);

    const g = pairGraph(messageCounts.keys(), pairs.cols.source, pairs.cols.target, pairs.cols.weight, 0);
    const rank = pagerankIndexed(g.ids.length, g);
    const { received, convRows, fresh } = await rest;
    signal?.throwIfAborted();
    const recv = new Map(received.map((r) => [r.id, { drawnIn: r.drawn, replies: r.received }]));
    const convBy = new Map(convRows.map((r) => [r.id, r]));

    const raws: KolRaw[] = [];
    for (const [id, messages] of messageCounts) {
      if (messages < args.minMessages) continue;
      const r = recv.get(id) ?? { drawnIn: 0, replies: 0 };
      const c = convBy.get(id);
      raws.push({
        id,
        name: '',
        messages,
        drawnIn: r.drawnIn,
        pagerank: rank[g.indexOf(id)]!,
        repliesReceived: r.replies,
        repliesPerMessage: r.replies / messages,
        conversationsStarted: c?.started ?? 0,
        conversationsDrawing: c?.drawing ?? 0,
      });
    }
    raws.sort((a, b) => a.id - b.id);
    const scored = scoreKol(raws, args.weights, args.normalisation, args.minOthers).slice(0, args.limit);

    const newcomers = fresh
      .map((f) => {
        const r = recv.get(f.id) ?? { drawnIn: 0, replies: 0 };
        return { id: f.id, name: '', firstSeen: f.first, messages: messageCounts.get(f.id) ?? 0, drawnIn: r.drawnIn, repliesReceived: r.replies };
      })
      .filter((n) => n.drawnIn >= args.newcomerMinDrawnIn)
      .sort((a, b) => b.drawnIn - a.drawnIn || b.repliesReceived - a.repliesReceived || a.id - b.id);
    // Everyone listed sent a message or was replied to / mentioned, so has a member row.
    const names = await loadNames(db, [...scored.map((c) => c.id), ...newcomers.map((n) => n.id)]);
    const candidates = scored.map((c) => ({ ...c, name: names.get(c.id) ?? String(c.id) }));
    const risingNewcomers: RisingNewcomer[] = newcomers.map((n) => ({ ...n, name: names.get(n.id) ?? String(n.id) }));

    return { candidates, risingNewcomers, weights: args.weights, normalisation: args.normalisation, edgeWeights: args.edgeWeights };
  },
});
