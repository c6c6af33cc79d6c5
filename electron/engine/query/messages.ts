import type { DuckDBValue } from '@duckdb/node-api';
import type { MessagePage } from '../../../shared/api.js';
import type { Filters } from '../../../shared/filters.js';
import type { Database } from '../db/database.js';
import { filterSql } from '../metrics/filter-sql.js';

export interface MessageQuery {
  filters: Filters;
  search?: string;
  term?: string;
  memberId?: number;
  /** 0 = Monday … 6 = Sunday (wall clock). */
  weekday?: number;
  hour?: number;
  day?: string;
  offset: number;
  limit: number;
}

/** `LIKE` pattern matching `s` literally (\ escapes % and _). */
export const likeLiteral = (s: string): string => '%' + s.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/** Pure: the WHERE clause and parameters of a message-browser query. Values are bound, never interpolated. */
export function buildMessageQuery(q: MessageQuery): { where: string; params: Record<string, DuckDBValue> } {
  const f = filterSql(q.filters, 'm');
  const conds = [f.sql];
  const params: Record<string, DuckDBValue> = { ...f.params };
  if (q.search) {
    conds.push(`m.text ILIKE $q_search ESCAPE '\\'`);
    params['q_search'] = likeLiteral(q.search);
  }
  if (q.term) {
    conds.push(`list_contains(m.terms, $q_term)`);
    params['q_term'] = q.term.toLowerCase();
  }
  if (q.memberId !== undefined) {
    conds.push(`m.member_id = $q_member`);
    params['q_member'] = q.memberId;
  }
  if (q.weekday !== undefined) {
    conds.push(`isodow(m.ts) - 1 = $q_wd`);
    params['q_wd'] = q.weekday;
  }
  if (q.hour !== undefined) {
    conds.push(`hour(m.ts) = $q_hour`);
    params['q_hour'] = q.hour;
  }
  if (q.day) {
    conds.push(`CAST(m.ts AS DATE) = CAST($q_day AS DATE)`);
    params['q_day'] = q.day;
  }
  return { where: conds.join(' AND '), params };
}

export async function queryMessages(db: Database, q: MessageQuery): Promise<MessagePage> {
  const { where, params } = buildMessageQuery(q);
  const total = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM messages m WHERE ${where}`, params))!.n;
  const rows = await db.all<MessagePage['rows'][number]>(
    `SELECT m.id, m.group_id AS "groupId", m.member_id AS "memberId", mem.name, CAST(m.ts AS VARCHAR) AS ts, m.kind, m.text,
       m.reply_to AS "replyTo"
     FROM messages m JOIN members mem ON mem.id = m.member_id
     WHERE ${where} ORDER BY m.ts DESC, m.id DESC LIMIT $q_limit OFFSET $q_offset`,
    { ...params, q_limit: q.limit, q_offset: q.offset },
  );
  return { total, rows };
}
