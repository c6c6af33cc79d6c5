import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import type { SqlPart } from '../filter-sql.js';
import { termCountsCte } from './term-counts.js';
import { defineMetric } from '../types.js';
import { excludeTermsArg, termGuardSql } from './term-guard.js';
import type { PeriodTerms, TopTermsByPeriodResult } from '../../../../shared/metrics/network.js';

export type { PeriodTerms, TopTermsByPeriodResult };

export const TopTermsByPeriodArgs = z.object({
  period: z.enum(['week', 'month']).default('week'),
  /** Terms kept per period. */
  k: z.number().int().min(1).max(100).default(10),
  /** Minimum occurrences of a term within one period. */
  minCount: z.number().int().min(1).max(100_000).default(2),
  excludeTerms: excludeTermsArg,
});
export type TopTermsByPeriodArgs = z.infer<typeof TopTermsByPeriodArgs>;

// Fixed SQL per enum value (never user text). Rows are grouped by the truncated timestamp and
// only the aggregated buckets are formatted.
const BUCKET = {
  week: { trunc: `date_trunc('week', ts)`, label: `strftime(bucket, '%Y-%m-%d')` },
  month: { trunc: `date_trunc('month', ts)`, label: `strftime(bucket, '%Y-%m')` },
} as const;

/**
 * Pure: the K most frequent allowed terms of each calendar week (ISO, Monday) or month, from the
 * filtered per-day term counts (a week or month is a union of days).
 */
export function buildTopTermsByPeriodSql(f: Filters, a: TopTermsByPeriodArgs): SqlPart {
  const tc = termCountsCte(f);
  const guard = termGuardSql('term', a.excludeTerms);
  const sql = `
WITH ${tc.sql}
SELECT ${BUCKET[a.period].label} AS period, term, count FROM (
  SELECT ${BUCKET[a.period].trunc} AS bucket, term, sum(n)::BIGINT AS count
  FROM (SELECT CAST(day AS TIMESTAMP) AS ts, term, n FROM tc)
  GROUP BY ALL
  HAVING sum(n) >= $p_min
)
WHERE ${guard.sql}
QUALIFY row_number() OVER (PARTITION BY bucket ORDER BY count DESC, term) <= $p_k
ORDER BY bucket, count DESC, term`;
  return { sql, params: { ...tc.params, ...guard.params, p_min: a.minCount, p_k: a.k } };
}

export const topTermsByPeriod = defineMetric({
  key: 'topTermsByPeriod',
  title: { zh: '各时期热词', en: 'Top terms by period' },
  args: TopTermsByPeriodArgs,
  async run(ctx, args): Promise<TopTermsByPeriodResult> {
    const q = buildTopTermsByPeriodSql(ctx.filters, args);
    const rows = await ctx.db.all<{ period: string; term: string; count: number }>(q.sql, q.params);
    const out: PeriodTerms[] = [];
    for (const r of rows) {
      let last = out[out.length - 1];
      if (!last || last.period !== r.period) out.push((last = { period: r.period, terms: [] }));
      last.terms.push({ term: r.term, count: r.count });
    }
    return out;
  },
});
