import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { Filters } from '../../../shared/filters.js';

export interface SqlPart {
  sql: string;
  params: Record<string, DuckDBValue>;
}

/**
 * WHERE conditions for the common filters over a table with `group_id`, `ts` and a member column.
 * Pure: returns SQL text with named parameters ($f_from …) and their values; never interpolates.
 * `to` is inclusive: ts < to + 1 day.
 */
export function filterSql(f: Filters, alias = 'm', memberCol = 'member_id'): SqlPart {
  return build(f, alias, memberCol, false);
}

/**
 * The same conditions over a table with a DATE column `day` instead of `ts` (derived per-day
 * tables): the period is whole days, so it selects exactly the days filterSql's rows fall on.
 */
export function dayFilterSql(f: Filters, alias = 'm', memberCol = 'member_id'): SqlPart {
  return build(f, alias, memberCol, true);
}

function build(f: Filters, alias: string, memberCol: string, day: boolean): SqlPart {
  const conds: string[] = [];
  const params: Record<string, DuckDBValue> = {};
  const a = alias ? `${alias}.` : '';
  if (f.groups && f.groups.length > 0) {
    conds.push(`list_contains($f_groups, ${a}group_id)`);
    params['f_groups'] = listValue(f.groups);
  }
  if (f.from) {
    conds.push(day ? `${a}day >= CAST($f_from AS DATE)` : `${a}ts >= CAST($f_from AS TIMESTAMP)`);
    params['f_from'] = f.from;
  }
  if (f.to) {
    conds.push(day ? `${a}day <= CAST($f_to AS DATE)` : `${a}ts < CAST($f_to AS TIMESTAMP) + INTERVAL 1 DAY`);
    params['f_to'] = f.to;
  }
  if (f.members && f.members.length > 0) {
    conds.push(`list_contains($f_members, ${a}${memberCol})`);
    params['f_members'] = listValue(f.members);
  }
  if (f.exclude && f.exclude.length > 0) {
    conds.push(`NOT list_contains($f_exclude, ${a}${memberCol})`);
    params['f_exclude'] = listValue(f.exclude);
  }
  return { sql: conds.length ? conds.join(' AND ') : 'TRUE', params };
}
