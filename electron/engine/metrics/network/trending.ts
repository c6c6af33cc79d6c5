import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { dayFilterSql, type SqlPart } from '../filter-sql.js';
import { termCountsCte } from './term-counts.js';
import { defineMetric } from '../types.js';
import { excludeTermsArg, termGuardSql } from './term-guard.js';
import type { TrendingResult, TrendingTerm } from '../../../../shared/metrics/network.js';

export type { TrendingTerm, TrendingResult };

export const TrendingArgs = z.object({
  /** Preceding weeks whose mean count is the baseline. */
  baselineWeeks: z.number().int().min(1).max(52).default(4),
  /** Minimum count of the term in the week itself. */
  minCount: z.number().int().min(1).max(100_000).default(3),
  /** Minimum smoothed lift (c + 1) / (baseline + 1). */
  minScore: z.number().min(0).max(1e6).default(2),
  /** Terms kept per week. */
  limitPerWeek: z.number().int().min(1).max(100).default(10),
  excludeTerms: excludeTermsArg,
});
export type TrendingArgs = z.infer<typeof TrendingArgs>;

/**
 * Pure. A week's count only includes messages inside the filters; the baseline also reads up to
 * `baselineWeeks` weeks before the filter's first week, so the first weeks shown have a baseline
 * too (member and group filters still apply to it). The baseline of week W is the sum over weeks
 * [W - B, W - 1] divided by the number of those weeks that lie inside the data (weeks on or after
 * the first week with any message in the selected groups); weeks without any preceding data week
 * are not scored. Counts come from the filtered per-day term counts (termCountsCte): the period
 * and the baseline's reach are whole days.
 */
export function buildTrendingSql(f: Filters, a: TrendingArgs): SqlPart {
  const tc = termCountsCte({ ...f, from: undefined });
  const start = dayFilterSql({ groups: f.groups }, 's');
  const guard = termGuardSql('term', a.excludeTerms);
  const from = `CAST($t_from AS TIMESTAMP)`;
  const readCond = f.from ? `day >= CAST(date_trunc('week', ${from}) AS TIMESTAMP) - to_days(7 * $t_b)` : 'TRUE';
  const inCount = f.from ? `coalesce(sum(n) FILTER (WHERE day >= ${from}), 0)` : 'sum(n)';
  const sql = `
WITH ${tc.sql},
weekly AS (
  SELECT term, CAST(date_trunc('week', day) AS DATE) AS week, sum(n)::BIGINT AS c_all, ${inCount}::BIGINT AS c
  FROM tc WHERE ${readCond}
  GROUP BY ALL
),
prev AS (
  SELECT term, week, c,
    coalesce(sum(c_all) OVER (PARTITION BY term ORDER BY week
      RANGE BETWEEN to_days(7 * $t_b) PRECEDING AND INTERVAL 7 DAY PRECEDING), 0) AS prev_sum
  FROM weekly
),
first_week AS (SELECT CAST(date_trunc('week', min(s.day)) AS DATE) AS w0 FROM d_member_day s WHERE ${start.sql}),
scored AS (
  SELECT term, week, c, prev_sum, least($t_b, (week - w0) // 7) AS nb
  FROM prev CROSS JOIN first_week
  WHERE c >= $t_min
)
SELECT term, strftime(week, '%Y-%m-%d') AS week, c AS count, prev_sum / nb AS baseline, nb AS "baselineWeeks",
  (c + 1) / (prev_sum / nb + 1) AS score
FROM scored
WHERE nb >= 1 AND (c + 1) / (prev_sum / nb + 1) >= $t_score AND ${guard.sql}
QUALIFY row_number() OVER (PARTITION BY week ORDER BY score DESC, count DESC, term) <= $t_limit
ORDER BY week, score DESC, count DESC, term`;
  const params = { ...tc.params, ...start.params, ...guard.params, t_b: a.baselineWeeks, t_min: a.minCount, t_score: a.minScore, t_limit: a.limitPerWeek };
  if (f.from) Object.assign(params, { t_from: f.from });
  return { sql, params };
}

export const trending = defineMetric({
  key: 'trending',
  title: { zh: '新兴话题（按周）', en: 'Emerging terms by week' },
  args: TrendingArgs,
  async run(ctx, args): Promise<TrendingResult> {
    const q = buildTrendingSql(ctx.filters, args);
    return ctx.db.all<TrendingTerm>(q.sql, q.params);
  },
});
