import type { Filters } from '../../../../shared/filters.js';
import type { SqlPart } from '../filter-sql.js';
import { EXIT_SQL, JOIN_SQL, dataEndSql, eventWhere, lifeCte, messageWhere, periodSql } from './common.js';

/** Pure SQL builders of the retention metric (definitions in docs/METRICS.md § retention). */

export interface RetentionArgs {
  inactivityDays: number;
  activeDays: number;
  recentDays: number;
  baselineDays: number;
  ratio: number;
  minEarlier: number;
}

/**
 * One row per member who is in a cohort (start inside the period) or shows activity in the
 * period (a message or an exit event), with churn reason and time.
 * Churn: an exit (leave/remove) with no later message and no later join → 'left'/'removed' at
 * the exit; else a last message more than inactivityDays before the end of the data → 'inactive'
 * at the last message.
 */
export function buildStatusSql(f: Filters, a: RetentionArgs): SqlPart {
  const life = lifeCte(f);
  const w = messageWhere(f, 'm');
  const e = eventWhere(f, 'e');
  const end = dataEndSql(f);
  const inPop = periodSql(f, 'l.start_ts');
  return {
    sql: `WITH ${life.sql},
lm AS (SELECT m.member_id, max(m.ts) AS last_msg FROM messages m WHERE ${w.sql} GROUP BY 1),
ex AS (
  SELECT e.subject_id AS member_id,
    max(e.ts) FILTER (WHERE e.kind IN ${EXIT_SQL}) AS exit_ts,
    arg_max(e.kind, e.ts) FILTER (WHERE e.kind IN ${EXIT_SQL}) AS exit_kind,
    max(e.ts) FILTER (WHERE e.kind IN ${JOIN_SQL}) AS join_ts
  FROM events e WHERE ${e.sql} AND e.subject_id IS NOT NULL GROUP BY 1),
endd AS (SELECT ${end.sql} AS t),
st AS (
  SELECT l.member_id, l.name, l.start_ts, (l.start_ts IS NOT NULL AND ${inPop.sql}) AS in_pop,
    lm.last_msg, ex.exit_ts, ex.exit_kind,
    CASE
      WHEN ex.exit_ts IS NOT NULL AND (lm.last_msg IS NULL OR ex.exit_ts >= lm.last_msg)
           AND (ex.join_ts IS NULL OR ex.exit_ts >= ex.join_ts)
        THEN CASE ex.exit_kind WHEN 'remove' THEN 'removed' ELSE 'left' END
      WHEN lm.last_msg < endd.t - to_days(CAST($a_inactive AS INTEGER)) THEN 'inactive'
    END AS reason,
    endd.t AS end_ts
  FROM life l CROSS JOIN endd
  LEFT JOIN lm ON lm.member_id = l.member_id LEFT JOIN ex ON ex.member_id = l.member_id
  WHERE lm.member_id IS NOT NULL OR ex.exit_ts IS NOT NULL OR (l.start_ts IS NOT NULL AND ${inPop.sql}))
SELECT member_id, name, in_pop, reason, start_ts, last_msg, exit_ts,
  CASE WHEN reason IN ('left', 'removed') THEN exit_ts WHEN reason = 'inactive' THEN last_msg END AS churn_ts,
  date_diff('day', CAST(start_ts AS DATE),
    CAST(CASE WHEN reason IN ('left', 'removed') THEN exit_ts WHEN reason = 'inactive' THEN last_msg ELSE end_ts END AS DATE))::BIGINT AS follow_days,
  date_diff('day', CAST(CASE WHEN reason IN ('left', 'removed') THEN exit_ts ELSE last_msg END AS DATE), CAST(end_ts AS DATE))::BIGINT AS days_since
FROM st ORDER BY churn_ts DESC NULLS LAST, member_id`,
    params: { ...life.params, ...w.params, ...e.params, ...end.params, ...inPop.params, a_inactive: a.inactivityDays },
  };
}

/**
 * Cohort matrix: cohort = month of the member's start (the earlier of their first join/invite
 * and first message, all time) for starts inside the period; cell (cohort, k) = members of the
 * cohort with a filtered message in calendar month cohort + k.
 */
export function buildCohortSql(f: Filters): SqlPart {
  const life = lifeCte(f);
  const w = messageWhere(f, 'm');
  const inPop = periodSql(f, 'l.start_ts');
  return {
    sql: `WITH ${life.sql},
pop AS (SELECT l.member_id, date_trunc('month', l.start_ts) AS cohort FROM life l WHERE l.start_ts IS NOT NULL AND ${inPop.sql}),
act AS (SELECT DISTINCT m.member_id, date_trunc('month', m.ts) AS mon FROM messages m WHERE ${w.sql})
SELECT strftime(p.cohort, '%Y-%m') AS cohort, -1 AS k, count(*)::BIGINT AS n FROM pop p GROUP BY p.cohort
UNION ALL
SELECT strftime(p.cohort, '%Y-%m') AS cohort, date_diff('month', p.cohort, a.mon)::BIGINT AS k, count(DISTINCT p.member_id)::BIGINT AS n
FROM pop p JOIN act a ON a.member_id = p.member_id AND a.mon >= p.cohort GROUP BY p.cohort, a.mon
ORDER BY cohort, k`,
    params: { ...life.params, ...w.params, ...inPop.params },
  };
}

/**
 * At risk: ≥ 1 message in the last activeDays, ≥ minEarlier messages in the baselineDays before
 * the recent window, and a recent rate (messages per day over the last recentDays) below
 * ratio × the baseline rate. Windows are half-open (end − N days, end].
 */
export function buildAtRiskSql(f: Filters, a: RetentionArgs): SqlPart {
  const w = messageWhere(f, 'm');
  const end = dataEndSql(f);
  return {
    sql: `WITH endd AS (SELECT ${end.sql} AS t),
x AS (
  SELECT m.member_id,
    count(*) FILTER (WHERE m.ts > endd.t - to_days(CAST($a_active AS INTEGER)))::BIGINT AS last_active,
    count(*) FILTER (WHERE m.ts > endd.t - to_days(CAST($a_recent AS INTEGER)))::BIGINT AS recent,
    count(*) FILTER (WHERE m.ts > endd.t - to_days(CAST($a_recent + $a_base AS INTEGER))
                       AND m.ts <= endd.t - to_days(CAST($a_recent AS INTEGER)))::BIGINT AS earlier,
    max(m.ts) AS last_msg
  FROM messages m CROSS JOIN endd WHERE ${w.sql} GROUP BY 1)
SELECT x.member_id, mem.name, x.recent, x.earlier, x.last_msg,
  x.recent / CAST($a_recent AS DOUBLE) AS recent_rate, x.earlier / CAST($a_base AS DOUBLE) AS earlier_rate
FROM x JOIN members mem ON mem.id = x.member_id
WHERE x.last_active > 0 AND x.earlier >= $a_min
  AND x.recent / CAST($a_recent AS DOUBLE) < $a_ratio * (x.earlier / CAST($a_base AS DOUBLE))
ORDER BY recent_rate / earlier_rate, x.member_id`,
    params: {
      ...w.params,
      ...end.params,
      a_active: a.activeDays,
      a_recent: a.recentDays,
      a_base: a.baselineDays,
      a_min: a.minEarlier,
      a_ratio: a.ratio,
    },
  };
}
