import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildTopTermsByPeriodSql, topTermsByPeriod, TopTermsByPeriodArgs } from '../../../../electron/engine/metrics/network/top-terms-by-period.js';
import { at, ctxOf, makeDb, type FxMessage } from './fixture.js';

/*
 * W0 (2024-01-01): apple 3, pear 2, fig 1, 图片 6.   W1 (2024-01-08): fig 4, apple 2.   Feb 5 (W5): kiwi 2.
 * Weekly, K = 2, minCount 2: W0 → apple 3, pear 2; W1 → fig 4, apple 2; W5 → kiwi 2.
 * Monthly: 2024-01 → fig 5, apple 5 → tie broken by term: apple, fig; 2024-02 → kiwi.
 */
const msgs: FxMessage[] = [];
const put = (d: number, term: string, n: number) => {
  for (let i = 0; i < n; i++) msgs.push({ member: 1, ts: at(d, msgs.length), terms: [term] });
};
put(0, 'apple', 3);
put(1, 'pear', 2);
put(2, 'fig', 1);
put(0, '图片', 6);
put(7, 'fig', 4);
put(8, 'apple', 2);
put(35, 'kiwi', 2);

let db: Database;
beforeAll(async () => {
  db = await makeDb({ members: [{ id: 1, name: 'A' }], messages: msgs });
});
afterAll(() => db.close());

describe('topTermsByPeriod', () => {
  it('gives the top K terms per ISO week', async () => {
    const r = await topTermsByPeriod.run(ctxOf(db), TopTermsByPeriodArgs.parse({ k: 2 }));
    expect(r).toEqual([
      { period: '2024-01-01', terms: [{ term: 'apple', count: 3 }, { term: 'pear', count: 2 }] },
      { period: '2024-01-08', terms: [{ term: 'fig', count: 4 }, { term: 'apple', count: 2 }] },
      { period: '2024-02-05', terms: [{ term: 'kiwi', count: 2 }] },
    ]);
  });

  it('gives the top K terms per month and respects the date filter', async () => {
    const r = await topTermsByPeriod.run(ctxOf(db), TopTermsByPeriodArgs.parse({ period: 'month', k: 2 }));
    expect(r).toEqual([
      { period: '2024-01', terms: [{ term: 'apple', count: 5 }, { term: 'fig', count: 5 }] },
      { period: '2024-02', terms: [{ term: 'kiwi', count: 2 }] },
    ]);
    const jan8 = await topTermsByPeriod.run(ctxOf(db, { from: '2024-01-08', to: '2024-01-31' }), TopTermsByPeriodArgs.parse({ period: 'month' }));
    expect(jan8).toEqual([{ period: '2024-01', terms: [{ term: 'fig', count: 4 }, { term: 'apple', count: 2 }] }]);
  });

  it('binds values', () => {
    const q = buildTopTermsByPeriodSql({ to: '2024-01-31' }, TopTermsByPeriodArgs.parse({}));
    expect(q.sql).not.toContain('2024-01-31');
    expect(q.params).toMatchObject({ f_to: '2024-01-31', p_k: 10, p_min: 2 });
  });
});
