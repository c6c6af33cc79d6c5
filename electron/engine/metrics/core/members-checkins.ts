import type { Filters } from '../../../../shared/filters.js';
import { PATTERN_SQL } from '../../text/patterns.js';
import type { SqlPart } from '../filter-sql.js';
import { dataEndSql, dayWhere, messageWhere } from './common.js';
import type { CheckInRow } from '../../../../shared/metrics/core.js';

export type { CheckInRow };

/** Check-in days (CTE `ci`) → islands of consecutive days (day − row_number is constant within a run). */
const RUNS_CTES = `isl AS (SELECT member_id, d, n, d - CAST(row_number() OVER (PARTITION BY member_id ORDER BY d) AS INTEGER) AS grp FROM ci),
runs AS (SELECT member_id, count(*)::BIGINT AS len, max(d) AS last_d, sum(n)::BIGINT AS n FROM isl GROUP BY member_id, grp)`;

const CHECKIN_CTES = (w: string) => `ci AS MATERIALIZED (
  SELECT m.member_id, CAST(m.ts AS DATE) AS d, count(*)::BIGINT AS n
  FROM messages m WHERE ${w} AND regexp_matches(m.text, $p_checkin) GROUP BY 1, 2),
${RUNS_CTES}`;

/** The same days from d_member_day, where the import already counted each day's check-in messages. */
const CHECKIN_DAY_CTES = (w: string) => `ci AS MATERIALIZED (
  SELECT m.member_id, m.day AS d, sum(m.checkins)::BIGINT AS n
  FROM d_member_day m WHERE ${w} AND m.checkins > 0 GROUP BY 1, 2),
${RUNS_CTES}`;

/** After `ci`, `runs` and `endd` (the last day of the data): the result row. */
const CHECKIN_RESULT = `per AS (
  SELECT r.member_id, mem.name, sum(r.n)::BIGINT AS messages, sum(r.len)::BIGINT AS days, max(r.len)::BIGINT AS longest,
    coalesce(max(r.len) FILTER (WHERE r.last_d >= endd.d - 1), 0)::BIGINT AS current, max(r.last_d) AS last_d
  FROM runs r CROSS JOIN endd JOIN members mem ON mem.id = r.member_id
  GROUP BY r.member_id, mem.name)
SELECT
  (SELECT coalesce(list({'memberId': member_id, 'name': name, 'messages': messages, 'days': days, 'longestStreak': longest,
      'currentStreak': current, 'lastDay': strftime(last_d, '%Y-%m-%d')} ORDER BY days DESC, longest DESC, member_id), []) FROM per) AS members,
  (SELECT coalesce(list({'day': strftime(d, '%Y-%m-%d'), 'members': k} ORDER BY d), [])
     FROM (SELECT d, count(*)::BIGINT AS k FROM ci GROUP BY d)) AS daily`;

/**
 * The definition over raw messages, one pass of the pattern: a row with `members` (CheckInRow
 * fields, most check-in days first) and `daily` (members who checked in, per day). The metric runs
 * buildCheckInDaysSql, which gives the same row from the import's per-day counts.
 */
export function buildCheckInsSql(f: Filters): SqlPart {
  const w = messageWhere(f, 'm');
  const end = dataEndSql(f);
  return {
    sql: `WITH ${CHECKIN_CTES(w.sql)},
endd AS (SELECT CAST(${end.sql} AS DATE) AS d),
${CHECKIN_RESULT}`,
    params: { ...w.params, ...end.params, p_checkin: PATTERN_SQL.checkIn },
  };
}

/** What the members metric runs: buildCheckInsSql's row from d_member_day.checkins. */
export function buildCheckInDaysSql(f: Filters): SqlPart {
  const w = dayWhere(f, 'm');
  const end = dataEndSql(f);
  return {
    sql: `WITH ${CHECKIN_DAY_CTES(w.sql)},
endd AS (SELECT CAST(${end.sql} AS DATE) AS d),
${CHECKIN_RESULT}`,
    params: { ...w.params, ...end.params },
  };
}
