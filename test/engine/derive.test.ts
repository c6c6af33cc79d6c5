import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../electron/engine/db/database.js';
import { MIGRATIONS } from '../../electron/engine/db/schema.js';
import { DERIVED_TABLES, refreshDerived, staleGroups } from '../../electron/engine/derive.js';
import { mergeMembers, undoIdentity } from '../../electron/engine/identity.js';
import { importSource } from '../../electron/engine/ingest/import-file.js';
import { bufferSource } from '../../electron/engine/ingest/input.js';
import { PARSERS } from '../../electron/engine/ingest/parsers/index.js';
import type { TermSource } from '../../electron/engine/ingest/stage.js';
import { conversations } from '../../electron/engine/metrics/core/conversations.js';
import { buildConversationStartsSql } from '../../electron/engine/metrics/network/kol.js';
import { ctx, msg, openDb, type Dataset } from './metrics/core/fixture.js';

/** Terms = the words of the text (lowercased, 2+ characters): deterministic and fast. */
const WORDS: TermSource = {
  segment: async (texts) => texts.map((t) => t.toLowerCase().split(/[\s,.!?？]+/).filter((w) => w.length > 1).join('\u0001')),
};

/** Every derived row, per table, in a fixed order. */
async function snapshot(db: Database, groups?: number[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of DERIVED_TABLES) {
    const rows = await db.all(`SELECT * FROM ${t} ORDER BY ALL`);
    out[t] = groups ? rows.filter((r) => groups.includes(r['group_id'] as number)) : rows;
  }
  return out;
}

// Telegram exports: group 42 in two overlapping exports, group 43 once.
const t = (id: number, date: string, from: string, uid: string, text: string, extra: object = {}) => ({
  id, type: 'message', date, from, from_id: uid, text, ...extra,
});
const mention = (name: string, before = 'ask ') => ({ text_entities: [{ type: 'plain', text: before }, { type: 'mention', text: `@${name}` }] });
const chat = (id: number, name: string, messages: object[]) => JSON.stringify({ name, type: 'private_supergroup', id, messages });

const A1 = chat(42, 'Ops', [
  t(1, '2024-01-01T10:00:00', 'Ann', 'user1', 'campaign plan today?'),
  t(2, '2024-01-01T10:03:00', 'Bob', 'user2', 'campaign plan ready'),
  t(3, '2024-01-01T10:40:00', 'Cid', 'user3', 'ask @Bob', mention('Bob')),
  t(4, '2024-01-01T10:41:00', 'Ann', 'user1', 'metrics later', { reply_to_message_id: 2 }),
  t(5, '2024-01-02T09:00:00', 'Bob', 'user2', 'reply to a later message', { reply_to_message_id: 9 }),
]);
const B1 = chat(43, 'Other', [
  t(1, '2024-01-01T08:00:00', 'Dee', 'user4', 'hello world'),
  t(2, '2024-01-01T08:01:00', 'Eve', 'user5', 'hello again @Dee', mention('Dee', 'hello again ')),
]);
// A later export of 42: messages 1–5 again, a message between 3 and 4 (id 6, new neighbours), Bob
// renamed to Rob, the message 5 replies to (9), and mentions of the new name.
const A2 = chat(42, 'Ops', [
  t(1, '2024-01-01T10:00:00', 'Ann', 'user1', 'campaign plan today?'),
  t(2, '2024-01-01T10:03:00', 'Bob', 'user2', 'campaign plan ready'),
  t(3, '2024-01-01T10:40:00', 'Cid', 'user3', 'ask @Bob', mention('Bob')),
  t(6, '2024-01-01T10:40:30', 'Rob', 'user2', 'metrics campaign'),
  t(4, '2024-01-01T10:41:00', 'Ann', 'user1', 'metrics later', { reply_to_message_id: 2 }),
  t(5, '2024-01-02T09:00:00', 'Bob', 'user2', 'reply to a later message', { reply_to_message_id: 9 }),
  t(9, '2024-01-01T12:00:00', 'Cid', 'user3', 'plan done'),
  t(10, '2024-01-02T09:01:00', 'Ann', 'user1', 'thanks @Rob', mention('Rob', 'thanks ')),
]);

describe('refreshDerived on real imports', () => {
  let db: Database;
  afterEach(() => db?.close());
  const load = (name: string, text: string) =>
    importSource(bufferSource(name, text), { db, segmenter: WORDS, parsers: PARSERS, fallbackName: name });

  it('an import refreshes the groups it touched; the result equals a refresh from scratch', async () => {
    db = await Database.open(':memory:');
    await load('a1.json', A1);
    await load('b1.json', B1);
    const [ga, gb] = (await db.all<{ id: number }>(`SELECT id FROM groups ORDER BY ext_key`)).map((r) => r.id);
    const otherBefore = await snapshot(db, [gb!]);
    expect(otherBefore['d_seq']).toHaveLength(2);
    // The @Dee of group 43 resolves to Dee; the reply of message 5 (to 9) is not resolvable yet.
    expect(otherBefore['d_edges']).toMatchObject([{ kind: 2, folded: false }]);
    const edgesA = await db.all<{ kind: number }>(`SELECT kind FROM d_edges WHERE group_id = $g ORDER BY ALL`, { g: ga! });
    expect(edgesA.map((e) => e.kind)).toEqual([1, 2]); // 4 → 2 reply; 3 @Bob

    await load('a2.json', A2);
    const incremental = await snapshot(db);
    // Group 43 was not touched: its rows are the very same.
    expect(await snapshot(db, [gb!])).toEqual(otherBefore);
    // Message 6 now sits between 3 and 4: 4's previous message is Rob's (Bob's member).
    const four = await db.one<{ prev_ts: string; n: number }>(
      `SELECT CAST(s.prev_ts AS VARCHAR) AS prev_ts, (SELECT count(*) FROM d_seq WHERE group_id = $g) AS n
       FROM d_seq s JOIN messages m ON m.id = s.id WHERE m.ext_id = '4' AND s.group_id = $g`, { g: ga! });
    expect(four).toEqual({ prev_ts: '2024-01-01 10:40:30', n: 8 });
    // By message: 3 @Bob, 4 → 2 (reply), 5 → 9 (a reply resolved only now), 10 @Rob (Bob's new
    // name: the latest one seen before it). Both names are user2's.
    const e = await db.all<{ kind: number; target: string }>(
      `SELECT e.kind, mem.key AS target FROM d_edges e JOIN members mem ON mem.id = e.target WHERE e.group_id = $g ORDER BY e.mid`, { g: ga! });
    expect(e).toEqual([
      { kind: 2, target: 'user2' },
      { kind: 1, target: 'user2' },
      { kind: 1, target: 'user3' },
      { kind: 2, target: 'user2' },
    ]);
    // Terms per day: "campaign" twice on Jan 1 in the first export, three times with message 6.
    const campaign = await db.one<{ n: number }>(`SELECT n FROM d_term_day WHERE group_id = $g AND term = 'campaign' AND day = DATE '2024-01-01'`, { g: ga! });
    expect(campaign?.n).toBe(3);

    await refreshDerived(db, null);
    expect(await snapshot(db)).toEqual(incremental);
    expect(await staleGroups(db)).toEqual([]);
  });

  it('identity merges and undo rebuild only the group that changed, as a fresh refresh would', async () => {
    db = await Database.open(':memory:');
    await load('a1.json', A1);
    await load('b1.json', B1);
    const [ga, gb] = (await db.all<{ id: number }>(`SELECT id FROM groups ORDER BY ext_key`)).map((r) => r.id);
    const member = async (key: string, g: number) => (await db.one<{ id: number }>(`SELECT id FROM members WHERE key = $k AND group_id = $g`, { k: key, g }))!.id;
    const ann = await member('user1', ga!);
    const cid = await member('user3', ga!);
    const before = await snapshot(db);
    const other = await snapshot(db, [gb!]);
    const sigB = await db.one(`SELECT members_sig FROM d_groups WHERE group_id = $g`, { g: gb! });

    await mergeMembers(db, [ann, cid]);
    // Cid's messages (3) are Ann's now: Ann has messages 1, 3 and 4 on Jan 1; no row is Cid's.
    const days = await db.all<{ member_id: number; messages: number }>(
      `SELECT member_id, messages FROM d_member_day WHERE group_id = $g AND day = DATE '2024-01-01' ORDER BY member_id`, { g: ga! });
    expect(days).toEqual([{ member_id: ann, messages: 3 }, { member_id: await member('user2', ga!), messages: 1 }]);
    expect(await db.one(`SELECT count(*)::INTEGER AS n FROM d_seq WHERE member_id = $c OR prev_member = $c`, { c: cid })).toEqual({ n: 0 });
    const merged = await snapshot(db);
    expect(await snapshot(db, [gb!])).toEqual(other);
    expect(await db.one(`SELECT members_sig FROM d_groups WHERE group_id = $g`, { g: gb! })).toEqual(sigB);
    await refreshDerived(db, null);
    expect(await snapshot(db)).toEqual(merged);

    await undoIdentity(db);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('migration 4', () => {
  it('fills the derived tables of a library made before it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'qunxi-derive-')), 'v3.duckdb');
    const v3 = await Database.open(path, { migrations: MIGRATIONS.slice(0, 3) });
    await v3.run(`INSERT INTO groups VALUES (1, 'qq', 'g1', 'G', 'group'), (2, 'qq', 'g2', 'H', 'group')`);
    await v3.run(`INSERT INTO members (id, group_id, key, platform_id, name) VALUES (1, 1, 'a', 'a', 'A'), (2, 1, 'b', 'b', 'B'), (3, 2, 'c', 'c', 'C')`);
    await v3.run(`INSERT INTO member_names VALUES (1, 'A', '2024-01-01 10:00:00', '2024-01-01 10:00:00', 1), (2, 'B', '2024-01-01 10:01:00', '2024-01-01 10:02:00', 2)`);
    await v3.run(`INSERT INTO messages (id, group_id, member_id, source_id, line, ts, kind, text, reply_to, mentions, terms, chars, fp, author_id) VALUES
      (1, 1, 1, 1, 1, '2024-01-01 10:00:00', 'text', '打卡 hello', NULL, NULL, ['hello'], 8, 1, 1),
      (2, 1, 2, 1, 2, '2024-01-01 10:01:00', 'text', '@A 怎么办？', NULL, ['A'], ['怎么办'], 7, 2, 2),
      (3, 1, 2, 1, 3, '2024-01-01 10:02:00', 'text', 'ok', 1, NULL, NULL, 2, 3, 2),
      (4, 2, 3, 1, 4, '2024-01-02 10:00:00', 'text', 'hi there', NULL, NULL, ['hi', 'there'], 8, 4, 3)`);
    v3.close();

    const db = await Database.open(path);
    try {
      expect(await db.schemaVersion()).toBeGreaterThanOrEqual(4);
      const migrated = await snapshot(db);
      expect(migrated['d_seq']).toHaveLength(4);
      // Message 2 is a question (怎么办？) with an @; after it only B's own message 3: no answer.
      expect(migrated['d_seq']![1]).toMatchObject({ isq: true, ans_ts: null, explicit: true });
      expect(migrated['d_edges']).toMatchObject([{ mid: 2, source: 2, target: 1, kind: 2 }, { mid: 3, source: 2, target: 1, kind: 1 }]);
      expect(migrated['d_member_day']).toMatchObject([{ member_id: 1, messages: 1, checkins: 1 }, { member_id: 2, messages: 2, chars: 9, checkins: 0 }, { member_id: 3 }]);
      expect(migrated['d_term_day']).toHaveLength(4);
      await refreshDerived(db, null);
      expect(await snapshot(db)).toEqual(migrated);
    } finally {
      db.close();
    }
  });
});

// Conversations with the 30-minute gap, members 1 A, 2 B, 3 X. All eight messages form one
// conversation (no gap reaches 30 min). Without X (exclude [3]) the kept messages are 1, 4, 5, 7,
// 8 with gaps 50, 10, 45, 5 min: conversations [1] [4 5] [7 8].
const BRIDGE: Dataset = {
  members: [[1, 'A'], [2, 'B'], [3, 'X']],
  messages: [
    msg(1, 1, '2024-03-04 10:00:00', '今天开会吗'), // question; first other: 2 (X) → then 4 is A again → 5
    msg(2, 3, '2024-03-04 10:20:00', 'x'),
    msg(3, 3, '2024-03-04 10:45:00', 'x'),
    msg(4, 1, '2024-03-04 10:50:00', 'ok'),
    msg(5, 2, '2024-03-04 11:00:00', '怎么办？'), // question; first other: 6 (X) → then 7 (A)
    msg(6, 3, '2024-03-04 11:20:00', 'x'),
    msg(7, 1, '2024-03-04 11:45:00', 'z'),
    msg(8, 2, '2024-03-04 11:50:00', 'y'),
  ],
};

describe('excluded members between kept messages (derived fast paths)', () => {
  let db: Database;
  afterEach(() => db?.close());

  it('conversations: split where excluded messages bridged the gap; neighbours and answers skip them', async () => {
    db = await openDb(BRIDGE);
    const all = await conversations.run(ctx(db), conversations.args.parse({}));
    expect(all.conversations).toMatchObject({ count: 1, meanLength: 8 });
    const r = await conversations.run(ctx(db, { exclude: [3] }), conversations.args.parse({}));
    // Lengths 1, 2, 2; durations 0, 10 (4 → 5), 5 (7 → 8) minutes.
    expect(r.conversations).toEqual({ count: 3, meanLength: 5 / 3, medianLength: 2, singles: 1, medianMinutes: 5 });
    expect(r.starters).toEqual([{ memberId: 1, name: 'A', conversations: 3 }]);
    // Turn changes inside conversations: 4 → 5 (600 s), 7 → 8 (300 s); p90 = 300 + 0.9 × 300.
    expect(r.responseTime).toEqual({ count: 2, medianSeconds: 450, p90Seconds: 570 });
    // Q1 (A): 4 is A's own → answered by 5 at 11:00 (3600 s). Q5 (B): answered by 7 at 11:45 (2700 s).
    expect(r.questions).toEqual({
      count: 2, answered: 2, unanswered: 0, pending: 0, unansweredRate: 0, medianResponseSeconds: 3150, p90ResponseSeconds: 3510,
    });
    // Only A selected: all three conversations hold an A message; A's messages 1, 4, 7 all start
    // one (no response times); only A's question 1 counts.
    const a = await conversations.run(ctx(db, { exclude: [3], members: [1] }), conversations.args.parse({}));
    expect(a.conversations.count).toBe(3);
    expect(a.responseTime).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
    expect(a.questions).toMatchObject({ count: 1, answered: 1, medianResponseSeconds: 3600 });
  });

  it('KOL conversation starts: the same three conversations without X, one with everyone', async () => {
    db = await openDb(BRIDGE);
    const starts = async (exclude?: number[]) => {
      const q = buildConversationStartsSql(exclude ? { exclude } : {}, 30, 1);
      return db.all(q.sql, q.params);
    };
    // [1] has 1 person, [4 5] and [7 8] two: A started 3, two of them drew in another member.
    expect(await starts([3])).toEqual([{ id: 1, started: 3, drawing: 2 }]);
    expect(await starts()).toEqual([{ id: 1, started: 1, drawing: 1 }]);
  });

  it('KOL conversation starts: a period starting mid-conversation starts one at its first message', async () => {
    // A 23:50, B 00:10, C 00:20, A 00:25: one conversation; from the 5th it is [B C A] started by B.
    db = await openDb({
      members: [[1, 'A'], [2, 'B'], [3, 'C']],
      messages: [msg(1, 1, '2024-03-04 23:50:00'), msg(2, 2, '2024-03-05 00:10:00'), msg(3, 3, '2024-03-05 00:20:00'), msg(4, 1, '2024-03-05 00:25:00')],
    });
    const q = buildConversationStartsSql({ from: '2024-03-05' }, 30, 2);
    expect(await db.all(q.sql, q.params)).toEqual([{ id: 2, started: 1, drawing: 1 }]);
    const cut = buildConversationStartsSql({ from: '2024-03-05', exclude: [2] }, 30, 2);
    expect(await db.all(cut.sql, cut.params)).toEqual([{ id: 3, started: 1, drawing: 0 }]);
  });
});

describe('@phone-number mentions (WhatsApp)', () => {
  // Two members shown by number, one by a saved name. WhatsApp writes every @mention as digits:
  // @8617779291261 is the member shown as "+86 177 7929 1261" (key tel:+8617779291261); the
  // saved contact's number appears nowhere in the export, so @8613900000000 names no one.
  const CHAT = [
    '14/03/2024, 09:00 - +86 177 7929 1261: 今天的活动方案',
    '14/03/2024, 09:05 - 心若向阳: 感谢@8617779291261 ，明白了',
    '14/03/2024, 09:06 - +86 188 0000 1111: @8613900000000 在吗',
    '14/03/2024, 09:07 - 心若向阳: @8618800001111 @8617779291261 一起看看',
  ].join('\n') + '\n';

  it('resolve to the member with that number, at import and in a library made before the rule (migration 5)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'qunxi-phone-')), 'lib.duckdb');
    const v4 = await Database.open(path, { migrations: MIGRATIONS.slice(0, 4) });
    await importSource(bufferSource('_chat.txt', CHAT), { db: v4, segmenter: WORDS, parsers: PARSERS, fallbackName: 'g' });
    const edges = (d: Database) => d.all<{ src: string; dst: string; kind: number }>(
      `SELECT s.name AS src, t.name AS dst, e.kind FROM d_edges e JOIN members s ON s.id = e.source JOIN members t ON t.id = e.target ORDER BY e.mid, t.name`);
    // As the statements before the rule left it: no @number resolved, so no edge at all here.
    await v4.run(`DELETE FROM d_edges`);
    v4.close();

    const db = await Database.open(path);
    try {
      const want = [
        { src: '心若向阳', dst: '+86 177 7929 1261', kind: 2 },
        { src: '心若向阳', dst: '+86 177 7929 1261', kind: 2 },
        { src: '心若向阳', dst: '+86 188 0000 1111', kind: 2 },
      ];
      expect(await edges(db)).toEqual(want);
      // A fresh import into a new library resolves them the same way.
      const fresh = await Database.open(':memory:');
      try {
        await importSource(bufferSource('_chat.txt', CHAT), { db: fresh, segmenter: WORDS, parsers: PARSERS, fallbackName: 'g' });
        expect(await edges(fresh)).toEqual(want);
      } finally {
        fresh.close();
      }
    } finally {
      db.close();
    }
  });
});
