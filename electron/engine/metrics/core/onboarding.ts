import { z } from 'zod';
import { defineMetric } from '../types.js';
import { buildOnboardingSql } from './onboarding-sql.js';
import { median } from './stats.js';
import type { FunnelStage, FunnelStep, NewcomerRow, OnboardingResult } from '../../../../shared/metrics/core.js';

export type { FunnelStage, NewcomerRow, FunnelStep, OnboardingResult };

export { buildOnboardingSql, type OnboardingArgs } from './onboarding-sql.js';

export const FUNNEL_STAGES: readonly FunnelStage[] = ['joined', 'spoke', 'introduced', 'gotReply', 'activeAfter', 'activeAfterLong'];

interface Raw {
  member_id: number;
  name: string;
  group_id: number;
  join_ts: string;
  first_msg: string | null;
  intro_ts: string | null;
  reply_ts: string | null;
  a_short: boolean;
  a_long: boolean;
  eligible_short: boolean;
  eligible_long: boolean;
  spoke_h: number | null;
  intro_h: number | null;
  reply_h: number | null;
}

/** Pure: the funnel from per-newcomer rows. */
export function computeFunnel(rows: readonly NewcomerRow[]): FunnelStep[] {
  const passes: Record<FunnelStage, (r: NewcomerRow) => boolean> = {
    joined: () => true,
    spoke: (r) => r.firstMessageAt !== null,
    introduced: (r) => r.introducedAt !== null,
    gotReply: (r) => r.repliedAt !== null,
    activeAfter: (r) => r.activeAfter,
    activeAfterLong: (r) => r.activeAfterLong,
  };
  let remaining = [...rows];
  const joined = rows.length;
  const out: FunnelStep[] = [];
  for (const stage of FUNNEL_STAGES) {
    const prev = remaining.length;
    remaining = remaining.filter(passes[stage]);
    const count = remaining.length;
    out.push({
      stage,
      count,
      fromPrevious: stage === 'joined' ? 1 : prev === 0 ? 0 : count / prev,
      fromJoined: joined === 0 ? 0 : count / joined,
      reached: rows.filter(passes[stage]).length,
    });
  }
  return out;
}

const present = (xs: Array<number | null>): number[] => xs.filter((x): x is number => x !== null);

export const onboarding = defineMetric({
  key: 'onboarding',
  title: { zh: '新人引导', en: 'Onboarding' },
  args: z
    .object({
      introDays: z.number().int().min(1).max(365).default(7),
      replyDays: z.number().int().min(1).max(365).default(7),
      activeAfterDays: z.number().int().min(1).max(3650).default(30),
      activeAfterLongDays: z.number().int().min(1).max(3650).default(90),
    })
    .strict(),
  async run({ db, filters }, args): Promise<OnboardingResult> {
    const b = buildOnboardingSql(filters, args);
    const raw = await db.all<Raw>(b.sql, b.params);
    const newcomers: NewcomerRow[] = raw.map((r) => ({
      memberId: r.member_id,
      name: r.name,
      groupId: r.group_id,
      joinedAt: r.join_ts,
      firstMessageAt: r.first_msg,
      introducedAt: r.intro_ts,
      repliedAt: r.reply_ts,
      spokeAfterHours: r.spoke_h,
      activeAfter: r.a_short,
      activeAfterLong: r.a_long,
      eligibleAfter: r.eligible_short,
      eligibleAfterLong: r.eligible_long,
    }));
    return {
      funnel: computeFunnel(newcomers),
      medianHours: {
        spoke: median(present(raw.map((r) => r.spoke_h))),
        introduced: median(present(raw.map((r) => r.intro_h))),
        gotReply: median(present(raw.map((r) => r.reply_h))),
      },
      eligible: {
        activeAfter: newcomers.filter((r) => r.eligibleAfter).length,
        activeAfterLong: newcomers.filter((r) => r.eligibleAfterLong).length,
      },
      newcomers,
    };
  },
});
