import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildConversationStartsSql, buildNewcomersSql, kol, KolArgs } from '../../../../electron/engine/metrics/network/kol.js';
import { normalise } from '../../../../electron/engine/metrics/network/kol-score.js';
import { at, ctxOf, makeDb, type FxMessage } from './fixture.js';

/*
 * Day 0 (2024-01-01), minutes:
 *  Star(2) posts at 0; Four(4), Five(5), Six(6) reply at 1, 2, 3; Star again at 4 (adjacent to Six).
 *  Star posts at 60; Four @Star at 61; Five replies at 62.
 *  Talker(1) posts 20 times, every 40 min from 120 (each its own conversation); Helper(3) speaks
 *  2 min after the first four (adjacency Helper→Talker, 4 × 0.5).
 *  Helper posts at 1000, Four replies at 1001.
 * Edges: 4→2 reply+mention 5, 5→2 6, 6→2 3, 2→6 0.5, 3→1 2, 4→3 3.
 * Candidates (≥ 3 messages): Talker 20 msgs, Star 3, Helper 5, Four 3.
 *             drawnIn  replies/msg      convs drawing ≥2   PageRank (independent power iteration)
 *  Talker     0        0                0                  .0758
 *  Star       3        5/3              2                  .4161 (max)
 *  Helper     1        1/5              0                  .0471
 *  Four       0        0                0                  .0357
 * 'max' scores: Star 1; Helper .35/3 + .25·.1133 + .2·(.2/1.667) = .169; Talker .25·.1821 = .046; Four .021.
 * Twenty messages drawing nobody rank Talker below Star's three messages that draw three members.
 * Day 40: Newbie(7, joined day 39) posts; Four replies, Five @Newbie; Late(8, joined day 35) posts,
 * Four replies; Silent(9) joined day 38 and never speaks. Rising newcomers (30 days, ≥2 drawn in): Newbie.
 */
const [TALKER, STAR, HELPER, FOUR, FIVE, SIX, NEWBIE, LATE, SILENT] = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const msgs: FxMessage[] = [
  { id: 1, member: STAR, ts: at(0, 0) },
  { id: 2, member: FOUR, ts: at(0, 1), replyTo: 1 },
  { id: 3, member: FIVE, ts: at(0, 2), replyTo: 1 },
  { id: 4, member: SIX, ts: at(0, 3), replyTo: 1 },
  { id: 5, member: STAR, ts: at(0, 4) },
  { id: 6, member: STAR, ts: at(0, 60) },
  { id: 7, member: FOUR, ts: at(0, 61), mentions: ['Star'] },
  { id: 8, member: FIVE, ts: at(0, 62), replyTo: 6 },
];
for (let k = 0; k < 20; k++) {
  msgs.push({ member: TALKER, ts: at(0, 120 + 40 * k) });
  if (k < 4) msgs.push({ member: HELPER, ts: at(0, 122 + 40 * k) });
}
msgs.push({ id: 100, member: HELPER, ts: at(0, 1000) }, { id: 101, member: FOUR, ts: at(0, 1001), replyTo: 100 });
msgs.push(
  { id: 200, member: NEWBIE, ts: at(40, 0) },
  { id: 201, member: FOUR, ts: at(40, 1), replyTo: 200 },
  { id: 202, member: FIVE, ts: at(40, 2), mentions: ['Newbie'] },
  { id: 203, member: LATE, ts: at(40, 10) },
  { id: 204, member: FOUR, ts: at(40, 11), replyTo: 203 },
);
const names = ['Talker', 'Star', 'Helper', 'Four', 'Five', 'Six', 'Newbie', 'Late', 'Silent'];

let db: Database;
beforeAll(async () => {
  db = await makeDb({
    members: names.map((name, i) => ({ id: i + 1, name })),
    messages: msgs,
    events: [
      { kind: 'join', ts: at(35), subject: LATE },
      { kind: 'join', ts: at(38), subject: SILENT },
      { kind: 'join', ts: at(39), subject: NEWBIE },
    ],
  });
});
afterAll(() => db.close());

const day0 = { to: '2024-01-01' };

describe('kol', () => {
  it('ranks engagement, not volume, with the components and raw values shown', async () => {
    const r = await kol.run(ctxOf(db, day0), KolArgs.parse({}));
    expect(r.candidates.map((c) => c.id)).toEqual([STAR, HELPER, TALKER, FOUR]);
    const [star, helper, talker] = r.candidates;
    expect(star!.score).toBeCloseTo(1, 9);
    expect(star!.components).toEqual({ drawnIn: 1, pagerank: 1, repliesPerMessage: 1, conversationsDrawing: 1 });
    expect(star!.raw).toMatchObject({ messages: 3, drawnIn: 3, repliesReceived: 5, conversationsStarted: 2, conversationsDrawing: 2 });
    expect(star!.raw.repliesPerMessage).toBeCloseTo(5 / 3, 9);
    expect(helper!.score).toBeCloseTo(0.35 / 3 + 0.25 * (0.0471 / 0.4161) + 0.2 * 0.12, 3);
    expect(talker!.raw).toMatchObject({ messages: 20, drawnIn: 0, repliesReceived: 0, conversationsStarted: 20, conversationsDrawing: 0 });
    expect(talker!.components).toMatchObject({ drawnIn: 0, repliesPerMessage: 0, conversationsDrawing: 0 });
    expect(talker!.score).toBeCloseTo(0.25 * (0.0758 / 0.4161), 3);
  });

  it('explains each candidate in Chinese and English', async () => {
    const r = await kol.run(ctxOf(db, day0), KolArgs.parse({}));
    const star = r.candidates[0]!;
    expect(star.reasons[0]).toEqual({ zh: '3 位成员回复或 @ 过 TA', en: '3 members replied to or @mentioned them' });
    expect(star.reasons).toHaveLength(4);
    const talker = r.candidates.find((c) => c.id === TALKER)!;
    expect(talker.reasons.at(-1)).toEqual({ zh: '发言 20 条，但没有引来回复或 @', en: '20 messages sent, but no replies or @mentions drawn' });
  });

  it('volume is not enough under rank normalisation or any single weight either', async () => {
    const rank = await kol.run(ctxOf(db, day0), KolArgs.parse({ normalisation: 'rank' }));
    // rank: Star 1; Helper .35·2/3 + .25·1/3 + .2·2/3 = .45; Talker .25·2/3 = .167; Four 0.
    expect(rank.candidates.map((c) => c.id)).toEqual([STAR, HELPER, TALKER, FOUR]);
    expect(rank.candidates[1]!.score).toBeCloseTo(0.45, 9);
    const prOnly = await kol.run(ctxOf(db, day0), KolArgs.parse({ weights: { drawnIn: 0, repliesPerMessage: 0, conversationsDrawing: 0, pagerank: 1 } }));
    expect(prOnly.candidates[0]!.id).toBe(STAR);
  });

  it('applies minMessages and limit', async () => {
    const r = await kol.run(ctxOf(db, day0), KolArgs.parse({ minMessages: 4, limit: 1 }));
    expect(r.candidates.map((c) => c.id)).toEqual([HELPER]);
  });

  it('finds rising newcomers who already draw replies from two members', async () => {
    const r = await kol.run(ctxOf(db), KolArgs.parse({}));
    expect(r.risingNewcomers).toEqual([
      { id: NEWBIE, name: 'Newbie', firstSeen: '2024-02-09 00:00:00', messages: 1, drawnIn: 2, repliesReceived: 2 },
    ]);
    const one = await kol.run(ctxOf(db), KolArgs.parse({ newcomerMinDrawnIn: 1 }));
    expect(one.risingNewcomers.map((n) => n.id)).toEqual([NEWBIE, LATE]);
  });

  it('builds bound SQL for conversations and newcomers', () => {
    const c = buildConversationStartsSql({ from: '2024-01-01' }, 30, 2);
    expect(c.sql).not.toContain('2024-01-01');
    expect(c.params).toMatchObject({ f_from: '2024-01-01', k_gap: 30, k_others: 2 });
    const n = buildNewcomersSql({ groups: [1], to: '2024-02-01', exclude: [3] }, 30);
    expect(n.sql).toContain("e.kind IN ('join', 'invite')");
    expect(n.sql).toContain('NOT list_contains($f_exclude, fs.id)');
    expect(n.params).toMatchObject({ k_days: 30, f_to: '2024-02-01' });
  });
});

describe('normalise', () => {
  it('max: share of the largest; rank: share of others strictly below; zeros stay 0', () => {
    expect(normalise([0, 2, 4], 'max')).toEqual([0, 0.5, 1]);
    expect(normalise([0, 0], 'max')).toEqual([0, 0]);
    expect(normalise([0, 5, 1, 5], 'rank')).toEqual([0, 2 / 3, 1 / 3, 2 / 3]);
    expect(normalise([3], 'rank')).toEqual([1]);
  });
});
