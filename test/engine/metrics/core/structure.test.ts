import { describe, expect, it } from 'vitest';
import { buildStructureSql, computeStructure, prefixReaching, structure } from '../../../../electron/engine/metrics/core/structure.js';
import { gini } from '../../../../electron/engine/metrics/core/stats.js';
import { TINY, ctx, expectBound, msg, openDb } from './fixture.js';

const args = (a: object = {}) => structure.args.parse(a);
const rows = (ns: number[]) => ns.map((n, i) => ({ member_id: i + 1, name: `m${i + 1}`, n }));

describe('structure helpers', () => {
  it('gini by hand', () => {
    expect(gini([1, 2, 3, 6])).toBeCloseTo(1 / 3); // 2·38/(4·12) − 5/4
    expect(gini([5, 5, 5])).toBe(0);
    expect(gini([])).toBe(0);
    expect(gini([0, 0, 10])).toBeCloseTo(2 / 3); // 2·30/(3·10) − 4/3
  });
  it('prefixReaching', () => {
    expect(prefixReaching([6, 3, 2, 1], 0.5)).toBe(1);
    expect(prefixReaching([6, 3, 2, 1], 0.8)).toBe(3);
    expect(prefixReaching([2, 2, 2, 2, 2], 0.8)).toBe(4); // exactly 80% counts as reached
    expect(prefixReaching([], 0.5)).toBe(0);
  });
  it('binds filters', () => {
    const b = buildStructureSql({ groups: [1], to: '2024-01-31' });
    expect(expectBound(b.sql, b.params, ['2024-01-31'])).toEqual([]);
  });
});

describe('structure', () => {
  it('TINY group 1: pyramid by the top-10% rule', async () => {
    const db = await openDb(TINY);
    try {
      const r = await structure.run(ctx(db, { groups: [1] }), args());
      // Alice 6, Bob 3, Carol 2, Eve 1, Dan 0 (silent). Cumulative 6, 9, 11, 12 of 12.
      expect(r).toMatchObject({ messages: 12, senders: 4, membersKnown: 5, silentMembers: 1, absenceFactor: 1 });
      expect(r.giniSenders).toBeCloseTo(1 / 3);
      expect(r.giniAll).toBeCloseTo(7 / 15); // [0,1,2,3,6]: 2·50/(5·12) − 6/5
      expect(r.layers.map((l) => [l.layer, l.memberIds])).toEqual([
        ['core', [1, 2, 3]], // 11/12 ≥ 80% first reached with three
        ['regular', [5]],
        ['casual', []],
      ]);
      expect(r.layers[0]!.share).toBeCloseTo(11 / 12);
      expect(r.shape).toBe('pyramid');
      expect(r.decidedBy).toMatchObject({ topSenders: 1, topShare: 0.5, byTopShare: true, byGini: false });
      expect(r.rule).toContain('top 10%');
      expect(r.ranking.map((x) => [x.memberId, x.layer])).toEqual([[1, 'core'], [2, 'core'], [3, 'core'], [5, 'regular']]);
    } finally {
      db.close();
    }
  });

  it('ring: comparable voices', async () => {
    const db = await openDb({
      members: [[1, 'A'], [2, 'B'], [3, 'C'], [4, 'D'], [5, 'E']],
      messages: [1, 2, 3, 4].flatMap((who) => [0, 1, 2].map((k) => msg(who * 10 + k, who, `2024-01-0${k + 1} 10:00:00`))),
      events: [{ kind: 'join', ts: '2024-01-01 09:00:00', subject: 5 }],
    });
    try {
      const r = await structure.run(ctx(db), args());
      // 4 × 3 messages, E silent. Gini senders 0; all: [0,3,3,3,3] → 2·42/(5·12) − 6/5 = 0.2.
      // Top 10% of 4 = 1 sender with 3/12 = 25% → ring. Half of 12 needs 2 members; 80% needs 4.
      expect(r.shape).toBe('ring');
      expect(r.giniSenders).toBe(0);
      expect(r.giniAll).toBeCloseTo(0.2);
      expect(r.absenceFactor).toBe(2);
      expect(r.layers.map((l) => l.members)).toEqual([4, 0, 0]);
      expect(r.silentMembers).toBe(1);
    } finally {
      db.close();
    }
  });

  it('pyramid by Gini alone', () => {
    // Sorted asc [1,1,1,1,1,1,5,20,30,40]: Σ=101, Σi·x = 21+35+160+270+400 = 886 → G = 1772/1010 − 1.1 ≈ 0.654.
    // Top 10% = 1 sender with 40/101 ≈ 39.6% < 50%.
    const r = computeStructure(rows([40, 30, 20, 5, 1, 1, 1, 1, 1, 1]), args());
    expect(r.giniSenders).toBeCloseTo(0.65446, 4);
    expect(r.decidedBy).toMatchObject({ byTopShare: false, byGini: true, topSenders: 1 });
    expect(r.shape).toBe('pyramid');
    // 80% of 101 = 80.8 → 40+30+20 = 90 (3); 95% = 95.95 → +5 = 95, +1 = 96 (5) → regular = 2 members.
    expect(r.layers.map((l) => l.members)).toEqual([3, 2, 5]);
  });

  it('nothing written: no shape', () => {
    const r = computeStructure(rows([0, 0]), args());
    expect(r.shape).toBeNull();
    expect(r.absenceFactor).toBe(0);
    expect(r.silentMembers).toBe(2);
  });

  it('rejects inconsistent layer shares', () => {
    expect(structure.args.safeParse({ coreShare: 0.9, regularShare: 0.8 }).success).toBe(false);
  });
});
