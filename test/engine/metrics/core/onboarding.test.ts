import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildOnboardingSql, computeFunnel, onboarding, type NewcomerRow } from '../../../../electron/engine/metrics/core/onboarding.js';
import { ctx, expectBound, msg, openDb, type Dataset } from './fixture.js';

const args = (a: object = {}) => onboarding.args.parse(a);

// Host (1) and X (6) are old members. Newcomers: N1 joins 01-01, N2 invited 01-02, N3 joins 01-03
// (never writes), N4 joins 03-25. The data ends 2024-04-10 10:00.
const ONB: Dataset = {
  members: [[1, 'Host'], [2, 'N1'], [3, 'N2'], [4, 'N3'], [5, 'N4'], [6, 'X']],
  names: [[2, 'Newbie', '2024-01-01 11:00:00', '2024-01-01 11:00:00', 1]],
  messages: [
    msg(1, 1, '2024-01-01 10:05:00', '欢迎 @N1', { mentions: ['N1'] }), // N1 mentioned after 5 min
    msg(2, 2, '2024-01-01 11:00:00', '大家好，我是N1，来自上海'), // N1 speaks (1 h) and introduces
    msg(3, 3, '2024-01-05 10:00:00', '请问怎么报名'), // N2 speaks after 72 h
    msg(4, 1, '2024-01-05 10:30:00', '看公告', { reply: 3 }), // reply to N2 after 72.5 h
    msg(5, 6, '2024-01-04 10:00:00', '欢迎 @N3 加入'), // welcome by name, mention not extracted: N3 after 24 h
    msg(6, 3, '2024-01-20 10:00:00', 'ok'), // N2's last message: before day 30
    msg(7, 2, '2024-02-05 09:00:00', 'hi'), // N1 ≥ 30 days after joining
    msg(8, 2, '2024-04-05 10:00:00', 'still here'), // N1 ≥ 90 days after joining
    msg(9, 5, '2024-03-26 10:00:00', '我叫小明，自我介绍一下'), // N4 speaks and introduces after 24 h
    msg(10, 5, '2024-03-26 10:01:00', '@N4 test'), // mentions himself: not a reply
    msg(11, 1, '2024-04-10 10:00:00', 'end'),
  ],
  events: [
    { kind: 'join', ts: '2024-01-01 10:00:00', subject: 2 },
    { kind: 'invite', ts: '2024-01-02 10:00:00', subject: 3, actor: 1 },
    { kind: 'join', ts: '2024-01-03 10:00:00', subject: 4 },
    { kind: 'join', ts: '2024-03-25 10:00:00', subject: 5 },
  ],
};

describe('onboarding SQL builder', () => {
  it('binds filters, windows and patterns', () => {
    const b = buildOnboardingSql({ groups: [1], from: '2024-01-01', to: '2024-01-31' }, args());
    expect(expectBound(b.sql, b.params, ['2024-01-01', '2024-01-31', '欢迎'])).toEqual([]);
    expect(b.params).toMatchObject({ a_intro: 7, a_reply: 7, a_short: 30, a_long: 90 });
    expect(b.sql).toContain('regexp_matches(m.text, $p_intro)');
  });
});

describe('onboarding', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDb(ONB);
  });
  afterAll(() => db.close());

  it('funnel: cumulative counts, conversion rates, independent reach', async () => {
    const r = await onboarding.run(ctx(db), args());
    // Spoke: N1, N2, N4. Introduced within 7 d: N1, N4. Got a reply within 7 d: N1 (mention),
    // N2 (reply), N3 (welcome). Active ≥ 30 d and ≥ 90 d after joining: N1 only.
    expect(r.funnel.map((s) => [s.stage, s.count, s.reached])).toEqual([
      ['joined', 4, 4],
      ['spoke', 3, 3],
      ['introduced', 2, 2],
      ['gotReply', 1, 3], // of N1 and N4 only N1 got a reply
      ['activeAfter', 1, 1],
      ['activeAfterLong', 1, 1],
    ]);
    expect(r.funnel[1]).toMatchObject({ fromPrevious: 0.75, fromJoined: 0.75 });
    expect(r.funnel[3]).toMatchObject({ fromPrevious: 0.5, fromJoined: 0.25 });
    // Property: monotone non-increasing.
    for (let i = 1; i < r.funnel.length; i++) expect(r.funnel[i]!.count).toBeLessThanOrEqual(r.funnel[i - 1]!.count);
  });

  it('median latencies and eligibility', async () => {
    const r = await onboarding.run(ctx(db), args());
    // Spoke [1, 72, 24] → 24 h; introduced [1, 24] → 12.5 h; reply [1/12, 72.5, 24] → 24 h.
    expect(r.medianHours.spoke).toBe(24);
    expect(r.medianHours.introduced).toBe(12.5);
    expect(r.medianHours.gotReply).toBe(24);
    // Data ends 04-10: N4 (03-25) cannot be seen 30 days on; N1–N3 can be seen 90 days on.
    expect(r.eligible).toEqual({ activeAfter: 3, activeAfterLong: 3 });
  });

  it('per-newcomer rows', async () => {
    const r = await onboarding.run(ctx(db), args());
    expect(r.newcomers.map((n) => n.memberId)).toEqual([2, 3, 4, 5]);
    expect(r.newcomers[0]).toEqual({
      memberId: 2,
      name: 'N1',
      groupId: 1,
      joinedAt: '2024-01-01 10:00:00',
      firstMessageAt: '2024-01-01 11:00:00',
      introducedAt: '2024-01-01 11:00:00',
      repliedAt: '2024-01-01 10:05:00',
      spokeAfterHours: 1,
      activeAfter: true,
      activeAfterLong: true,
      eligibleAfter: true,
      eligibleAfterLong: true,
    });
    expect(r.newcomers[2]).toMatchObject({ memberId: 4, firstMessageAt: null, repliedAt: '2024-01-04 10:00:00', spokeAfterHours: null });
    expect(r.newcomers[3]).toMatchObject({ memberId: 5, repliedAt: null, eligibleAfter: false });
  });

  it('the period selects newcomers by their first join', async () => {
    const r = await onboarding.run(ctx(db, { from: '2024-03-01' }), args());
    expect(r.newcomers.map((n) => n.memberId)).toEqual([5]);
    expect(r.funnel[0]!.count).toBe(1);
  });

  it('shorter windows', async () => {
    const r = await onboarding.run(ctx(db), args({ replyDays: 1 }));
    // Only N1's mention (5 min) falls within 1 day; N3's welcome came exactly 24 h later (not < 1 d).
    expect(r.funnel.find((s) => s.stage === 'gotReply')!.reached).toBe(1);
  });

  it('empty funnel', () => {
    const f = computeFunnel([] as NewcomerRow[]);
    expect(f.map((s) => [s.count, s.fromPrevious, s.fromJoined])).toEqual([
      [0, 1, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0],
    ]);
  });
});

describe('onboarding: WhatsApp @phone-number mentions', () => {
  // N (shown by number, key tel:+8617779291261) and M (a saved name) join at 10:00. At 10:10 Host
  // writes "@8617779291261 你好" (WhatsApp writes mentions as the number): N got a reply after 10 min.
  // "@8613900000000" names no member (M's number is not in the export): M got none.
  const PHONE: Dataset = {
    members: [[1, 'Host'], [2, '+86 177 7929 1261', 1, 'tel:+8617779291261'], [3, '小李']],
    messages: [
      msg(1, 1, '2024-01-01 10:10:00', '@8617779291261 你好', { mentions: ['8617779291261'] }),
      msg(2, 1, '2024-01-01 10:20:00', '@8613900000000 在吗', { mentions: ['8613900000000'] }),
      msg(3, 1, '2024-01-10 10:00:00', 'end'),
    ],
    events: [
      { kind: 'join', ts: '2024-01-01 10:00:00', subject: 2 },
      { kind: 'join', ts: '2024-01-01 10:00:00', subject: 3 },
    ],
  };
  it('count as a reply to the member known by that number', async () => {
    const db = await openDb(PHONE);
    try {
      const r = await onboarding.run(ctx(db), args());
      expect(r.funnel.find((s) => s.stage === 'gotReply')).toMatchObject({ reached: 1 });
      expect(r.medianHours.gotReply).toBeCloseTo(10 / 60, 10);
    } finally {
      db.close();
    }
  });
});
