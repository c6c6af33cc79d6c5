import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { DEFAULT_WEIGHTS, loadInteractions } from '../../../../electron/engine/metrics/network/interactions.js';
import { at, makeDb, type FxMessage } from './fixture.js';

/*
 * Mention resolution by the name held at the time.
 *  member 1: "Lao" on d0 and d5, renamed, "Xin" on d10 and d20 (latest name Xin)
 *  members 4 and 5: both "Twin" (4 on d0..d20, 5 on d8..d12); member 6 "Ghost" never speaks;
 *  member 7 is "Lao" in another group.
 * Member 2 writes:
 *  d3  @Lao   → 1 (Lao's interval covers d3)
 *  d7  @Lao   → 1 (between sightings; Lao is still 1's latest name seen before d7)
 *  d15 @Lao   → nobody (1 was seen as Xin on d10; member 7 is in another group)
 *  d16 @Xin   → 1
 *  d10 @Twin  → nobody (both 4 and 5 hold Twin on d10: ambiguous, no fallback)
 *  d2  @Twin  → 4 (only 4 holds it then)
 *  d1  @Ghost → 6 (no name history: falls back to the latest name)
 */
const speak = (member: number, d: number, as?: string): FxMessage => ({ member, ts: at(d, 600 + member), as });
const msgs: FxMessage[] = [
  speak(1, 0, 'Lao'), speak(1, 5, 'Lao'), speak(1, 10, 'Xin'), speak(1, 20, 'Xin'),
  speak(4, 0), speak(4, 20), speak(5, 8), speak(5, 12),
  { member: 7, ts: at(0), group: 2 },
  ...([[3, 'Lao'], [7, 'Lao'], [15, 'Lao'], [16, 'Xin'], [10, 'Twin'], [2, 'Twin'], [1, 'Ghost']] as const).map(
    ([d, name]): FxMessage => ({ member: 2, ts: at(d), mentions: [name] }),
  ),
];

let db: Database;
beforeAll(async () => {
  db = await makeDb({
    groups: [1, 2],
    members: [
      { id: 1, name: 'Xin' }, { id: 2, name: 'Speaker' }, { id: 4, name: 'Twin' }, { id: 5, name: 'Twin' },
      { id: 6, name: 'Ghost' }, { id: 7, name: 'Lao', group: 2 },
    ],
    messages: msgs,
  });
});
afterAll(() => db.close());

const mentions = async (filters = {}) =>
  (await loadInteractions(db, filters, { types: ['mention'], windowMinutes: 5, weights: DEFAULT_WEIGHTS, minWeight: 0 })).pairs.map((p) => [p.source, p.target, p.mentions]);

describe('mention resolution', () => {
  it('resolves each @name to the member holding it at that moment', async () => {
    expect(await mentions()).toEqual([[2, 1, 3], [2, 4, 1], [2, 6, 1]]);
  });

  it('an old name resolves before the rename and not after it', async () => {
    expect(await mentions({ from: '2024-01-04', to: '2024-01-04' })).toEqual([[2, 1, 1]]);
    expect(await mentions({ from: '2024-01-16', to: '2024-01-16' })).toEqual([]);
    expect(await mentions({ from: '2024-01-17', to: '2024-01-17' })).toEqual([[2, 1, 1]]);
  });

  it('ignores names held by several members at that moment', async () => {
    expect(await mentions({ from: '2024-01-11', to: '2024-01-11' })).toEqual([]);
    expect(await mentions({ from: '2024-01-03', to: '2024-01-03' })).toEqual([[2, 4, 1]]);
  });

  it('returns message counts and names of everyone involved', async () => {
    const r = await loadInteractions(db, { groups: [1] }, { types: ['mention'], windowMinutes: 5, weights: DEFAULT_WEIGHTS, minWeight: 0 });
    expect(r.messages.get(2)).toBe(7);
    expect(r.messages.has(6)).toBe(false);
    expect(r.names.get(6)).toBe('Ghost');
    expect(r.names.has(7)).toBe(false);
  });
});
