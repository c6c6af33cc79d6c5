import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { refreshExtra } from '../../../../electron/engine/derive-extra.js';
import { buildPairsSql, cooccurrence, CooccurrenceArgs, pairsFromMasks } from '../../../../electron/engine/metrics/network/cooccurrence.js';
import { seededRng } from '../../../../electron/engine/metrics/network/graph-algos.js';
import type { Filters } from '../../../../shared/filters.js';
import { at, ctxOf, makeDb, type FxMessage } from './fixture.js';

describe('pairsFromMasks', () => {
  it('counts every pair of each set of terms once per message holding the set', () => {
    // [x y z] in 2 messages, [x y] in 1, [w z] (bits 0 and 33) in 4.
    const ordered = Array.from({ length: 34 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const pairs = pairsFromMasks(ordered, [{ hi: 0, lo: 0b1110, n: 2 }, { hi: 0, lo: 0b0110, n: 1 }, { hi: 2, lo: 1, n: 4 }], 1);
    expect(pairs).toEqual([
      { a: 't00', b: 't33', count: 4 },
      { a: 't01', b: 't02', count: 3 },
      { a: 't01', b: 't03', count: 2 },
      { a: 't02', b: 't03', count: 2 },
    ]);
    expect(pairsFromMasks(ordered, [{ hi: 0, lo: 0b1110, n: 2 }, { hi: 0, lo: 0b0110, n: 1 }], 3)).toEqual([{ a: 't01', b: 't02', count: 3 }]);
  });
});

/*
 * 500 messages of 4 members over 10 days, 0–6 terms each from a vocabulary of 90 with a skewed
 * frequency (90 > 64 terms: some periods' top terms have no stored bit and take the other path).
 * Every way of counting must give the self-join of buildPairsSql.
 */
const rnd = seededRng(9);
const vocab = Array.from({ length: 90 }, (_, i) => `词${i}`);
const msgs: FxMessage[] = Array.from({ length: 500 }, (_, i) => {
  const n = Math.floor(rnd() * 7);
  const t = new Set<string>();
  for (let k = 0; k < n; k++) t.add(vocab[Math.floor(rnd() ** 2 * vocab.length)]!);
  return { member: 1 + Math.floor(rnd() * 4), ts: at(Math.floor(i / 50), i % 50), terms: [...t], text: `m${i}` };
});
let db: Database;
beforeAll(async () => {
  db = await makeDb({ members: [1, 2, 3, 4].map((id) => ({ id, name: `M${id}` })), messages: msgs });
});
afterAll(() => db.close());

const filters: Filters[] = [
  { groups: [1] }, { groups: [1], from: at(2).slice(0, 10), to: at(5).slice(0, 10) }, { groups: [1], exclude: [2] },
  { groups: [1], members: [1, 3] }, { groups: [1], from: at(9).slice(0, 10) }, {},
];
const argsList = [{ topN: 30, minCount: 1, minPairCount: 1 }, { topN: 64, minCount: 1, minPairCount: 2 }, { topN: 80, minCount: 1, minPairCount: 1 }];

async function check(): Promise<void> {
  for (const f of filters) {
    for (const a of argsList) {
      const r = await cooccurrence.run(ctxOf(db, f), CooccurrenceArgs.parse(a));
      expect(r.terms.length).toBeGreaterThan(20);
      const q = buildPairsSql(f, r.terms.map((x) => x.term), a.minPairCount);
      expect(r.pairs).toEqual(await db.all(q.sql, q.params));
    }
  }
}

describe('cooccurrence pairs', () => {
  it('equal the self-join of (message, term) rows, with or without the stored term sets', async () => {
    await check();
    await refreshExtra(db, 1);
    expect((await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM d_top_terms`))!.n).toBe(64);
    await check();
  });
});
