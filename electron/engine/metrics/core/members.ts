import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import type { SqlPart } from '../filter-sql.js';
import { defineMetric } from '../types.js';
import { checkAbort, dataEndSql, dayWhere, knownWith } from './common.js';
import { buildCheckInDaysSql, type CheckInRow } from './members-checkins.js';
import type { MemberRow, MembersResult, NameSpan, RankEntry } from '../../../../shared/metrics/core.js';

export type { NameSpan, MemberRow, RankEntry, MembersResult };

export type { CheckInRow } from './members-checkins.js';

/** Per-member figures from the per-day rows: one row per (member, day) with messages, so days = rows. */
export function buildMemberRowsSql(f: Filters): SqlPart {
  const k = knownWith(f);
  const w = dayWhere(f, 'm');
  return {
    sql: `${k.sql},
agg AS (
  SELECT m.member_id, sum(m.messages)::BIGINT AS n, coalesce(sum(m.chars), 0)::BIGINT AS chars,
    count(*)::BIGINT AS days, min(m.first_ts) AS first_ts, max(m.last_ts) AS last_ts
  FROM d_member_day m WHERE ${w.sql} GROUP BY 1),
nm AS (
  SELECT n.member_id, list({'name': n.name, 'firstSeen': strftime(n.first_seen, '%Y-%m-%d %H:%M:%S'),
    'lastSeen': strftime(n.last_seen, '%Y-%m-%d %H:%M:%S'), 'messages': n.messages::BIGINT}
    ORDER BY n.first_seen, n.name) AS names
  FROM member_names_eff n SEMI JOIN known ON known.member_id = n.member_id GROUP BY 1)
SELECT k.member_id, k.group_id, k.name, k.platform_id, k.is_bot, k.person_id, coalesce(a.n, 0)::BIGINT AS messages,
  coalesce(a.chars, 0)::BIGINT AS chars, coalesce(a.days, 0)::BIGINT AS days, a.first_ts, a.last_ts,
  k.first_join AS joined_at, k.end_ts AS left_at, coalesce(nm.names, []) AS names
FROM known k LEFT JOIN agg a ON a.member_id = k.member_id LEFT JOIN nm ON nm.member_id = k.member_id
ORDER BY messages DESC, k.member_id`,
    params: { ...k.params, ...w.params },
  };
}

export function buildMonthlyTopSql(f: Filters, top: number): SqlPart {
  const w = dayWhere(f, 'm');
  return {
    sql: `WITH mm AS (
  SELECT date_trunc('month', CAST(m.day AS TIMESTAMP)) AS mon, m.member_id, sum(m.messages)::BIGINT AS n, coalesce(sum(m.chars), 0)::BIGINT AS c
  FROM d_member_day m WHERE ${w.sql} GROUP BY 1, 2),
r AS (SELECT *, row_number() OVER (PARTITION BY mon ORDER BY n DESC, c DESC, member_id) AS rk FROM mm)
SELECT strftime(r.mon, '%Y-%m') AS month, r.member_id, mem.name, r.n, r.c
FROM r JOIN members mem ON mem.id = r.member_id WHERE r.rk <= $a_top ORDER BY r.mon, r.rk`,
    params: { ...w.params, a_top: top },
  };
}

interface RawRow {
  member_id: number;
  group_id: number;
  name: string;
  platform_id: string | null;
  is_bot: boolean;
  person_id: number | null;
  messages: number;
  chars: number;
  days: number;
  first_ts: string | null;
  last_ts: string | null;
  joined_at: string | null;
  left_at: string | null;
  names: NameSpan[];
}

export const members = defineMetric({
  key: 'members',
  title: { zh: '成员', en: 'Members' },
  args: z.object({ topPerMonth: z.number().int().min(1).max(20).default(3) }).strict(),
  async run({ db, filters, signal }, args): Promise<MembersResult> {
    const r = buildMemberRowsSql(filters);
    const rows = await db.all<RawRow>(r.sql, r.params);
    checkAbort(signal);
    const t = buildMonthlyTopSql(filters, args.topPerMonth);
    const monthlyTop: MembersResult['monthlyTop'] = [];
    for (const x of await db.all<{ month: string; member_id: number; name: string; n: number; c: number }>(t.sql, t.params)) {
      let m = monthlyTop[monthlyTop.length - 1];
      if (!m || m.month !== x.month) monthlyTop.push((m = { month: x.month, top: [] }));
      m.top.push({ memberId: x.member_id, name: x.name, messages: x.n, chars: x.c });
    }
    checkAbort(signal);
    const c = buildCheckInDaysSql(filters);
    const ci = (await db.one<{ members: CheckInRow[]; daily: Array<{ day: string; members: number }> }>(c.sql, c.params))!;
    const e = dataEndSql(filters);
    const end = await db.one<{ t: string | null }>(`SELECT ${e.sql} AS t`, e.params);
    return {
      members: rows.map((x) => ({
        memberId: x.member_id,
        groupId: x.group_id,
        name: x.name,
        platformId: x.platform_id,
        isBot: x.is_bot === true,
        personId: x.person_id ?? x.member_id,
        messages: x.messages,
        chars: x.chars,
        activeDays: x.days,
        firstMessage: x.first_ts,
        lastMessage: x.last_ts,
        joinedAt: x.joined_at,
        leftAt: x.left_at,
        names: x.names,
        isSilent: x.messages === 0,
      })),
      monthlyTop,
      checkIns: ci.members,
      checkInDaily: ci.daily,
      dataEnd: end?.t ?? null,
    };
  },
});
