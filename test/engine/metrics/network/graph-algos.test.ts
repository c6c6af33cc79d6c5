import Graph from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank.js';
import { describe, expect, it } from 'vitest';
import { communities, pagerankIndexed, seededRng, undirectedProjection, weightedPagerank, type WeightedEdge } from '../../../../electron/engine/metrics/network/graph-algos.js';

/** A fixed pseudo-random graph with dangling nodes, isolated nodes and uneven weights. */
function randomGraph(n: number, m: number): { nodes: number[]; edges: WeightedEdge[] } {
  const rnd = seededRng(7);
  const nodes = Array.from({ length: n }, (_, i) => i + 1);
  const seen = new Set<string>();
  const edges: WeightedEdge[] = [];
  while (edges.length < m) {
    const s = 1 + Math.floor(rnd() * (n - 3));
    const t = 1 + Math.floor(rnd() * (n - 2));
    if (s === t || seen.has(`${s}>${t}`)) continue;
    seen.add(`${s}>${t}`);
    edges.push({ source: s, target: t, weight: [0.5, 2, 3, 5.5][Math.floor(rnd() * 4)]! });
  }
  return { nodes, edges };
}

describe('weightedPagerank', () => {
  it('matches graphology-metrics pagerank (same definition, computed on flat arrays)', () => {
    const { nodes, edges } = randomGraph(60, 300);
    const g = new Graph({ type: 'directed' });
    for (const n of nodes) g.addNode(String(n));
    for (const e of edges) g.addDirectedEdge(String(e.source), String(e.target), { weight: e.weight });
    const ref = pagerank(g, { getEdgeWeight: 'weight', tolerance: 1e-12, maxIterations: 1000 });
    const ours = weightedPagerank(nodes, edges);
    for (const n of nodes) expect(ours.get(n)!).toBeCloseTo(ref[String(n)]!, 8);
  });

  it('is uniform without edges and empty without nodes', () => {
    expect([...weightedPagerank([1, 2, 3, 4], []).values()]).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(weightedPagerank([], []).size).toBe(0);
  });
});

describe('pagerankIndexed', () => {
  const edges = (list: [number, number, number][]) => ({
    src: Int32Array.from(list.map((e) => e[0])),
    dst: Int32Array.from(list.map((e) => e[1])),
    weight: Float64Array.from(list.map((e) => e[2])),
  });

  it('solves small graphs worked out by hand (damping 0.85)', () => {
    // Two members addressing each other: symmetric.
    expect([...pagerankIndexed(2, edges([[0, 1, 1], [1, 0, 4]]))].map((x) => +x.toFixed(9))).toEqual([0.5, 0.5]);
    // 0 → 1, 1 dangling (spreads evenly): x0 = 0.075 + 0.425·x1, x0 + x1 = 1 ⇒ x0 = 0.5 / 1.425.
    const chain = pagerankIndexed(2, edges([[0, 1, 1]]));
    expect(chain[0]).toBeCloseTo(0.5 / 1.425, 9);
    expect(chain[1]).toBeCloseTo(1 - 0.5 / 1.425, 9);
    // Hub 0 splits 3 : 1 between 1 and 2, both answer only 0:
    // x0 = 0.05 + 0.85·(1 − x0) ⇒ x0 = 0.9 / 1.85; x1 = 0.05 + 0.85·¾·x0; x2 = 0.05 + 0.85·¼·x0.
    const hub = pagerankIndexed(3, edges([[0, 1, 3], [0, 2, 1], [1, 0, 1], [2, 0, 1]]));
    const x0 = 0.9 / 1.85;
    expect(hub[0]).toBeCloseTo(x0, 9);
    expect(hub[1]).toBeCloseTo(0.05 + 0.6375 * x0, 9);
    expect(hub[2]).toBeCloseTo(0.05 + 0.2125 * x0, 9);
    expect(pagerankIndexed(0, edges([])).length).toBe(0);
  });

  it('matches graphology-metrics pagerank on small graphs, dangling and isolated nodes included', () => {
    const graphs: [number, [number, number, number][]][] = [
      [4, [[0, 1, 1], [1, 2, 2], [2, 0, 0.5], [2, 1, 1]]],
      [5, [[0, 1, 3], [0, 2, 1], [3, 0, 2], [1, 3, 0.5]]],
      [6, [[5, 0, 1], [5, 1, 1], [5, 2, 1], [0, 5, 2], [1, 0, 0.5], [4, 3, 1]]],
    ];
    for (const [n, list] of graphs) {
      const g = new Graph({ type: 'directed' });
      for (let i = 0; i < n; i++) g.addNode(String(i));
      for (const [s, t, w] of list) g.addDirectedEdge(String(s), String(t), { weight: w });
      const ref = pagerank(g, { getEdgeWeight: 'weight', tolerance: 1e-12, maxIterations: 1000 });
      const ours = pagerankIndexed(n, edges(list));
      for (let i = 0; i < n; i++) expect(ours[i]).toBeCloseTo(ref[String(i)]!, 8);
    }
  });
});

describe('communities', () => {
  it('is deterministic and numbers communities by size', () => {
    const { nodes, edges } = randomGraph(80, 400);
    const a = communities(undirectedProjection(nodes, edges));
    const b = communities(undirectedProjection([...nodes].reverse(), edges));
    expect([...b.entries()].sort((x, y) => x[0] - y[0])).toEqual([...a.entries()].sort((x, y) => x[0] - y[0]));
    const sizes = new Map<number, number>();
    for (const c of a.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    const bySize = [...sizes.entries()].sort((x, y) => x[0] - y[0]).map(([, s]) => s);
    expect(bySize).toEqual([...bySize].sort((x, y) => y - x));
  });

  it('gives isolated nodes their own community', () => {
    const c = communities(undirectedProjection([1, 2, 3], [{ source: 1, target: 2, weight: 1 }]));
    expect(c.get(1)).toBe(c.get(2));
    expect(c.get(3)).not.toBe(c.get(1));
  });

  it('seededRng repeats its sequence', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
