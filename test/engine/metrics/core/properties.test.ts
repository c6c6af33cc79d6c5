import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { coreMetrics } from '../../../../electron/engine/metrics/core/index.js';
import type { Filters } from '../../../../shared/filters.js';
import { ctx, msg, openDb, type Dataset, type Ev, type Msg } from './fixture.js';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = ['打卡', '大家好，我是新人', '怎么报名？', '好的', '欢迎 @m3', '[图片]', 'ok', '有人在吗', '哈哈'];

function randomDataset(seed: number): Dataset {
  const r = rng(seed);
  const members: Dataset['members'] = [];
  for (let i = 1; i <= 24; i++) members.push([i, `m${i}`, i <= 16 ? 1 : 2]);
  const messages: Msg[] = [];
  const events: Ev[] = [];
  const start = Date.UTC(2024, 0, 1);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  for (let i = 1; i <= 24; i++) {
    if (r() < 0.5) events.push({ kind: r() < 0.7 ? 'join' : 'invite', ts: iso(start + Math.floor(r() * 120) * 86_400_000), subject: i });
    if (r() < 0.15) events.push({ kind: r() < 0.5 ? 'leave' : 'remove', ts: iso(start + Math.floor(100 + r() * 80) * 86_400_000), subject: i });
  }
  let t = start;
  for (let id = 1; id <= 400; id++) {
    t += Math.floor(r() * r() * 36 * 3_600_000); // bursts and gaps
    const who = 1 + Math.floor(Math.pow(r(), 2) * 24); // a few loud members
    const text = TEXTS[Math.floor(r() * TEXTS.length)]!;
    messages.push(msg(id, who, iso(t), text, text === '[图片]' ? { kind: 'image' } : r() < 0.1 && id > 1 ? { reply: id - 1 } : {}));
  }
  return { members, messages, events };
}

const FILTERS: Filters[] = [{}, { groups: [1] }, { from: '2024-02-01', to: '2024-04-30' }, { exclude: [1, 2] }, { members: [3, 4, 5, 20] }];

describe.each([11, 29])('properties on random data (seed %i)', (seed) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDb(randomDataset(seed));
  });
  afterAll(() => db.close());

  it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))('consistent figures under %s', async (_, f) => {
    const c = ctx(db, f);
    const ov = await coreMetrics.overview.run(c, {});
    const act = await coreMetrics.activity.run(c, coreMetrics.activity.args.parse({ granularity: 'week' }));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    // Heatmap, series and calendar all add up to the message count.
    expect(sum(act.heatmap.flat())).toBe(ov.messages);
    expect(sum(act.series.map((p) => p.messages))).toBe(ov.messages);
    expect(sum(act.calendar.map((p) => p.messages))).toBe(ov.messages);

    const mem = await coreMetrics.members.run(c, coreMetrics.members.args.parse({}));
    expect(mem.members).toHaveLength(ov.membersKnown);
    expect(sum(mem.members.map((m) => m.messages))).toBe(ov.messages);
    expect(mem.members.filter((m) => m.isSilent)).toHaveLength(ov.silentMembers);
    for (const m of mem.monthlyTop) expect(m.top.length).toBeLessThanOrEqual(3);

    const st = await coreMetrics.structure.run(c, coreMetrics.structure.args.parse({}));
    expect(sum(st.layers.map((l) => l.members))).toBe(st.senders);
    expect(sum(st.layers.map((l) => l.messages))).toBe(ov.messages);
    expect(st.senders).toBe(ov.activeMembers);

    const ret = await coreMetrics.retention.run(c, coreMetrics.retention.args.parse({}));
    // Every cohort member is counted once.
    expect(sum(ret.cohorts.map((x) => x.size))).toBe(ret.survival.subjects);
    for (const co of ret.cohorts) for (const n of co.active) expect(n).toBeLessThanOrEqual(co.size);
    expect(new Set(ret.churned.map((x) => x.memberId)).size).toBe(ret.churned.length);
    for (const p of ret.survival.curve) expect(p.survival).toBeGreaterThanOrEqual(0);

    const onb = await coreMetrics.onboarding.run(c, coreMetrics.onboarding.args.parse({}));
    for (let i = 1; i < onb.funnel.length; i++) {
      expect(onb.funnel[i]!.count).toBeLessThanOrEqual(onb.funnel[i - 1]!.count);
      expect(onb.funnel[i]!.reached).toBeGreaterThanOrEqual(onb.funnel[i]!.count);
    }

    const cv = await coreMetrics.conversations.run(c, coreMetrics.conversations.args.parse({}));
    const q = cv.questions;
    expect(q.answered + q.unanswered + q.pending).toBe(q.count);
    expect(cv.unanswered).toHaveLength(Math.min(q.unanswered, 50));
  });
});
