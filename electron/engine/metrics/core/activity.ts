import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import type { SqlPart } from '../filter-sql.js';
import { defineMetric } from '../types.js';
import { checkAbort, messageWhere } from './common.js';
import type { ActivityPoint, ActivityResult, Granularity, MemberActivity } from '../../../../shared/metrics/core.js';

export type { Granularity, ActivityPoint, MemberActivity, ActivityResult };

// Whitelisted SQL literals per granularity (never user text).
const TRUNC: Record<Granularity, { part: string; step: string }> = {
  day: { part: `'day'`, step: 'INTERVAL 1 DAY' },
  week: { part: `'week'`, step: 'INTERVAL 1 WEEK' },
  month: { part: `'month'`, step: 'INTERVAL 1 MONTH' },
};

/**
 * Messages per member and day (d_member_day) with the day as a TIMESTAMP `ts` (midnight): the common
 * filters select whole days, so they pick exactly the days of the filtered messages, and every
 * period (day, week, month) is a union of days.
 */
const MEMBER_DAYS = `(SELECT group_id, member_id, CAST(day AS TIMESTAMP) AS ts, messages FROM d_member_day)`;

export function buildSeriesSql(f: Filters, g: Granularity): SqlPart {
  const w = messageWhere(f, 'm');
  const t = TRUNC[g];
  return {
    sql: `WITH agg AS (
  SELECT date_trunc(${t.part}, m.ts) AS p, sum(m.messages)::BIGINT AS n, count(DISTINCT m.member_id)::BIGINT AS k
  FROM ${MEMBER_DAYS} m WHERE ${w.sql} GROUP BY 1),
span AS (SELECT unnest(generate_series(min(p), max(p), ${t.step})) AS p FROM agg)
SELECT strftime(span.p, '%Y-%m-%d') AS period, coalesce(agg.n, 0)::BIGINT AS messages, coalesce(agg.k, 0)::BIGINT AS members
FROM span LEFT JOIN agg ON agg.p = span.p ORDER BY span.p`,
    params: w.params,
  };
}

export function buildHeatmapSql(f: Filters): SqlPart {
  const w = messageWhere(f, 'm');
  return {
    sql: `SELECT (isodow(m.ts) - 1)::INTEGER AS wd, hour(m.ts)::INTEGER AS h, count(*)::BIGINT AS n
FROM messages m WHERE ${w.sql} GROUP BY 1, 2`,
    params: w.params,
  };
}

export function buildCalendarSql(f: Filters): SqlPart {
  const w = messageWhere(f, 'm');
  return {
    sql: `SELECT strftime(CAST(m.ts AS DATE), '%Y-%m-%d') AS day, sum(m.messages)::BIGINT AS messages
FROM ${MEMBER_DAYS} m WHERE ${w.sql} GROUP BY 1 ORDER BY 1`,
    params: w.params,
  };
}

export function buildPerMemberSql(f: Filters, g: Granularity, top: number): SqlPart {
  const w = messageWhere(f, 'm');
  return {
    sql: `WITH top AS (
  SELECT m.member_id, sum(m.messages)::BIGINT AS total FROM ${MEMBER_DAYS} m WHERE ${w.sql}
  GROUP BY 1 ORDER BY total DESC, m.member_id LIMIT $a_top)
SELECT t.member_id, mem.name, t.total, strftime(date_trunc(${TRUNC[g].part}, m.ts), '%Y-%m-%d') AS period, sum(m.messages)::BIGINT AS n
FROM ${MEMBER_DAYS} m JOIN top t ON t.member_id = m.member_id JOIN members mem ON mem.id = m.member_id
WHERE ${w.sql} GROUP BY ALL ORDER BY t.total DESC, t.member_id`,
    params: { ...w.params, a_top: top },
  };
}

export const activity = defineMetric({
  key: 'activity',
  title: { zh: '活跃度', en: 'Activity' },
  args: z
    .object({
      granularity: z.enum(['day', 'week', 'month']).default('day'),
      topMembers: z.number().int().min(0).max(100).default(10),
    })
    .strict(),
  async run({ db, filters, signal }, args): Promise<ActivityResult> {
    const g = args.granularity;
    const s = buildSeriesSql(filters, g);
    const series = await db.all<ActivityPoint>(s.sql, s.params);
    checkAbort(signal);
    const h = buildHeatmapSql(filters);
    const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const r of await db.all<{ wd: number; h: number; n: number }>(h.sql, h.params)) heatmap[r.wd]![r.h] = r.n;
    checkAbort(signal);
    let calendar: ActivityResult['calendar'];
    if (g === 'day') {
      calendar = series.filter((p) => p.messages > 0).map((p) => ({ day: p.period, messages: p.messages }));
    } else {
      const c = buildCalendarSql(filters);
      calendar = await db.all<{ day: string; messages: number }>(c.sql, c.params);
    }
    checkAbort(signal);
    const perMember: MemberActivity[] = [];
    if (args.topMembers > 0) {
      const p = buildPerMemberSql(filters, g, args.topMembers);
      const index = new Map(series.map((x, i) => [x.period, i]));
      const byMember = new Map<number, MemberActivity>();
      for (const r of await db.all<{ member_id: number; name: string; total: number; period: string; n: number }>(p.sql, p.params)) {
        let m = byMember.get(r.member_id);
        if (!m) {
          m = { memberId: r.member_id, name: r.name, messages: r.total, counts: new Array<number>(series.length).fill(0) };
          byMember.set(r.member_id, m);
          perMember.push(m);
        }
        const i = index.get(r.period);
        if (i !== undefined) m.counts[i] = r.n;
      }
    }
    return { granularity: g, series, heatmap, calendar, perMember };
  },
});
