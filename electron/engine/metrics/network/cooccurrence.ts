import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { filterSql, type SqlPart } from '../filter-sql.js';
import { termCountsCte } from './term-counts.js';
import { defineMetric } from '../types.js';
import { excludeTermsArg, termGuardSql } from './term-guard.js';
import type { CooccurrenceResult } from '../../../../shared/metrics/network.js';

export type { CooccurrenceResult };

export const CooccurrenceArgs = z.object({
  /** Most frequent terms considered. */
  topN: z.number().int().min(2).max(200).default(30),
  /** Minimum occurrences of a term to be considered. */
  minCount: z.number().int().min(1).max(100_000).default(3),
  /** Minimum messages shared by a pair. */
  minPairCount: z.number().int().min(1).max(100_000).default(2),
  excludeTerms: excludeTermsArg,
});
export type CooccurrenceArgs = z.infer<typeof CooccurrenceArgs>;

/**
 * Pure: the top N allowed terms by messages containing them, from the filtered per-day term counts.
 * Stored terms are distinct per message (the segmenter keeps each once), so occurrences are
 * messages; no DISTINCT needed.
 */
export function buildTopTermsSql(f: Filters, a: CooccurrenceArgs): SqlPart {
  const tc = termCountsCte(f);
  const guard = termGuardSql('term', a.excludeTerms);
  const sql = `
WITH ${tc.sql}
SELECT term, sum(n)::BIGINT AS messages
FROM tc
GROUP BY term
HAVING sum(n) >= $c_min AND ${guard.sql}
ORDER BY messages DESC, term
LIMIT $c_top`;
  return { sql, params: { ...tc.params, ...guard.params, c_min: a.minCount, c_top: a.topN } };
}

/** Pure: messages shared by each pair of the given terms (message-term rows, d_terms). */
export function buildPairsSql(f: Filters, terms: string[], minPairCount: number): SqlPart {
  const flt = filterSql(f, 'm');
  const sql = `
WITH mt AS (
  SELECT m.mid AS id, m.term FROM d_terms m
  WHERE ${flt.sql} AND m.term IN (SELECT unnest($c_terms))
)
SELECT x.term AS a, y.term AS b, count(*) AS count
FROM mt x JOIN mt y ON x.id = y.id AND x.term < y.term
GROUP BY ALL
HAVING count(*) >= $c_pair
ORDER BY count DESC, a, b`;
  return { sql, params: { ...flt.params, c_terms: listValue(terms), c_pair: minPairCount } };
}

export const cooccurrence = defineMetric({
  key: 'cooccurrence',
  title: { zh: '词语共现', en: 'Term co-occurrence' },
  args: CooccurrenceArgs,
  async run(ctx, args): Promise<CooccurrenceResult> {
    const t = buildTopTermsSql(ctx.filters, args);
    const terms = await ctx.db.all<{ term: string; messages: number }>(t.sql, t.params);
    if (terms.length < 2) return { terms, pairs: [] };
    ctx.signal?.throwIfAborted();
    const p = buildPairsSql(ctx.filters, terms.map((x) => x.term), args.minPairCount);
    return { terms, pairs: await ctx.db.all<{ a: string; b: string; count: number }>(p.sql, p.params) };
  },
});
