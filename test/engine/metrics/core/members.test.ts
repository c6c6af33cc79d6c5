import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildCheckInsSql } from '../../../../electron/engine/metrics/core/members-checkins.js';
import { buildMemberRowsSql, buildMonthlyTopSql, members } from '../../../../electron/engine/metrics/core/members.js';
import { PATTERN_SQL } from '../../../../electron/engine/text/patterns.js';
import { TINY, ctx, expectBound, msg, openDb } from './fixture.js';

const args = (a: object = {}) => members.args.parse(a);

describe('members SQL builders', () => {
  it('bind filters, the rank limit and the check-in pattern', () => {
    const r = buildMemberRowsSql({ groups: [1], from: '2024-02-02' });
    expect(expectBound(r.sql, r.params, ['2024-02-02'])).toEqual([]);
    expect(r.sql).toContain('known');
    const t = buildMonthlyTopSql({}, 3);
    expect(t.sql).toContain('ORDER BY n DESC, c DESC, member_id');
    expect(t.params['a_top']).toBe(3);
    const c = buildCheckInsSql({});
    expect(c.sql).toContain('regexp_matches(m.text, $p_checkin)');
    expect(c.params['p_checkin']).toBe(PATTERN_SQL.checkIn);
    expect(c.sql).not.toContain('打卡');
  });
});

describe('members on TINY group 1', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDb(TINY);
  });
  afterAll(() => db.close());

  it('per-member rows, silent members included', async () => {
    const r = await members.run(ctx(db, { groups: [1] }), args());
    // Alice: msgs 1,3,5,7,9,10 → chars 16+4+2+2+1+2 = 27 on 5 days; Bob: 2,6,11 → 9+12+4 = 25 on 3
    // days; Carol: 4,12 → 6+2; Eve: 8 → 4; Dan: invited, never wrote.
    expect(r.members.map((m) => [m.memberId, m.messages, m.chars, m.activeDays, m.isSilent])).toEqual([
      [1, 6, 27, 5, false],
      [2, 3, 25, 3, false],
      [3, 2, 8, 2, false],
      [5, 1, 4, 1, false],
      [4, 0, 0, 0, true],
    ]);
    const byId = new Map(r.members.map((m) => [m.memberId, m]));
    expect(byId.get(1)).toMatchObject({
      firstMessage: '2024-01-01 09:00:00',
      lastMessage: '2024-02-01 09:00:00',
      joinedAt: '2024-01-01 08:00:00',
      leftAt: null,
      platformId: 'a1',
      names: [
        { name: 'Ali', firstSeen: '2024-01-01 09:00:00', lastSeen: '2024-01-01 09:20:00', messages: 2 },
        { name: 'Alice', firstSeen: '2024-01-02 20:00:00', lastSeen: '2024-02-01 09:00:00', messages: 4 },
      ],
    });
    expect(byId.get(2)).toMatchObject({ joinedAt: null, leftAt: null, names: [] });
    expect(byId.get(4)).toMatchObject({ joinedAt: '2024-01-01 08:30:00', firstMessage: null, leftAt: null });
    expect(byId.get(5)).toMatchObject({ joinedAt: '2024-01-05 10:00:00', leftAt: '2024-01-20 10:00:00' });
  });

  it('monthly top 3: ties broken by characters, then id', async () => {
    const r = await members.run(ctx(db, { groups: [1] }), args());
    // Jan: Alice 5, Bob 2, then Carol and Eve with 1 each — Carol wrote 6 chars, Eve 4.
    // Feb: one message each; Bob 4 chars first, Alice and Carol 2 chars → lower id (Alice) first.
    expect(r.monthlyTop.map((m) => [m.month, m.top.map((t) => t.memberId)])).toEqual([
      ['2024-01', [1, 2, 3]],
      ['2024-02', [2, 1, 3]],
    ]);
    expect(r.monthlyTop[0]!.top[0]).toEqual({ memberId: 1, name: 'Alice', messages: 5, chars: 25 });
  });

  it('check-ins: days and streaks', async () => {
    const r = await members.run(ctx(db, { groups: [1] }), args());
    // Alice checked in 01-02, 01-03, 02-01: longest 2; data ends 02-05, so no current streak.
    expect(r.checkIns).toEqual([
      { memberId: 1, name: 'Alice', messages: 3, days: 3, longestStreak: 2, currentStreak: 0, lastDay: '2024-02-01' },
    ]);
    expect(r.checkInDaily).toEqual([
      { day: '2024-01-02', members: 1 },
      { day: '2024-01-03', members: 1 },
      { day: '2024-02-01', members: 1 },
    ]);
    expect(r.dataEnd).toBe('2024-02-05 23:30:00');
    const cut = await members.run(ctx(db, { groups: [1], to: '2024-02-01' }), args());
    expect(cut.checkIns[0]).toMatchObject({ currentStreak: 1, longestStreak: 2 }); // data now ends 02-01
  });
});

describe('check-in streaks', () => {
  it('longest and current runs of consecutive days', async () => {
    const db = await openDb({
      members: [[1, 'A'], [2, 'B'], [3, 'C']],
      messages: [
        msg(1, 1, '2024-03-01 07:00:00', '打卡 day1'),
        msg(2, 1, '2024-03-02 07:00:00', '签到'),
        msg(3, 1, '2024-03-03 07:00:00', '打卡'),
        msg(4, 1, '2024-03-05 07:00:00', '打卡'),
        msg(5, 1, '2024-03-05 21:00:00', '晚上再打卡一次'),
        msg(6, 1, '2024-03-06 07:00:00', '打卡'),
        msg(7, 2, '2024-03-06 08:00:00', 'Day 1 跑步'),
        msg(8, 3, '2024-03-07 09:00:00', '早'),
      ],
    });
    try {
      const r = await members.run(ctx(db), args());
      // A: days 1,2,3 | 5,6 → 5 days, 6 messages, longest 3; the 5–6 run ends the day before the
      // data's last day (03-07) → current 2. B: one day (03-06) → current 1.
      expect(r.checkIns.map((c) => [c.memberId, c.messages, c.days, c.longestStreak, c.currentStreak])).toEqual([
        [1, 6, 5, 3, 2],
        [2, 1, 1, 1, 1],
      ]);
    } finally {
      db.close();
    }
  });
});
