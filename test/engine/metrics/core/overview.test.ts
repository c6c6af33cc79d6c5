import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import {
  buildOverviewMembersSql,
  buildOverviewTotalsSql,
  overview,
} from '../../../../electron/engine/metrics/core/overview.js';
import { TINY, ctx, expectBound, openDb } from './fixture.js';

describe('overview SQL builders', () => {
  it('binds filter values', () => {
    const f = { groups: [7], from: '2024-03-01', to: '2024-03-31', exclude: [9] };
    const t = buildOverviewTotalsSql(f);
    expect(t.sql).toContain('list_contains($f_groups, m.group_id)');
    expect(expectBound(t.sql, t.params, ['2024-03-01', '2024-03-31'])).toEqual([]);
    const m = buildOverviewMembersSql(f);
    expect(m.sql).toMatch(/known AS/);
    expect(m.params['f_to']).toBe('2024-03-31');
  });
});

describe('overview', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDb(TINY);
  });
  afterAll(() => db.close());

  it('whole dataset', async () => {
    const r = await overview.run(ctx(db), {});
    // 15 messages; all 8 members known; 7 ever wrote (not Dan); text = ids 1,2,4,5,7,8,9,10,12,13,15.
    expect(r.messages).toBe(15);
    expect(r.membersKnown).toBe(8);
    expect(r.senders).toBe(7);
    expect(r.activeMembers).toBe(7);
    expect(r.silentMembers).toBe(1);
    expect(r.byKind).toMatchObject({ text: 11, image: 1, link: 1, voice: 1, sticker: 1, video: 0, file: 0, other: 0 });
    expect(r.share.text).toBeCloseTo(11 / 15);
    expect(r.share.media).toBeCloseTo(3 / 15); // image + voice + sticker
    expect(r.share.link).toBeCloseTo(1 / 15);
    expect(r.firstTs).toBe('2024-01-01 09:00:00');
    expect(r.lastTs).toBe('2024-02-05 23:30:00');
    expect(r.daysSpanned).toBe(36); // Jan 1..Feb 5 inclusive = 31 + 5
    expect(r.messagesPerDay).toBeCloseTo(15 / 36);
    expect(r.events).toBe(6);
    expect(r.eventsByKind).toMatchObject({ join: 3, invite: 1, leave: 1, title: 1, remove: 0 });
  });

  it('group 1, Jan 5..31: membership overlapping the period, silent members counted', async () => {
    const r = await overview.run(ctx(db, { groups: [1], from: '2024-01-05', to: '2024-01-31' }), {});
    // Messages 8 (Eve) and 9 (Alice). Known: Alice, Bob, Carol, Dan (started before), Eve (left 01-20,
    // after the period began) = 5; senders among them 4; active 2.
    expect(r.messages).toBe(2);
    expect(r.membersKnown).toBe(5);
    expect(r.senders).toBe(4);
    expect(r.activeMembers).toBe(2);
    expect(r.silentMembers).toBe(3);
    expect(r.daysSpanned).toBe(1);
    expect(r.messagesPerDay).toBe(2);
    expect(r.eventsByKind).toMatchObject({ join: 1, leave: 1, title: 0 });
  });

  it('a member who left before the period is not known in it', async () => {
    const r = await overview.run(ctx(db, { groups: [1], from: '2024-01-21' }), {});
    expect(r.membersKnown).toBe(4); // Eve left on 01-20
    expect(r.messages).toBe(3); // 10, 11, 12
  });

  it('exclude drops the member, their messages and events they are the subject (else actor) of', async () => {
    const r = await overview.run(ctx(db, { exclude: [2] }), {});
    expect(r.messages).toBe(12); // Bob wrote 2, 6, 11
    expect(r.membersKnown).toBe(7);
    expect(r.events).toBe(5); // title change by Bob (no subject) dropped; Dan's invite BY Bob kept
  });

  it('empty selection', async () => {
    const r = await overview.run(ctx(db, { groups: [99] }), {});
    expect(r).toMatchObject({ messages: 0, membersKnown: 0, activeMembers: 0, daysSpanned: 0, messagesPerDay: 0, firstTs: null });
    expect(r.share).toEqual({ text: 0, media: 0, link: 0, other: 0 });
  });
});
