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

/** Pure: WHERE clause of the drill-down (terms are stored lowercased). */
export function buildTermMessagesWhere(f: Filters, term: string): SqlPart {
  const flt = filterSql(f, 'm');
  return { sql: `${flt.sql} AND list_contains(m.terms, $tm_term)`, params: { ...flt.params, tm_term: term.toLowerCase() } };
}

export const termMessages = defineMetric({
  key: 'termMessages',
  title: { zh: '含该词的消息', en: 'Messages containing a term' },
  args: TermMessagesArgs,
  async run(ctx, args): Promise<TermMessagesResult> {
    const w = buildTermMessagesWhere(ctx.filters, args.term);
    const total = (await ctx.db.one<{ n: number }>(`SELECT count(*) AS n FROM messages m WHERE ${w.sql}`, w.params))?.n ?? 0;
    const rows = await ctx.db.all<TermMessage>(
      `SELECT m.id, m.group_id AS "groupId", m.member_id AS "memberId", mem.name, CAST(m.ts AS VARCHAR) AS ts, m.text
       FROM messages m JOIN members mem ON mem.id = m.member_id
       WHERE ${w.sql}
       ORDER BY m.ts DESC, m.id DESC
       LIMIT $tm_limit OFFSET $tm_offset`,
      { ...w.params, tm_limit: args.limit, tm_offset: args.offset },
    );
    return { term: args.term.toLowerCase(), total, rows };
  },
});
