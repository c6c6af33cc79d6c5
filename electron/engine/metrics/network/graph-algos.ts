import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness.js';

/** A weighted directed edge between member ids. */
export interface WeightedEdge {
  source: number;
  target: number;
  weight: number;
}

/** Fixed seed so Louvain (which visits nodes in random order) gives the same split every run. */
export const LOUVAIN_SEED = 0x51a7;

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const key = (id: number): string => String(id);

/** Undirected projection: weight(u, v) = weight(u→v) + weight(v→u). */
export function undirectedProjection(nodes: readonly number[], edges: readonly WeightedEdge[]): Graph {
  const g = new Graph({ type: 'undirected', multi: false, allowSelfLoops: false });
  for (const n of [...nodes].sort((a, b) => a - b)) g.addNode(key(n));
  for (const e of edges) {
    const [u, v] = [key(e.source), key(e.target)];
    if (g.hasEdge(u, v)) g.updateEdgeAttribute(u, v, 'weight', (w: number | undefined) => (w ?? 0) + e.weight);
    else g.addUndirectedEdge(u, v, { weight: e.weight });
  }
  return g;
}

const toMap = (m: Record<string, number>): Map<number, number> => new Map(Object.entries(m).map(([k, v]) => [Number(k), v]));

/** Directed weighted edges over node indices 0..n−1; rank is accumulated in this order. */
export interface IndexedEdges {
  src: Int32Array;
  dst: Int32Array;
  weight: Float64Array;
}

/**
 * Weighted PageRank, the same definition as graphology-metrics' pagerank (damping 0.85; a node's
 * rank flows along its out-edges in proportion to weight; dangling nodes spread theirs evenly;
 * stops when the L1 change falls below N · tolerance), over node indices and typed arrays:
 * building a graphology graph — or even one object per edge — for 10^5–10^6 edges costs more than
 * the iteration itself. Attention flows from speaker to addressee, so members many others address
 * rank high. Returns the rank of node i at i.
 */
export function pagerankIndexed(n: number, e: IndexedEdges, alpha = 0.85, tolerance = 1e-10): Float64Array {
  if (n === 0) return new Float64Array(0);
  const { src, dst } = e;
  const m = src.length;
  const out = new Float64Array(n);
  for (let k = 0; k < m; k++) out[src[k]!] = out[src[k]!]! + e.weight[k]!;
  const w = new Float64Array(m);
  for (let k = 0; k < m; k++) w[k] = e.weight[k]! / out[src[k]!]!;
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  // alpha · x[s] once per node: the product per edge is (alpha · x[s]) · w, the same value.
  const ax = new Float64Array(n);
  for (let iter = 0; iter < 1000; iter++) {
    let dangling = 0;
    for (let i = 0; i < n; i++) if (out[i] === 0) dangling += x[i]!;
    next.fill((alpha * dangling + 1 - alpha) / n);
    for (let i = 0; i < n; i++) ax[i] = alpha * x[i]!;
    for (let k = 0; k < m; k++) {
      const d = dst[k]!;
      next[d] = next[d]! + ax[src[k]!]! * w[k]!;
    }
    let err = 0;
    for (let i = 0; i < n; i++) err += Math.abs(next[i]! - x[i]!);
    [x, next] = [next, x];
    if (err < n * tolerance) break;
  }
  return x;
}

/** pagerankIndexed over member ids: `nodes` lists every node once, edges name their ends by id. */
export function weightedPagerank(nodes: readonly number[], edges: readonly WeightedEdge[], alpha = 0.85, tolerance = 1e-10): Map<number, number> {
  const index = new Map<number, number>();
  nodes.forEach((id, i) => index.set(id, i));
  const src = new Int32Array(edges.length);
  const dst = new Int32Array(edges.length);
  const weight = new Float64Array(edges.length);
  edges.forEach((e, k) => {
    src[k] = index.get(e.source)!;
    dst[k] = index.get(e.target)!;
    weight[k] = e.weight;
  });
  const x = pagerankIndexed(nodes.length, { src, dst, weight }, alpha, tolerance);
  return new Map(nodes.map((id, i) => [id, x[i]!]));
}

/**
 * Normalised betweenness on an undirected graph, unweighted: weights measure closeness of ties,
 * not distance, and hop counts keep "who sits between groups" readable.
 */
export function betweenness(g: Graph): Map<number, number> {
  if (g.order === 0) return new Map();
  return toMap(betweennessCentrality(g, { getEdgeWeight: null, normalized: true }));
}

/**
 * Louvain communities on an undirected weighted graph, deterministic (seeded rng, sorted nodes).
 * Renumbered 0, 1, 2… by size (largest first), ties by smallest member id.
 */
export function communities(g: Graph, seed = LOUVAIN_SEED): Map<number, number> {
  if (g.order === 0) return new Map();
  const raw = louvain(g, { getEdgeWeight: 'weight', rng: seededRng(seed) });
  const groups = new Map<number, number[]>();
  for (const [k, c] of Object.entries(raw)) {
    const list = groups.get(c) ?? [];
    list.push(Number(k));
    groups.set(c, list);
  }
  const ordered = [...groups.values()]
    .map((ids) => ids.sort((a, b) => a - b))
    .sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  const out = new Map<number, number>();
  ordered.forEach((ids, i) => ids.forEach((id) => out.set(id, i)));
  return out;
}
