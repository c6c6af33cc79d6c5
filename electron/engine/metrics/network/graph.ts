import { z } from 'zod';
import { defineMetric } from '../types.js';
import { betweenness, communities, undirectedProjection, weightedPagerank } from './graph-algos.js';
import { EDGE_TYPES, EdgeWeightsArg, loadInteractions, type EdgeWeights, type Interactions } from './interactions.js';
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
 * Pure: from interaction counts to the graph result. PageRank, degrees and reach use the whole
 * filtered graph (PageRank decides who is shown); communities, betweenness and bridges use the
 * shown top-N subgraph — what the reader sees, and small enough for Louvain and Brandes (O(V·E)).
 */
export function assembleGraph(data: Interactions, a: GraphArgs): GraphResult {
  const edges: GraphEdge[] = data.pairs.filter((p) => p.weight > 0 && p.weight >= a.minWeight);
  const ids = new Set<number>(data.messages.keys());
  for (const e of edges) ids.add(e.source).add(e.target);
  const nodes = [...ids].sort((x, y) => x - y);
  const pr = weightedPagerank(nodes, edges);

  const stats = new Map(nodes.map((id) => [id, { inDegree: 0, outDegree: 0, weightedIn: 0, weightedOut: 0, peers: new Set<number>() }]));
  for (const e of edges) {
    const s = stats.get(e.source)!;
    const t = stats.get(e.target)!;
    s.outDegree++;
    s.weightedOut += e.weight;
    s.peers.add(e.target);
    t.inDegree++;
    t.weightedIn += e.weight;
    t.peers.add(e.source);
  }

  const shown = [...nodes].sort((x, y) => pr.get(y)! - pr.get(x)! || x - y).slice(0, a.topN);
  const shownSet = new Set(shown);
  const shownEdges = edges.filter((e) => shownSet.has(e.source) && shownSet.has(e.target));
  const und = undirectedProjection(shown, shownEdges);
  const btw = betweenness(und);
  const comm = communities(und);

  const out: GraphNode[] = shown.map((id) => {
    const s = stats.get(id)!;
    return {
      id,
      name: data.names.get(id) ?? String(id),
      messages: data.messages.get(id) ?? 0,
      pagerank: pr.get(id) ?? 0,
      betweenness: btw.get(id) ?? 0,
      community: comm.get(id) ?? 0,
      inDegree: s.inDegree,
      outDegree: s.outDegree,
      weightedIn: s.weightedIn,
      weightedOut: s.weightedOut,
      reach: s.peers.size,
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
    totalNodes: nodes.length,
    totalEdges: edges.length,
    weights: a.weights,
  };
}

export const graph = defineMetric({
  key: 'graph',
  title: { zh: '互动关系网络', en: 'Interaction network' },
  args: GraphArgs,
  async run(ctx, args): Promise<GraphResult> {
    const data = await loadInteractions(ctx.db, ctx.filters, { types: args.types, windowMinutes: args.windowMinutes, weights: args.weights, minWeight: args.minWeight }, ctx.signal);
    ctx.signal?.throwIfAborted();
    return assembleGraph(data, args);
  },
});
