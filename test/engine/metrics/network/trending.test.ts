import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildTrendingSql, trending, TrendingArgs } from '../../../../electron/engine/metrics/network/trending.js';
import { at, ctxOf, makeDb, type FxMessage } from './fixture.js';

/*
 * ISO weeks W0 = 2024-01-01 … W4 = 2024-01-29 (day offsets 0, 7, 14, 21, 28). B = 4, minCount 3, minScore 2.
 *   daily : 3 every week                → lift (3+1)/(3+1) = 1, never emerging
 *   early : 5 in W0                      → no preceding data week, not scored
 *   spike : 1 in W0, 4 in W2             → W2: 2 data weeks before (W0, W1), mean 1/2 → (4+1)/(0.5+1) = 3.333
 *   slow  : 3 in W3, 3 in W4             → W3: 3 weeks, mean 0 → 4; W4: 4 weeks, mean 3/4 → 4/1.75 = 2.286
 *   launch: 5 in W4 (Wednesday)          → W4: mean 0 → 6
 *   图片   : 9 in W4                       → placeholder, never shown
 */
const msgs: FxMessage[] = [];
const put = (week: number, term: string, n: number, day = 0) => {
  for (let i = 0; i < n; i++) msgs.push({ member: 1 + (i % 2), ts: at(week * 7 + day, msgs.length), terms: [term] });
};
for (let w = 0; w <= 4; w++) put(w, 'daily', 3);
put(0, 'early', 5);
put(0, 'spike', 1);
put(2, 'spike', 4);
put(3, 'slow', 3);
put(4, 'slow', 3);
put(4, 'launch', 5, 2);
put(4, '图片', 9);

let db: Database;
beforeAll(async () => {
  db = await makeDb({ members: [{ id: 1, name: 'A' }, { id: 2, name: 'B' }], messages: msgs });
});
afterAll(() => db.close());

describe('trending', () => {
  it('detects emerging terms in the right ISO week with the smoothed lift', async () => {
    const r = await trending.run(ctxOf(db), TrendingArgs.parse({}));
    expect(r.map((t) => [t.term, t.week, t.count])).toEqual([
      ['spike', '2024-01-15', 4],
      ['slow', '2024-01-22', 3],
      ['launch', '2024-01-29', 5],
      ['slow', '2024-01-29', 3],
    ]);
    expect(r[0]!.baseline).toBeCloseTo(0.5, 9);
    expect(r[0]!.baselineWeeks).toBe(2);
    expect(r[0]!.score).toBeCloseTo(5 / 1.5, 9);
    expect(r[2]!.score).toBeCloseTo(6, 9);
    expect(r[3]!.baseline).toBeCloseTo(0.75, 9);
    expect(r[3]!.score).toBeCloseTo(4 / 1.75, 9);
  });

  it('keeps the baseline from before the filter start, and counts only inside the filter', async () => {
    // From Wednesday of W4: launch (Wednesday) still counts 5; slow's W4 messages are on Monday → 0.
    const r = await trending.run(ctxOf(db, { from: '2024-01-31' }), TrendingArgs.parse({}));
    expect(r.map((t) => [t.term, t.week, t.count, t.baseline])).toEqual([['launch', '2024-01-29', 5, 0]]);
    const r2 = await trending.run(ctxOf(db, { from: '2024-01-22' }), TrendingArgs.parse({}));
    expect(r2.map((t) => [t.term, t.week])).toEqual([['slow', '2024-01-22'], ['launch', '2024-01-29'], ['slow', '2024-01-29']]);
  });

  it('honours limitPerWeek, minScore and baselineWeeks', async () => {
    expect((await trending.run(ctxOf(db), TrendingArgs.parse({ limitPerWeek: 1 }))).filter((t) => t.week === '2024-01-29').map((t) => t.term)).toEqual(['launch']);
    expect((await trending.run(ctxOf(db), TrendingArgs.parse({ minScore: 5 }))).map((t) => t.term)).toEqual(['launch']);
    // B = 1: slow in W4 has mean 3 over W3 → (3+1)/(3+1) = 1, dropped.
    const b1 = await trending.run(ctxOf(db), TrendingArgs.parse({ baselineWeeks: 1 }));
    expect(b1.some((t) => t.term === 'slow' && t.week === '2024-01-29')).toBe(false);
  });

  it('binds its parameters', () => {
    const q = buildTrendingSql({ from: '2024-01-31', to: '2024-02-04' }, TrendingArgs.parse({}));
    expect(q.sql).not.toMatch(/2024-0/);
    expect(q.params).toMatchObject({ t_from: '2024-01-31', f_to: '2024-02-04', t_b: 4 });
    expect(q.params).not.toHaveProperty('f_from');
    expect(q.sql).toContain('RANGE BETWEEN to_days(7 * $t_b) PRECEDING');
  });
});
