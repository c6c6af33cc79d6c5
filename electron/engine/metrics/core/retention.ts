import { z } from 'zod';
import { defineMetric } from '../types.js';
import { checkAbort, dataEndSql } from './common.js';
import { buildAtRiskSql, buildCohortSql, buildStatusSql } from './retention-sql.js';
import { kaplanMeier, medianSurvival } from './stats.js';
import type { AtRiskMember, ChurnedMember, ChurnReason, Cohort, RetentionResult, SurvivalPoint } from '../../../../shared/metrics/core.js';

export type { ChurnReason, Cohort, ChurnedMember, AtRiskMember, RetentionResult };

export { buildAtRiskSql, buildCohortSql, buildStatusSql, type RetentionArgs } from './retention-sql.js';

interface StatusRow {
  member_id: number;
  name: string;
  in_pop: boolean;
  reason: ChurnReason | null;
  last_msg: string | null;
  exit_ts: string | null;
  churn_ts: string | null;
  follow_days: number | null;
  days_since: number | null;
}

/** Months from a to b, both `YYYY-MM`. */
export const monthDiff = (a: string, b: string): number =>
  (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));

export const retention = defineMetric({
  key: 'retention',
  title: { zh: '留存', en: 'Retention' },
  args: z
    .object({
      inactivityDays: z.number().int().min(1).max(3650).default(30),
      activeDays: z.number().int().min(1).max(3650).default(30),
      recentDays: z.number().int().min(1).max(365).default(14),
      baselineDays: z.number().int().min(1).max(3650).default(60),
      ratio: z.number().gt(0).max(1).default(0.3),
      minEarlier: z.number().int().min(1).default(5),
    })
    .strict(),
  async run({ db, filters, signal }, args): Promise<RetentionResult> {
    const s = buildStatusSql(filters, args);
    const status = await db.all<StatusRow>(s.sql, s.params);
    checkAbort(signal);
    const c = buildCohortSql(filters);
    const cells = await db.all<{ cohort: string; k: number; n: number }>(c.sql, c.params);
    checkAbort(signal);
    const r = buildAtRiskSql(filters, args);
    const risk = await db.all<{
      member_id: number;
      name: string;
      recent: number;
      earlier: number;
      last_msg: string;
      recent_rate: number;
      earlier_rate: number;
    }>(r.sql, r.params);

    const e = dataEndSql(filters);
    const dataEnd = (await db.one<{ t: string | null }>(`SELECT ${e.sql} AS t`, e.params))?.t ?? null;
    const endMonth = dataEnd?.slice(0, 7) ?? null;
    const cohorts: Cohort[] = [];
    for (const cell of cells) {
      if (cell.k === -1) {
        const months = endMonth ? Math.max(0, monthDiff(cell.cohort, endMonth)) + 1 : 1;
        cohorts.push({ cohort: cell.cohort, size: cell.n, active: new Array<number>(months).fill(0), retention: [] });
      } else {
        const co = cohorts.find((x) => x.cohort === cell.cohort);
        if (co && cell.k < co.active.length) co.active[cell.k] = cell.n;
      }
    }
    for (const co of cohorts) co.retention = co.active.map((n) => n / co.size);

    const churned: ChurnedMember[] = status
      .filter((x) => x.reason !== null)
      .map((x) => ({
        memberId: x.member_id,
        name: x.name,
        reason: x.reason!,
        lastMessage: x.last_msg,
        exitAt: x.exit_ts,
        churnedAt: x.churn_ts!,
        daysSince: x.days_since ?? 0,
      }));
    const churnCounts: Record<ChurnReason, number> = { inactive: 0, left: 0, removed: 0 };
    for (const x of churned) churnCounts[x.reason]++;
    const gone = new Set(churned.filter((x) => x.reason !== 'inactive').map((x) => x.memberId));

    const subjects = status
      .filter((x) => x.in_pop && x.follow_days !== null)
      .map((x) => ({ time: Math.max(0, x.follow_days!), event: x.reason !== null }));
    const curve = kaplanMeier(subjects);
    return {
      dataEnd,
      cohorts,
      churned,
      churnCounts,
      atRisk: risk
        .filter((x) => !gone.has(x.member_id))
        .map((x) => ({
          memberId: x.member_id,
          name: x.name,
          lastMessage: x.last_msg,
          recentMessages: x.recent,
          earlierMessages: x.earlier,
          recentRate: x.recent_rate,
          earlierRate: x.earlier_rate,
        })),
      survival: {
        subjects: subjects.length,
        events: subjects.filter((x) => x.event).length,
        medianDays: medianSurvival(curve),
        curve,
      },
    };
  },
});
