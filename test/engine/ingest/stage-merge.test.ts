import { describe, expect, it } from 'vitest';
import { Database } from '../../../electron/engine/db/database.js';
import { importSource } from '../../../electron/engine/ingest/import-file.js';
import { bufferSource } from '../../../electron/engine/ingest/input.js';
import type { TermSource } from '../../../electron/engine/ingest/stage.js';
import type { MessageRecord, ParsedRecord, Parser } from '../../../electron/engine/ingest/types.js';

// The staging layout (narrow rows, sender and kind dictionaries, terms written with their
// message) and the merge's shortcuts (ids without a sort, occurrence numbers only where records
// repeat) must store exactly what a plain row-by-row load would.

const G = { type: 'group', key: 'g', platform: 'qq', externalId: null, name: '群', chatType: 'group' } as const;

function msg(line: number, name: string, time: string, text: string, extra: Partial<MessageRecord> = {}): MessageRecord {
  return {
    type: 'message', group: 'g', line, externalId: null, sender: { id: null, name }, time, utcMs: null, kind: 'text', text,
    replyTo: null, quote: null, mentions: [], ...extra,
  };
}

function fakeParser(records: ParsedRecord[]): Parser {
  return {
    format: 'qq-txt', platform: 'qq', sniff: () => 1,
    async *parse() {
      for (let i = 0; i < records.length; i += 1000) yield records.slice(i, i + 1000);
    },
  };
}

/** Terms = the words of the text; batches answer late and in reverse order of asking. */
class SlowTerms implements TermSource {
  batches = 0;
  released = 0;
  private wait = 30;
  segment(texts: string[]): Promise<string[]> {
    this.batches++;
    const delay = (this.wait = Math.max(1, this.wait - 10));
    return new Promise((r) => setTimeout(() => r(texts.map((t) => t.split(' ').filter((w) => w.length > 1).join('\u0001'))), delay));
  }
  release(): void {
    this.released++;
  }
}

async function load(db: Database, records: ParsedRecord[], segmenter: TermSource | null = null, name = 'chat.txt') {
  return importSource(bufferSource(name, name), { db, segmenter, parsers: [fakeParser(records)], fallbackName: 'chat' });
}

describe('staging and merge', () => {
  it('numbers messages by (time, line) when the file is not in that order', async () => {
    const db = await Database.open(':memory:');
    // Lines 5 and 7 share a second; line 2 is the latest. Expected ids by (time, line): 9, 5, 7, 2.
    await load(db, [
      G,
      msg(2, '甲', '2024-01-03 10:00:00', 'c'),
      msg(5, '乙', '2024-01-01 10:00:00', 'a'),
      msg(7, '甲', '2024-01-01 10:00:00', 'b'),
      msg(9, '乙', '2023-12-31 23:59:59', 'z'),
    ]);
    expect(await db.all(`SELECT id, line, text FROM messages ORDER BY id`)).toEqual([
      { id: 1, line: 9, text: 'z' }, { id: 2, line: 5, text: 'a' }, { id: 3, line: 7, text: 'b' }, { id: 4, line: 2, text: 'c' },
    ]);
    // A second file continues the numbering after the first, in its own (time, line) order.
    await load(db, [G, msg(1, '甲', '2024-02-01 00:00:00', 'later'), msg(2, '甲', '2022-01-01 00:00:00', 'earlier')], null, 'b.txt');
    expect(await db.all(`SELECT id, text FROM messages WHERE id > 4 ORDER BY id`)).toEqual([{ id: 5, text: 'earlier' }, { id: 6, text: 'later' }]);
    db.close();
  });

  it('numbers an in-order file by its order, after what the library holds, leaving out what it already has', async () => {
    const db = await Database.open(':memory:');
    const first = [G, msg(1, '甲', '2024-01-01 10:00:00', 'a'), msg(2, '乙', '2024-01-01 10:00:00', 'b')];
    await load(db, first);
    // Overlapping export: 'b' is known, 'c' and 'd' are new; ids continue at 3.
    const r = await load(db, [G, msg(4, '乙', '2024-01-01 10:00:00', 'b'), msg(5, '甲', '2024-01-01 10:00:01', 'c'), msg(6, '甲', '2024-01-02 00:00:00', 'd')], null, 'b.txt');
    expect(r.newMessages).toBe(2);
    expect(await db.all(`SELECT id, text FROM messages ORDER BY id`)).toEqual([
      { id: 1, text: 'a' }, { id: 2, text: 'b' }, { id: 3, text: 'c' }, { id: 4, text: 'd' },
    ]);
    db.close();
  });

  it('counts identical records by line, records with a platform id included', async () => {
    const db = await Database.open(':memory:');
    const t = '2024-01-01 10:00:00';
    // Three "ok" by 甲 in one second; the middle one has a platform id. Occurrences by line: 1, 2, 3;
    // the id-less ones are fingerprinted with 1 and 3.
    await load(db, [G, msg(1, '甲', t, 'ok'), msg(2, '甲', t, 'ok', { externalId: 'm2' }), msg(3, '甲', t, 'ok')]);
    expect(await db.one(`SELECT count(*) AS n FROM messages`)).toEqual({ n: 3 });
    // The same two id-less "ok"s without the middle one are occurrences 1 and 2: the first is
    // known (occurrence 1), the second (2) is not.
    const r = await load(db, [G, msg(1, '甲', t, 'ok'), msg(2, '甲', t, 'ok')], null, 'b.txt');
    expect(r.newMessages).toBe(1);
    // The whole first file again adds nothing.
    const again = await load(db, [G, msg(1, '甲', t, 'ok'), msg(2, '甲', t, 'ok', { externalId: 'm2' }), msg(3, '甲', t, 'ok')], null, 'c.txt');
    expect(again.newMessages).toBe(0);
    db.close();
  });

  it('counts identical records by line in a file that is not in time order', async () => {
    const db = await Database.open(':memory:');
    const t = '2024-01-01 10:00:05';
    // Line 2 is earlier than line 1: the file is not chronological. The two "ok"s are occurrences 1 and 2.
    await load(db, [G, msg(1, '甲', t, 'ok'), msg(2, '乙', '2024-01-01 10:00:00', 'x'), msg(3, '甲', t, 'ok')]);
    expect(await db.all(`SELECT id, line FROM messages ORDER BY id`)).toEqual([{ id: 1, line: 2 }, { id: 2, line: 1 }, { id: 3, line: 3 }]);
    // One "ok" is occurrence 1 (known); three are 1, 2 (known) and 3 (new).
    expect((await load(db, [G, msg(7, '甲', t, 'ok')], null, 'b.txt')).newMessages).toBe(0);
    expect((await load(db, [G, msg(1, '甲', t, 'ok'), msg(2, '甲', t, 'ok'), msg(3, '甲', t, 'ok'), msg(4, '乙', '2024-01-01 09:00:00', 'y')], null, 'c.txt')).newMessages).toBe(2);
    db.close();
  });

  it('keeps senders apart by id, bot flag and aliases, and names members by their latest name', async () => {
    const db = await Database.open(':memory:');
    await load(db, [
      G,
      msg(1, '小王', '2024-01-01 10:00:00', 'a'),
      { ...msg(2, '小王', '2024-01-01 10:01:00', 'b'), sender: { id: '42', name: '小王' } },
      { ...msg(3, '王总', '2024-01-01 10:02:00', 'c'), sender: { id: '42', name: '王总', aliases: ['wang', '王总'] } },
      { ...msg(4, '机器人', '2024-01-01 10:03:00', 'd'), sender: { id: null, name: '机器人', bot: true } },
      msg(5, '小王', '2024-01-01 10:04:00', 'e'),
    ]);
    // Name-keyed 小王 (lines 1, 5), id 42 (小王 then 王总, alias wang), the bot.
    expect(await db.all(`SELECT key, platform_id AS pid, name, is_bot AS bot FROM members ORDER BY id`)).toEqual([
      { key: '42', pid: '42', name: '王总', bot: false },
      { key: 'name:小王', pid: null, name: '小王', bot: false },
      { key: 'name:机器人', pid: null, name: '机器人', bot: true },
    ]);
    expect(await db.all(`SELECT m.key, n.name, n.messages, CAST(n.first_seen AS VARCHAR) AS f, CAST(n.last_seen AS VARCHAR) AS l
      FROM member_names n JOIN members m ON m.id = n.member_id ORDER BY m.id, n.first_seen, n.name`)).toEqual([
      { key: '42', name: '小王', messages: 1, f: '2024-01-01 10:01:00', l: '2024-01-01 10:01:00' },
      { key: '42', name: 'wang', messages: 0, f: '2024-01-01 10:02:00', l: '2024-01-01 10:02:00' },
      { key: '42', name: '王总', messages: 1, f: '2024-01-01 10:02:00', l: '2024-01-01 10:02:00' },
      { key: 'name:小王', name: '小王', messages: 2, f: '2024-01-01 10:00:00', l: '2024-01-01 10:04:00' },
      { key: 'name:机器人', name: '机器人', messages: 1, f: '2024-01-01 10:03:00', l: '2024-01-01 10:03:00' },
    ]);
    db.close();
  });

  it.each([
    ['in time order', false],
    ['out of time order (the merge numbers and fingerprints them itself)', true],
  ])('stores the rare fields (replies, quotes, mentions, reactions) with their own message, %s', async (_, shuffled) => {
    const db = await Database.open(':memory:');
    const records = [
      msg(1, '甲', '2024-01-01 10:00:00', 'hello there', { externalId: '1' }),
      msg(2, '乙', '2024-01-01 10:01:00', 'plain'),
      msg(3, '乙', '2024-01-01 10:02:00', 'answer', { externalId: '3', replyTo: '1', mentions: ['甲', '丙'], reactions: [{ emoji: '👍', count: 2 }, { emoji: '❤', count: 1 }] }),
      msg(4, '丙', '2024-01-01 10:03:00', 'quoting', { quote: { name: '甲', text: 'hello' } }),
    ];
    await load(db, [G, ...(shuffled ? [records[2]!, records[0]!, records[3]!, records[1]!] : records)]);
    // Ids follow time either way.
    expect(await db.all(`SELECT line, reply_to, mentions, reactions, quote_name, quote_text FROM messages ORDER BY id`)).toEqual([
      { line: 1, reply_to: null, mentions: null, reactions: null, quote_name: null, quote_text: null },
      { line: 2, reply_to: null, mentions: null, reactions: null, quote_name: null, quote_text: null },
      { line: 3, reply_to: 1, mentions: ['甲', '丙'], reactions: 3, quote_name: null, quote_text: null },
      // 甲's latest earlier message starting with the quoted text is message 1.
      { line: 4, reply_to: 1, mentions: null, reactions: null, quote_name: '甲', quote_text: 'hello' },
    ]);
    db.close();
  });

  it('gives every message its own terms when batches come back late and out of order', async () => {
    const db = await Database.open(':memory:');
    const records: ParsedRecord[] = [G];
    // 9,000 messages: every third an image (not segmented); texts "w<line> common".
    for (let i = 1; i <= 9000; i++) {
      const time = `2024-01-01 ${String(Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
      records.push(i % 3 === 0 ? msg(i, '甲', time, '[图片]', { kind: 'image' }) : msg(i, '甲', time, `w${i} common`));
    }
    const terms = new SlowTerms();
    const r = await load(db, records, terms);
    expect(r.messages).toBe(9000);
    // 6,000 texts in batches of 2,000.
    expect(terms.batches).toBe(3);
    expect(terms.released).toBe(0); // a small file keeps its term source
    const wrong = await db.one<{ n: number }>(`SELECT count(*) AS n FROM messages
      WHERE CASE WHEN kind = 'image' THEN terms IS NOT NULL ELSE terms IS DISTINCT FROM ['w' || line, 'common'] END`);
    expect(wrong).toEqual({ n: 0 });
    db.close();
  });

  it('does not hold sparse texts back behind many media messages', async () => {
    const db = await Database.open(':memory:');
    const records: ParsedRecord[] = [G];
    // One text every 5,000 messages: batches close every 8,000 records even though they hold 1–2 texts.
    for (let i = 1; i <= 20_000; i++) {
      const time = `2024-01-${String(1 + Math.floor(i / 10_000)).padStart(2, '0')} 10:00:00`;
      records.push(i % 5000 === 1 ? msg(i, '甲', time, `text${i} here`) : msg(i, '乙', time, '[图片]', { kind: 'image' }));
    }
    const terms = new SlowTerms();
    await load(db, records, terms);
    expect(terms.batches).toBeGreaterThanOrEqual(2);
    expect(await db.all(`SELECT line, terms FROM messages WHERE kind = 'text' ORDER BY line`)).toEqual([
      { line: 1, terms: ['text1', 'here'] }, { line: 5001, terms: ['text5001', 'here'] },
      { line: 10001, terms: ['text10001', 'here'] }, { line: 15001, terms: ['text15001', 'here'] },
    ]);
    expect((await db.one<{ n: number }>(`SELECT count(*) AS n FROM messages`))!.n).toBe(20_000);
    db.close();
  });

  it('releases the term source after a big file', async () => {
    const db = await Database.open(':memory:');
    const records: ParsedRecord[] = [G];
    for (let i = 1; i <= 100_000; i++) records.push(msg(i, i % 2 ? '甲' : '乙', `2024-01-01 10:00:${String(i % 60).padStart(2, '0')}`, `m${i}`, { kind: 'image' }));
    const terms = new SlowTerms();
    const r = await load(db, records, terms);
    expect(r.newMessages).toBe(100_000);
    expect(terms.released).toBe(1);
    db.close();
  });
});
