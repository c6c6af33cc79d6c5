import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { filterSql, type SqlPart } from '../filter-sql.js';
import { defineMetric } from '../types.js';
import type { MessageBrief } from '../../../../shared/metrics/core.js';

export const TermMessagesArgs = z.object({
  term: z.string().trim().min(1).max(64),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});
export type TermMessagesArgs = z.infer<typeof TermMessagesArgs>;

export type TermMessage = MessageBrief;

export interface TermMessagesResult {
  term: string;
  /** Messages matching in total (for paging). */
  total: number;
  rows: TermMessage[];
}

/** Pure: the definition — WHERE clause over raw messages (terms are stored lowercased). */
export function buildTermMessagesWhere(f: Filters, term: string): SqlPart {
  const flt = filterSql(f, 'm');
  return { sql: `${flt.sql} AND list_contains(m.terms, $tm_term)`, params: { ...flt.params, tm_term: term.toLowerCase() } };
}

/**
 * Pure: what the metric runs — the same messages found through the message-term rows (d_terms):
 * `total` counts them; `rows` pages them newest first and only then reads their text.
 */
export function buildTermMessagesSql(f: Filters, a: TermMessagesArgs): { total: SqlPart; rows: SqlPart } {
  const flt = filterSql(f, 't');
  const params = { ...flt.params, tm_term: a.term.toLowerCase() };
  return {
    total: { sql: `SELECT count(DISTINCT t.mid) AS n FROM d_terms t WHERE ${flt.sql} AND t.term = $tm_term`, params },
    rows: {
      sql: `WITH page AS (
  SELECT DISTINCT t.mid, t.ts FROM d_terms t WHERE ${flt.sql} AND t.term = $tm_term
  ORDER BY t.ts DESC, t.mid DESC LIMIT $tm_limit OFFSET $tm_offset)
SELECT m.id, m.group_id AS "groupId", m.member_id AS "memberId", mem.name, CAST(m.ts AS VARCHAR) AS ts, m.text
FROM messages m JOIN page p ON p.mid = m.id JOIN members mem ON mem.id = m.member_id
ORDER BY m.ts DESC, m.id DESC`,
      params: { ...params, tm_limit: a.limit, tm_offset: a.offset },
    },
  };
}

export const termMessages = defineMetric({
  key: 'termMessages',
  title: { zh: '含该词的消息', en: 'Messages containing a term' },
  args: TermMessagesArgs,
  async run(ctx, args): Promise<TermMessagesResult> {
    const q = buildTermMessagesSql(ctx.filters, args);
    const total = (await ctx.db.one<{ n: number }>(q.total.sql, q.total.params))?.n ?? 0;
    const rows = await ctx.db.all<TermMessage>(q.rows.sql, q.rows.params);
    return { term: args.term.toLowerCase(), total, rows };
  },
});
