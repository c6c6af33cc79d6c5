import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { extraBuilt, refreshExtra } from '../../../../electron/engine/derive-extra.js';
import { graph, GraphArgs } from '../../../../electron/engine/metrics/network/graph.js';
import { seededRng } from '../../../../electron/engine/metrics/network/graph-algos.js';
import { buildInteractionsSql, buildStoredEdgeRowsSql, EDGE_TYPES, loadPairColumns, type EdgeType, type PairCounts } from '../../../../electron/engine/metrics/network/interactions.js';
import { compactIds, countPairs } from '../../../../electron/engine/metrics/network/pair-counts.js';
import { pairGraph } from '../../../../electron/engine/metrics/network/pair-graph.js';
import type { Filters } from '../../../../shared/filters.js';
import { at, ctxOf, makeDb, type FxMessage } from './fixture.js';

const W = { reply: 3, mention: 2, adjacent: 0.5 };
const rows = (p: ReturnType<typeof countPairs>) =>
  Array.from({ length: p.rows }, (_, i) => [p.cols.source[i], p.cols.target[i], p.cols.replies[i], p.cols.mentions[i], p.cols.adjacent[i], p.cols.weight[i]]);
const i32 = (xs: number[]) => Int32Array.from(xs);

describe('countPairs', () => {
  it('counts edges per (source, target) by kind, weighs them and orders by source then target', () => {
    // 5→2 twice adjacent and once reply; 2→5 one reply; 9→2 one mention.
    const p = countPairs(i32([5, 5, 2, 5, 9]), i32([2, 2, 5, 2, 2]), i32([3, 3, 1, 1, 2]), W, 0);
    expect(rows(p)).toEqual([
      [2, 5, 1, 0, 0, 3],
      [5, 2, 1, 0, 2, 4],
      [9, 2, 0, 1, 0, 2],
    ]);
    expect(rows(countPairs(i32([5, 5, 2, 5, 9]), i32([2, 2, 5, 2, 2]), i32([3, 3, 1, 1, 2]), W, 2.5)).map((r) => [r[0], r[1]])).toEqual([[2, 5], [5, 2]]);
    expect(countPairs(i32([]), i32([]), i32([]), W, 0).rows).toBe(0);
  });

  it('gives the same pairs for ids too large for a flat index', () => {
    const big = 50_000_000;
    const p = countPairs(i32([big + 5, big + 5, big + 2]), i32([big + 2, big + 2, big + 5]), i32([3, 1, 1]), W, 0);
    expect(rows(p)).toEqual([
      [big + 2, big + 5, 1, 0, 0, 3],
      [big + 5, big + 2, 1, 0, 1, 3.5],
    ]);
  });

  it('agrees with a plain map count on random edges, small and large sources alike', () => {
    const rnd = seededRng(11);
    for (const [nodes, edges] of [[400, 300], [8, 500], [60, 2000]] as const) {
      const s: number[] = [], t: number[] = [], k: number[] = [];
      while (s.length < edges) {
        // Skewed sources: a few send most edges (their buckets are counted per target, others sorted).
        const a = 1 + Math.floor(rnd() ** 3 * nodes);
        const b = 1 + Math.floor(rnd() * nodes);
        if (a === b) continue;
        s.push(a); t.push(b); k.push(1 + Math.floor(rnd() * 3));
      }
      const ref = new Map<string, number[]>();
      s.forEach((a, i) => {
        const key = `${a},${t[i]}`;
        const c = ref.get(key) ?? [a, t[i]!, 0, 0, 0];
        c[1 + k[i]!]!++;
        ref.set(key, c);
      });
      const expected = [...ref.values()]
        .sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!)
        .map(([a, b, r, m, j]) => [a, b, r, m, j, r! * 3 + m! * 2 + j! * 0.5]);
      expect(rows(countPairs(i32(s), i32(t), i32(k), W, 0))).toEqual(expected);
    }
  });
});

describe('compactIds and pairGraph', () => {
  it('numbers ids ascending across lists', () => {
    const { ids, at: idx } = compactIds([i32([40, 7]), i32([7, 12])]);
    expect([...ids]).toEqual([7, 12, 40]);
    expect([7, 12, 40].map(idx)).toEqual([0, 1, 2]);
  });

  it('keeps pairs with weight > 0 and ≥ minWeight, and members without pairs as nodes', () => {
    const g = pairGraph([30, 10], i32([10, 20, 20]), i32([20, 10, 30]), Float64Array.from([0.5, 0, 2]), 0.5);
    expect([...g.ids]).toEqual([10, 20, 30]);
    expect([...g.row]).toEqual([0, 2]);
    expect([...g.src]).toEqual([0, 1]);
    expect([...g.dst]).toEqual([1, 2]);
    expect([...g.weight]).toEqual([0.5, 2]);
    expect(pairGraph([30, 10], i32([10, 20, 20]), i32([20, 10, 30]), Float64Array.from([0.5, 0, 2]), 1).src.length).toBe(1);
  });
});

/*
 * A random chat: 400 messages of 10 members over 6 days, a third replying to an earlier message, a
 * fifth @-mentioning one or two names (some unknown), gaps of 0–9 minutes with a few hour-long
 * silences. The pairs counted in JavaScript must be exactly those of the SQL definition.
 */
const rnd = seededRng(3);
const names = ['An', 'Bo', 'Cai', 'Du', 'En', 'Fa', 'Gu', 'He', 'Ia', 'Jo'];
const msgs: FxMessage[] = [];
let minute = 0;
for (let i = 0; i < 400; i++) {
  minute += rnd() < 0.05 ? 60 + Math.floor(rnd() * 600) : Math.floor(rnd() * 10);
  const m: FxMessage = { member: 1 + Math.floor(rnd() * 10), ts: at(Math.floor(minute / 1440), minute % 1440) };
  if (i > 0 && rnd() < 0.33) m.replyTo = 1 + Math.floor(rnd() * i);
  if (rnd() < 0.2) m.mentions = [names[Math.floor(rnd() * 10)]!, ...(rnd() < 0.3 ? ['Nobody', names[Math.floor(rnd() * 10)]!] : [])];
  msgs.push(m);
}
let db: Database;
beforeAll(async () => {
  db = await makeDb({ members: names.map((name, i) => ({ id: i + 1, name })), messages: msgs });
});
afterAll(() => db.close());

const sqlPairs = async (f: Filters, types: readonly EdgeType[], weights: typeof W, minWeight: number) => {
  const q = buildInteractionsSql(f, { types, windowMinutes: 5, weights, minWeight });
  return db.all<PairCounts>(q.sql, q.params);
};

describe('loadPairColumns', () => {
  const filters: Filters[] = [
    {}, { groups: [1] }, { groups: [1], exclude: [3] }, { groups: [1], members: [2, 5, 6, 9] }, { groups: [1], from: at(2).slice(0, 10), exclude: [4] }, { groups: [1], from: at(1).slice(0, 10), to: at(3).slice(0, 10) }, { exclude: [2, 5] }, { members: [1, 3, 4, 7] },
    { from: at(2).slice(0, 10), exclude: [1] },
  ];
  const options: [readonly EdgeType[], typeof W, number][] = [
    [EDGE_TYPES, W, 0], [EDGE_TYPES, W, 1], [['mention'], W, 0], [['reply', 'adjacent'], { reply: 1.5, mention: 0.7, adjacent: 0.3 }, 0.5],
  ];
  const same = async () => {
    for (const f of filters) {
      for (const [types, weights, minWeight] of options) {
        const ours = await loadPairColumns(db, f, { types, windowMinutes: 5, weights, minWeight });
        const ref = await sqlPairs(f, types, weights, minWeight);
        expect(ref.length).toBeGreaterThan(0);
        expect(rows(ours)).toEqual(ref.map((p) => [p.source, p.target, p.replies, p.mentions, p.adjacent, p.weight]));
      }
    }
  };

  it('equals the SQL definition (buildInteractionsSql) under filters, types and weights', same);

  it('equals it from the stored edges too (derive-extra), which come in pair order', async () => {
    const g1 = { groups: [1] };
    // Imports build the stored edges with the derived tables; a library from before them has none
    // (d_extra_groups empty): the counts come from d_edges/d_seq then, and must be the same.
    expect(await extraBuilt(db, [1])).toBe(true);
    await db.run(`DELETE FROM d_extra_groups`);
    expect(await extraBuilt(db, [1])).toBe(false);
    await same();
    await refreshExtra(db, 1);
    expect(await extraBuilt(db, [1])).toBe(true);
    expect(await extraBuilt(db, [1, 2])).toBe(false);
    const stored = buildStoredEdgeRowsSql(g1, { types: EDGE_TYPES, windowMinutes: 5 })!;
    const edges = await db.all<{ source: number; target: number }>(stored.sql, stored.params);
    expect(edges.length).toBeGreaterThan(300);
    const key = (e: { source: number; target: number }) => e.source * 100 + e.target;
    expect(edges.every((e, i) => i === 0 || key(edges[i - 1]!) <= key(e))).toBe(true);
    // Other windows, or leaving out replies, read d_edges/d_seq as before.
    expect(buildStoredEdgeRowsSql(g1, { types: EDGE_TYPES, windowMinutes: 10 })).toBeNull();
    expect(buildStoredEdgeRowsSql(g1, { types: ['mention', 'adjacent'], windowMinutes: 5 })).toBeNull();
    await same();
    // A rebuild replaces the group's rows.
    await refreshExtra(db, 1);
    expect((await db.all(stored.sql, stored.params)).length).toBe(edges.length);
  });

  it('gives graph nodes the reach counted from the pairs (distinct peers in either direction)', async () => {
    const r = await graph.run(ctxOf(db), GraphArgs.parse({ minWeight: 0, topN: 2000 }));
    const peers = new Map<number, Set<number>>();
    for (const p of await sqlPairs({}, EDGE_TYPES, W, 0)) {
      if (!peers.has(p.source)) peers.set(p.source, new Set());
      if (!peers.has(p.target)) peers.set(p.target, new Set());
      peers.get(p.source)!.add(p.target);
      peers.get(p.target)!.add(p.source);
    }
    expect(r.nodes.length).toBe(10);
    for (const n of r.nodes) expect(n.reach).toBe(peers.get(n.id)?.size ?? 0);
  });
});
