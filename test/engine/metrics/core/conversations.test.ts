import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildConversationsSql, conversations } from '../../../../electron/engine/metrics/core/conversations.js';
import { ctx, expectBound, msg, openDb, type Dataset } from './fixture.js';

const args = (a: object = {}) => conversations.args.parse(a);

// 2024-03-04 is a Monday. Conversations (gap ≥ 30 min splits): [1-4] [5] [6-8] [9] [10-11].
// Questions: 1 吗, 2 ?, 5 吗, 9 怎么, 11 为什么.
const CONV: Dataset = {
  members: [[1, 'A'], [2, 'B'], [3, 'C'], [4, 'D']],
  messages: [
    msg(1, 1, '2024-03-04 10:00:00', '今天开会吗'),
    msg(2, 1, '2024-03-04 10:02:00', 'zoom?'),
    msg(3, 2, '2024-03-04 10:05:00', '开'),
    msg(4, 3, '2024-03-04 10:06:00', 'ok'),
    msg(5, 3, '2024-03-04 10:40:00', '有人用过飞书吗'), // 34 min gap: new conversation
    msg(6, 1, '2024-03-04 11:20:00', 'x'), // 40 min gap: new conversation
    msg(7, 2, '2024-03-04 11:29:00', 'y'),
    msg(8, 2, '2024-03-04 11:58:00', 'z'), // 29 min: same conversation
    msg(9, 4, '2024-03-05 09:00:00', '怎么导出？'),
    msg(10, 1, '2024-03-06 10:00:00', 'hi'), // 25 h after question 9: too late
    msg(11, 1, '2024-03-06 10:10:00', '为什么没人理我'), // last message: pending
  ],
};

describe('conversations SQL builder', () => {
  it('binds filters, gap, window and the pattern; extends the stream past `to` by the window', () => {
    const b = buildConversationsSql({ from: '2024-03-01', to: '2024-03-31', members: [2] }, args());
    expect(expectBound(b.sql, b.params, ['2024-03-01', '2024-03-31'])).toEqual([]);
    expect(b.sql).toContain('INTERVAL 1 DAY + to_hours(CAST($a_window AS BIGINT))');
    expect(b.sql).toContain('list_contains($f_members, m.member_id)');
    expect(b.params).toMatchObject({ a_gap: 30, a_window: 24, a_limit: 50 });
    // The member filter selects figures, not the stream: no member condition in the stream WHERE.
    expect(b.sql).not.toMatch(/WHERE[^\n]*list_contains\(\$f_members/);
  });
});

describe('conversations', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDb(CONV);
  });
  afterAll(() => db.close());

  it('segments, starters and response times', async () => {
    const r = await conversations.run(ctx(db), args());
    // Lengths 4,1,3,1,2 → mean 2.2, median 2; durations 6,0,38,0,10 min → median 6.
    expect(r.conversations).toEqual({ count: 5, meanLength: 2.2, medianLength: 2, singles: 2, medianMinutes: 6 });
    expect(r.starters).toEqual([
      { memberId: 1, name: 'A', conversations: 3 },
      { memberId: 3, name: 'C', conversations: 1 },
      { memberId: 4, name: 'D', conversations: 1 },
    ]);
    // Turn changes inside conversations: 2→3 (180 s), 3→4 (60 s), 6→7 (540 s).
    // p90 = 180 + 0.8 × (540 − 180) = 468.
    expect(r.responseTime).toEqual({ count: 3, medianSeconds: 180, p90Seconds: 468 });
  });

  it('questions: answered, unanswered, pending', async () => {
    const r = await conversations.run(ctx(db), args());
    // Waits: q1 → msg 3 (300 s), q2 → msg 3 (180 s), q5 → msg 6 (2400 s); q9 waited 25 h;
    // q11 is within 24 h of the end of the data. p90 of [180, 300, 2400] = 300 + 0.8 × 2100.
    expect(r.questions).toEqual({
      count: 5,
      answered: 3,
      unanswered: 1,
      pending: 1,
      unansweredRate: 0.25,
      medianResponseSeconds: 300,
      p90ResponseSeconds: 1980,
    });
    expect(r.unanswered).toEqual([
      { id: 9, groupId: 1, memberId: 4, name: 'D', ts: '2024-03-05 09:00:00', text: '怎么导出？' },
    ]);
  });

  it('gapMinutes changes the segmentation', async () => {
    const r = await conversations.run(ctx(db), args({ gapMinutes: 60 }));
    expect(r.conversations.count).toBe(3); // [1-8] [9] [10-11]
  });

  it('member filter: figures for the selected members, answers from everyone', async () => {
    const r = await conversations.run(ctx(db, { members: [3] }), args());
    expect(r.conversations.count).toBe(2); // C took part in [1-4] and [5]
    expect(r.starters.map((s) => s.memberId)).toEqual([1, 3]);
    expect(r.responseTime).toMatchObject({ count: 1, medianSeconds: 60 });
    expect(r.questions).toMatchObject({ count: 1, answered: 1, unanswered: 0 }); // answered by A
  });

  it('period: conversations that start in it; answers may come after it', async () => {
    const r = await conversations.run(ctx(db, { to: '2024-03-04' }), args());
    expect(r.conversations.count).toBe(3);
    expect(r.questions).toMatchObject({ count: 3, answered: 3, pending: 0 });
  });

  it('a late-evening question answered after midnight, `to` on the question day', async () => {
    const db2 = await openDb({
      members: [[1, 'A'], [2, 'B']],
      messages: [msg(1, 1, '2024-03-04 23:50:00', '明天几点？'), msg(2, 2, '2024-03-05 00:10:00', '九点')],
    });
    try {
      const r = await conversations.run(ctx(db2, { to: '2024-03-04' }), args());
      expect(r.questions).toMatchObject({ count: 1, answered: 1, medianResponseSeconds: 1200 });
      expect(r.conversations.count).toBe(1);
      expect(r.responseTime.count).toBe(0); // the answer lies outside the period
    } finally {
      db2.close();
    }
  });

  it('empty selection', async () => {
    const r = await conversations.run(ctx(db, { groups: [9] }), args());
    expect(r.conversations.count).toBe(0);
    expect(r.starters).toEqual([]);
    expect(r.unanswered).toEqual([]);
    expect(r.questions.unansweredRate).toBeNull();
  });
});
