import { afterEach, describe, expect, it } from 'vitest';
import { Database } from '../../electron/engine/db/database.js';
import { derive, listIdentityOps, mergeMembers, splitMember, undoIdentity } from '../../electron/engine/identity.js';
import { importSource } from '../../electron/engine/ingest/import-file.js';
import { bufferSource } from '../../electron/engine/ingest/input.js';
import { PARSERS } from '../../electron/engine/ingest/parsers/index.js';
import { members as membersMetric } from '../../electron/engine/metrics/core/members.js';
import { overview } from '../../electron/engine/metrics/core/overview.js';
import { compare } from '../../electron/engine/metrics/core/compare.js';

const M = (id: number, group_id: number, ident: string | null = null, platform = 'qq') => ({ id, group_id, platform, ident });

describe('derive (pure replay of identity decisions)', () => {
  it('default persons: same platform id on the same platform, else one each', () => {
    const s = derive([M(1, 1, 'u1'), M(2, 1), M(3, 2, 'u1'), M(4, 2, 'u1', 'telegram')], []);
    expect([...s]).toEqual([
      [1, { mergedInto: null, person: 1 }], [2, { mergedInto: null, person: 2 }],
      [3, { mergedInto: null, person: 1 }], [4, { mergedInto: null, person: 4 }],
    ]);
  });

  it('merge within a group: the first listed member stands for the rest; across groups: one person', () => {
    const s = derive([M(1, 1), M(2, 1), M(3, 1), M(4, 2)], [{ op: 'merge', members: [2, 1, 4] }]);
    expect(s.get(1)).toEqual({ mergedInto: 2, person: 2 });
    expect(s.get(2)).toEqual({ mergedInto: null, person: 2 });
    expect(s.get(3)).toEqual({ mergedInto: null, person: 3 });
    expect(s.get(4)).toEqual({ mergedInto: null, person: 2 });
  });

  it('chained merges resolve to one root', () => {
    const s = derive([M(1, 1), M(2, 1), M(3, 1)], [{ op: 'merge', members: [2, 1] }, { op: 'merge', members: [3, 2] }]);
    expect([s.get(1)!.mergedInto, s.get(2)!.mergedInto, s.get(3)!.mergedInto]).toEqual([3, 3, null]);
    expect(new Set([...s.values()].map((x) => x.person))).toEqual(new Set([3]));
  });

  it('split takes one member out; the others stay together', () => {
    // 1 ← 2, 1 ← 3, then split 1 (the head): 2 and 3 stay one member (2 stands for 3).
    const s = derive([M(1, 1), M(2, 1), M(3, 1)], [{ op: 'merge', members: [1, 2, 3] }, { op: 'split', members: [1] }]);
    expect(s.get(1)).toEqual({ mergedInto: null, person: -1 });
    expect(s.get(2)).toEqual({ mergedInto: null, person: 1 });
    expect(s.get(3)).toEqual({ mergedInto: 2, person: 1 });
  });

  it('split separates a member from others with the same platform id', () => {
    const s = derive([M(1, 1, 'u1'), M(2, 2, 'u1')], [{ op: 'split', members: [2] }]);
    expect(s.get(1)!.person).not.toBe(s.get(2)!.person);
  });
});

// A WhatsApp group where one person first appears as a phone number and later under the name the
// exporting phone saved for them; plus a second export of another group with the same number.
const CHAT_A = [
  '12/01/2024, 09:00 - Ann: 早上好',
  '12/01/2024, 09:05 - \u202a+86 138 0013 8000\u202c: 大家好，我是新来的',
  '12/01/2024, 09:06 - Ann: 欢迎！',
  '13/01/2024, 10:00 - Lee Wei: 我存了号码，现在显示名字了',
  '13/01/2024, 10:01 - Lee Wei: 今天讨论什么',
  '13/01/2024, 10:02 - Ann: 运营',
].join('\n');
const CHAT_B = [
  '14/01/2024, 08:00 - +86 138-0013-8000: 二群你好',
  '14/01/2024, 08:01 - Bo: hi',
].join('\n');

describe('identity merges on a real import', () => {
  let db: Database;
  afterEach(() => db?.close());

  const load = (name: string, text: string) =>
    importSource(bufferSource(name, text), { db, segmenter: null, parsers: PARSERS, fallbackName: name.replace(/\.txt$/, '') });
  const ctx = (groups?: number[]) => ({ db, filters: groups ? { groups } : {}, signal: new AbortController().signal });
  const memberRows = async (g: number) =>
    (await membersMetric.run(ctx([g]), membersMetric.args.parse({}))).members.map((m) => ({ name: m.name, messages: m.messages, names: m.names.map((n) => n.name).sort() }));

  it('merging a phone number with a saved name makes one member, every metric follows, undo restores', async () => {
    db = await Database.open(':memory:');
    await load('A.txt', CHAT_A);
    await load('B.txt', CHAT_B);
    const ids = await db.all<{ id: number; group_id: number; key: string; person_id: number }>(
      `SELECT id, group_id, key, person_id FROM members ORDER BY id`);
    const phoneA = ids.find((m) => m.group_id === 1 && m.key === 'tel:+8613800138000')!;
    const leeA = ids.find((m) => m.group_id === 1 && m.key === 'name:lee wei')!;
    const phoneB = ids.find((m) => m.group_id === 2 && m.key === 'tel:+8613800138000')!;
    // The same phone number in two groups is one person before any merge (normalised: marks, spaces, hyphens).
    expect(phoneB.person_id).toBe(phoneA.person_id);

    expect(await memberRows(1)).toEqual([
      { name: 'Ann', messages: 3, names: ['Ann'] },
      { name: 'Lee Wei', messages: 2, names: ['Lee Wei'] },
      { name: '+86 138 0013 8000', messages: 1, names: ['+86 138 0013 8000'] },
    ]);
    const before = await overview.run(ctx([1]), overview.args.parse({}));

    await mergeMembers(db, [leeA.id, phoneA.id]);
    // One row: the saved name (used last), both names in the history, 1 + 2 messages.
    expect(await memberRows(1)).toEqual([
      { name: 'Ann', messages: 3, names: ['Ann'] },
      { name: 'Lee Wei', messages: 3, names: ['+86 138 0013 8000', 'Lee Wei'] },
    ]);
    const after = await overview.run(ctx([1]), overview.args.parse({}));
    expect(after.messages).toBe(before.messages);
    expect(after.activeMembers).toBe(before.activeMembers - 1);
    // Lee Wei (group 1) is now the person the phone number is in group 2 too: overlap 1 of 3.
    const cmp = await compare.run(ctx(), compare.args.parse({}));
    expect(cmp.overlap).toEqual([{ a: 1, b: 2, shared: 1, union: 3, jaccard: 1 / 3 }]);

    // A later export of group 1 with the number again lands on the merged member.
    await load('A.txt', CHAT_A + '\n15/01/2024, 11:00 - +86 138 0013 8000: 又换手机了');
    expect((await memberRows(1))[0]).toEqual({ name: '+86 138 0013 8000', messages: 4, names: ['+86 138 0013 8000', 'Lee Wei'] });

    const ops = await listIdentityOps(db);
    expect(ops).toHaveLength(1);
    expect(ops[0]!.op).toBe('merge');
    expect(ops[0]!.members.map((m) => m.id)).toEqual([leeA.id, phoneA.id]);

    await undoIdentity(db);
    expect((await memberRows(1)).map((r) => [r.name, r.messages])).toEqual([['Ann', 3], ['Lee Wei', 2], ['+86 138 0013 8000', 2]]);
    expect((await listIdentityOps(db))[0]!.undoneAt).not.toBeNull();
    // The raw import is untouched: every message still names its original author.
    expect((await db.one<{ n: number }>(`SELECT count(*) AS n FROM messages WHERE member_id <> author_id`))!.n).toBe(0);
  });

  it('split takes a member out of a merge; the decision survives reopening the library', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'qunxi-id-')), 'lib.duckdb');
    db = await Database.open(path);
    await load('A.txt', CHAT_A);
    const ann = (await db.one<{ id: number }>(`SELECT id FROM members WHERE key = 'name:ann'`))!.id;
    const lee = (await db.one<{ id: number }>(`SELECT id FROM members WHERE key = 'name:lee wei'`))!.id;
    const tel = (await db.one<{ id: number }>(`SELECT id FROM members WHERE key LIKE 'tel:%'`))!.id;
    await mergeMembers(db, [lee, tel, ann]);
    expect((await memberRows(1)).map((r) => r.messages)).toEqual([6]);
    await splitMember(db, ann);
    db.close();
    db = await Database.open(path);
    expect((await memberRows(1)).map((r) => [r.name, r.messages])).toEqual([['Ann', 3], ['Lee Wei', 3]]);
    await expect(mergeMembers(db, [lee])).rejects.toThrow(/at least two/);
    await expect(mergeMembers(db, [lee, 999])).rejects.toThrow(/no member with id 999/);
  });

  it('a member renamed three times is one row with three names, shown by the latest', async () => {
    db = await Database.open(':memory:');
    const qq = [
      '消息记录（此消息记录为文本格式，不支持重新导入）', '',
      '================================================================', '消息分组:我的群聊',
      '================================================================', '消息对象:运营交流群',
      '================================================================', '',
      '2024-03-01 9:00:00 小王(10001)', '第一条', '',
      '2024-03-02 9:00:00 王运营(10001)', '第二条', '',
      '2024-03-03 9:00:00 【管理员】王总(10001)', '第三条', '',
      '2024-03-04 9:00:00 老李(20002)', '收到', '',
    ].join('\r\n');
    await load('qq.txt', qq);
    expect(await memberRows(1)).toEqual([
      // The QQ importer keeps a 【title】 prefix out of the name (titles come and go with roles).
      { name: '王总', messages: 3, names: ['小王', '王总', '王运营'] },
      { name: '老李', messages: 1, names: ['老李'] },
    ]);
  });
});
