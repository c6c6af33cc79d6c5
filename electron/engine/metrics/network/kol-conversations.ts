import type { Filters } from '../../../../shared/filters.js';
import { CONV_GAP_MINUTES } from '../../derive.js';
import { filterSql, type SqlPart } from '../filter-sql.js';

/**
 * CTEs `hit` and `c` over the kept messages `k` (group_id, rn, member_id, conv) and the `splits`
 * (group_id, rn: the kept message after a run of excluded ones that had bridged a gap): a
 * conversation a split falls in is cut there, its later messages renumbered to the split's rn.
 */
export const SPLIT_CONVERSATIONS = `hit AS (SELECT DISTINCT k.group_id, k.conv FROM k SEMI JOIN splits x ON x.group_id = k.group_id AND x.rn = k.rn),
c AS (
  SELECT k.* FROM k ANTI JOIN hit h ON h.group_id = k.group_id AND h.conv = k.conv
  UNION ALL
  SELECT h.group_id, h.rn, h.member_id, greatest(h.conv, coalesce(x.rn, h.conv)) AS conv
  FROM (SELECT k.* FROM k SEMI JOIN hit ON hit.group_id = k.group_id AND hit.conv = k.conv) h
  ASOF LEFT JOIN splits x ON x.group_id = h.group_id AND h.rn >= x.rn
)`;

/**
 * Pure: buildConversationStartsSql's fast path (default gap, no `members` filter) over the stored
 * conversations (derive-extra.ts: d_convs, d_conv_members), same rows. The conversations the period
 * holds whole and no split touches take their starter (the kept member with the earliest first
 * message) and people (kept members) from d_conv_members; only the few cut by the period's ends or
 * split where excluded members' messages had bridged a gap are rebuilt from their messages, exactly
 * as the fast path does it.
 */
export function buildStoredConversationStartsSql(f: Filters, minOthers: number): SqlPart {
  const scope = filterSql({ groups: f.groups, from: f.from, to: f.to }, 'm');
  const keepM = filterSql({ exclude: f.exclude }, 'm');
  const keepC = filterSql({ exclude: f.exclude }, 'cm');
  const sql = `
WITH b AS (SELECT m.group_id, min(m.rn) AS lo, max(m.rn) AS hi FROM d_seq m WHERE ${scope.sql} GROUP BY m.group_id),
ex AS (
  SELECT m.group_id, m.rn, m.prev_ts, m.rn - row_number() OVER (ORDER BY m.rn) AS isl
  FROM d_seq m WHERE ${scope.sql} AND NOT (${keepM.sql})),
-- A run of excluded messages a..b; its first row's predecessor (a − 1) is the kept message before it.
runs AS (SELECT group_id, min(rn) AS a, max(rn) AS b, arg_min(prev_ts, rn) AS p_ts FROM ex GROUP BY group_id, isl),
-- The kept message after each run (looked up through a semi join: a hash table of the runs only).
nx AS (SELECT n.rn, n.ts, n.conv FROM d_seq n SEMI JOIN runs r ON n.rn = r.b + 1),
splits AS (
  SELECT r.group_id, n.rn, n.conv FROM runs r JOIN b ON b.group_id = r.group_id JOIN nx n ON n.rn = r.b + 1
  WHERE n.rn <= b.hi
    AND (r.a = b.lo OR r.p_ts IS NULL OR n.ts - r.p_ts >= to_milliseconds(CAST($k_gap * 60000 AS BIGINT)))
),
-- Conversations rebuilt from their messages: cut by an end of the period, or split.
redo AS (
  SELECT c.group_id, c.conv FROM d_convs c JOIN b ON b.group_id = c.group_id
  WHERE c.conv <= b.hi AND c.last_rn >= b.lo AND (c.conv < b.lo OR c.last_rn > b.hi)
  UNION
  SELECT group_id, conv FROM splits
),
whole AS (
  SELECT c.group_id, c.conv FROM d_convs c JOIN b ON b.group_id = c.group_id
  WHERE c.conv >= b.lo AND c.last_rn <= b.hi
  AND NOT EXISTS (SELECT 1 FROM redo r WHERE r.group_id = c.group_id AND r.conv = c.conv)
),
agg_whole AS (
  SELECT cm.group_id, cm.conv, arg_min(cm.member_id, cm.first_rn) AS starter, count(*) AS people
  FROM d_conv_members cm SEMI JOIN whole w ON w.group_id = cm.group_id AND w.conv = cm.conv
  WHERE ${keepC.sql}
  GROUP BY cm.group_id, cm.conv
),
k AS (
  SELECT m.group_id, m.rn, m.member_id, greatest(m.conv, b.lo) AS conv
  FROM d_seq m SEMI JOIN redo r ON r.group_id = m.group_id AND r.conv = m.conv
  JOIN b ON b.group_id = m.group_id
  WHERE ${scope.sql} AND ${keepM.sql}
),
${SPLIT_CONVERSATIONS},
agg AS (
  SELECT group_id, conv, arg_min(member_id, rn) AS starter, count(DISTINCT member_id) AS people FROM c GROUP BY group_id, conv
  UNION ALL
  SELECT * FROM agg_whole
)
SELECT starter AS id, count(*)::INTEGER AS started, (count(*) FILTER (WHERE people - 1 >= $k_others))::INTEGER AS drawing
FROM agg GROUP BY starter`;
  return { sql, params: { ...scope.params, ...keepM.params, ...keepC.params, k_gap: CONV_GAP_MINUTES, k_others: minOthers } };
}
