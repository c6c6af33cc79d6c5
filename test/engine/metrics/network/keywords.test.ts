import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../../electron/engine/db/database.js';
import { buildKeywordsSql, keywords, KeywordsArgs } from '../../../../electron/engine/metrics/network/keywords.js';
import { EXCLUDED_TERMS } from '../../../../electron/engine/metrics/network/term-guard.js';
import { at, ctxOf, makeDb, type FxMessage } from './fixture.js';

/*
 * Group 1, days D0..D3 (2024-01-01..04), all four days carry terms → D = 4 documents.
 *   alpha: D0, D1, D2 once each; D3 four times      → df 4
 *   beta : D3 only, three messages                  → df 1
 *   gamma: D0 once; D3 three times                  → df 2
 *   delta: D3 twice                                  → below minCount 3
 *   图片 / [图片] / image: D3 five times each         → placeholders, never keywords
 * Group 2 uses beta every day; it must not change group 1's idf.
 * Period D3: alpha 4·(ln(5/5)+1) = 4; beta 3·(ln(5/2)+1) = 5.749; gamma 3·(ln(5/3)+1) = 4.532
 *   → beta, gamma, alpha (alpha is the most frequent but is there every day).
 * Whole history: alpha 7·1 = 7; gamma 4·1.511 = 6.043; beta 5.749 → alpha, gamma, beta.
 */
const msgs: FxMessage[] = [];
const add = (d: number, terms: string[], member = 1, group = 1) => msgs.push({ member, ts: at(d, msgs.length), terms, group });
for (const d of [0, 1, 2]) add(d, ['alpha']);
add(0, ['gamma']);
for (let i = 0; i < 4; i++) add(3, ['alpha']);
for (let i = 0; i < 3; i++) add(3, ['beta']);
for (let i = 0; i < 3; i++) add(3, ['gamma']);
for (let i = 0; i < 2; i++) add(3, ['delta']);
for (let i = 0; i < 5; i++) add(3, ['图片', '[图片]', 'image']);
for (const d of [0, 1, 2, 3]) add(d, ['beta'], 9, 2);

let db: Database;
beforeAll(async () => {
  db = await makeDb({ groups: [1, 2], members: [{ id: 1, name: 'A' }, { id: 9, name: 'Z', group: 2 }], messages: msgs });
});
afterAll(() => db.close());

describe('keywords', () => {
  it('ranks by tf in the period × idf over the group history (days)', async () => {
    const r = await keywords.run(ctxOf(db, { groups: [1], from: '2024-01-04', to: '2024-01-04' }), KeywordsArgs.parse({}));
    expect(r.documents).toBe(4);
    expect(r.keywords.map((k) => k.term)).toEqual(['beta', 'gamma', 'alpha']);
    const [beta, gamma, alpha] = r.keywords;
    expect(beta).toMatchObject({ count: 3, days: 1 });
    expect(beta!.score).toBeCloseTo(3 * (Math.log(5 / 2) + 1), 9);
    expect(gamma).toMatchObject({ count: 3, days: 2 });
    expect(gamma!.score).toBeCloseTo(3 * (Math.log(5 / 3) + 1), 9);
    expect(alpha).toMatchObject({ count: 4, days: 4, idf: 1, score: 4 });
  });

  it('over the whole history frequency wins back where idf is equal', async () => {
    const r = await keywords.run(ctxOf(db, { groups: [1] }), KeywordsArgs.parse({}));
    expect(r.keywords.map((k) => k.term)).toEqual(['alpha', 'gamma', 'beta']);
  });

  it('never returns placeholder-derived words even when they are stored in terms', async () => {
    const r = await keywords.run(ctxOf(db), KeywordsArgs.parse({ minCount: 1 }));
    const terms = r.keywords.map((k) => k.term);
    for (const bad of ['图片', '[图片]', 'image']) expect(terms).not.toContain(bad);
    expect(terms).toContain('delta');
    expect(EXCLUDED_TERMS).toEqual(expect.arrayContaining(['图片', '[图片]', 'image omitted', 'media omitted']));
  });

  it('honours minCount, limit and user exclusions', async () => {
    const r = await keywords.run(ctxOf(db, { groups: [1], from: '2024-01-04' }), KeywordsArgs.parse({ limit: 2, excludeTerms: ['Beta'] }));
    expect(r.keywords.map((k) => k.term)).toEqual(['gamma', 'alpha']);
  });

  it('builds SQL with bound filter values', () => {
    const q = buildKeywordsSql({ groups: [1], from: '2024-01-04', members: [3] }, KeywordsArgs.parse({}));
    expect(q.sql).not.toContain('2024-01-04');
    expect(q.sql).toContain('unnest(m.terms)');
    // The period is a flag inside the single pass over the history.
    expect(q.sql).toContain('ts >= CAST($f_from AS TIMESTAMP)');
    expect(q.sql).toContain('ln((1 + docs.n)');
    expect(q.params).toMatchObject({ f_from: '2024-01-04', k_min: 3, k_limit: 50 });
    // idf uses the group's history only: the scan itself has no date/member condition.
    expect(q.sql).toMatch(/FROM messages m WHERE m\.terms IS NOT NULL AND list_contains\(\$f_groups, m\.group_id\)\n/);
  });
});
