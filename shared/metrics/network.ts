/**
 * Result shapes of the network/topic metrics (electron/engine/metrics/network/*), shared by the
 * engine that produces them and the renderer that reads them. Types only: no runtime code, no
 * engine or Node imports (the runtime lists EDGE_TYPES and KOL_COMPONENTS stay in the engine).
 */

// ── keywords ────────────────────────────────────────────────────────────────

/** One keyword of the filtered period. */
export interface Keyword {
  term: string;
  /**
   * Occurrences in the filtered period, which is the number of messages containing the term:
   * stored terms are distinct per message (the segmenter keeps each term once).
   */
  count: number;
  /** Days (documents) of the groups' whole history on which the term occurs. */
  days: number;
  idf: number;
  score: number;
}

export interface KeywordsResult {
  /** Documents in the groups' whole history: distinct (group, day) pairs with at least one term. */
  documents: number;
  keywords: Keyword[];
}

// ── trending ────────────────────────────────────────────────────────────────

/** A term that rose in one ISO week relative to its own recent past. */
export interface TrendingTerm {
  term: string;
  /** Monday of the ISO week, `YYYY-MM-DD`. */
  week: string;
  /** Smoothed lift (count + 1) / (baseline + 1). */
  score: number;
  count: number;
  /** Mean weekly count over the preceding weeks (zero weeks included). */
  baseline: number;
  /** Preceding weeks actually averaged (fewer than baselineWeeks at the start of the data). */
  baselineWeeks: number;
}

export type TrendingResult = TrendingTerm[];

// ── topTermsByPeriod ────────────────────────────────────────────────────────

export interface PeriodTerms {
  /** Week: its Monday `YYYY-MM-DD`; month: `YYYY-MM`. */
  period: string;
  terms: { term: string; count: number }[];
}

export type TopTermsByPeriodResult = PeriodTerms[];

// ── cooccurrence ────────────────────────────────────────────────────────────

export interface CooccurrenceResult {
  /** The top terms, most frequent first; `messages` = messages containing the term. */
  terms: { term: string; messages: number }[];
  /** Unordered pairs (a < b) with the number of messages containing both, most frequent first. */
  pairs: { a: string; b: string; count: number }[];
}

// ── interactions (graph and KOL) ────────────────────────────────────────────

/** Interaction edge types; the engine's EDGE_TYPES lists them in this order. */
export type EdgeType = 'reply' | 'mention' | 'adjacent';

/** Weight of each edge type in the interaction graph. */
export type EdgeWeights = Record<EdgeType, number>;

// ── graph ───────────────────────────────────────────────────────────────────

export interface GraphNode {
  id: number;
  name: string;
  /** Messages in the filtered period. */
  messages: number;
  pagerank: number;
  /** Normalised betweenness (0..1) within the shown subgraph. */
  betweenness: number;
  /** Louvain community within the shown subgraph, 0 = largest. */
  community: number;
  /** Distinct members this member receives edges from / sends edges to. */
  inDegree: number;
  outDegree: number;
  weightedIn: number;
  weightedOut: number;
  /** Distinct members interacting with this member in either direction. */
  reach: number;
}

export interface GraphEdge {
  source: number;
  target: number;
  weight: number;
  replies: number;
  mentions: number;
  adjacent: number;
}

/** A member whose shortest paths connect communities. */
export interface Bridge {
  id: number;
  name: string;
  betweenness: number;
  community: number;
  /** Other communities among their neighbours in the shown graph. */
  reaches: number[];
}

export interface GraphResult {
  nodes: GraphNode[];
  edges: GraphEdge[];
  bridges: Bridge[];
  /** Communities among the shown nodes. */
  communities: number;
  /** Before the topN cut. */
  totalNodes: number;
  totalEdges: number;
  weights: EdgeWeights;
}

// ── kol ─────────────────────────────────────────────────────────────────────

/** KOL score components; the engine's KOL_COMPONENTS lists them in display order. */
export type KolComponent = 'drawnIn' | 'pagerank' | 'repliesPerMessage' | 'conversationsDrawing';
export type KolWeights = Record<KolComponent, number>;

export type Normalisation = 'max' | 'rank';

/** Raw per-member values the score is built from. */
export interface KolRaw {
  id: number;
  name: string;
  messages: number;
  /** Distinct members who replied to or @-mentioned them. */
  drawnIn: number;
  pagerank: number;
  /** Messages by others replying to or @-mentioning them. */
  repliesReceived: number;
  repliesPerMessage: number;
  conversationsStarted: number;
  /** Conversations they started that drew at least `minOthers` other members in. */
  conversationsDrawing: number;
}

export interface Reason {
  zh: string;
  en: string;
}

export interface KolCandidate {
  id: number;
  name: string;
  /** Weighted mean of the normalised components, 0..1. */
  score: number;
  components: Record<KolComponent, number>;
  raw: Omit<KolRaw, 'id' | 'name'>;
  reasons: Reason[];
}

export interface RisingNewcomer {
  id: number;
  name: string;
  /** First message or join/invite in the group's whole history. */
  firstSeen: string;
  messages: number;
  drawnIn: number;
  repliesReceived: number;
}

export interface KolResult {
  candidates: KolCandidate[];
  risingNewcomers: RisingNewcomer[];
  weights: KolWeights;
  normalisation: Normalisation;
  edgeWeights: EdgeWeights;
}
