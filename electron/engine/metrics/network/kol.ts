import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { filterSql, type SqlPart } from '../filter-sql.js';
import { defineMetric } from '../types.js';
import { weightedPagerank } from './graph-algos.js';
import { EDGE_TYPES, EdgeWeightsArg, loadInteractions, type EdgeWeights, type Interactions } from './interactions.js';
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

/** Pure: conversations (gap ≥ gapMinutes splits) per starter, over the filtered messages. */
export function buildConversationStartsSql(f: Filters, gapMinutes: number, minOthers: number): SqlPart {
  const flt = filterSql(f, 'm');
  const sql = `
WITH s AS (
  SELECT m.group_id, m.member_id, m.ts, m.id,
    CASE WHEN lag(m.ts) OVER w IS NULL OR m.ts - lag(m.ts) OVER w >= to_milliseconds(CAST($k_gap * 60000 AS BIGINT)) THEN 1 ELSE 0 END AS brk
  FROM messages m WHERE ${flt.sql}
  WINDOW w AS (PARTITION BY m.group_id ORDER BY m.ts, m.id)
),
c AS (SELECT *, sum(brk) OVER (PARTITION BY group_id ORDER BY ts, id ROWS UNBOUNDED PRECEDING) AS conv FROM s),
agg AS (
  SELECT group_id, conv, first(member_id ORDER BY ts, id) AS starter, count(DISTINCT member_id) AS people
  FROM c GROUP BY group_id, conv
)
SELECT starter AS id, count(*)::INTEGER AS started, (count(*) FILTER (WHERE people - 1 >= $k_others))::INTEGER AS drawing
FROM agg GROUP BY starter`;
  return { sql, params: { ...flt.params, k_gap: gapMinutes, k_others: minOthers } };
}

/**
 * Pure: members whose first appearance in the group's whole history (first message, or join /
 * invite event) lies within `days` days before the last message of the filtered period.
 */
export function buildNewcomersSql(f: Filters, days: number): SqlPart {
  const hist = filterSql({ groups: f.groups }, 'h');
  const ev = filterSql({ groups: f.groups }, 'e');
  const scope = filterSql({ groups: f.groups, from: f.from, to: f.to }, 'm');
  const who = filterSql({ members: f.members, exclude: f.exclude }, 'fs', 'id');
  const sql = `
WITH firsts AS (
  SELECT id, min(ts) AS first FROM (
    SELECT h.member_id AS id, h.ts FROM messages h WHERE ${hist.sql}
    UNION ALL
    SELECT e.subject_id AS id, e.ts FROM events e WHERE e.kind IN ('join', 'invite') AND e.subject_id IS NOT NULL AND ${ev.sql}
  ) GROUP BY id
),
ending AS (SELECT max(m.ts) AS t1 FROM messages m WHERE ${scope.sql})
SELECT fs.id, CAST(fs.first AS VARCHAR) AS first
FROM firsts fs CROSS JOIN ending
WHERE fs.first >= ending.t1 - to_days(CAST($k_days AS INTEGER)) AND fs.first <= ending.t1 AND ${who.sql}`;
  return { sql, params: { ...hist.params, ...ev.params, ...scope.params, ...who.params, k_days: days } };
}

interface Received {
  drawnIn: number;
  replies: number;
}

/** Distinct members who replied to / @-mentioned each member, and how many such messages. */
export function receivedBy(data: Interactions): Map<number, Received> {
  const out = new Map<number, Received>();
  for (const p of data.pairs) {
    const n = p.replies + p.mentions;
    if (n === 0) continue;
    const r = out.get(p.target) ?? { drawnIn: 0, replies: 0 };
    r.drawnIn++;
    r.replies += n;
    out.set(p.target, r);
  }
  return out;
}

export const kol = defineMetric({
  key: 'kol',
  title: { zh: 'KOL 候选人', en: 'KOL candidates' },
  args: KolArgs,
  async run(ctx, args): Promise<KolResult> {
    const { db, filters, signal } = ctx;
    const data = await loadInteractions(db, filters, { types: EDGE_TYPES, windowMinutes: 5, weights: args.edgeWeights, minWeight: 0 }, signal);
    const conv = buildConversationStartsSql(filters, args.gapMinutes, args.minOthers);
    const convRows = await db.all<{ id: number; started: number; drawing: number }>(conv.sql, conv.params);
    const convBy = new Map(convRows.map((r) => [r.id, r]));
    signal?.throwIfAborted();

    const edges = data.pairs.filter((e) => e.weight > 0);
    const ids = new Set<number>(data.messages.keys());
    for (const e of edges) ids.add(e.source).add(e.target);
    const pr = weightedPagerank([...ids].sort((a, b) => a - b), edges);
    const recv = receivedBy(data);

    const raws: KolRaw[] = [];
    for (const [id, messages] of data.messages) {
      if (messages < args.minMessages) continue;
      const r = recv.get(id) ?? { drawnIn: 0, replies: 0 };
      const c = convBy.get(id);
      raws.push({
        id,
        name: data.names.get(id) ?? String(id),
        messages,
        drawnIn: r.drawnIn,
        pagerank: pr.get(id) ?? 0,
        repliesReceived: r.replies,
        repliesPerMessage: r.replies / messages,
        conversationsStarted: c?.started ?? 0,
        conversationsDrawing: c?.drawing ?? 0,
      });
    }
    raws.sort((a, b) => a.id - b.id);
    const candidates = scoreKol(raws, args.weights, args.normalisation, args.minOthers).slice(0, args.limit);

    const nq = buildNewcomersSql(filters, args.newcomerDays);
    const fresh = await db.all<{ id: number; first: string }>(nq.sql, nq.params);
    const risingNewcomers: RisingNewcomer[] = fresh
      .map((f) => {
        const r = recv.get(f.id) ?? { drawnIn: 0, replies: 0 };
        return { id: f.id, name: data.names.get(f.id) ?? String(f.id), firstSeen: f.first, messages: data.messages.get(f.id) ?? 0, drawnIn: r.drawnIn, repliesReceived: r.replies };
      })
      .filter((n) => n.drawnIn >= args.newcomerMinDrawnIn)
      .sort((a, b) => b.drawnIn - a.drawnIn || b.repliesReceived - a.repliesReceived || a.id - b.id);

    return { candidates, risingNewcomers, weights: args.weights, normalisation: args.normalisation, edgeWeights: args.edgeWeights };
  },
});
