import type { ActivityResult, StructureResult } from '../../../shared/metrics/core';

/**
 * The renderer's names for the metrics the Retention, Members and Compare pages read. The shapes
 * live in shared/metrics/core.ts (the engine produces them; the renderer may not import engine code).
 */
export type {
  ChurnReason,
  Cohort as CohortView,
  ChurnedMember as ChurnedMemberView,
  AtRiskMember as AtRiskMemberView,
  SurvivalPoint as SurvivalPointView,
  RetentionResult as RetentionView,
  FunnelStage,
  NewcomerRow as NewcomerView,
  FunnelStep as FunnelStepView,
  OnboardingResult as OnboardingView,
  NameSpan as NameSpanView,
  MemberRow as MemberRowView,
  RankEntry as RankEntryView,
  CheckInRow as CheckInView,
  MembersResult as MembersView,
  Normalised as NormalisedView,
  Overlap as OverlapView,
  CompareResult as CompareView,
} from '../../../shared/metrics/core';

/** activity, the part the Compare page reads. */
export type ActivitySeriesView = Pick<ActivityResult, 'granularity' | 'series'>;

/** structure, the part the Compare page reads. */
export type StructureSummaryView = Omit<StructureResult, 'layers' | 'ranking'>;
