import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildTermMessagesWhere, termMessages, TermMessagesArgs } from '../../../../electron/engine/metrics/network/term-messages.js';
import { at, ctxOf, makeDb } from './fixture.js';

// 'apple' is in messages 1, 2, 3 (member 2), 5; one minute apart on 2024-01-01.
const a = 'apple';
const terms = [[a, 'berry'], [a], [a], ['berry'], [a, '图片'], ['dates']];
let db: Database;
beforeAll(async () => {
  db = await makeDb({
    members: [{ id: 1, name: 'A' }, { id: 2, name: 'B' }],
    messages: terms.map((t, i) => ({ member: i === 2 ? 2 : 1, ts: at(0, i), terms: t, text: `msg ${i + 1}` })),
  });
});
afterAll(() => db.close());

describe('termMessages', () => {
  it('pages messages containing a term, newest first, with the member name', async () => {
    const r = await termMessages.run(ctxOf(db), TermMessagesArgs.parse({ term: 'APPLE', offset: 1, limit: 2 }));
    expect(r.total).toBe(4);
    expect(r.rows.map((m) => m.id)).toEqual([3, 2]);
    expect(r.rows[0]).toMatchObject({ memberId: 2, name: 'B', ts: '2024-01-01 00:02:00', text: 'msg 3', groupId: 1 });
  });

  it('respects filters', async () => {
    const r = await termMessages.run(ctxOf(db, { exclude: [2] }), TermMessagesArgs.parse({ term: a }));
    expect(r.total).toBe(3);
    expect(r.rows.map((m) => m.id)).toEqual([5, 2, 1]);
  });

  it('binds the term, lowercased', () => {
    const q = buildTermMessagesWhere({ from: '2024-01-01' }, 'ChatGPT');
    expect(q.sql).toContain('list_contains(m.terms, $tm_term)');
    expect(q.sql).not.toContain('chatgpt');
    expect(q.params).toMatchObject({ tm_term: 'chatgpt', f_from: '2024-01-01' });
  });
});
