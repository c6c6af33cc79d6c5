import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { qqTxtParser } from '../../../../electron/engine/ingest/parsers/qq-txt.js';
import type { EventRecord, GroupRecord, MessageRecord } from '../../../../electron/engine/ingest/types.js';
import { events, groups, messages, parseAll, readShared, rejects, sniffOf } from '../../../helpers/parse.js';

const TITLE = '消息记录（此消息记录为文本格式，不支持重新导入）';
const SEP = '='.repeat(64);
const block = (folder: string, peer: string): string[] => [SEP, `消息分组:${folder}`, SEP, `消息对象:${peer}`, SEP, ''];
/** A complete export: title, one conversation block, records separated by blank lines (LF). */
const doc = (folder: string, peer: string, ...records: string[]): string =>
  [TITLE, '', ...block(folder, peer), records.join('\n\n'), ''].join('\n');
const grp = (...records: string[]): string => doc('我的群聊', '测试群', ...records);

const msgs = async (text: string | Uint8Array) => messages(await parseAll(qqTxtParser, text)) as MessageRecord[];
const evts = async (text: string | Uint8Array) => events(await parseAll(qqTxtParser, text)) as EventRecord[];

describe('qq-txt record header', () => {
  it.each([
    ['unpadded hour, no id', '2015-02-10 9:00:21 张三', '2015-02-10 09:00:21', null, '张三'],
    ['padded 24h', '2014-11-25 14:14:17 LSY', '2014-11-25 14:14:17', null, 'LSY'],
    ['12h PM with QQ id', '2019-09-23 8:43:38 PM 骰娘-Roll100(87200175)', '2019-09-23 20:43:38', '87200175', '骰娘-Roll100'],
    ['12 AM is midnight', '2020-03-04 12:12:29 AM 礼(852649)', '2020-03-04 00:12:29', '852649', '礼'],
    ['12 PM is noon', '2020-03-04 12:05:00 PM 礼(852649)', '2020-03-04 12:05:00', '852649', '礼'],
    ['上午 before the time', '2019-09-23 上午 3:13:28 李四(10001)', '2019-09-23 03:13:28', '10001', '李四'],
    ['下午 glued to the time', '2019-09-23 下午3:13:28 李四(10001)', '2019-09-23 15:13:28', '10001', '李四'],
    ['name with parens (A)(id)', '2019-01-01 10:00:00 (A)(123123)', '2019-01-01 10:00:00', '123123', '(A)'],
    ['name with open paren (B(id)', '2019-01-01 10:00:00 (B(123123)', '2019-01-01 10:00:00', '123123', '(B'],
    ['email id', '2020-03-04 12:13:41 AM 围观<indo@qq.com>', '2020-03-04 00:13:41', 'indo@qq.com', '围观'],
    ['【管理员】 title stripped', '2019-01-01 10:00:00 【管理员】张三(123456)', '2019-01-01 10:00:00', '123456', '张三'],
    ['【1】 rank stripped', '2019-01-01 10:00:00 【1】织练取(958884)', '2019-01-01 10:00:00', '958884', '织练取'],
    ['non-digit parens are part of the name', '2019-01-01 10:00:00 张三(abc)', '2019-01-01 10:00:00', null, '张三(abc)'],
    ['24h time, name starting with AM', '2019-09-23 20:43:38 AMY(123456)', '2019-09-23 20:43:38', '123456', 'AMY'],
  ])('%s', async (_label, header, time, id, name) => {
    const [m] = await msgs(grp(`${header}\n你好`));
    expect(m).toMatchObject({ time, sender: { id, name }, text: '你好', line: 9, group: '测试群' });
  });
});

describe('qq-txt structure', () => {
  it('reads a real-shaped export: UTF-8 BOM, CRLF, friend chat without ids', async () => {
    const text = ['\ufeff' + TITLE, '', ...block('最近联系人', 'LSY'), '2014-11-25 14:14:17 LSY', '家的，一个奖金都和我没关系', '', '2014-11-25 14:15:00 我', '哦', ''].join('\r\n');
    const rs = await parseAll(qqTxtParser, text);
    expect(groups(rs)).toEqual([{ type: 'group', key: 'LSY', platform: 'qq', externalId: null, name: 'LSY', chatType: 'private' }]);
    expect(rs[0]!.type).toBe('group');
    expect((messages(rs) as MessageRecord[]).map((m) => [m.line, m.sender.name, m.text])).toEqual([
      [9, 'LSY', '家的，一个奖金都和我没关系'],
      [12, '我', '哦'],
    ]);
    expect(rejects(rs)).toEqual([]);
  });

  it('splits an "export all" file into one conversation per 消息对象, keys unique across 消息分组', async () => {
    const text = [
      TITLE, '', ...block('我的好友', '小明'), '2020-01-01 9:00:00 小明', 'a', '',
      ...block('我的群聊', '小明'), '2020-01-02 9:00:00 甲(111111)', 'b', '',
      ...block('我的好友', '阿强'), '2020-01-03 9:00:00 阿强', 'c', '',
    ].join('\n');
    const rs = await parseAll(qqTxtParser, text);
    expect((groups(rs) as GroupRecord[]).map((g) => [g.key, g.name, g.chatType])).toEqual([
      ['小明', '小明', 'private'],
      ['我的群聊/小明', '小明', 'group'],
      ['阿强', '阿强', 'private'],
    ]);
    expect((messages(rs) as MessageRecord[]).map((m) => [m.group, m.text])).toEqual([
      ['小明', 'a'],
      ['我的群聊/小明', 'b'],
      ['阿强', 'c'],
    ]);
    expect(rejects(rs)).toEqual([]);
  });

  it.each([
    ['我的QQ群 folder, even with only a system record', doc('我的QQ群', 'G', '2020-01-01 9:00:00 系统消息(10000)\nX加入本群。'), 'group'],
    ['我加入的群聊 folder', doc('我加入的群聊', 'G', '2020-01-01 9:00:00 甲\nhi'), 'group'],
    ['other folder, members with QQ ids', doc('某分组', 'G', '2020-01-01 9:00:00 甲(123456)\nhi'), 'group'],
    ['other folder, members without ids', doc('我的好友', 'G', '2020-01-01 9:00:00 甲\nhi'), 'private'],
    ['no file header, members with ids', '2020-01-01 9:00:00 甲(123456)\nhi\n', 'group'],
    ['no file header, no ids', '2020-01-01 9:00:00 甲\nhi\n', 'private'],
  ])('chatType: %s', async (_label, text, chatType) => {
    const gs = groups(await parseAll(qqTxtParser, text)) as GroupRecord[];
    expect(gs.map((g) => g.chatType)).toEqual([chatType]);
  });

  it('names a headerless file "" under key default, or after its 消息对象 when present', async () => {
    expect(groups(await parseAll(qqTxtParser, '2020-01-01 9:00:00 甲\nhi\n'))).toEqual([
      { type: 'group', key: 'default', platform: 'qq', externalId: null, name: '', chatType: 'private' },
    ]);
    const withBlock = [...block('我的好友', '阿强'), '2020-01-01 9:00:00 阿强', 'hi', ''].join('\n');
    expect((groups(await parseAll(qqTxtParser, withBlock)) as GroupRecord[]).map((g) => [g.key, g.name])).toEqual([['阿强', '阿强']]);
  });

  it('starts a record only at a header after a blank line; keeps blank lines and date-like lines in content', async () => {
    const ms = await msgs(grp('2020-01-01 9:00:00 甲(111111)\n第一段\n\n第二段\n2020-01-01 9:00:01 乙(222222)\n还是甲', '2020-01-01 9:00:02 乙(222222)\n乙说'));
    expect(ms.map((m) => [m.sender.id, m.text])).toEqual([
      ['111111', '第一段\n\n第二段\n2020-01-01 9:00:01 乙(222222)\n还是甲'],
      ['222222', '乙说'],
    ]);
  });

  it('CRLF structure with bare LF and bare CR inside messages (even a bare blank before a date line)', async () => {
    const text = [TITLE, '', ...block('我的群聊', 'G'), '2020-01-01 9:00:00 甲(111111)', 'l1\nl2\rl3\n\n2020-01-01 9:00:01 乙(222222)', '', '2020-01-01 9:00:02 乙(222222)', 'x', ''].join('\r\n');
    const ms = await msgs(text);
    expect(ms.map((m) => [m.line, m.text])).toEqual([
      [9, 'l1\nl2\nl3\n\n2020-01-01 9:00:01 乙(222222)'],
      [16, 'x'],
    ]);
  });

  it('removes only the single blank line that ends a record; content may be empty', async () => {
    const ms = await msgs(grp('2020-01-01 9:00:00 甲(111111)\n', '2020-01-01 9:00:01 甲(111111)\na\n', '2020-01-01 9:00:02 甲(111111)\nb'));
    expect(ms.map((m) => [m.text, m.kind])).toEqual([
      ['', 'other'],
      ['a\n', 'text'],
      ['b', 'text'],
    ]);
  });

  it('keeps a 64-= line inside a message when no 消息分组/消息对象 follows it', async () => {
    const ms = await msgs(grp(`2020-01-01 9:00:00 甲(111111)\na\n\n${SEP}\nb`));
    expect(ms.map((m) => m.text)).toEqual([`a\n\n${SEP}\nb`]);
  });

  it('yields in batches and the group before its records for large files', async () => {
    const recs = Array.from({ length: 4500 }, (_, i) => `2020-01-01 9:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} 甲(111111)\nm${i}`);
    const rs = await parseAll(qqTxtParser, grp(...recs));
    expect(rs[0]!.type).toBe('group');
    expect(messages(rs)).toHaveLength(4500);
    expect((messages(rs) as MessageRecord[])[4499]!.text).toBe('m4499');
  });
});

describe('qq-txt events', () => {
  it.each([
    ['window shake', '[图片]您发送了一个窗口抖动。', 'poke'],
    ['peer window shake', '[图片]LSY给您发送了一个窗口抖动。', 'poke'],
    ['call failure', '[图片]连接失败(连接已建立后或通信过程中连接断开)，通话时长3分2秒。', 'other'],
  ])('empty sender: %s', async (_label, body, kind) => {
    const [e] = await evts(doc('最近联系人', 'LSY', `2014-12-23 20:48:42  \n${body}`));
    expect(e).toMatchObject({ kind, actor: null, subjects: [], text: body, time: '2014-12-23 20:48:42', line: 9 });
  });

  const who = (name: string) => ({ id: null, name });
  it.each([
    ['真核生物独幕剧加入本群。', 'join', null, [who('真核生物独幕剧')]],
    ['小王加入了群聊', 'join', null, [who('小王')]],
    ['守善锤邀请123加入了本群。', 'invite', who('守善锤'), [who('123')]],
    ['老李邀请小王、小张加入群聊', 'invite', who('老李'), [who('小王'), who('小张')]],
    ['小王退出了群聊', 'leave', null, [who('小王')]],
    ['小王退出本群', 'leave', null, [who('小王')]],
    ['小王退出了本群。', 'leave', null, [who('小王')]],
    ['小王被老李移出群聊', 'remove', who('老李'), [who('小王')]],
    ['小王被移出群聊', 'remove', null, [who('小王')]],
    ['老李将小王移出了群聊', 'remove', who('老李'), [who('小王')]],
    ['小王被管理员移出本群', 'remove', null, [who('小王')]],
    ['小王撤回了一条消息', 'recall', who('小王'), []],
    ['你撤回了一条消息', 'recall', who('你'), []],
    ['老李修改了群名称为“新群”', 'title', who('老李'), []],
    ['小王成为新群主', 'other', null, []],
    ['老李把小王的消息设置为精华消息', 'pin', null, []],
    ['老李戳了戳小王（戳一戳）', 'poke', null, []],
    ['老李拍了拍小王', 'poke', null, []],
    ['3\n4', 'other', null, []],
  ])('系统消息: %s', async (body, kind, actor, subjects) => {
    for (const sys of ['系统消息(10000)', '系统消息(1000000)']) {
      const [e, ...more] = await evts(grp(`2019-09-23 8:49:12 PM ${sys}\n${body}`));
      expect(more).toEqual([]);
      expect(e).toEqual({ type: 'event', group: '测试群', line: 9, time: '2019-09-23 20:49:12', utcMs: null, kind, actor, subjects, text: body });
    }
  });

  it('a member header whose body is a recall notice is a recall event, not a message', async () => {
    const rs = await parseAll(qqTxtParser, grp('2020-01-01 9:00:00 小王(111111)\n小王撤回了一条消息', '2020-01-01 9:00:01 小王(111111)\n老李撤回了一条消息'));
    expect(messages(rs)).toEqual([]);
    expect((events(rs) as EventRecord[]).map((e) => [e.kind, e.actor])).toEqual([
      ['recall', { id: '111111', name: '小王' }],
      ['recall', { id: null, name: '老李' }],
    ]);
  });
});

describe('qq-txt message kinds and mentions', () => {
  it.each([
    ['[图片]', 'image'],
    ['[表情]', 'sticker'],
    ['[语音]', 'voice'],
    ['[视频]', 'video'],
    ['[文件]', 'file'],
    ['[QQ红包]', 'other'],
    ['[图片][图片]', 'image'],
    ['[图片]2', 'text'],
    ['[捂脸]', 'sticker'],
    ['[捂脸][好期待]', 'sticker'],
    ['https://example.com/a?b=1', 'link'],
    ['看这个 http://t.cn/abc', 'link'],
    ['这个网站 https://example.com 我昨天看了一下觉得内容还挺不错的，推荐大家有空去看看', 'text'],
    ['普通文字', 'text'],
  ])('%s → %s', async (body, kind) => {
    const [m] = await msgs(grp(`2020-01-01 9:00:00 甲(111111)\n${body}`));
    expect([m!.kind, m!.text]).toEqual([kind, body]);
  });

  it.each([
    ['@小王 你好', ['小王']],
    ['你好@小王 和 @小张', ['小王', '小张']],
    ['@全体成员 开会', ['全体成员']],
    ['结尾@小王', ['小王']],
    ['邮件 a@qq.com 不是', []],
    ['没有', []],
  ])('mentions in %s', async (body, mentions) => {
    const [m] = await msgs(grp(`2020-01-01 9:00:00 甲(111111)\n${body}`));
    expect(m!.mentions).toEqual(mentions);
  });
});

describe('qq-txt encodings (whole input chain)', () => {
  const text = [TITLE, '', ...block('我的群聊', '湖之仆从'), '2019-09-23 8:43:38 PM 骰娘(87200175)', '中文内容', '', '2019-09-23 9:00:00 PM 暗夜(28084825)', '[图片]', ''].join('\r\n');
  const expectOk = async (bytes: Uint8Array) => {
    const rs = await parseAll(qqTxtParser, bytes);
    expect((groups(rs) as GroupRecord[]).map((g) => g.name)).toEqual(['湖之仆从']);
    expect((messages(rs) as MessageRecord[]).map((m) => [m.sender.name, m.text, m.kind])).toEqual([
      ['骰娘', '中文内容', 'text'],
      ['暗夜', '[图片]', 'image'],
    ]);
    expect(rejects(rs)).toEqual([]);
  };
  it('GB18030', () => expectOk(iconv.encode(text, 'gb18030')));
  it('UTF-16LE without BOM', () => expectOk(iconv.encode(text, 'utf-16le')));
  it('UTF-16LE with BOM', () => expectOk(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])));
  it('UTF-8 with BOM', () => expectOk(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])));
});

describe('qq-txt rejects and format errors', () => {
  it('rejects unknown lines before the first header, but not the file header or blank lines', async () => {
    const text = [TITLE, '', '不是文件头', '='.repeat(63), ...block('我的群聊', 'G'), '2020-01-01 9:00:00 甲(111111)', 'hi', ''].join('\n');
    const rs = await parseAll(qqTxtParser, text);
    expect(rejects(rs)).toEqual([
      { type: 'reject', line: 3, reason: 'unexpected line before the first record header', raw: '不是文件头' },
      { type: 'reject', line: 4, reason: 'unexpected line before the first record header', raw: '='.repeat(63) },
    ]);
    expect(messages(rs)).toHaveLength(1);
  });

  it('rejects a record whose header has an impossible date, then continues', async () => {
    const rs = await parseAll(qqTxtParser, grp('2019-02-30 9:00:00 甲(111111)\n坏', '2019-02-28 9:00:00 甲(111111)\n好'));
    expect(rejects(rs)).toEqual([{ type: 'reject', line: 9, reason: 'record header with an impossible date or time', raw: '2019-02-30 9:00:00 甲(111111)\n坏' }]);
    expect((messages(rs) as MessageRecord[]).map((m) => [m.line, m.text])).toEqual([[12, '好']]);
  });

  it.each([
    ['WhatsApp text', '12/9/20, 23:55 - Bob: hi\n12/9/20, 23:56 - Ann: yo\n'],
    ['empty file', ''],
    ['many lines with no header', Array.from({ length: 60 }, (_, i) => `line ${i}`).join('\n')],
  ])('throws FormatError for %s', async (_label, text) => {
    await expect(parseAll(qqTxtParser, text)).rejects.toMatchObject({ name: 'FormatError' });
  });
});

describe('qq-txt sniff', () => {
  it.each([
    ['file header', `${TITLE}\r\n\r\n${SEP}\r\n`, 0.9, 1],
    ['two headerless records', '2017-01-19 8:20:27 PM 暗夜\naaa\n\n2017-01-19 8:22:24 PM Fish\nbbb\n', 0.9, 1],
    // No QQ trait: this is also WeChatMsg's TXT shape; QQ stays below wechat-txt's 0.7 but above the 0.5 floor.
    ['two plain 24h records (also WeChat TXT)', '2020-01-01 10:00:00 甲\na\n\n2020-01-01 10:00:01 乙\nb\n', 0.55, 0.65],
    ['WhatsApp Android', '12/9/20, 23:55 - Bob: hi\n12/9/20, 23:56 - Ann: yo\n', 0, 0.05],
    ['WhatsApp iOS', '[12/9/20, 23:55:01] Bob: hi\n[12/9/20, 23:56:01] Ann: yo\n', 0, 0.05],
    ['JSON', '{"name":"x","type":"personal_chat","messages":[]}', 0, 0.05],
    ['CSV', 'localId,TalkerId,Type,SubType,IsSender,CreateTime\n1,2,1,0,1,1600000000\n', 0, 0.05],
  ])('%s', async (_label, text, lo, hi) => {
    const s = await sniffOf(qqTxtParser, text);
    expect(s).toBeGreaterThanOrEqual(lo);
    expect(s).toBeLessThanOrEqual(hi);
  });
});

describe('qq-txt shared fixtures (conformance)', () => {
  it.each([
    // file, group [key, name, chatType], messages, events by kind, rejects, distinct senders, first, last
    ['log-painter__extracted__Private_chat.txt', ['default', '', 'private'], 2, {}, 0, 2, '2017-01-19 20:20:27', '2017-01-19 20:22:24'],
    ['log-painter__extracted__basic.txt', ['湖之仆从（PST 8pm | BJT 11am）', '湖之仆从（PST 8pm | BJT 11am）', 'group'], 6, { other: 2, join: 1 }, 0, 4, '2019-09-23 20:43:38', '2019-09-24 09:16:35'],
    ['log-painter__extracted__email.txt', ['default', '', 'group'], 3, {}, 0, 3, '2020-03-04 00:12:29', '2020-03-04 00:13:41'],
    // Fake "===" header lines (3 rejects); two records of A(123123) and B(456456) dated 1883 — odd but valid.
    ['qq-chat-history__file.txt', ['default', '', 'group'], 2, {}, 3, 2, '1883-03-07 11:22:33', '1883-03-07 12:34:56'],
  ] as const)('%s', async (file, group, nMsg, byKind, nRej, nSenders, first, last) => {
    const rs = await parseAll(qqTxtParser, await readShared(`qq/${file}`), file);
    expect((groups(rs) as GroupRecord[]).map((g) => [g.key, g.name, g.chatType])).toEqual([group]);
    const ms = messages(rs) as MessageRecord[];
    expect(ms).toHaveLength(nMsg);
    const kinds: Record<string, number> = {};
    for (const e of events(rs) as EventRecord[]) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
    expect(kinds).toEqual(byKind);
    expect(rejects(rs)).toHaveLength(nRej);
    expect(new Set(ms.map((m) => m.sender.id ?? `name:${m.sender.name}`)).size).toBe(nSenders);
    const times = [...ms, ...(events(rs) as EventRecord[])].map((r) => r.time).sort();
    expect(times[0]).toBe(first);
    expect(times[times.length - 1]).toBe(last);
  });

  it.each(['log-painter__extracted__Private_chat.txt', 'log-painter__extracted__basic.txt', 'log-painter__extracted__email.txt', 'qq-chat-history__file.txt'])(
    'sniffs %s as QQ',
    async (file) => expect(await sniffOf(qqTxtParser, await readShared(`qq/${file}`))).toBeGreaterThanOrEqual(0.9),
  );

  it('basic.txt: the join notice and the empty message', async () => {
    const rs = await parseAll(qqTxtParser, await readShared('qq/log-painter__extracted__basic.txt'));
    expect((events(rs) as EventRecord[]).find((e) => e.kind === 'join')).toMatchObject({ line: 22, subjects: [{ id: null, name: '真核生物独幕剧' }] });
    expect((messages(rs) as MessageRecord[]).find((m) => m.line === 19)).toMatchObject({ text: '', sender: { id: '28084825', name: '暗夜' } });
  });
});

// Found by the fuzz tests (test/fuzz): classifyNotice's trailing-mark regex and lazy-group
// patterns were quadratic on long 系统消息 bodies (100k marks took ~30 s).
describe('qq-txt notices in linear time', () => {
  const sys = (body: string) => grp(`2020-01-01 9:00:00 系统消息(1000000)\n${body}`);

  it.each([
    ['a run of 。 inside the body', `甲${'。'.repeat(100_000)}乙`],
    ['a run of 邀请 with no 加入', '邀请'.repeat(50_000)],
    ['邀请 … 加入 repeated, no ending', '甲邀请乙加入'.repeat(20_000)],
  ])('%s: one event of kind other, quickly', async (_n, body) => {
    const t0 = performance.now();
    const es = await evts(sys(body));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(es.map((e) => [e.kind, e.text.length])).toEqual([['other', body.length]]);
  });

  it('trailing marks are still trimmed before matching (several, mixed)', async () => {
    // "X加入本群。！." ends with 。！. → JOIN_RE sees "X加入本群".
    const es = await evts(sys('X加入本群。！.'));
    expect(es.map((e) => [e.kind, e.subjects.map((s) => s.name)])).toEqual([['join', ['X']]]);
  });
});

// Found by the fuzz review (test/fuzz): a record's lines were collected without bound, so one
// header followed by gigabytes of junk held it all in memory. Past 8 Mi characters the record's
// text is dropped and it becomes a reject; the next record parses as usual.
describe('qq-txt record size bound', () => {
  it('rejects a record over MAX_RECORD_CHARS and reads on', async () => {
    const junk = Array.from({ length: 9 }, () => 'x'.repeat(2 ** 20)).join('\n');
    const rs = await parseAll(qqTxtParser, grp(`2020-01-01 9:00:00 张三(10001)\n${junk}`, '2020-01-01 9:01:00 李四(10002)\n下一条'));
    expect((rejects(rs) as { line: number; reason: string; raw: string }[]).map((r) => [r.line, r.reason, r.raw.length])).toEqual([
      [9, 'record longer than 8 Mi characters (damaged file?); its text was dropped', 2000],
    ]);
    expect((messages(rs) as MessageRecord[]).map((m) => [m.line, m.sender.name, m.text])).toEqual([[20, '李四', '下一条']]);
  });
});
