import { listValue } from '@duckdb/node-api';
import type { Filters } from '../../../../shared/filters.js';
import { dayFilterSql, filterSql, type SqlPart } from '../filter-sql.js';

/**
 * Pure: CTE `tc(group_id, day, term, n)` — occurrences of each term per group and day among the
 * filtered messages (what `unnest(messages.terms)` under the filters counted), from the derived
 * tables (engine/derive.ts) instead of every message's term list:
 *  - no member filter: the per-day counts of all members (d_term_day);
 *  - `exclude` only: those counts less the excluded members' own occurrences (d_terms rows of a
 *    few members); days where nothing is left are dropped;
 *  - `members`: the selected members' occurrences (d_terms rows of those members).
 * The period is whole days, so day rows select exactly the filtered messages' terms.
 */
export function termCountsCte(f: Filters): SqlPart {
  const period = { groups: f.groups, from: f.from, to: f.to };
  if (f.members && f.members.length > 0) {
    const flt = filterSql(f, 'x');
    return {
      sql: `tc AS (
  SELECT x.group_id, CAST(x.ts AS DATE) AS day, x.term, count(*)::INTEGER AS n
  FROM d_terms x WHERE ${flt.sql} GROUP BY ALL)`,
      params: flt.params,
    };
  }
  const days = dayFilterSql(period, 't');
  if (!f.exclude || f.exclude.length === 0) {
    return { sql: `tc AS (SELECT t.group_id, t.day, t.term, t.n FROM d_term_day t WHERE ${days.sql})`, params: days.params };
  }
  const gone = filterSql(period, 'x');
  return {
    sql: `tc AS (
  SELECT t.group_id, t.day, t.term, t.n - coalesce(x.n, 0) AS n
  FROM d_term_day t
  LEFT JOIN (
    SELECT x.group_id, CAST(x.ts AS DATE) AS day, x.term, count(*)::INTEGER AS n
    FROM d_terms x WHERE ${gone.sql} AND list_contains($f_exclude, x.member_id) GROUP BY ALL
  ) x ON x.group_id = t.group_id AND x.day = t.day AND x.term = t.term
  WHERE ${days.sql} AND t.n > coalesce(x.n, 0))`,
    params: { ...days.params, ...gone.params, f_exclude: listValue(f.exclude) },
  };
}
