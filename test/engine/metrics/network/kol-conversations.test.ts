import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { refreshExtra } from '../../../../electron/engine/derive-extra.js';
import { seededRng } from '../../../../electron/engine/metrics/network/graph-algos.js';
import { buildStoredConversationStartsSql } from '../../../../electron/engine/metrics/network/kol-conversations.js';
import { buildConversationStartsSql, kol, KolArgs } from '../../../../electron/engine/metrics/network/kol.js';
import type { Filters } from '../../../../shared/filters.js';
import { at, ctxOf, makeDb, type FxMessage } from './fixture.js';

type Row = { id: number; started: number; drawing: number };
const sorted = (rows: Row[]) => [...rows].sort((a, b) => a.id - b.id);

/*
 * Group 1, day 0 (minutes): A 0, B 5, C 10 | 40 min silence | X 50, B 70, A 75.
 * Two conversations: A's (A, B, C) and X's (X, B, A). Excluding X, B's message at 70 follows C's at
 * 10 by an hour: X had bridged the gap, so B starts a conversation (B, A) of two people.
 * Group 2 holds random chatter (below) for the comparison with the fast path over messages.
 */
const A = 1, B = 2, C = 3, X = 4;
const small: FxMessage[] = [[A, 0], [B, 5], [C, 10], [X, 50], [B, 70], [A, 75]].map(([member, m]) => ({ member: member!, ts: at(0, m) }));
const rnd = seededRng(5);
const chatter: FxMessage[] = [];
let minute = 0;
for (let i = 0; i < 600; i++) {
  minute += rnd() < 0.08 ? 31 + Math.floor(rnd() * 300) : Math.floor(rnd() * 12);
  chatter.push({ member: 10 + Math.floor(rnd() ** 2 * 8), ts: at(Math.floor(minute / 1440), minute % 1440), group: 2 });
}

let db: Database;
beforeAll(async () => {
  db = await makeDb({
    groups: [1, 2],
    members: [
      ...['A', 'B', 'C', 'X'].map((name, i) => ({ id: i + 1, name })),
      ...Array.from({ length: 8 }, (_, i) => ({ id: 10 + i, name: `m${i}`, group: 2 })),
    ],
    messages: [...small, ...chatter],
  });
  await refreshExtra(db, 1);
  await refreshExtra(db, 2);
});
afterAll(() => db.close());

const stored = async (f: Filters) => {
  const q = buildStoredConversationStartsSql(f, 2);
  return sorted(await db.all<Row>(q.sql, q.params));
};

describe('conversation starters from the stored conversations', () => {
  it('counts starters and the conversations that drew two others, split where excluded messages bridged a gap', async () => {
    expect(await stored({ groups: [1] })).toEqual([{ id: A, started: 1, drawing: 1 }, { id: X, started: 1, drawing: 1 }]);
    expect(await stored({ groups: [1], exclude: [X] })).toEqual([{ id: A, started: 1, drawing: 1 }, { id: B, started: 1, drawing: 0 }]);
    // Excluding C: the silence after B's 5 is still there (X at 50), nothing splits; A's conversation has A and B.
    expect(await stored({ groups: [1], exclude: [C] })).toEqual([{ id: A, started: 1, drawing: 0 }, { id: X, started: 1, drawing: 1 }]);
  });

  it('gives the fast path over messages its rows under random periods and exclusions', async () => {
    const days = Math.floor(minute / 1440);
    const filters: Filters[] = [{ groups: [2] }, { groups: [1, 2] }, { groups: [1, 2], exclude: [X, 10] }];
    for (let i = 0; i < 40; i++) {
      const from = Math.floor(rnd() * days);
      const to = from + Math.floor(rnd() * (days - from + 1));
      const f: Filters = { groups: [2] };
      if (rnd() < 0.8) Object.assign(f, { from: at(from).slice(0, 10), to: at(to).slice(0, 10) });
      if (rnd() < 0.6) f.exclude = [10 + Math.floor(rnd() * 3), 10 + Math.floor(rnd() * 8)];
      filters.push(f);
    }
    for (const f of filters) {
      const q = buildConversationStartsSql(f, 30, 2);
      expect(await stored(f)).toEqual(sorted(await db.all<Row>(q.sql, q.params)));
    }
  });

  it('is what kol reports when the stored rows exist', async () => {
    const r = await kol.run(ctxOf(db, { groups: [1], exclude: [X] }), KolArgs.parse({ minMessages: 1 }));
    const raw = new Map(r.candidates.map((c) => [c.id, [c.raw.conversationsStarted, c.raw.conversationsDrawing]]));
    expect(raw.get(A)).toEqual([1, 1]);
    expect(raw.get(B)).toEqual([1, 0]);
    expect(raw.get(C)).toEqual([0, 0]);
  });
});
