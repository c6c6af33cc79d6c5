/**
 * Result shapes of the core metrics (electron/engine/metrics/core/*), shared by the engine that
 * produces them and the renderer that reads them. Types only: no runtime code, no engine or Node imports.
 */
import type { EventKind, MessageKind } from '../model.js';

// ── overview ────────────────────────────────────────────────────────────────

/** Messages by broad kind: text, media (image, voice, video, file, sticker), link, other. */
export interface KindShare {
  text: number;
  media: number;
  link: number;
  other: number;
}

export interface OverviewResult {
  messages: number;
  /** Members of the group(s) during the period, silent ones included. */
  membersKnown: number;
  /** Known members who have sent at least one message at any time. */
  senders: number;
  /** Members with ≥ 1 message in the period. */
  activeMembers: number;
  /** membersKnown − activeMembers. */
  silentMembers: number;
  byKind: Record<MessageKind, number>;
  /** Shares of `messages` (0 when there are none). */
  share: KindShare;
  firstTs: string | null;
  lastTs: string | null;
  /** Calendar days from the first to the last message, both included (0 without messages). */
  daysSpanned: number;
  messagesPerDay: number;
  events: number;
  eventsByKind: Record<EventKind, number>;
}

// ── activity ────────────────────────────────────────────────────────────────

export type Granularity = 'day' | 'week' | 'month';

export interface ActivityPoint {
  /** First day of the period, `YYYY-MM-DD` (weeks start on Monday, ISO). */
  period: string;
  messages: number;
  /** Distinct members who wrote in the period. */
  members: number;
}

export interface MemberActivity {
  memberId: number;
  name: string;
  messages: number;
  /** Messages per period, aligned with `series`. */
  counts: number[];
}

export interface ActivityResult {
  granularity: Granularity;
  /** Every period from the first to the last message, empty ones included. */
  series: ActivityPoint[];
  /** heatmap[weekday][hour]: weekday 0 = Monday … 6 = Sunday, wall-clock hour 0–23. */
  heatmap: number[][];
  /** Days with at least one message. */
  calendar: Array<{ day: string; messages: number }>;
  /** The top members by messages, each with their own series. */
  perMember: MemberActivity[];
}

// ── structure ───────────────────────────────────────────────────────────────

export type Layer = 'core' | 'regular' | 'casual';

export interface StructureArgs {
  coreShare: number;
  regularShare: number;
  topFraction: number;
  topShareThreshold: number;
  giniThreshold: number;
}

export interface StructureResult {
  messages: number;
  senders: number;
  /** Known members in the period, silent ones included. */
  membersKnown: number;
  /** Gini of messages per member over members with ≥ 1 message. */
  giniSenders: number;
  /** Gini over all known members, silent ones counted with 0. */
  giniAll: number;
  /** Fewest members who together wrote ≥ 50% of the messages. */
  absenceFactor: number;
  /** Onion layers over senders sorted by messages (desc, then id). */
  layers: Array<{ layer: Layer; members: number; messages: number; share: number; memberIds: number[] }>;
  silentMembers: number;
  /** null when nothing was written. */
  shape: 'pyramid' | 'ring' | null;
  /** The rule, in words, with its thresholds. */
  rule: string;
  /** The numbers the rule looked at. */
  decidedBy: { topSenders: number; topShare: number; gini: number; byTopShare: boolean; byGini: boolean };
  /** Senders, most messages first, with their layer. */
  ranking: Array<{ memberId: number; name: string; messages: number; share: number; layer: Layer }>;
}

// ── conversations ───────────────────────────────────────────────────────────

/** One message as metrics list it (drill-downs, unanswered questions): who, when, what. */
export interface MessageBrief {
  id: number;
  groupId: number;
  memberId: number;
  /** The member's latest name. */
  name: string;
  ts: string;
  text: string;
}

export type UnansweredQuestion = MessageBrief;

export interface ConversationsResult {
  conversations: {
    count: number;
    meanLength: number | null;
    medianLength: number | null;
    /** Conversations of a single message. */
    singles: number;
    /** From first to last message, minutes. */
    medianMinutes: number | null;
  };
  /** Who starts conversations, most first (ties: lower id). */
  starters: Array<{ memberId: number; name: string; conversations: number }>;
  /** Turn changes inside a conversation: gap from a message to the next one by someone else, seconds. */
  responseTime: { count: number; medianSeconds: number | null; p90Seconds: number | null };
  questions: {
    count: number;
    answered: number;
    unanswered: number;
    /** Asked less than the window before the end of the data and not answered yet: outcome unknown. */
    pending: number;
    /** unanswered / (answered + unanswered); null without decided questions. */
    unansweredRate: number | null;
    medianResponseSeconds: number | null;
    p90ResponseSeconds: number | null;
  };
  /** Unanswered questions, latest first, at most `limit`. */
  unanswered: UnansweredQuestion[];
}

// ── retention ───────────────────────────────────────────────────────────────

export type ChurnReason = 'inactive' | 'left' | 'removed';

export interface Cohort {
  /** Month of joining, `YYYY-MM`. */
  cohort: string;
  size: number;
  /** active[k]: members of the cohort with a message in month cohort + k, k = 0 … end of data. */
  active: number[];
  /** retention[k] = active[k] / size. */
  retention: number[];
}

export interface ChurnedMember {
  memberId: number;
  name: string;
  reason: ChurnReason;
  lastMessage: string | null;
  exitAt: string | null;
  /** Exit time for left/removed, last message for inactive. */
  churnedAt: string;
  /** Whole days from churnedAt to the end of the data. */
  daysSince: number;
}

export interface AtRiskMember {
  memberId: number;
  name: string;
  lastMessage: string;
  recentMessages: number;
  earlierMessages: number;
  /** Messages per day in the recent window. */
  recentRate: number;
  /** Messages per day in the baseline window before it. */
  earlierRate: number;
}

/** One point of a Kaplan–Meier curve. */
export interface SurvivalPoint {
  /** Time (days since start). */
  t: number;
  /** Kaplan–Meier estimate S(t): share still not churned just after t. */
  survival: number;
  /** Subjects still followed at t (time ≥ t). */
  atRisk: number;
  /** Events at exactly t. */
  events: number;
  /** Subjects censored at exactly t. */
  censored: number;
}

export interface RetentionResult {
  dataEnd: string | null;
  cohorts: Cohort[];
  churned: ChurnedMember[];
  churnCounts: Record<ChurnReason, number>;
  atRisk: AtRiskMember[];
  /** Kaplan–Meier over cohort members: days from start to churn, censored at the end of the data. */
  survival: { subjects: number; events: number; medianDays: number | null; curve: SurvivalPoint[] };
}

// ── onboarding ──────────────────────────────────────────────────────────────

export type FunnelStage = 'joined' | 'spoke' | 'introduced' | 'gotReply' | 'activeAfter' | 'activeAfterLong';

export interface NewcomerRow {
  memberId: number;
  name: string;
  groupId: number;
  joinedAt: string;
  firstMessageAt: string | null;
  introducedAt: string | null;
  /** First reply / @-mention / welcome by someone else within replyDays. */
  repliedAt: string | null;
  spokeAfterHours: number | null;
  activeAfter: boolean;
  activeAfterLong: boolean;
  /** The data reaches activeAfterDays (…LongDays) past their join, so the step could be observed. */
  eligibleAfter: boolean;
  eligibleAfterLong: boolean;
}

export interface FunnelStep {
  stage: FunnelStage;
  /** Newcomers who passed this stage AND every earlier one (monotone non-increasing). */
  count: number;
  /** count / previous step's count (1 for the first step; 0 when the previous is 0). */
  fromPrevious: number;
  /** count / joined. */
  fromJoined: number;
  /** Newcomers who reached this stage regardless of earlier ones. */
  reached: number;
}

export interface OnboardingResult {
  funnel: FunnelStep[];
  /** Median hours from joining to: first message, self-introduction, first reply. */
  medianHours: { spoke: number | null; introduced: number | null; gotReply: number | null };
  eligible: { activeAfter: number; activeAfterLong: number };
  newcomers: NewcomerRow[];
}

// ── members ─────────────────────────────────────────────────────────────────

/** One name a member went by (member_names), oldest first. */
export interface NameSpan {
  name: string;
  firstSeen: string;
  lastSeen: string;
  messages: number;
}

export interface MemberRow {
  memberId: number;
  groupId: number;
  name: string;
  platformId: string | null;
  /** The export marks the member as a bot or integration (Discord isBot, Slack bot_message …). */
  isBot: boolean;
  /** The same person across groups (same platform id, or merged by hand). */
  personId: number;
  /** In the period. */
  messages: number;
  chars: number;
  activeDays: number;
  firstMessage: string | null;
  lastMessage: string | null;
  /** Earliest join/invite event with the member as subject (all time), else null. */
  joinedAt: string | null;
  /** Latest leave/remove event when no message and no re-join follows it (all time), else null. */
  leftAt: string | null;
  names: NameSpan[];
  /** No message in the period. */
  isSilent: boolean;
}

export interface RankEntry {
  memberId: number;
  name: string;
  messages: number;
  chars: number;
}

/** One member's check-in record (打卡/签到, pattern `checkIn` in text/patterns.ts). */
export interface CheckInRow {
  memberId: number;
  name: string;
  /** Messages matching the check-in pattern. */
  messages: number;
  /** Distinct calendar days with a check-in. */
  days: number;
  /** Longest run of consecutive check-in days. */
  longestStreak: number;
  /**
   * The run that is still going: it ends on the last day of the data or the day before
   * (the day is not over yet); 0 otherwise.
   */
  currentStreak: number;
  lastDay: string;
}

export interface MembersResult {
  /** Members known in the period (silent ones included), by messages desc then id. */
  members: MemberRow[];
  /** Per calendar month: the top members by messages (ties: more characters, then lower id). */
  monthlyTop: Array<{ month: string; top: RankEntry[] }>;
  checkIns: CheckInRow[];
  /** Per day: members who checked in. */
  checkInDaily: Array<{ day: string; members: number }>;
  /** Last timestamp of the filtered data (messages and events), the reference for current streaks. */
  dataEnd: string | null;
}

// ── compare ─────────────────────────────────────────────────────────────────

/** Scalar overview figures of one group, raw and per member. */
export interface Normalised {
  messages: number;
  membersKnown: number;
  activeMembers: number;
  /** messages / membersKnown (0 without members). */
  messagesPerMember: number;
  /** messages / activeMembers (0 without active members). */
  messagesPerActiveMember: number;
  /** activeMembers / membersKnown. */
  activeShare: number;
  messagesPerDay: number;
}

/** `R`: the compared metric's result type (unknown to the engine, which runs any metric). */
export interface CompareGroup<R = unknown> {
  groupId: number;
  name: string;
  platform: string;
  /** The compared metric's result for this group alone (type of that metric's result). */
  result: R;
  normalised: Normalised;
}

/** People in both groups: same platform and platform_id (members without one cannot be matched). */
export interface Overlap {
  a: number;
  b: number;
  shared: number;
  /** Identities in a or b. */
  union: number;
  /** shared / union (0 when both are empty). */
  jaccard: number;
}

export interface CompareResult<R = unknown> {
  key: string;
  groups: CompareGroup<R>[];
  overlap: Overlap[];
}
