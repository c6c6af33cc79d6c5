import { describe, expect, it } from 'vitest';
import { Database } from '../../../electron/engine/db/database.js';
import { importSource } from '../../../electron/engine/ingest/import-file.js';
import { bufferSource } from '../../../electron/engine/ingest/input.js';
import type { MessageRecord, ParsedRecord, Parser } from '../../../electron/engine/ingest/types.js';
import { Segmenter } from '../../../electron/engine/text/segmenter.js';

const G = { type: 'group', key: 'g', platform: 'qq', externalId: null, name: '测试群', chatType: 'group' } as const;

function msg(line: number, id: string | null, name: string, time: string, text: string, extra: Partial<MessageRecord> = {}): MessageRecord {
  return {
    type: 'message', group: 'g', line, externalId: null, sender: { id, name }, time, utcMs: null, kind: 'text', text,
    replyTo: null, quote: null, mentions: [], ...extra,
  };
}

/** A parser that ignores its input and yields fixed records (the loader is under test, not a format). */
function fakeParser(records: ParsedRecord[], failAfter = -1): Parser {
  return {
    format: 'qq-txt',
    platform: 'qq',
    sniff: () => 1,
    async *parse() {
      let i = 0;
      for (const r of records) {
        if (i++ === failAfter) throw new Error('disk on fire');
        yield [r];
      }
    },
  };
}

const seg = new Segmenter();

async function load(db: Database, records: ParsedRecord[], content = 'x', opts: { failAfter?: number; signal?: AbortSignal } = {}) {
  return importSource(bufferSource('chat.txt', content), {
    db, segmenter: seg, parsers: [fakeParser(records, opts.failAfter)], fallbackName: 'chat', signal: opts.signal,
  });
}

const count = async (db: Database, t: string) => (await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))!.n;

describe('importSource (stage + merge)', () => {
  const base: ParsedRecord[] = [
    G,
    { type: 'event', group: 'g', line: 1, time: '2024-01-01 09:00:00', utcMs: null, kind: 'join', actor: null, subjects: [{ id: null, name: '小王' }], text: '小王加入本群。' },
    msg(3, '111', '小王', '2024-01-01 10:00:00', '大家好，我是小王，做私域运营的'),
    msg(6, '222', '【管理员】老李', '2024-01-01 10:01:00', '欢迎 @小王', { mentions: ['小王'] }),
    msg(9, '111', '王总', '2024-01-02 08:00:00', '[图片]', { kind: 'image' }),
    { type: 'reject', line: 12, reason: 'bad header', raw: '2024-13-01 oops' },
  ];

  it('stores groups, members, names, messages, events and rejects', async () => {
    const db = await Database.open(':memory:');
    const r = await load(db, base);
    expect(r.messages).toBe(3);
    expect(r.newMessages).toBe(3);
    expect(r.events).toBe(1);
    expect(r.rejected).toBe(1);
    expect(r.groups).toEqual([
      { format: 'qq-txt', group: '测试群', groupId: 1, messages: 3, senders: 2, events: { join: 1 }, rejected: 1, from: '2024-01-01 10:00:00', to: '2024-01-02 08:00:00' },
    ]);
    // 小王 (id 111) renamed to 王总: one member, two names, shown by the latest.
    const members = await db.all<{ key: string; name: string }>(`SELECT key, name FROM members ORDER BY key`);
    expect(members).toEqual([{ key: '111', name: '王总' }, { key: '222', name: '【管理员】老李' }]);
    const names = await db.all(`SELECT name, messages FROM member_names WHERE member_id = 1 ORDER BY first_seen`);
    expect(names).toEqual([{ name: '小王', messages: 1 }, { name: '王总', messages: 1 }]);
    // The name-only join subject resolves to the member who carried that name.
    expect(await db.all(`SELECT kind, subject_id FROM events`)).toEqual([{ kind: 'join', subject_id: 1 }]);
    expect(await db.all(`SELECT kind, chars, terms FROM messages ORDER BY id`)).toEqual([
      { kind: 'text', chars: 15, terms: ['私域运营'] },
      { kind: 'text', chars: 6, terms: ['欢迎'] },
      { kind: 'image', chars: 0, terms: null },
    ]);
    expect(await db.all(`SELECT file, line, reason FROM rejects`)).toEqual([{ file: 'chat.txt', line: 12, reason: 'bad header' }]);
    db.close();
  });

  it('importing the same file twice stores each message once', async () => {
    const db = await Database.open(':memory:');
    await load(db, base, 'same');
    const again = await load(db, base, 'same');
    expect(again.duplicateOf).toBe('chat.txt');
    expect(again.newMessages).toBe(0);
    expect(await count(db, 'messages')).toBe(3);
    expect(await count(db, 'sources')).toBe(1);
    db.close();
  });

  it('two overlapping exports of one group merge without duplicates; identical lines in one export both stay', async () => {
    const db = await Database.open(':memory:');
    const first = [G, msg(1, '1', 'A', '2024-01-01 10:00:00', 'ok'), msg(2, '1', 'A', '2024-01-01 10:00:00', 'ok'), msg(3, '2', 'B', '2024-01-01 10:05:00', 'hi')];
    const second = [G, msg(1, '2', 'B', '2024-01-01 10:05:00', 'hi'), msg(2, '1', 'A', '2024-01-01 11:00:00', 'new')];
    await load(db, first, 'export-1');
    const r = await load(db, second, 'export-2');
    expect(r.newMessages).toBe(1);
    expect(await db.all(`SELECT text FROM messages ORDER BY id`)).toEqual([{ text: 'ok' }, { text: 'ok' }, { text: 'hi' }, { text: 'new' }]);
    db.close();
  });

  it('a failure mid-file leaves the database exactly as before', async () => {
    const db = await Database.open(':memory:');
    await load(db, [G, msg(1, '1', 'A', '2024-01-01 10:00:00', 'kept')], 'one');
    await expect(load(db, base, 'two', { failAfter: 3 })).rejects.toThrow('disk on fire');
    expect(await count(db, 'messages')).toBe(1);
    expect(await count(db, 'members')).toBe(1);
    expect(await count(db, 'sources')).toBe(1);
    db.close();
  });

  it('cancelling stops the import and writes nothing', async () => {
    const db = await Database.open(':memory:');
    const ac = new AbortController();
    ac.abort();
    await expect(load(db, base, 'c', { signal: ac.signal })).rejects.toThrow('cancelled');
    expect(await count(db, 'messages')).toBe(0);
    db.close();
  });

  it('resolves replies by platform id and quotes by name and text', async () => {
    const db = await Database.open(':memory:');
    await load(db, [
      G,
      msg(1, '1', 'A', '2024-01-01 10:00:00', '有人用过视频号吗', { externalId: '10' }),
      msg(2, '2', 'B', '2024-01-01 10:01:00', '用过', { externalId: '11', replyTo: '10' }),
      msg(3, '3', 'C', '2024-01-01 10:02:00', '我也是', { quote: { name: 'A', text: '有人用过视频号吗' } }),
    ]);
    expect(await db.all(`SELECT id, reply_to FROM messages ORDER BY id`)).toEqual([
      { id: 1, reply_to: null }, { id: 2, reply_to: 1 }, { id: 3, reply_to: 1 },
    ]);
    db.close();
  });

  it('a file with no readable record is refused as a whole', async () => {
    const db = await Database.open(':memory:');
    await expect(load(db, [G, { type: 'reject', line: 1, reason: 'x', raw: 'y' }])).rejects.toThrow(/no readable record/);
    expect(await count(db, 'rejects')).toBe(0);
    db.close();
  });

  it('learns a member\'s group card from a quote that names them by id, so notices resolve to them', async () => {
    const db = await Database.open(':memory:');
    await load(db, [
      G,
      msg(1, 'wxid_a', '小洋', '2024-01-01 10:00:00', '大家好'),
      msg(2, 'wxid_b', '小颖', '2024-01-01 10:01:00', '欢迎', { quote: { id: 'wxid_a', name: '上海-珠宝-小洋', text: '大家好' } }),
      { type: 'event', group: 'g', line: 3, time: '2024-01-02 09:00:00', utcMs: null, kind: 'recall', actor: { id: null, name: '上海-珠宝-小洋' }, subjects: [], text: '"上海-珠宝-小洋"撤回了一条消息' },
    ]);
    expect(await db.all(`SELECT name, messages FROM member_names WHERE member_id = 1 ORDER BY name`)).toEqual([
      { name: '上海-珠宝-小洋', messages: 0 },
      { name: '小洋', messages: 1 },
    ]);
    expect(await db.all(`SELECT kind, actor_id FROM events`)).toEqual([{ kind: 'recall', actor_id: 1 }]);
    expect(await db.all(`SELECT id, reply_to FROM messages ORDER BY id`)).toEqual([{ id: 1, reply_to: null }, { id: 2, reply_to: 1 }]);
    expect(await count(db, 'members')).toBe(2);
    db.close();
  });
});
