import type { Filters } from '../../../../shared/filters.js';
import { PATTERN_SQL } from '../../text/patterns.js';
import type { SqlPart } from '../filter-sql.js';
import { JOIN_SQL, memberScope, periodSql, streamScope } from './common.js';

export interface OnboardingArgs {
  introDays: number;
  replyDays: number;
  activeAfterDays: number;
  activeAfterLongDays: number;
}

/**
 * One row per member in scope whose first join/invite event ever (as subject) falls in the
 * period (a re-join is not a new arrival). Their outcomes are read from all later messages of the
 * selected groups (any date, so the 90-day step can be seen for joins near the end of the
 * period), excluded members left out:
 *  - first_msg: their first message at or after joining;
 *  - intro_ts: first message matching the self-introduction pattern within introDays;
 *  - reply_ts: first message by someone else within replyDays of joining that replies to one of
 *    their messages, @-mentions one of their names (member_names ∪ current name), or is a
 *    welcome (pattern) containing one of their names of ≥ 2 characters;
 *  - a_short / a_long: any message of theirs ≥ activeAfterDays / activeAfterLongDays after joining;
 *  - eligible_*: the data reaches that far after their join (end ≥ join + N days).
 */
export function buildOnboardingSql(f: Filters, a: OnboardingArgs): SqlPart {
  const eg = streamScope({ groups: f.groups }, 'e');
  const period = periodSql(f, 'min(e.ts)');
  const scope = memberScope(f, 'mem');
  const s = streamScope(f, 'm');
  // The messages table is read per purpose (narrow columns, early filters) instead of
  // materialising one stream of every column.
  const sc = (alias: string) => streamScope(f, alias).sql;
  const g = streamScope({ groups: f.groups }, 'x');
  const reply = 'to_days(CAST($a_reply AS INTEGER))';
  const sql = `WITH jn AS (
  SELECT e.subject_id AS member_id, min(e.ts) AS join_ts FROM events e
  WHERE ${eg.sql} AND e.kind IN ${JOIN_SQL} AND e.subject_id IS NOT NULL GROUP BY 1 HAVING ${period.sql}),
j AS (SELECT jn.member_id, jn.join_ts, mem.group_id, mem.name FROM jn JOIN members mem ON mem.id = jn.member_id WHERE ${scope.sql}),
endd AS (SELECT greatest((SELECT max(m.ts) FROM messages m WHERE ${s.sql}), (SELECT max(x.ts) FROM events x WHERE ${g.sql})) AS t),
own AS (
  SELECT j.member_id, min(m.ts) AS first_msg, max(m.ts) AS last_msg
  FROM j JOIN messages m ON m.member_id = j.member_id AND m.ts >= j.join_ts WHERE ${s.sql} GROUP BY 1),
intro AS (
  -- The pattern sits in the aggregate so it runs on the joined rows only, not on the whole table.
  SELECT j.member_id, min(m.ts) FILTER (WHERE regexp_matches(m.text, $p_intro)) AS t
  FROM j JOIN messages m ON m.member_id = j.member_id AND m.ts >= j.join_ts AND m.ts < j.join_ts + to_days(CAST($a_intro AS INTEGER))
  WHERE ${s.sql} GROUP BY 1),
names AS (
  SELECT DISTINCT j.member_id, j.group_id, j.join_ts, n.name
  FROM j JOIN (SELECT member_id, name FROM member_names_eff UNION ALL SELECT id, name FROM members WHERE merged_into IS NULL
    -- WhatsApp @-mentions a member by phone number: a member known by number answers to its digits.
    UNION ALL SELECT coalesce(merged_into, id), substr(key, 6) FROM members WHERE key LIKE 'tel:+%') n ON n.member_id = j.member_id),
rep AS (
  SELECT j.member_id, min(r.ts) AS t
  FROM j JOIN messages o ON o.member_id = j.member_id AND o.ts >= j.join_ts AND o.ts < j.join_ts + ${reply}
  JOIN messages r ON r.reply_to = o.id AND r.member_id <> j.member_id
  WHERE ${sc('o')} AND ${sc('r')} AND r.ts < j.join_ts + ${reply} GROUP BY 1),
ment AS (SELECT x.group_id, x.member_id, x.ts, unnest(x.mentions) AS name FROM messages x WHERE ${sc('x')} AND x.mentions IS NOT NULL),
men AS (
  SELECT n.member_id, min(x.ts) AS t
  FROM names n JOIN ment x ON x.group_id = n.group_id AND x.name = n.name AND x.member_id <> n.member_id
  WHERE x.ts >= n.join_ts AND x.ts < n.join_ts + ${reply} GROUP BY 1),
wel AS (
  SELECT w.group_id, w.member_id, w.ts, w.text FROM messages w
  WHERE ${sc('w')} AND strpos(w.text, '@') > 0 AND regexp_matches(w.text, $p_welcome)),
-- Day buckets turn the time window into an equi-join (a welcome only meets the names of people
-- who joined in the days before it).
nd AS (
  SELECT n.*, CAST(n.join_ts AS DATE) + CAST(r.k AS INTEGER) AS d
  FROM names n CROSS JOIN range(0, CAST($a_reply AS BIGINT) + 1) r(k) WHERE length(n.name) >= 2),
welc AS (
  SELECT n.member_id, min(w.ts) AS t
  FROM nd n JOIN wel w ON w.group_id = n.group_id AND CAST(w.ts AS DATE) = n.d
  WHERE w.member_id <> n.member_id AND w.ts >= n.join_ts AND w.ts < n.join_ts + ${reply} AND contains(w.text, n.name)
  GROUP BY 1)
SELECT j.member_id, j.name, j.group_id, j.join_ts, own.first_msg, intro.t AS intro_ts,
  least(rep.t, men.t, welc.t) AS reply_ts,
  coalesce(own.last_msg >= j.join_ts + to_days(CAST($a_short AS INTEGER)), false) AS a_short,
  coalesce(own.last_msg >= j.join_ts + to_days(CAST($a_long AS INTEGER)), false) AS a_long,
  coalesce(endd.t >= j.join_ts + to_days(CAST($a_short AS INTEGER)), false) AS eligible_short,
  coalesce(endd.t >= j.join_ts + to_days(CAST($a_long AS INTEGER)), false) AS eligible_long,
  epoch(own.first_msg - j.join_ts) / 3600 AS spoke_h,
  epoch(intro.t - j.join_ts) / 3600 AS intro_h,
  epoch(least(rep.t, men.t, welc.t) - j.join_ts) / 3600 AS reply_h
FROM j CROSS JOIN endd
LEFT JOIN own ON own.member_id = j.member_id
LEFT JOIN intro ON intro.member_id = j.member_id
LEFT JOIN rep ON rep.member_id = j.member_id
LEFT JOIN men ON men.member_id = j.member_id
LEFT JOIN welc ON welc.member_id = j.member_id
ORDER BY j.join_ts, j.member_id`;
  return {
    sql,
    params: {
      ...eg.params,
      ...period.params,
      ...scope.params,
      ...s.params,
      ...g.params,
      a_intro: a.introDays,
      a_reply: a.replyDays,
      a_short: a.activeAfterDays,
      a_long: a.activeAfterLongDays,
      p_intro: PATTERN_SQL.selfIntro,
      p_welcome: PATTERN_SQL.welcome,
    },
  };
}
