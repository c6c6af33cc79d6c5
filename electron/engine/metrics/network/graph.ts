import { z } from 'zod';
import { defineMetric } from '../types.js';
import { betweenness, communities, pagerankIndexed, undirectedProjection } from './graph-algos.js';
import { EDGE_TYPES, EdgeWeightsArg, loadMessageCounts, loadNames, loadPairColumns, pairAt, type EdgeWeights, type PairColumns } from './interactions.js';
import { pairGraph } from './pair-graph.js';
import type { Bridge, GraphEdge, GraphNode, GraphResult } from '../../../../shared/metrics/network.js';

export type { GraphNode, GraphEdge, Bridge, GraphResult };

export const GraphArgs = z.object({
  /** Edge types included. */
  types: z.array(z.enum(EDGE_TYPES)).min(1).default([...EDGE_TYPES]),
  weights: EdgeWeightsArg,
  /** Adjacency window (minutes). */
  windowMinutes: z.number().min(0.5).max(120).default(5),
  /** Edges lighter than this are dropped before any metric is computed. */
  minWeight: z.number().min(0).max(1e6).default(1),
  /** Nodes shown (highest PageRank first); edges among them. */
  topN: z.number().int().min(2).max(2000).default(150),
  /** Bridges listed. */
  bridges: z.number().int().min(0).max(200).default(10),
});
export type GraphArgs = z.infer<typeof GraphArgs>;

/**
 * Peers of each node (distinct members interacting with it in either direction): out-degree +
 * in-degree − mutual pairs (u→v and v→u both present; pairs are distinct and never self-edges).
 * Edges come grouped by source with ascending targets (the pair query's order); otherwise the
 * reverse edges are looked up in a set.
 */
function reach(n: number, src: Int32Array, dst: Int32Array, inDeg: Int32Array, outDeg: Int32Array): Int32Array {
  const m = src.length;
  let sorted = true;
  for (let e = 1; e < m && sorted; e++) sorted = src[e - 1]! < src[e]! || (src[e - 1] === src[e] && dst[e - 1]! < dst[e]!);
  let has: (u: number, v: number) => boolean;
  if (sorted) {
    const start = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) start[src[e]! + 1]!++;
    for (let i = 0; i < n; i++) start[i + 1] = start[i + 1]! + start[i]!;
    has = (u, v) => {
      let lo = start[u]!;
      let hi = start[u + 1]!;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (dst[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      return lo < start[u + 1]! && dst[lo] === v;
    };
  } else {
    const keys = new Set<number>();
    for (let e = 0; e < m; e++) keys.add(src[e]! * n + dst[e]!);
    has = (u, v) => keys.has(u * n + v);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = inDeg[i]! + outDeg[i]!;
  for (let e = 0; e < m; e++) if (has(dst[e]!, src[e]!)) out[src[e]!]!--;
  return out;
}

/**
 * Pure: from interaction counts to the graph result, names left empty (the caller looks up the
 * shown members'). PageRank, degrees and reach use the whole filtered graph (PageRank decides who
 * is shown); communities, betweenness and bridges use the shown top-N subgraph — what the reader
 * sees, and small enough for Louvain and Brandes (O(V·E)).
 */
export function assembleGraph(pairs: PairColumns, messages: ReadonlyMap<number, number>, a: GraphArgs): GraphResult {
  const { cols } = pairs;
  const g = pairGraph(messages.keys(), cols.source, cols.target, cols.weight, a.minWeight);
  const { ids, src, dst, weight } = g;
  const n = ids.length;
  const m = src.length;
  const pr = pagerankIndexed(n, g);

  const inDeg = new Int32Array(n);
  const outDeg = new Int32Array(n);
  const wIn = new Float64Array(n);
  const wOut = new Float64Array(n);
  for (let e = 0; e < m; e++) {
    const s = src[e]!;
    const t = dst[e]!;
    outDeg[s]!++;
    wOut[s] = wOut[s]! + weight[e]!;
    inDeg[t]!++;
    wIn[t] = wIn[t]! + weight[e]!;
  }
  const peers = reach(n, src, dst, inDeg, outDeg);

  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => pr[y]! - pr[x]! || ids[x]! - ids[y]!);
  const shownIdx = order.slice(0, a.topN);
  const isShown = new Uint8Array(n);
  for (const i of shownIdx) isShown[i] = 1;
  const shown = shownIdx.map((i) => ids[i]!);
  const shownEdges: GraphEdge[] = [];
  for (let e = 0; e < m; e++) if (isShown[src[e]!] && isShown[dst[e]!]) shownEdges.push(pairAt(cols, g.row[e]!));
  const und = undirectedProjection(shown, shownEdges);
  const btw = betweenness(und);
  const comm = communities(und);

  const out: GraphNode[] = shownIdx.map((i) => {
    const id = ids[i]!;
    return {
      id,
      name: '',
      messages: messages.get(id) ?? 0,
      pagerank: pr[i]!,
      betweenness: btw.get(id) ?? 0,
      community: comm.get(id) ?? 0,
      inDegree: inDeg[i]!,
      outDegree: outDeg[i]!,
      weightedIn: wIn[i]!,
      weightedOut: wOut[i]!,
      reach: peers[i]!,
    };
  });

  const bridges: Bridge[] = [];
  for (const n of out) {
    if (n.betweenness <= 0) continue;
    const reaches = new Set<number>();
    und.forEachNeighbor(String(n.id), (k) => {
      const c = comm.get(Number(k))!;
      if (c !== n.community) reaches.add(c);
    });
    if (reaches.size > 0) bridges.push({ id: n.id, name: n.name, betweenness: n.betweenness, community: n.community, reaches: [...reaches].sort((x, y) => x - y) });
  }
  bridges.sort((x, y) => y.betweenness - x.betweenness || x.id - y.id);

  return {
    nodes: out,
    edges: shownEdges,
    bridges: bridges.slice(0, a.bridges),
    communities: new Set(comm.values()).size,
    totalNodes: n,
    totalEdges: m,
    weights: a.weights,
  };
}

export const graph = defineMetric({
  key: 'graph',
  title: { zh: '互动关系网络', en: 'Interaction network' },
  args: GraphArgs,
  async run(ctx, args): Promise<GraphResult> {
    const { db, filters, signal } = ctx;
    const pairs = await loadPairColumns(db, filters, { types: args.types, windowMinutes: args.windowMinutes, weights: args.weights, minWeight: args.minWeight });
    signal?.throwIfAborted();
    const messages = await loadMessageCounts(db, filters);
    signal?.throwIfAborted();
    const r = assembleGraph(pairs, messages, args);
    const names = await loadNames(db, r.nodes.map((x) => x.id));
    const name = (id: number): string => names.get(id) ?? String(id);
    return { ...r, nodes: r.nodes.map((x) => ({ ...x, name: name(x.id) })), bridges: r.bridges.map((b) => ({ ...b, name: name(b.id) })) };
  },
});
