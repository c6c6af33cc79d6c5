import type { EventKind, MessageKind } from '../../../shared/model';

/**
 * The renderer's view of the analysis metrics it shows (overview, activity, topics, network, KOL).
 * Copied from the engine's result interfaces (the renderer may not import engine code); the
 * conformance test test/renderer/analysis-types.test.ts assigns each engine type to these, so any
 * drift fails the typecheck.
 */

/** Metric `overview`. */
export interface OverviewView {
  messages: number;
  membersKnown: number;
  senders: number;
  activeMembers: number;
  silentMembers: number;
  byKind: Record<MessageKind, number>;
  share: { text: number; media: number; link: number; other: number };
  firstTs: string | null;
  lastTs: string | null;
  daysSpanned: number;
  messagesPerDay: number;
  events: number;
  eventsByKind: Record<EventKind, number>;
}

export type Granularity = 'day' | 'week' | 'month';

/** Metric `activity`. */
export interface ActivityView {
  granularity: Granularity;
  series: Array<{ period: string; messages: number; members: number }>;
  /** heatmap[weekday][hour], weekday 0 = Monday. */
  heatmap: number[][];
  calendar: Array<{ day: string; messages: number }>;
  perMember: Array<{ memberId: number; name: string; messages: number; counts: number[] }>;
}

export type Layer = 'core' | 'regular' | 'casual';

/** Metric `structure`. */
export interface StructureView {
  messages: number;
  senders: number;
  membersKnown: number;
  giniSenders: number;
  giniAll: number;
  absenceFactor: number;
  layers: Array<{ layer: Layer; members: number; messages: number; share: number }>;
  silentMembers: number;
  shape: 'pyramid' | 'ring' | null;
  rule: string;
  decidedBy: { topSenders: number; topShare: number; gini: number; byTopShare: boolean; byGini: boolean };
}

/** Arguments of `structure` (the page passes them explicitly so it can state the rule in either language). */
export interface StructureArgsView {
  coreShare: number;
  regularShare: number;
  topFraction: number;
  topShareThreshold: number;
  giniThreshold: number;
}

/** Metric `conversations`. */
export interface ConversationsView {
  conversations: { count: number; meanLength: number | null; medianLength: number | null; singles: number; medianMinutes: number | null };
  starters: Array<{ memberId: number; name: string; conversations: number }>;
  responseTime: { count: number; medianSeconds: number | null; p90Seconds: number | null };
  questions: {
    count: number;
    answered: number;
    unanswered: number;
    pending: number;
    unansweredRate: number | null;
    medianResponseSeconds: number | null;
    p90ResponseSeconds: number | null;
  };
  unanswered: Array<{ id: number; groupId: number; memberId: number; name: string; ts: string; text: string }>;
}

/** Metric `keywords`. */
export interface KeywordsView {
  documents: number;
  keywords: Array<{ term: string; count: number; days: number; idf: number; score: number }>;
}

/** One row of metric `trending`. */
export interface TrendingTermView {
  term: string;
  week: string;
  score: number;
  count: number;
  baseline: number;
  baselineWeeks: number;
}
export type TrendingView = TrendingTermView[];

/** Metric `topTermsByPeriod`. */
export type TopTermsByPeriodView = Array<{ period: string; terms: Array<{ term: string; count: number }> }>;

/** Metric `cooccurrence`. */
export interface CooccurrenceView {
  terms: Array<{ term: string; messages: number }>;
  pairs: Array<{ a: string; b: string; count: number }>;
}

export type EdgeTypeView = 'reply' | 'mention' | 'adjacent';
export interface EdgeWeightsView {
  reply: number;
  mention: number;
  adjacent: number;
}

export interface GraphNodeView {
  id: number;
  name: string;
  messages: number;
  pagerank: number;
  betweenness: number;
  community: number;
  inDegree: number;
  outDegree: number;
  weightedIn: number;
  weightedOut: number;
  reach: number;
}
export interface GraphEdgeView {
  source: number;
  target: number;
  weight: number;
  replies: number;
  mentions: number;
  adjacent: number;
}

/** Metric `graph`. */
export interface GraphView {
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
  bridges: Array<{ id: number; name: string; betweenness: number; community: number; reaches: number[] }>;
  communities: number;
  totalNodes: number;
  totalEdges: number;
  weights: EdgeWeightsView;
}

export const KOL_COMPONENTS = ['drawnIn', 'pagerank', 'repliesPerMessage', 'conversationsDrawing'] as const;
export type KolComponentView = (typeof KOL_COMPONENTS)[number];

export interface KolCandidateView {
  id: number;
  name: string;
  score: number;
  components: Record<KolComponentView, number>;
  raw: {
    messages: number;
    drawnIn: number;
    pagerank: number;
    repliesReceived: number;
    repliesPerMessage: number;
    conversationsStarted: number;
    conversationsDrawing: number;
  };
  reasons: Array<{ zh: string; en: string }>;
}

/** Metric `kol`. */
export interface KolView {
  candidates: KolCandidateView[];
  risingNewcomers: Array<{ id: number; name: string; firstSeen: string; messages: number; drawnIn: number; repliesReceived: number }>;
  weights: Record<KolComponentView, number>;
  normalisation: 'max' | 'rank';
  edgeWeights: EdgeWeightsView;
}
