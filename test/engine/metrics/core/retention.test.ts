import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import {
  buildAtRiskSql,
  buildCohortSql,
  buildStatusSql,
  monthDiff,
  retention,
} from '../../../../electron/engine/metrics/core/retention.js';
import { kaplanMeier, medianSurvival } from '../../../../electron/engine/metrics/core/stats.js';
import { ctx, expectBound, msg, openDb, type Dataset } from './fixture.js';

const args = (a: object = {}) => retention.args.parse(a);

// A, B join in January; C joins in February and leaves on 03-01; D is invited in February and
// never writes; E and F have no join event (start = first message, March). F writes six times
// between 03-01 and 04-01, then stops. The data ends 2024-04-30 12:00.
const RET: Dataset = {
  members: [[1, 'A'], [2, 'B'], [3, 'C'], [4, 'D'], [5, 'E'], [6, 'F']],
  messages: [
    msg(1, 1, '2024-01-06 10:00:00'),
    msg(2, 2, '2024-01-21 10:00:00'),
    msg(3, 2, '2024-01-25 10:00:00'),
    msg(4, 1, '2024-02-06 10:00:00'),
    msg(5, 3, '2024-02-11 10:00:00'),
    msg(6, 6, '2024-03-01 10:00:00'),
    msg(7, 5, '2024-03-05 10:00:00'),
    msg(8, 6, '2024-03-05 11:00:00'),
    msg(9, 6, '2024-03-10 10:00:00'),
    msg(10, 6, '2024-03-15 10:00:00'),
    msg(11, 6, '2024-03-20 10:00:00'),
    msg(12, 6, '2024-04-01 10:00:00'),
    msg(13, 1, '2024-04-20 10:00:00'),
    msg(14, 5, '2024-04-25 10:00:00'),
    msg(15, 1, '2024-04-30 12:00:00'),
  ],
  events: [
    { kind: 'join', ts: '2024-01-05 10:00:00', subject: 1 },
    { kind: 'join', ts: '2024-01-20 10:00:00', subject: 2 },
    { kind: 'join', ts: '2024-02-10 10:00:00', subject: 3 },
    { kind: 'invite', ts: '2024-02-15 10:00:00', subject: 4, actor: 1 },
    { kind: 'leave', ts: '2024-03-01 09:00:00', subject: 3 },
  ],
};

describe('retention SQL builders', () => {
  it('bind filters and arguments', () => {
    const f = { groups: [1], from: '2024-02-01', to: '2024-04-30' };
    for (const b of [buildStatusSql(f, args()), buildCohortSql(f), buildAtRiskSql(f, args())]) {
      expect(expectBound(b.sql, b.params, ['2024-02-01', '2024-04-30'])).toEqual([]);
    }
    const s = buildStatusSql(f, args({ inactivityDays: 45 }));
    expect(s.params['a_inactive']).toBe(45);
    expect(s.sql).toContain('to_days(CAST($a_inactive AS INTEGER))');
  });
  it('monthDiff', () => {
    expect(monthDiff('2023-11', '2024-02')).toBe(3);
    expect(monthDiff('2024-02', '2024-02')).toBe(0);
  });
});

describe('retention', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDb(RET);
  });
  afterAll(() => db.close());

  it('cohorts by join month (else first message), each member once', async () => {
    const r = await retention.run(ctx(db), args());
    expect(r.dataEnd).toBe('2024-04-30 12:00:00');
    // Jan {A,B}: Jan both, Feb A, Mar none, Apr A. Feb {C,D}: Feb C only, then nobody.
    // Mar {E,F}: Mar both, Apr both (F on 04-01, E on 04-25).
    expect(r.cohorts).toEqual([
      { cohort: '2024-01', size: 2, active: [2, 1, 0, 1], retention: [1, 0.5, 0, 0.5] },
      { cohort: '2024-02', size: 2, active: [1, 0, 0], retention: [0.5, 0, 0] },
      { cohort: '2024-03', size: 2, active: [2, 2], retention: [1, 1] },
    ]);
    // Property: every cohort member counted once (sizes add up to the survival population).
    expect(r.cohorts.reduce((s, c) => s + c.size, 0)).toBe(r.survival.subjects);
    for (const c of r.cohorts) for (const n of c.active) expect(n).toBeLessThanOrEqual(c.size);
  });

  it('churn: inactive and left, latest first', async () => {
    const r = await retention.run(ctx(db), args());
    // Cutoff 2024-03-31 12:00. B last wrote 01-25 (96 days before 04-30); C left 03-01 (60 days).
    expect(r.churned).toEqual([
      { memberId: 3, name: 'C', reason: 'left', lastMessage: '2024-02-11 10:00:00', exitAt: '2024-03-01 09:00:00', churnedAt: '2024-03-01 09:00:00', daysSince: 60 },
      { memberId: 2, name: 'B', reason: 'inactive', lastMessage: '2024-01-25 10:00:00', exitAt: null, churnedAt: '2024-01-25 10:00:00', daysSince: 96 },
    ]);
    expect(r.churnCounts).toEqual({ inactive: 1, left: 1, removed: 0 });
  });

  it('at risk: F went quiet after a busy baseline', async () => {
    const r = await retention.run(ctx(db), args());
    // Recent (04-16 12:00, 04-30 12:00]: F 0. Baseline (02-16 12:00, 04-16 12:00]: F 6 → 0.1/day.
    // F wrote on 04-01, inside the last 30 days. E has 1 baseline message (< 5), A none.
    expect(r.atRisk).toEqual([
      { memberId: 6, name: 'F', lastMessage: '2024-04-01 10:00:00', recentMessages: 0, earlierMessages: 6, recentRate: 0, earlierRate: 0.1 },
    ]);
    const strict = await retention.run(ctx(db), args({ minEarlier: 7 }));
    expect(strict.atRisk).toEqual([]);
  });

  it('Kaplan–Meier survival', async () => {
    const r = await retention.run(ctx(db), args());
    // Follow-up days: A 116 (censored), B 5 (inactive), C 20 (left), D 75, E 56, F 60 (censored).
    // S(5) = 5/6; S(20) = 5/6 · 4/5 = 2/3; never ≤ 0.5.
    expect(r.survival).toMatchObject({ subjects: 6, events: 2, medianDays: null });
    expect(r.survival.curve.map((p) => [p.t, p.atRisk, p.events, p.censored])).toEqual([
      [0, 6, 0, 0],
      [5, 6, 1, 0],
      [20, 5, 1, 0],
      [56, 4, 0, 1],
      [60, 3, 0, 1],
      [75, 2, 0, 1],
      [116, 1, 0, 1],
    ]);
    expect(r.survival.curve[1]!.survival).toBeCloseTo(5 / 6);
    expect(r.survival.curve[2]!.survival).toBeCloseTo(2 / 3);
  });

  it('period: cohorts start inside it, churn needs activity inside it', async () => {
    const r = await retention.run(ctx(db, { from: '2024-02-01' }), args());
    expect(r.cohorts.map((c) => [c.cohort, c.size])).toEqual([
      ['2024-02', 2],
      ['2024-03', 2],
    ]);
    expect(r.churned.map((c) => c.memberId)).toEqual([3]); // B wrote nothing since February
  });

  it('removed reason; a re-join cancels an exit', async () => {
    const db2 = await openDb({
      members: [[1, 'A'], [2, 'B'], [3, 'C']],
      messages: [msg(1, 1, '2024-01-01 10:00:00'), msg(2, 2, '2024-01-02 10:00:00'), msg(3, 3, '2024-01-10 10:00:00')],
      events: [
        { kind: 'remove', ts: '2024-01-05 10:00:00', subject: 1, actor: 3 },
        { kind: 'leave', ts: '2024-01-03 10:00:00', subject: 2 },
        { kind: 'join', ts: '2024-01-04 10:00:00', subject: 2 },
      ],
    });
    try {
      const r = await retention.run(ctx(db2), args());
      expect(r.churned.map((c) => [c.memberId, c.reason])).toEqual([[1, 'removed']]);
    } finally {
      db2.close();
    }
  });
});

describe('kaplanMeier', () => {
  it('ties: events before censorings at the same time', () => {
    const c = kaplanMeier([
      { time: 2, event: true },
      { time: 2, event: false },
      { time: 4, event: true },
    ]);
    // S(2) = 1 − 1/3; S(4) = 2/3 · (1 − 1/1) = 0.
    expect(c.map((p) => p.t)).toEqual([0, 2, 4]);
    expect(c[1]!.survival).toBeCloseTo(2 / 3);
    expect(c[1]!.atRisk).toBe(3);
    expect(c[2]!.survival).toBe(0);
    expect(medianSurvival(c)).toBe(4);
  });
});
