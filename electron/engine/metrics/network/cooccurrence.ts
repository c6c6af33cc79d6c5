import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import type { Database } from '../../db/database.js';
import { extraBuilt, MASK_TERMS } from '../../derive-extra.js';
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


/**
 * Pure: each message's set of the given terms as a bit mask (bit i = the i-th term of `ordered`),
 * counted per distinct mask; messages with fewer than two of the terms carry no pair and are left
 * out. The mask comes as two 32-bit halves (JS numbers). `ordered` must hold at most 64 terms.
 */
export function buildPairMasksSql(f: Filters, ordered: string[]): SqlPart {
  const flt = filterSql(f, 'm');
  const sql = `
WITH t AS (SELECT unnest($c_terms) AS term, (generate_subscripts($c_terms, 1) - 1)::INTEGER AS i),
mm AS (
  SELECT m.mid, bit_or(1::UBIGINT << t.i) AS mask
  FROM d_terms m JOIN t ON t.term = m.term
  WHERE ${flt.sql}
  GROUP BY m.mid HAVING count(*) >= 2
)
SELECT (mask >> 32)::UINTEGER AS hi, (mask & 4294967295)::UINTEGER AS lo, count(*)::INTEGER AS n FROM mm GROUP BY mask`;
  return { sql, params: { ...flt.params, c_terms: listValue(ordered) } };
}

/**
 * Pure: pairs (a < b) of `ordered` (terms in DuckDB's string order) from per-mask message counts,
 * as buildPairsSql returns them: count ≥ minPairCount, by count descending, then a, then b.
 */
export function pairsFromMasks(ordered: string[], masks: { hi: number; lo: number; n: number }[], minPairCount: number): { a: string; b: string; count: number }[] {
  const k = ordered.length;
  const counts = new Float64Array(k * k);
  const bits: number[] = [];
  for (const { hi, lo, n } of masks) {
    bits.length = 0;
    for (let i = 0; i < 32; i++) if ((lo >>> i) & 1) bits.push(i);
    for (let i = 0; i < 32; i++) if ((hi >>> i) & 1) bits.push(32 + i);
    for (let x = 0; x < bits.length; x++) for (let y = x + 1; y < bits.length; y++) counts[bits[x]! * k + bits[y]!]! += n;
  }
  const out: { a: number; b: number; count: number }[] = [];
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) if (counts[a * k + b]! >= minPairCount) out.push({ a, b, count: counts[a * k + b]! });
  out.sort((x, y) => y.count - x.count || x.a - y.a || x.b - y.b);
  return out.map((p) => ({ a: ordered[p.a]!, b: ordered[p.b]!, count: p.count }));
}

/**
 * Pure: per distinct set of `bits` (of d_top_terms, as a 64-bit selection in two halves) held by
 * the filtered messages (d_term_mask), how many messages hold exactly that set; sets of fewer than
 * two terms are left out. Same counts as buildPairMasksSql when every selected term has a bit.
 */
export function buildStoredPairMasksSql(f: Filters, bits: number[]): SqlPart {
  const flt = filterSql(f, 'm');
  let hi = 0;
  let lo = 0;
  for (const b of bits) {
    if (b >= 32) hi = (hi | (1 << (b - 32))) >>> 0;
    else lo = (lo | (1 << b)) >>> 0;
  }
  const sql = `
SELECT (sm >> 32)::UINTEGER AS hi, (sm & 4294967295)::UINTEGER AS lo, count(*)::INTEGER AS n
FROM (SELECT m.mask & ((CAST($c_hi AS UBIGINT) << 32) | CAST($c_lo AS UBIGINT)) AS sm FROM d_term_mask m WHERE ${flt.sql})
WHERE bit_count(sm) >= 2 GROUP BY sm`;
  return { sql, params: { ...flt.params, c_hi: hi, c_lo: lo } };
}

/** Masks over global bits (d_top_terms) → masks over positions in `ordered` (term → its bit). */
function remapMasks(masks: { hi: number; lo: number; n: number }[], ordered: string[], bitOf: Map<string, number>): { hi: number; lo: number; n: number }[] {
  const local = ordered.map((t) => bitOf.get(t)!);
  return masks.map(({ hi, lo, n }) => {
    let h = 0;
    let l = 0;
    local.forEach((g, i) => {
      const set = g >= 32 ? (hi >>> (g - 32)) & 1 : (lo >>> g) & 1;
      if (!set) return;
      if (i >= 32) h = (h | (1 << (i - 32))) >>> 0;
      else l = (l | (1 << i)) >>> 0;
    });
    return { hi: h, lo: l, n };
  });
}

/** The pair masks of the period: from d_term_mask when one group's stored terms hold every selected term. */
async function loadMasks(db: Database, f: Filters, ordered: string[]): Promise<{ hi: number; lo: number; n: number }[]> {
  if (f.groups?.length === 1 && (await extraBuilt(db, f.groups))) {
    const rows = await db.all<{ term: string; bit: number }>(`SELECT term, bit FROM d_top_terms WHERE group_id = $g`, { g: f.groups[0]! });
    const bitOf = new Map(rows.map((r) => [r.term, r.bit]));
    if (ordered.every((t) => bitOf.has(t))) {
      const q = buildStoredPairMasksSql(f, ordered.map((t) => bitOf.get(t)!));
      return remapMasks(await db.all<{ hi: number; lo: number; n: number }>(q.sql, q.params), ordered, bitOf);
    }
  }
  const q = buildPairMasksSql(f, ordered);
  return db.all<{ hi: number; lo: number; n: number }>(q.sql, q.params);
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
    if (terms.length > MASK_TERMS) {
      const p = buildPairsSql(ctx.filters, terms.map((x) => x.term), args.minPairCount);
      return { terms, pairs: await ctx.db.all<{ a: string; b: string; count: number }>(p.sql, p.params) };
    }
    // The self-join of every (message, top term) row on the message cost ≈ 0.3 s at 1M messages;
    // messages share few distinct sets of top terms, so pairs are counted per set instead. The
    // order of a pair and of ties is the database's string order.
    const ordered = (
      await ctx.db.all<{ term: string }>(`SELECT term FROM (SELECT DISTINCT unnest($c_terms) AS term) ORDER BY term`, { c_terms: listValue(terms.map((x) => x.term)) })
    ).map((r) => r.term);
    return { terms, pairs: pairsFromMasks(ordered, await loadMasks(ctx.db, ctx.filters, ordered), args.minPairCount) };
  },
});
