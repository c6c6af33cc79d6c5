import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildPairsSql, cooccurrence, CooccurrenceArgs } from '../../../../electron/engine/metrics/network/cooccurrence.js';
import { at, ctxOf, makeDb } from './fixture.js';

/*
 * (a b c d = apple berry cocoa dates)
 * 1 [a b c]  2 [a b]  3 [a c] (member 2)  4 [b d]  5 [a b 图片]  6 [d]      (one minute apart, day 0)
 * Messages per term: a 4, b 4, c 2, d 2 (图片 excluded). Top 3 → a, b, c (c before d by name).
 * Pairs: a–b {1,2,5} = 3, a–c {1,3} = 2, b–c {1} = 1.
 */
const [a, b, c, d] = ['apple', 'berry', 'cocoa', 'dates'];
const terms = [[a, b, c], [a, b], [a, c], [b, d], [a, b, '图片'], [d]];
let db: Database;
beforeAll(async () => {
  db = await makeDb({
    members: [{ id: 1, name: 'A' }, { id: 2, name: 'B' }],
    messages: terms.map((t, i) => ({ member: i === 2 ? 2 : 1, ts: at(0, i), terms: t, text: `msg ${i + 1}` })),
  });
});
afterAll(() => db.close());

describe('cooccurrence', () => {
  it('counts pairs of the top terms within the same message', async () => {
    const r = await cooccurrence.run(ctxOf(db), CooccurrenceArgs.parse({ topN: 3, minCount: 1, minPairCount: 1 }));
    expect(r.terms).toEqual([{ term: a, messages: 4 }, { term: b, messages: 4 }, { term: c, messages: 2 }]);
    expect(r.pairs).toEqual([{ a: a, b: b, count: 3 }, { a: a, b: c, count: 2 }, { a: b, b: c, count: 1 }]);
    const strict = await cooccurrence.run(ctxOf(db), CooccurrenceArgs.parse({ topN: 3, minCount: 1 }));
    expect(strict.pairs.map((p) => p.count)).toEqual([3, 2]);
  });

  it('respects member filters', async () => {
    // Without member 2 (message 3): a {1,2,5} 3, b {1,2,4,5} 4, c {1} 1, d {4,6} 2 → top b, a, d.
    const r = await cooccurrence.run(ctxOf(db, { exclude: [2] }), CooccurrenceArgs.parse({ topN: 3, minCount: 1, minPairCount: 1 }));
    expect(r.terms).toEqual([{ term: b, messages: 4 }, { term: a, messages: 3 }, { term: d, messages: 2 }]);
    expect(r.pairs).toEqual([{ a: a, b: b, count: 3 }, { a: b, b: d, count: 1 }]);
  });

  it('binds the term list', () => {
    const q = buildPairsSql({}, ['a', 'b'], 2);
    expect(q.sql).toContain('IN (SELECT unnest($c_terms))');
    expect(q.params['c_pair']).toBe(2);
  });
});
