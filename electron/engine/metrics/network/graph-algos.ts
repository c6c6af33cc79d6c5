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

/**
 * Weighted PageRank, the same definition as graphology-metrics' pagerank (damping 0.85; a node's
 * rank flows along its out-edges in proportion to weight; dangling nodes spread theirs evenly;
 * stops when the L1 change falls below N · tolerance), computed on flat arrays: building a
 * graphology graph for 10^5–10^6 edges costs more than the iteration itself.
 * Attention flows from speaker to addressee, so members many others address rank high.
 */
export function weightedPagerank(nodes: readonly number[], edges: readonly WeightedEdge[], alpha = 0.85, tolerance = 1e-10): Map<number, number> {
  const n = nodes.length;
  if (n === 0) return new Map();
  const index = new Map<number, number>();
  nodes.forEach((id, i) => index.set(id, i));
  const src = new Int32Array(edges.length);
  const dst = new Int32Array(edges.length);
  const w = new Float64Array(edges.length);
  const out = new Float64Array(n);
  edges.forEach((e, k) => {
    const s = index.get(e.source)!;
    src[k] = s;
    dst[k] = index.get(e.target)!;
    w[k] = e.weight;
    out[s] = out[s]! + e.weight;
  });
  for (let k = 0; k < edges.length; k++) w[k] = w[k]! / out[src[k]!]!;
  let x = new Float64Array(n).fill(1 / n);
  for (let iter = 0; iter < 1000; iter++) {
    let dangling = 0;
    for (let i = 0; i < n; i++) if (out[i] === 0) dangling += x[i]!;
    const next = new Float64Array(n).fill((alpha * dangling + 1 - alpha) / n);
    for (let k = 0; k < src.length; k++) {
      const d = dst[k]!;
      next[d] = next[d]! + alpha * x[src[k]!]! * w[k]!;
    }
    let err = 0;
    for (let i = 0; i < n; i++) err += Math.abs(next[i]! - x[i]!);
    x = next;
    if (err < n * tolerance) break;
  }
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
