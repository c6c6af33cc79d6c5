import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { activity, buildPerMemberSql, buildSeriesSql } from '../../../../electron/engine/metrics/core/activity.js';
import { TINY, ctx, expectBound, openDb } from './fixture.js';

const args = (a: object = {}) => activity.args.parse(a);

describe('activity SQL builders', () => {
  it('whitelists the granularity and binds values', () => {
    const s = buildSeriesSql({ from: '2024-05-01', members: [3] }, 'week');
    expect(s.sql).toContain(`date_trunc('week', m.ts)`);
    expect(s.sql).toContain('INTERVAL 1 WEEK');
    expect(expectBound(s.sql, s.params, ['2024-05-01'])).toEqual([]);
    const p = buildPerMemberSql({}, 'month', 5);
    expect(p.sql).toContain('LIMIT $a_top');
    expect(p.params['a_top']).toBe(5);
  });
  it('rejects unknown granularities', () => {
    expect(activity.args.safeParse({ granularity: 'year' }).success).toBe(false);
  });
});

describe('activity', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDb(TINY);
  });
  afterAll(() => db.close());

  it('heatmap: weekday (Monday = 0) × wall-clock hour, summing to the message count', async () => {
    const r = await activity.run(ctx(db), args());
    // By hand from TINY (2024-01-01 Mon, 01-02 Tue, 01-03 Wed, 01-08 Mon, 01-10 Wed, 01-11 Thu,
    // 02-01 Thu, 02-05 Mon).
    const expected: Array<[number, number, number]> = [
      [0, 9, 3], [0, 10, 1], [0, 12, 2], [0, 23, 1],
      [1, 20, 2],
      [2, 8, 1], [2, 10, 2],
      [3, 9, 1], [3, 11, 1], [3, 21, 1],
    ];
    for (const [wd, h, n] of expected) expect(r.heatmap[wd]![h], `${wd}/${h}`).toBe(n);
    expect(r.heatmap).toHaveLength(7);
    expect(r.heatmap.every((row) => row.length === 24)).toBe(true);
    expect(r.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(15);
  });

  it('weekly series starts on Mondays and fills empty weeks', async () => {
    const r = await activity.run(ctx(db), args({ granularity: 'week', topMembers: 2 }));
    expect(r.series).toEqual([
      { period: '2024-01-01', messages: 7, members: 3 },
      { period: '2024-01-08', messages: 5, members: 5 },
      { period: '2024-01-15', messages: 0, members: 0 },
      { period: '2024-01-22', messages: 0, members: 0 },
      { period: '2024-01-29', messages: 2, members: 2 },
      { period: '2024-02-05', messages: 1, members: 1 },
    ]);
    expect(r.perMember).toEqual([
      { memberId: 1, name: 'Alice', messages: 6, counts: [4, 1, 0, 0, 1, 0] },
      { memberId: 2, name: 'Bob', messages: 3, counts: [2, 0, 0, 0, 1, 0] },
    ]);
  });

  it('monthly series and daily calendar', async () => {
    const m = await activity.run(ctx(db), args({ granularity: 'month', topMembers: 0 }));
    expect(m.series).toEqual([
      { period: '2024-01-01', messages: 12, members: 7 },
      { period: '2024-02-01', messages: 3, members: 3 },
    ]);
    expect(m.perMember).toEqual([]);
    expect(m.calendar).toEqual([
      { day: '2024-01-01', messages: 4 },
      { day: '2024-01-02', messages: 2 },
      { day: '2024-01-03', messages: 1 },
      { day: '2024-01-08', messages: 2 },
      { day: '2024-01-10', messages: 2 },
      { day: '2024-01-11', messages: 1 },
      { day: '2024-02-01', messages: 2 },
      { day: '2024-02-05', messages: 1 },
    ]);
    const d = await activity.run(ctx(db), args({ granularity: 'day' }));
    expect(d.series).toHaveLength(36);
    expect(d.series.reduce((s, p) => s + p.messages, 0)).toBe(15);
  });

  it('respects filters (heatmap still sums to the filtered count)', async () => {
    const r = await activity.run(ctx(db, { groups: [1], to: '2024-01-02' }), args());
    expect(r.series.map((p) => p.messages)).toEqual([4, 2]);
    expect(r.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(6);
    expect(r.perMember[0]).toMatchObject({ memberId: 1, messages: 3, counts: [2, 1] });
  });

  it('empty selection', async () => {
    const r = await activity.run(ctx(db, { groups: [42] }), args());
    expect(r.series).toEqual([]);
    expect(r.calendar).toEqual([]);
    expect(r.heatmap.flat().every((x) => x === 0)).toBe(true);
  });
});
