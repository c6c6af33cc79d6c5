import type { StructureResult } from '../../../shared/metrics/core';
import type { KolComponent } from '../../../shared/metrics/network';

/**
 * The renderer's names for the analysis metrics it shows (overview, activity, topics, network, KOL).
 * The shapes live in shared/metrics/ (the engine produces them; the renderer may not import engine code).
 */
export type {
  Granularity,
  Layer,
  OverviewResult as OverviewView,
  ActivityResult as ActivityView,
  StructureArgs as StructureArgsView,
  ConversationsResult as ConversationsView,
} from '../../../shared/metrics/core';
export type {
  KeywordsResult as KeywordsView,
  TrendingTerm as TrendingTermView,
  TrendingResult as TrendingView,
  TopTermsByPeriodResult as TopTermsByPeriodView,
  CooccurrenceResult as CooccurrenceView,
  EdgeType as EdgeTypeView,
  EdgeWeights as EdgeWeightsView,
  GraphNode as GraphNodeView,
  GraphEdge as GraphEdgeView,
  GraphResult as GraphView,
  KolComponent as KolComponentView,
  KolCandidate as KolCandidateView,
  KolResult as KolView,
} from '../../../shared/metrics/network';

/** Metric `structure`, the part the Overview page reads (not the per-member ranking). */
export type StructureView = Omit<StructureResult, 'ranking'>;

/** KOL components in display order; test/renderer/analysis-types.test.ts checks it matches the engine's. */
export const KOL_COMPONENTS = ['drawnIn', 'pagerank', 'repliesPerMessage', 'conversationsDrawing'] as const satisfies readonly KolComponent[];
