import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import type { SqlPart } from '../filter-sql.js';
import { defineMetric } from '../types.js';
import { knownWith, messageWhere } from './common.js';
import { gini } from './stats.js';
import type { Layer, StructureArgs, StructureResult } from '../../../../shared/metrics/core.js';

export type { Layer, StructureArgs, StructureResult };

export function buildStructureSql(f: Filters): SqlPart {
  const k = knownWith(f);
  const w = messageWhere(f, 'm');
  return {
    sql: `${k.sql},
agg AS (SELECT m.member_id, count(*)::BIGINT AS n FROM messages m WHERE ${w.sql} GROUP BY 1)
SELECT k.member_id, k.name, coalesce(a.n, 0)::BIGINT AS n
FROM known k LEFT JOIN agg a ON a.member_id = k.member_id ORDER BY n DESC, k.member_id`,
    params: { ...k.params, ...w.params },
  };
}

/** Smallest k such that the first k counts (sorted desc) reach `share` of the total. */
export function prefixReaching(sortedDesc: readonly number[], share: number): number {
  const total = sortedDesc.reduce((s, x) => s + x, 0);
  if (total === 0) return 0;
  let acc = 0;
  for (let i = 0; i < sortedDesc.length; i++) {
    acc += sortedDesc[i]!;
    // Tolerance: 0.8 × 10 must count as reached by 8 even in floating point.
    if (acc >= share * total - 1e-9) return i + 1;
  }
  return sortedDesc.length;
}

/** Pure: every figure of the metric from per-member counts (sorted desc, then id). */
export function computeStructure(
  rows: ReadonlyArray<{ member_id: number; name: string; n: number }>,
  a: StructureArgs,
): StructureResult {
  const senders = rows.filter((r) => r.n > 0);
  const counts = senders.map((r) => r.n);
  const total = counts.reduce((s, x) => s + x, 0);
  const giniSenders = gini(counts);
  const core = prefixReaching(counts, a.coreShare);
  const regularEnd = Math.max(core, prefixReaching(counts, a.regularShare));
  const layerOf = (i: number): Layer => (i < core ? 'core' : i < regularEnd ? 'regular' : 'casual');
  const ranking = senders.map((r, i) => ({
    memberId: r.member_id,
    name: r.name,
    messages: r.n,
    share: r.n / total,
    layer: layerOf(i),
  }));
  const layers = (['core', 'regular', 'casual'] as const).map((layer) => {
    const xs = ranking.filter((r) => r.layer === layer);
    const messages = xs.reduce((s, r) => s + r.messages, 0);
    return { layer, members: xs.length, messages, share: total === 0 ? 0 : messages / total, memberIds: xs.map((r) => r.memberId) };
  });
  const topSenders = senders.length === 0 ? 0 : Math.max(1, Math.ceil(a.topFraction * senders.length));
  const topShare = total === 0 ? 0 : counts.slice(0, topSenders).reduce((s, x) => s + x, 0) / total;
  const byTopShare = total > 0 && topShare >= a.topShareThreshold;
  const byGini = total > 0 && giniSenders >= a.giniThreshold;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return {
    messages: total,
    senders: senders.length,
    membersKnown: rows.length,
    giniSenders,
    giniAll: gini(rows.map((r) => r.n)),
    absenceFactor: prefixReaching(counts, 0.5),
    layers,
    silentMembers: rows.length - senders.length,
    shape: total === 0 ? null : byTopShare || byGini ? 'pyramid' : 'ring',
    rule:
      `pyramid when the top ${pct(a.topFraction)} of senders (rounded up, at least one) write ≥ ${pct(a.topShareThreshold)} ` +
      `of the messages, or the Gini of messages per sender is ≥ ${a.giniThreshold}; ring otherwise`,
    decidedBy: { topSenders, topShare, gini: giniSenders, byTopShare, byGini },
    ranking,
  };
}

export const structure = defineMetric({
  key: 'structure',
  title: { zh: '结构', en: 'Structure' },
  args: z
    .object({
      coreShare: z.number().gt(0).max(1).default(0.8),
      regularShare: z.number().gt(0).max(1).default(0.95),
      topFraction: z.number().gt(0).max(1).default(0.1),
      topShareThreshold: z.number().gt(0).max(1).default(0.5),
      giniThreshold: z.number().min(0).max(1).default(0.6),
    })
    .strict()
    .refine((a) => a.regularShare >= a.coreShare, { message: 'regularShare must be ≥ coreShare' }),
  async run({ db, filters }, args): Promise<StructureResult> {
    const b = buildStructureSql(filters);
    const rows = await db.all<{ member_id: number; name: string; n: number }>(b.sql, b.params);
    return computeStructure(rows, args);
  },
});
