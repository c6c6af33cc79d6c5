import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { graph, GraphArgs, type GraphResult } from '../../../../electron/engine/metrics/network/graph.js';
import { buildInteractionsSql, DEFAULT_WEIGHTS } from '../../../../electron/engine/metrics/network/interactions.js';
import { at, ctxOf, makeDb, type FxMessage } from './fixture.js';

/*
 * Five members A1 B2 C3 D4 E5, 2024-01-01, minutes after midnight:
 *  m1  0  A  "hi"
 *  m2  1  B  replies m1 and @A            → B→A reply (the @A is folded into the reply)
 *  m3  2  C  replies m1                   → C→A reply
 *  m4 10  A  plain                        → 8 min after C: no adjacency
 *  m5 11  A  plain                        → follows A itself: nothing
 *  m6 30  D  @A @Nobody @D                → D→A mention; Nobody unresolved; self-mention dropped
 *  m7 40  C  plain                        → 10 min after D: nothing
 *  m8 42  D  plain                        → D→C adjacency
 *  m9 43  E  @B                           → E→B mention (no adjacency: it carries an @)
 *  m10 44 B  plain                        → B→E adjacency
 * Weights 3 / 2 / 0.5: B→A 3, C→A 3, D→A 2, D→C 0.5, E→B 2, B→E 0.5.
 */
const A = 1, B = 2, C = 3, D = 4, E = 5;
const msgs: FxMessage[] = [
  { member: A, ts: at(0, 0) },
  { member: B, ts: at(0, 1), replyTo: 1, mentions: ['A'] },
  { member: C, ts: at(0, 2), replyTo: 1 },
  { member: A, ts: at(0, 10) },
  { member: A, ts: at(0, 11) },
  { member: D, ts: at(0, 30), mentions: ['A', 'Nobody', 'D'] },
  { member: C, ts: at(0, 40) },
  { member: D, ts: at(0, 42) },
  { member: E, ts: at(0, 43), mentions: ['B'] },
  { member: B, ts: at(0, 44) },
];
const members = [A, B, C, D, E].map((id) => ({ id, name: 'ABCDE'[id - 1]! }));

let db: Database;
beforeAll(async () => {
  db = await makeDb({ members, messages: msgs });
});
afterAll(() => db.close());

const run = (args: object = {}, filters = {}) => graph.run(ctxOf(db, filters), GraphArgs.parse(args));
const edgeList = (r: GraphResult) => r.edges.map((e) => [e.source, e.target, e.weight]);
const node = (r: GraphResult, id: number) => r.nodes.find((n) => n.id === id)!;

describe('graph: edges', () => {
  it('builds weighted directed edges from replies, mentions and adjacency', async () => {
    const r = await run({ minWeight: 0 });
    expect(edgeList(r)).toEqual([[B, A, 3], [B, E, 0.5], [C, A, 3], [D, A, 2], [D, C, 0.5], [E, B, 2]]);
    expect(r.edges.find((e) => e.source === B && e.target === A)).toMatchObject({ replies: 1, mentions: 0, adjacent: 0 });
    expect(r.totalNodes).toBe(5);
  });

  it('drops light edges with minWeight (default 1) and can leave out edge types', async () => {
    expect(edgeList(await run())).toEqual([[B, A, 3], [C, A, 3], [D, A, 2], [E, B, 2]]);
    expect(edgeList(await run({ types: ['adjacent'], minWeight: 0 }))).toEqual([[B, E, 0.5], [D, C, 0.5]]);
    // Without replies the @A in m2 is no longer folded away.
    expect(edgeList(await run({ types: ['mention'] }))).toEqual([[B, A, 2], [D, A, 2], [E, B, 2]]);
    expect(edgeList(await run({ weights: { reply: 1 }, minWeight: 1.5 }))).toEqual([[D, A, 2], [E, B, 2]]);
  });

  it('computes degrees, weighted degrees, reach and message counts', async () => {
    const r = await run({ minWeight: 0 });
    expect(node(r, A)).toMatchObject({ messages: 3, inDegree: 3, outDegree: 0, weightedIn: 8, weightedOut: 0, reach: 3, name: 'A' });
    expect(node(r, B)).toMatchObject({ messages: 2, inDegree: 1, outDegree: 2, weightedIn: 2, weightedOut: 3.5, reach: 2 });
    expect(node(r, E)).toMatchObject({ messages: 1, inDegree: 1, outDegree: 1, reach: 1 });
  });

  it('orders PageRank: A (three speakers address A) > B > E, C > D (nobody addresses D)', async () => {
    // Independent power iteration (damping 0.85, A dangling): A .432, B .214, E .129, C .121, D .104.
    const r = await run({ minWeight: 0 });
    expect(r.nodes.map((n) => n.id)).toEqual([A, B, E, C, D]);
    const pr = (id: number) => node(r, id).pagerank;
    expect(pr(A)).toBeCloseTo(0.4324, 3);
    expect(pr(B)).toBeCloseTo(0.2135, 3);
    expect(r.nodes.reduce((s, n) => s + n.pagerank, 0)).toBeCloseTo(1, 9);
  });

  it('computes normalised betweenness on the undirected projection', async () => {
    // Undirected: A–B, A–C, A–D, C–D, B–E. A lies on 4 of the 6 pairs' shortest paths
    // (B–C, B–D, C–E, D–E), B on 3 (A–E, C–E, D–E): normalised by (n-1)(n-2)/2 = 6.
    const r = await run({ minWeight: 0 });
    expect(node(r, A).betweenness).toBeCloseTo(4 / 6, 9);
    expect(node(r, B).betweenness).toBeCloseTo(3 / 6, 9);
    expect(node(r, C).betweenness).toBe(0);
  });

  it('keeps the top N nodes by PageRank and only the edges among them', async () => {
    const r = await run({ minWeight: 0, topN: 2 });
    expect(r.nodes.map((n) => n.id)).toEqual([A, B]);
    expect(r.edges.map((e) => [e.source, e.target])).toEqual([[B, A]]);
    expect(r.totalNodes).toBe(5);
    expect(r.totalEdges).toBe(6);
  });

  it('respects member and date filters on both ends', async () => {
    const r = await run({ minWeight: 0 }, { exclude: [A] });
    expect(edgeList(r)).toEqual([[B, E, 0.5], [D, C, 0.5], [E, B, 2]]);
    expect(r.nodes.some((n) => n.id === A)).toBe(false);
    const none = await run({}, { from: '2024-01-02' });
    expect(none.nodes).toEqual([]);
    expect(none.edges).toEqual([]);
  });

  it('binds parameters', () => {
    const q = buildInteractionsSql({ from: '2024-01-01', exclude: [7] }, { types: ['reply', 'mention', 'adjacent'], windowMinutes: 5, weights: DEFAULT_WEIGHTS, minWeight: 1 });
    expect(q.sql).not.toContain('2024-01-01');
    expect(q.sql).toContain('NOT list_contains($f_exclude, source)');
    expect(q.sql).toContain('NOT list_contains($f_exclude, target)');
    expect(q.params).toMatchObject({ f_from: '2024-01-01', i_window: 5 });
    const noAdj = buildInteractionsSql({}, { types: ['reply'], windowMinutes: 5, weights: DEFAULT_WEIGHTS, minWeight: 0 });
    expect(noAdj.sql).not.toContain('lag(');
  });
});

/*
 * Two obvious clusters {11, 12, 13} and {21, 22, 23}: inside each, every member replies twice to
 * every other (undirected weight 2·2·3 = 12 per pair); one reply 13 → 21 (weight 3) joins them.
 * Communities: the two clusters (equal size, so the one with the smaller id is community 0).
 * Betweenness (n = 6, 10 pairs): 13 lies on 11|12 × 21|22|23 = 6 shortest paths, 21 likewise → 0.6.
 */
describe('graph: communities and bridges', () => {
  let db2: Database;
  const ids = [11, 12, 13, 21, 22, 23];
  beforeAll(async () => {
    const m: FxMessage[] = ids.map((id, i) => ({ id: i + 1, member: id, ts: at(0, i * 60) }));
    const base = (id: number) => ids.indexOf(id) + 1;
    let t = 600;
    for (const cl of [[11, 12, 13], [21, 22, 23]]) {
      for (const x of cl) for (const y of cl) if (x !== y) for (let k = 0; k < 2; k++) m.push({ member: x, ts: at(0, (t += 10)), replyTo: base(y) });
    }
    m.push({ member: 13, ts: at(0, (t += 10)), replyTo: base(21) });
    db2 = await makeDb({ members: ids.map((id) => ({ id, name: `m${id}` })), messages: m });
  });
  afterAll(() => db2.close());

  it('splits the two clusters, deterministically, and lists the bridges', async () => {
    const r = await graph.run(ctxOf(db2), GraphArgs.parse({ types: ['reply'], minWeight: 0 }));
    const comm = Object.fromEntries(r.nodes.map((n) => [n.id, n.community]));
    expect(comm).toEqual({ 11: 0, 12: 0, 13: 0, 21: 1, 22: 1, 23: 1 });
    expect(r.communities).toBe(2);
    expect(r.bridges.map((b) => [b.id, b.community, b.reaches])).toEqual([[13, 0, [1]], [21, 1, [0]]]);
    expect(r.bridges[0]!.betweenness).toBeCloseTo(0.6, 9);
    const again = await graph.run(ctxOf(db2), GraphArgs.parse({ types: ['reply'], minWeight: 0 }));
    expect(again).toEqual(r);
  });
});
