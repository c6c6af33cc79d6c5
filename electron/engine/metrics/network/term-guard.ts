import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import { PLACEHOLDERS, PLACEHOLDER_WORDS } from '../../text/placeholders.js';
import { STOPWORDS } from '../../text/stopwords.js';

/**
 * Defence in depth for every topic metric. The segmenter already drops placeholders and system
 * words, but `messages.terms` may come from an older segmenter or another loader, so topic
 * queries exclude them again: placeholder words, the placeholders themselves and their bracket
 * contents (`[图片]`, `图片`), stopwords, and anything that still carries bracket characters.
 */
export const EXCLUDED_TERMS: readonly string[] = [
  ...new Set(
    [
      ...PLACEHOLDER_WORDS,
      ...STOPWORDS,
      ...PLACEHOLDERS.flatMap(([p]) => [p, p.replace(/^[[<]|[\]>]$/g, '')]),
    ]
      .map((w) => w.trim().toLowerCase())
      .filter(Boolean),
  ),
];

/** Bracket characters no real topic word contains (placeholders, emoji names, <Media omitted>). */
export const BRACKET_PATTERN = '[\\[\\]<>【】]';

/** Optional user exclusions shared by the topic metrics' argument schemas. */
export const excludeTermsArg = z.array(z.string().min(1).max(64)).max(1000).default([]);

/**
 * SQL condition keeping only allowed terms in column `col`, with its bound parameters.
 * Meant for aggregated rows (one per distinct term), where the anti-join is cheap.
 */
export function termGuardSql(col: string, extra: readonly string[] = []): { sql: string; params: Record<string, DuckDBValue> } {
  const words = [...new Set([...EXCLUDED_TERMS, ...extra.map((w) => w.trim().toLowerCase()).filter(Boolean)])];
  return {
    sql: `(${col} NOT IN (SELECT unnest($x_terms)) AND NOT regexp_matches(${col}, $x_brackets))`,
    params: { x_terms: listValue(words), x_brackets: BRACKET_PATTERN },
  };
}
