import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildIdentitiesSql, compare, computeOverlap } from '../../../../electron/engine/metrics/core/compare.js';
import type { StructureResult } from '../../../../electron/engine/metrics/core/structure.js';
import { getMetric, metricKeys } from '../../../../electron/engine/metrics/registry.js';
import { TINY, ctx, expectBound, openDb } from './fixture.js';

const args = (a: object = {}) => compare.args.parse(a);

describe('compare helpers', () => {
  it('overlap counts persons shared by each pair of groups', () => {
    const o = computeOverlap([3, 1, 2], [
      { group_id: 1, person_id: 42 },
      { group_id: 1, person_id: 7 },
      { group_id: 2, person_id: 42 },
      { group_id: 3, person_id: 43 },
    ]);
    expect(o).toEqual([
      { a: 1, b: 2, shared: 1, union: 2, jaccard: 0.5 },
      { a: 1, b: 3, shared: 0, union: 3, jaccard: 0 },
      { a: 2, b: 3, shared: 0, union: 2, jaccard: 0 },
    ]);
  });
  it('binds filters', () => {
    const b = buildIdentitiesSql({ groups: [1, 2], from: '2024-01-21' });
    expect(expectBound(b.sql, b.params, ['2024-01-21'])).toEqual([]);
  });
});

describe('compare', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDb(TINY);
  });
  afterAll(() => db.close());

  it('is registered with every core metric', () => {
    for (const k of ['overview', 'activity', 'members', 'conversations', 'structure', 'retention', 'onboarding', 'compare']) {
      expect(metricKeys()).toContain(k);
      expect(getMetric(k)!.key).toBe(k);
    }
  });

  it('overview per group, normalised, with member overlap', async () => {
    const r = await compare.run(ctx(db), args());
    // Group 1: 12 messages, 5 known, 4 active, Jan 1..Feb 5 (36 days).
    // Group 2: 3 messages, 3 known, 3 active, Jan 10..11 (2 days).
    expect(r.groups.map((g) => [g.groupId, g.name, g.normalised])).toEqual([
      [1, '运营群', { messages: 12, membersKnown: 5, activeMembers: 4, messagesPerMember: 2.4, messagesPerActiveMember: 3, activeShare: 0.8, messagesPerDay: 12 / 36 }],
      [2, '二群', { messages: 3, membersKnown: 3, activeMembers: 3, messagesPerMember: 1, messagesPerActiveMember: 1, activeShare: 1, messagesPerDay: 1.5 }],
    ]);
    // Persons: g1 {a1,b2,c3,d4,e5}, g2 {a1,f7,Gina} (Gina, with no platform id, is a person of her
    // own) → 1 shared of 7.
    expect(r.overlap).toEqual([{ a: 1, b: 2, shared: 1, union: 7, jaccard: 1 / 7 }]);
  });

  it('any metric, each group separately', async () => {
    const r = await compare.run(ctx(db, { groups: [2, 1] }), args({ key: 'structure' }));
    expect(r.key).toBe('structure');
    expect(r.groups.map((g) => [g.groupId, (g.result as StructureResult).senders])).toEqual([
      [1, 4],
      [2, 3],
    ]);
    const a = await compare.run(ctx(db, { groups: [1] }), args({ key: 'activity', args: { granularity: 'month', topMembers: 0 } }));
    expect(a.overlap).toEqual([]);
    expect(a.groups).toHaveLength(1);
  });

  it('exclusions apply to the overlap too', async () => {
    // Without member 1 in group 1: g1 {b2,c3,d4,e5}, g2 {a1,f7,Gina} → none shared of 7.
    const r = await compare.run(ctx(db, { exclude: [1] }), args());
    expect(r.overlap[0]).toMatchObject({ shared: 0, union: 7, jaccard: 0 });
  });

  it('rejects unknown metrics, bad arguments and itself', async () => {
    await expect(compare.run(ctx(db), args({ key: 'nope' }))).rejects.toThrow(/unknown metric/);
    await expect(compare.run(ctx(db), args({ key: 'activity', args: { granularity: 'year' } }))).rejects.toThrow(/invalid args/);
    expect(compare.args.safeParse({ key: 'compare' }).success).toBe(false);
  });
});
