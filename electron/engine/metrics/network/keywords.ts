import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { dayFilterSql, filterSql, type SqlPart } from '../filter-sql.js';
import { termCountsCte } from './term-counts.js';
import { defineMetric } from '../types.js';
import { excludeTermsArg, termGuardSql } from './term-guard.js';
import type { Keyword, KeywordsResult } from '../../../../shared/metrics/network.js';

export type { Keyword, KeywordsResult };

export const KeywordsArgs = z.object({
  /** Number of keywords returned. */
  limit: z.number().int().min(1).max(500).default(50),
  /** Minimum occurrences in the filtered period. */
  minCount: z.number().int().min(1).max(100_000).default(3),
  /** Extra words to leave out (lowercased before comparison). */
  excludeTerms: excludeTermsArg,
});
export type KeywordsArgs = z.infer<typeof KeywordsArgs>;

/** TF-IDF over CTEs per_term (term, cnt, df) and docs (n), the term guard applied, best first. */
const SCORED = (guard: SqlPart): string => `SELECT p.term, p.cnt AS count, p.df AS days, docs.n AS documents,
  ln((1 + docs.n) / (1 + p.df)) + 1 AS idf,
  p.cnt * (ln((1 + docs.n) / (1 + p.df)) + 1) AS score
FROM per_term p CROSS JOIN docs
WHERE ${guard.sql}
ORDER BY score DESC, count DESC, p.term
LIMIT $k_limit`;

/**
 * Pure, the definition over raw messages: TF-IDF of the filtered period against the groups' own
 * history, documents = days.
 * tf = occurrences in the period; idf = ln((1 + D) / (1 + df)) + 1 over (group, day) documents
 * of the selected groups' whole history (date and member filters do not apply to idf).
 * One pass over the history: terms are counted per (term, group, day), with the period's share
 * counted alongside, so the terms list is unnested once.
 */
export function buildKeywordsSql(f: Filters, a: KeywordsArgs): SqlPart {
  const period = filterSql(f, 'm');
  const hist = filterSql({ groups: f.groups }, 'm');
  const guard = termGuardSql('p.term', a.excludeTerms);
  const sql = `
WITH td AS (
  SELECT term, group_id, day, count(*) FILTER (WHERE inp) AS c
  FROM (
    SELECT m.group_id, CAST(m.ts AS DATE) AS day, (${period.sql}) AS inp, unnest(m.terms) AS term
    FROM messages m WHERE m.terms IS NOT NULL AND ${hist.sql}
  )
  GROUP BY ALL
),
per_term AS (
  SELECT term, sum(c)::BIGINT AS cnt, count(*) AS df FROM td GROUP BY term HAVING sum(c) >= $k_min
),
docs AS (
  SELECT count(*) AS n FROM (
    SELECT DISTINCT m.group_id, CAST(m.ts AS DATE) FROM messages m WHERE len(m.terms) > 0 AND ${hist.sql}
  )
)
${SCORED(guard)}`;
  return { sql, params: { ...period.params, ...hist.params, ...guard.params, k_min: a.minCount, k_limit: a.limit } };
}

/**
 * Pure: what the metric runs — buildKeywordsSql's result from the per-day term counts: documents
 * and df from d_term_day over the groups' history, tf from the filtered counts (termCountsCte).
 */
export function buildKeywordsFromDaysSql(f: Filters, a: KeywordsArgs): SqlPart {
  const tc = termCountsCte(f);
  const hist = dayFilterSql({ groups: f.groups }, 'h');
  const guard = termGuardSql('p.term', a.excludeTerms);
  const sql = `
WITH ${tc.sql},
per_term AS (
  SELECT h.term, coalesce(sum(tc.n), 0)::BIGINT AS cnt, count(*) AS df
  FROM d_term_day h LEFT JOIN tc ON tc.group_id = h.group_id AND tc.day = h.day AND tc.term = h.term
  WHERE ${hist.sql}
  GROUP BY h.term HAVING coalesce(sum(tc.n), 0) >= $k_min
),
docs AS (SELECT count(*) AS n FROM (SELECT DISTINCT h.group_id, h.day FROM d_term_day h WHERE ${hist.sql}))
${SCORED(guard)}`;
  return { sql, params: { ...tc.params, ...hist.params, ...guard.params, k_min: a.minCount, k_limit: a.limit } };
}

export const keywords = defineMetric({
  key: 'keywords',
  title: { zh: '关键词（TF-IDF）', en: 'Keywords (TF-IDF)' },
  args: KeywordsArgs,
  async run(ctx, args): Promise<KeywordsResult> {
    const q = buildKeywordsFromDaysSql(ctx.filters, args);
    const rows = await ctx.db.all<Keyword & { documents: number }>(q.sql, q.params);
    return {
      documents: rows[0]?.documents ?? 0,
      keywords: rows.map(({ term, count, days, idf, score }) => ({ term, count, days, idf, score })),
    };
  },
});
