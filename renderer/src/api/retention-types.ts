/**
 * Result shapes of the metrics the Retention, Members and Compare pages read, copied from the
 * engine (electron/engine/metrics/core/*) because the renderer may not import engine code.
 * test/renderer/retention-types.test.ts assigns each engine type to these, so drift fails typecheck.
 */

export type ChurnReason = 'inactive' | 'left' | 'removed';

/** retention: one join-month cohort. */
export interface CohortView {
  /** Month of joining, `YYYY-MM`. */
  cohort: string;
  size: number;
  /** active[k]: members of the cohort with a message in month cohort + k. */
  active: number[];
  /** retention[k] = active[k] / size. */
  retention: number[];
}

export interface ChurnedMemberView {
  memberId: number;
  name: string;
  reason: ChurnReason;
  lastMessage: string | null;
  exitAt: string | null;
  churnedAt: string;
  /** Whole days from churnedAt to the end of the data. */
  daysSince: number;
}

export interface AtRiskMemberView {
  memberId: number;
  name: string;
  lastMessage: string;
  recentMessages: number;
  earlierMessages: number;
  recentRate: number;
  earlierRate: number;
}

export interface SurvivalPointView {
  t: number;
  survival: number;
  atRisk: number;
  events: number;
  censored: number;
}

export interface RetentionView {
  dataEnd: string | null;
  cohorts: CohortView[];
  churned: ChurnedMemberView[];
  churnCounts: Record<ChurnReason, number>;
  atRisk: AtRiskMemberView[];
  survival: { subjects: number; events: number; medianDays: number | null; curve: SurvivalPointView[] };
}

export type FunnelStage = 'joined' | 'spoke' | 'introduced' | 'gotReply' | 'activeAfter' | 'activeAfterLong';

export interface NewcomerView {
  memberId: number;
  name: string;
  groupId: number;
  joinedAt: string;
  firstMessageAt: string | null;
  introducedAt: string | null;
  repliedAt: string | null;
  spokeAfterHours: number | null;
  activeAfter: boolean;
  activeAfterLong: boolean;
  eligibleAfter: boolean;
  eligibleAfterLong: boolean;
}

export interface FunnelStepView {
  stage: FunnelStage;
  /** Passed this stage and every earlier one. */
  count: number;
  fromPrevious: number;
  fromJoined: number;
  /** Reached this stage regardless of earlier ones. */
  reached: number;
}

export interface OnboardingView {
  funnel: FunnelStepView[];
  medianHours: { spoke: number | null; introduced: number | null; gotReply: number | null };
  eligible: { activeAfter: number; activeAfterLong: number };
  newcomers: NewcomerView[];
}

/** members: one name a member went by, oldest first. */
export interface NameSpanView {
  name: string;
  firstSeen: string;
  lastSeen: string;
  messages: number;
}

export interface MemberRowView {
  memberId: number;
  groupId: number;
  name: string;
  platformId: string | null;
  messages: number;
  chars: number;
  activeDays: number;
  firstMessage: string | null;
  lastMessage: string | null;
  joinedAt: string | null;
  leftAt: string | null;
  names: NameSpanView[];
  isSilent: boolean;
}

export interface RankEntryView {
  memberId: number;
  name: string;
  messages: number;
  chars: number;
}

export interface CheckInView {
  memberId: number;
  name: string;
  messages: number;
  days: number;
  longestStreak: number;
  currentStreak: number;
  lastDay: string;
}

export interface MembersView {
  members: MemberRowView[];
  monthlyTop: Array<{ month: string; top: RankEntryView[] }>;
  checkIns: CheckInView[];
  checkInDaily: Array<{ day: string; members: number }>;
  dataEnd: string | null;
}

/** compare: overview figures of one group, raw and per member. */
export interface NormalisedView {
  messages: number;
  membersKnown: number;
  activeMembers: number;
  messagesPerMember: number;
  messagesPerActiveMember: number;
  activeShare: number;
  messagesPerDay: number;
}

export interface OverlapView {
  a: number;
  b: number;
  shared: number;
  union: number;
  jaccard: number;
}

/** compare: `result` is the compared metric's own result (unknown to the engine's type). */
export interface CompareView<R = unknown> {
  key: string;
  groups: Array<{ groupId: number; name: string; platform: string; result: R; normalised: NormalisedView }>;
  overlap: OverlapView[];
}

/** activity, the part the Compare page reads. */
export interface ActivitySeriesView {
  granularity: 'day' | 'week' | 'month';
  series: Array<{ period: string; messages: number; members: number }>;
}

/** structure, the part the Compare page reads. */
export interface StructureSummaryView {
  messages: number;
  senders: number;
  membersKnown: number;
  giniSenders: number;
  giniAll: number;
  absenceFactor: number;
  silentMembers: number;
  shape: 'pyramid' | 'ring' | null;
  rule: string;
  decidedBy: { topSenders: number; topShare: number; gini: number; byTopShare: boolean; byGini: boolean };
}
