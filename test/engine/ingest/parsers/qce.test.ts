import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { qceJsonParser as parser } from '../../../../electron/engine/ingest/parsers/qce-json.js';
import { qceJsonlParser as bundleParser } from '../../../../electron/engine/ingest/parsers/qce-jsonl.js';
import { telegramJsonParser } from '../../../../electron/engine/ingest/parsers/telegram-json.js';
import { discordJsonParser } from '../../../../electron/engine/ingest/parsers/discord-json.js';
import {
  FormatError,
  type EventRecord,
  type GroupRecord,
  type MessageRecord,
  type ParsedRecord,
  type ParserInput,
  type RejectRecord,
} from '../../../../electron/engine/ingest/types.js';
import { bufferSource, prepareInput } from '../../../../electron/engine/ingest/input.js';
import { events, groups, memoryBundle, messages, parseAll, parseBundle, readShared, rejects, sniffOf } from '../../../helpers/parse.js';

const msgs = (rs: ParsedRecord[]) => messages(rs) as MessageRecord[];
const evts = (rs: ParsedRecord[]) => events(rs) as EventRecord[];
const rejs = (rs: ParsedRecord[]) => rejects(rs) as RejectRecord[];
const grps = (rs: ParsedRecord[]) => groups(rs) as GroupRecord[];

const FIXTURES = resolve(import.meta.dirname, '../../../fixtures/qce');
const fixture = (f: string) => readFileSync(join(FIXTURES, f));
/** A fixture folder as an in-memory bundle (paths relative to the folder). */
function fixtureBundle(dir: string) {
  const files: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(join(FIXTURES, dir), p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(join(FIXTURES, dir));
  return memoryBundle(files, dir);
}

const META = { name: 'QQChatExporter V5 / https://github.com/shuakami/qq-chat-exporter', copyright: '…', version: '5.0.0' };
const CHAT = { name: '测试群', type: 'group', selfUid: 'u_me', selfUin: '10001', selfName: '小明' };
const file = (ms: unknown[], chat: object = CHAT) =>
  JSON.stringify({ metadata: META, chatInfo: chat, statistics: { totalMessages: ms.length }, messages: ms });
const parse = (s: string | Uint8Array) => parseAll(parser, s, 'export.json');

// 2024-03-15 20:00:00 in Beijing = 12:00:00 UTC.
const TS = 1710504000000;
const text = (t: string, extra: object[] = []) => ({
  text: t, html: '', elements: [{ type: 'text', data: { text: t } }, ...extra], resources: [], mentions: [],
});
const base = {
  id: '7346000000000000001', seq: '1', timestamp: TS, time: '2024-03-15 20:00:00',
  sender: { uid: 'u_a', uin: '11111', name: '阿甲' }, type: 'type_1', content: text('hi'), recalled: false, system: false,
};

/** The one record a single message maps to. */
async function one(m: object, chat: object = CHAT): Promise<ParsedRecord> {
  const rs = await parse(file([m], chat));
  expect(rs).toHaveLength(2);
  return rs[1]!;
}

async function formatError(s: string | Uint8Array): Promise<FormatError> {
  try {
    await parse(s);
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('no FormatError');
}

describe('qce time', () => {
  const cases: Array<[string, object, { time: string; utcMs: number }]> = [
    ['ms timestamp with the written local time', {}, { time: '2024-03-15 20:00:00', utcMs: TS }],
    ['seconds timestamp', { timestamp: 1710504000 }, { time: '2024-03-15 20:00:00', utcMs: TS }],
    ['numeric string timestamp', { timestamp: '1710504000000' }, { time: '2024-03-15 20:00:00', utcMs: TS }],
    // The SimpleMessageParser path writes RFC 3339 UTC: the wall clock is Beijing time.
    ['ISO `time` (UTC) → UTC+8 wall clock', { time: '2024-03-15T12:00:00.000Z' }, { time: '2024-03-15 20:00:00', utcMs: TS }],
    ['no `time` → UTC+8', { time: undefined }, { time: '2024-03-15 20:00:00', utcMs: TS }],
    // Exported on a machine set to UTC (QCE's own CI snapshot): the written clock is kept.
    ['written clock of a UTC machine kept', { time: '2024-03-15 12:00:00' }, { time: '2024-03-15 12:00:00', utcMs: TS }],
    ['written clock with slashes and one-digit fields', { time: '2024/3/15 20:00:00' }, { time: '2024-03-15 20:00:00', utcMs: TS }],
    // 20:07:13 is 8 h 7 min 13 s from the instant: no real offset, so the instant wins.
    ['mangled written clock → UTC+8', { time: '2024-03-15 20:07:13' }, { time: '2024-03-15 20:00:00', utcMs: TS }],
    ['hour 24 (hour12:false ICU quirk) → UTC+8', { timestamp: 1710518400000, time: '2024-03-15 24:00:00' }, { time: '2024-03-16 00:00:00', utcMs: 1710518400000 }],
    ['early-V4 ISO timestamp', { timestamp: '2024-03-15T12:00:00.000Z', time: undefined }, { time: '2024-03-15 20:00:00', utcMs: TS }],
    // 16:30 UTC is 00:30 the next day in Beijing.
    ['date rolls over in Beijing', { timestamp: 1710520200000, time: undefined }, { time: '2024-03-16 00:30:00', utcMs: 1710520200000 }],
  ];
  it.each(cases)('%s', async (_n, patch, expected) => {
    const r = (await one({ ...base, ...patch })) as MessageRecord;
    expect(r.type).toBe('message');
    expect({ time: r.time, utcMs: r.utcMs }).toEqual(expected);
  });

  const bad: Array<[string, object, string]> = [
    ['missing timestamp', { timestamp: undefined }, 'message has no timestamp'],
    ['null timestamp', { timestamp: null }, 'message has no timestamp'],
    ['zero timestamp', { timestamp: 0 }, 'unreadable timestamp 0'],
    ['text timestamp', { timestamp: 'yesterday' }, 'unreadable timestamp "yesterday"'],
  ];
  it.each(bad)('%s → reject', async (_n, patch, reason) => {
    const r = (await one({ ...base, ...patch })) as RejectRecord;
    expect(r).toMatchObject({ type: 'reject', line: 1, reason });
    expect(r.raw).toContain('7346000000000000001');
  });
});

describe('qce senders', () => {
  const cases: Array<[string, object, object | null, MessageRecord['sender']]> = [
    ['group card first, other names as aliases',
      { uid: 'u_a', uin: '11111', name: '甲 (群名片)', nickname: 'Alice', groupCard: '甲 (群名片)', remark: '同学A' }, null,
      { id: '11111', name: '甲 (群名片)', aliases: ['Alice', '同学A'] }],
    ['empty group card → shown name', { uid: 'u_a', uin: '11111', name: 'Alice', nickname: 'Alice', groupCard: '  ' }, null, { id: '11111', name: 'Alice' }],
    ['shown name equal to the QQ number → nickname', { uid: 'u_a', uin: '11111', name: '11111', nickname: '甲' }, null, { id: '11111', name: '甲' }],
    ['only a QQ number → it is the name', { uid: 'u_a', uin: '11111', name: '11111' }, null, { id: '11111', name: '11111' }],
    ['uin 0 → uid is the id', { uid: 'u_abc', uin: '0', name: '甲' }, null, { id: 'u_abc', name: '甲' }],
    ['no id at all (QCE placeholders)', { uid: '未知', name: '未知用户' }, null, { id: null, name: '未知用户' }],
    ['names trimmed', { uid: 'u_a', uin: '11111', name: ' 甲 ', nickname: ' 甲 ' }, null, { id: '11111', name: '甲' }],
    ['early V4: names from rawMessage', { uid: 'u_z', uin: '80001', name: '张工' },
      { senderUin: '80001', sendNickName: 'zhang', sendMemberName: '张工', sendRemarkName: '' }, { id: '80001', name: '张工', aliases: ['zhang'] }],
    ['early V4: id from rawMessage', { name: '李四' }, { senderUin: '80002', senderUid: 'u_li' }, { id: '80002', name: '李四' }],
  ];
  it.each(cases)('%s', async (_n, sender, raw, expected) => {
    const r = (await one({ ...base, sender, ...(raw ? { rawMessage: raw } : {}) })) as MessageRecord;
    expect(r.sender).toEqual(expected);
  });

  it('a message with no sender object is rejected', async () => {
    const r = await one({ ...base, sender: undefined });
    expect(r).toMatchObject({ type: 'reject', reason: 'message has no sender' });
  });
});

const img = { type: 'image', data: { filename: 'a.jpg', size: 10, url: 'https://x/a.jpg' } };
describe('qce kinds', () => {
  const cases: Array<[string, object, MessageRecord['kind'], string]> = [
    ['plain text', { content: text('你好') }, 'text', '你好'],
    ['image (MessageParser: text element + image element + resource)',
      { content: { ...text('[图片: a.jpg]', [img]), resources: [{ type: 'image', filename: 'a.jpg', size: 10 }] } }, 'image', '[图片: a.jpg]'],
    ['text with an image is an image', { content: text('看这个 [图片: a.jpg]', [img]) }, 'image', '看这个 [图片: a.jpg]'],
    ['image with subType sticker (custom sticker)', { content: { text: '[图片:s.gif]', elements: [{ type: 'image', data: { filename: 's.gif', subType: 'sticker' } }], resources: [{ type: 'image', filename: 's.gif' }] } }, 'sticker', '[图片:s.gif]'],
    ['face only (MessageParser placeholder)', { content: text('[[doge]]', [{ type: 'face', data: { id: '179', name: '[doge]' } }]) }, 'sticker', '[[doge]]'],
    ['face only (SimpleMessageParser placeholder)', { content: { text: '[表情277]', elements: [{ type: 'face', data: { id: '277', name: '/汪汪' } }] } }, 'sticker', '[表情277]'],
    ['face inside text stays text', { content: text('好的 [[微笑]]', [{ type: 'face', data: { id: '14', name: '[微笑]' } }]) }, 'text', '好的 [[微笑]]'],
    ['market face', { content: text('[狗头]', [{ type: 'market_face', data: { id: 'e1', name: '狗头' } }]) }, 'sticker', '[狗头]'],
    ['voice', { type: 'type_6', content: text('[语音 5秒]', [{ type: 'audio', data: { filename: 'v.amr' } }]) }, 'voice', '[语音 5秒]'],
    ['video', { content: text('[视频: c.mp4]', [{ type: 'video', data: { filename: 'c.mp4' } }]) }, 'video', '[视频: c.mp4]'],
    ['file', { content: text('[文件: 攻略.pdf]', [{ type: 'file', data: { filename: '攻略.pdf' } }]) }, 'file', '[文件: 攻略.pdf]'],
    ['ark card with a URL', { type: 'json', content: { text: '[JSON消息]', elements: [{ type: 'json', data: { title: 'B站', url: 'https://b23.tv/x' } }] } }, 'link', '[JSON消息]'],
    ['ark card with the URL only in its JSON', { content: { text: '[JSON消息]', elements: [{ type: 'json', data: { content: '{"meta":{"news":{"jumpUrl":"https://b23.tv/x"}}}' } }] } }, 'link', '[JSON消息]'],
    ['ark card without a URL', { content: { text: '[JSON消息]', elements: [{ type: 'json', data: { title: '小程序' } }] } }, 'other', '[JSON消息]'],
    ['card known only by type_7', { type: 'type_7', content: text('[卡片消息: 哔哩哔哩]') }, 'other', '[卡片消息: 哔哩哔哩]'],
    ['forward (SimpleMessageParser element)', { content: { text: '[转发消息: 3条]', elements: [{ type: 'forward', data: { messageCount: 3 } }] } }, 'other', '[转发消息: 3条]'],
    ['forward known only by type_11', { type: 'type_11', content: text('[合并转发: 3条]') }, 'other', '[合并转发: 3条]'],
    ['file known only by type_8', { type: 'type_8', content: text('[文件: x]') }, 'file', '[文件: x]'],
    ['location', { content: { text: '[位置消息]', elements: [{ type: 'location', data: {} }] } }, 'other', '[位置消息]'],
    ['URL-only text', { content: text('https://duckdb.org') }, 'link', 'https://duckdb.org'],
    ['text with a URL stays text', { content: text('文档 https://duckdb.org') }, 'text', '文档 https://duckdb.org'],
    ['QCE parse failure', { type: 'error', content: { text: '[解析失败: x]', elements: [] } }, 'other', '[解析失败: x]'],
    ['early V4 resources', { content: { text: '[图片: a.png]', resources: [{ type: 'image', fileName: 'a.png' }], emojis: [] } }, 'image', '[图片: a.png]'],
    ['early V4 market emoji', { content: { text: '[狗头]', resources: [], emojis: [{ id: 'a', name: '狗头', type: 'market' }] } }, 'sticker', '[狗头]'],
    ['early V4 card with url', { content: { text: '[卡片消息: x]', card: { title: 'x', url: 'https://x', type: 'ark' } } }, 'link', '[卡片消息: x]'],
    ['early V4 NTMsgType 6 (voice)', { type: undefined, messageType: 6, content: { text: '[语音]' } }, 'voice', '[语音]'],
    ['empty text, nothing else', { content: { text: '', elements: [] } }, 'other', ''],
  ];
  it.each(cases)('%s', async (_n, patch, kind, t) => {
    const r = (await one({ ...base, ...patch })) as MessageRecord;
    expect(r.type).toBe('message');
    expect(r.kind).toBe(kind);
    expect(r.text).toBe(t);
  });
});

describe('qce replies and mentions', () => {
  it('MessageParser reply: prefix cut, replyTo = referenced id, uid name dropped from the quote', async () => {
    const r = (await one({
      ...base, type: 'type_3',
      content: text('[回复 u_alice: 今晚谁打游戏]\n+1', [{ type: 'reply', data: { messageId: '900', referencedMessageId: '901', senderName: 'u_alice', content: '今晚谁打游戏' } }]),
    })) as MessageRecord;
    expect(r).toMatchObject({ text: '+1', replyTo: '901', quote: { name: '', text: '今晚谁打游戏' }, kind: 'text' });
  });

  it('SimpleMessageParser reply: [回复消息] cut, quote names its author by QQ number and name', async () => {
    const r = (await one({
      ...base, type: 'reply',
      content: { text: '[回复消息]吃了吗', elements: [
        { type: 'reply', data: { messageId: '900', referencedMessageId: '900', senderUin: '12345678', senderName: '老王', content: '早上好' } },
        { type: 'text', data: { text: '吃了吗' } }] },
    })) as MessageRecord;
    expect(r).toMatchObject({ text: '吃了吗', replyTo: '900', quote: { id: '12345678', name: '老王', text: '早上好' } });
  });

  it('reply without a resolved id falls back to messageId; placeholder content gives no quote', async () => {
    const r = (await one({
      ...base,
      content: text('[回复 : 原消息]\n嗯', [{ type: 'reply', data: { messageId: '77', referencedMessageId: '0', senderName: '', content: '原消息' } }]),
    })) as MessageRecord;
    expect(r).toMatchObject({ text: '嗯', replyTo: '77', quote: null });
  });

  it('early V4 content.reply', async () => {
    const r = (await one({
      ...base, content: { text: '[回复 u_z: 问题]\n答案', reply: { messageId: '5', referencedMessageId: '5', senderName: 'u_z', content: '问题' } },
    })) as MessageRecord;
    expect(r).toMatchObject({ text: '答案', replyTo: '5', quote: { name: '', text: '问题' } });
  });

  it('mentions are the @-names as written; uin when there is no name; @全体成员 kept', async () => {
    const r = (await one({
      ...base,
      content: {
        ...text('@爱丽丝 @全体成员 来'),
        mentions: [
          { uid: 'u_alice', name: '爱丽丝', type: 'user' },
          { uid: 'all', uin: '0', name: '全体成员', type: 'all' },
          { uid: 'u_x', uin: '55555', name: '', type: 'user' },
          { uid: 'u_alice', name: '@爱丽丝', type: 'user' },
        ],
      },
    })) as MessageRecord;
    expect(r.mentions).toEqual(['爱丽丝', '全体成员', '55555']);
  });

  it('mentions read from at elements when content.mentions is absent', async () => {
    const r = (await one({ ...base, content: { text: '@小明 早', elements: [{ type: 'at', data: { uid: 'u_me', uin: '10001', name: '小明' } }] } })) as MessageRecord;
    expect(r.mentions).toEqual(['小明']);
  });
});

describe('qce notices', () => {
  const tip = (t: string, extra: object = {}) => ({
    ...base, type: 'system', system: true,
    content: { text: t, elements: [{ type: 'system', data: { subType: 17, text: t, summary: t, ...extra } }] },
  });
  const P = (name: string, id: string | null = null) => ({ id, name });
  const A = { id: '11111', name: '阿甲' };
  const cases: Array<[string, object, Partial<EventRecord>]> = [
    ['MessageParser revoke tip [1]: the sender recalled their message', { ...base, system: true, recalled: true, content: text('[1]') },
      { kind: 'recall', actor: A, subjects: [A], text: '[1]' }],
    ['revoke tip with revokeElement (admin recalls a member)', tip('管理员 撤回了 张三 的消息', { originalData: { revokeElement: { operatorName: '管理员', origMsgSenderName: '张三' } } }),
      { kind: 'recall', actor: P('管理员'), subjects: [P('张三')] }],
    ['self recall named by text: the name is the sender', tip('阿甲 撤回了一条消息'), { kind: 'recall', actor: A, subjects: [A] }],
    ['你 = the exporting account', tip('你撤回了一条消息'), { kind: 'recall', actor: P('小明', '10001'), subjects: [P('小明', '10001')] }],
    ['join', tip('王五 加入了群聊'), { kind: 'join', actor: null, subjects: [P('王五')] }],
    ['join via QR code', tip('王五 通过扫描 阿甲 分享的二维码加入群聊'), { kind: 'join', actor: null, subjects: [P('王五')] }],
    ['invite of two', tip('阿甲 邀请 王五、赵六 加入了群聊'), { kind: 'invite', actor: A, subjects: [P('王五'), P('赵六')] }],
    ['leave', tip('王五 退出了群聊'), { kind: 'leave', actor: null, subjects: [P('王五')] }],
    ['removed by', tip('王五 被 阿甲 移出群聊'), { kind: 'remove', actor: A, subjects: [P('王五')] }],
    ['removes', tip('阿甲 将 王五 移出了群聊'), { kind: 'remove', actor: A, subjects: [P('王五')] }],
    ['poke', tip('阿甲 拍了拍 王五 的小脑袋'), { kind: 'poke', actor: A, subjects: [] }],
    ['title', tip('阿甲 修改了群名称为“新名字”'), { kind: 'title', actor: null, subjects: [] }],
    ['pin', tip('阿甲 把 王五 的消息设为精华消息'), { kind: 'pin' }],
    ['unreadable MessageParser tip', { ...base, system: true, content: text('[17]') }, { kind: 'other', actor: null, subjects: [], text: '[17]' }],
    ['early V4 isSystemMessage', { ...base, isSystemMessage: true, messageType: 5, content: { text: '[4]' } }, { kind: 'other', text: '[4]' }],
    ['kept body of a recalled message', { ...base, recalled: true, content: text('发错了') }, { kind: 'recall', actor: A, subjects: [A], text: '发错了' }],
    ['call record', { ...base, content: { text: '语音通话 - 通话时长 05:12', elements: [{ type: 'av_record', data: { type: 1 } }] } },
      { kind: 'call', actor: A, subjects: [], text: '语音通话 - 通话时长 05:12' }],
  ];
  it.each(cases)('%s', async (_n, m, expected) => {
    const r = (await one(m)) as EventRecord;
    expect(r.type).toBe('event');
    expect(r).toMatchObject({ group: '测试群', line: 1, time: '2024-03-15 20:00:00', utcMs: TS, ...expected });
  });
});

describe('qce groups', () => {
  const cases: Array<[string, object, Omit<GroupRecord, 'type' | 'platform'>]> = [
    ['QCE: no chat id → keyed by name', { name: '摸鱼群', type: 'group' }, { key: '摸鱼群', externalId: null, name: '摸鱼群', chatType: 'group' }],
    ['qq_export: group number as id', { name: '羽毛球', type: 'group', id: '987654321', uin: '987654321' }, { key: '987654321', externalId: '987654321', name: '羽毛球', chatType: 'group' }],
    ['groupCode preferred', { name: 'g', type: 'group', groupCode: '123456', peerUid: '123456', id: 'x' }, { key: '123456', externalId: '123456', name: 'g', chatType: 'group' }],
    ['private chat', { name: '老王', type: 'private' }, { key: '老王', externalId: null, name: '老王', chatType: 'private' }],
    ['unknown type, no name', { type: 'guild' }, { key: 'qce-chat', externalId: null, name: '', chatType: 'unknown' }],
  ];
  it.each(cases)('%s', async (_n, chat, expected) => {
    const rs = await parse(file([base], chat));
    expect(grps(rs)).toEqual([{ type: 'group', platform: 'qq', ...expected }]);
    expect(msgs(rs)[0]!.group).toBe(expected.key);
  });
});

describe('qce-json sniff', () => {
  it.each([
    ['group-v5.json', 0.95],
    ['private-streaming.json', 0.95],
    ['v4-parsed.json', 0.95],
    ['group-chunked/manifest.json', 0.05],
    ['qq-export-group/manifest.json', 0.05],
  ])('%s → %f', async (f, p) => {
    expect(await sniffOf(parser, fixture(f))).toBe(p);
  });

  it('shape without an exporter name → 0.6', async () => {
    const s = JSON.stringify({ metadata: { name: 'x' }, chatInfo: { name: 'g' }, messages: [{ sender: { uid: 'a' }, content: { text: 'hi' } }] });
    expect(await sniffOf(parser, s)).toBe(0.6);
  });

  it.each([
    'telegram/chat-miner__test_single_export.json',
    'telegram/mlomb-chat-analytics__DM_2A_7M.json',
    'discord/mlomb-chat-analytics__GC_3A_5M.json',
    'messenger/mlomb-chat-analytics__2A_7M.json',
    'other/chat-miner__instagram__test_export.json',
    'qq/log-painter__extracted__basic.txt',
  ])('~0 for %s', async (f) => {
    expect(await sniffOf(parser, await readShared(f))).toBeLessThan(0.05);
  });

  it.each(['group-v5.json', 'private-streaming.json', 'v4-parsed.json'])('Telegram and Discord parsers do not claim %s', async (f) => {
    expect(await sniffOf(telegramJsonParser, fixture(f))).toBeLessThan(0.5);
    expect(await sniffOf(discordJsonParser, fixture(f))).toBeLessThan(0.5);
  });
});

describe('qce-json file-level', () => {
  it('a top-level array is not an export', async () => {
    expect((await formatError('[1,2]')).reason).toContain('top-level JSON value is not an object');
  });

  it('manifest.json alone says to import the folder', async () => {
    expect((await formatError(fixture('group-chunked/manifest.json'))).reason).toContain('import the whole folder');
  });

  it('no messages array', async () => {
    expect((await formatError(JSON.stringify({ metadata: META, chatInfo: CHAT }))).reason).toContain('no "messages" array');
  });

  it('foreign messages (no sender/content objects) are refused', async () => {
    const ms = [1, 2, 3].map((i) => ({ id: i, author: { name: 'x' }, timestamp: '2020-01-01T00:00:00Z' }));
    expect((await formatError(file(ms))).reason).toContain('no "sender" / "content"');
  });

  it('a malformed element is rejected, the rest imports', async () => {
    const s = `{"metadata":{},"chatInfo":{"name":"g","type":"group"},"messages":[\n    ${JSON.stringify(base)},\n    {"id":"2","timestamp":1710504000000,"sender":{"uin":"1" "name":"x"}},\n    ${JSON.stringify({ ...base, id: '3' })}\n  ]}`;
    const rs = await parse(s);
    expect(msgs(rs).map((m) => m.externalId)).toEqual(['7346000000000000001', '3']);
    expect(rejs(rs)).toHaveLength(1);
    expect(rejs(rs)[0]).toMatchObject({ line: 2 });
    expect(rejs(rs)[0]!.reason).toMatch(/^invalid JSON at byte \d+/);
  });

  it('a file cut short keeps what was read', async () => {
    const full = file([base, { ...base, id: '2' }]);
    const rs = await parse(full.slice(0, full.lastIndexOf('"id":"2"') + 12));
    expect(msgs(rs)).toHaveLength(1);
    expect(rejs(rs)[0]).toMatchObject({ line: 2 });
    expect(rejs(rs)[0]!.reason).toMatch(/^file truncated/);
  });

  it('streams: 7-byte chunks give the same records; batches stay ≤ 2000', async () => {
    const data = fixture('group-v5.json');
    const input: ParserInput = {
      fileName: 'x.json', size: data.length, encoding: 'utf-8',
      async *bytes() {
        for (let i = 0; i < data.length; i += 7) yield data.subarray(i, i + 7);
      },
      lines: () => {
        throw new Error('JSON parser must not read lines');
      },
    };
    const got: ParsedRecord[] = [];
    for await (const b of parser.parse(input)) got.push(...b);
    expect(got).toEqual(await parse(data));

    const many = file(Array.from({ length: 4500 }, (_, i) => ({ ...base, id: String(i + 1), timestamp: TS + i * 1000, time: undefined })));
    const sizes: number[] = [];
    const { input: inp } = await prepareInput(bufferSource('many.json', many));
    for await (const b of parser.parse(inp)) sizes.push(b.length);
    expect(sizes.every((n) => n <= 2001)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(4501);
  });

  it('V4 split file: chunks[i].messages form one conversation', async () => {
    const chunk = (ms: object[]) => ({ metadata: META, chatInfo: { name: '分块群', type: 'group' }, statistics: {}, messages: ms });
    const s = JSON.stringify({ metadata: META, chunkInfo: { totalChunks: 2 }, chunks: [chunk([base]), chunk([{ ...base, id: '2' }])] });
    const rs = await parse(s);
    expect(grps(rs)).toEqual([{ type: 'group', key: '分块群', platform: 'qq', externalId: null, name: '分块群', chatType: 'group' }]);
    expect(msgs(rs).map((m) => [m.line, m.externalId])).toEqual([[1, '7346000000000000001'], [2, '2']]);
  });
});

describe('qce fixtures (single files)', () => {
  it('group-v5.json', async () => {
    // 17 message lines: #1-#12, #16, #17 are member messages (14); #13 is the `[1]` revoke tip
    // (recall, Bob), #14 the `[17]` tip (other); #15 has no timestamp (reject). Senders: Alice
    // 11111, Bob 22222, Carol 33333, Dave 44444, 66666 → 5. First 20:00:00, last #17 at 16:30 UTC
    // = 00:30 the next day in Beijing.
    const rs = await parse(fixture('group-v5.json'));
    const m = msgs(rs);
    expect(grps(rs)).toEqual([{ type: 'group', key: '摸鱼交流群', platform: 'qq', externalId: null, name: '摸鱼交流群', chatType: 'group' }]);
    expect(m).toHaveLength(14);
    expect(evts(rs).map((e) => [e.line, e.kind])).toEqual([[13, 'recall'], [14, 'other']]);
    expect(rejs(rs).map((r) => [r.line, r.reason])).toEqual([[15, 'message has no timestamp']]);
    expect(new Set(m.map((x) => x.sender.id))).toEqual(new Set(['11111', '22222', '33333', '44444', '66666']));
    expect([m[0]!.time, m.at(-1)!.time]).toEqual(['2024-03-15 20:00:00', '2024-03-16 00:30:00']);
    expect(m.map((x) => x.kind)).toEqual([
      'text', 'text', 'sticker', 'image', 'text', 'text', 'file', 'voice', 'video', 'other', 'other', 'sticker', 'text', 'link',
    ]);
    expect(m[4]).toMatchObject({ sender: { id: '33333', name: '同事C', aliases: ['Carol酱'] }, mentions: ['爱丽丝'] });
    expect(m[5]).toMatchObject({ text: '+1', replyTo: '7346000000000000001', quote: { name: '', text: '今晚谁打游戏' } });
    expect(m[12]!.sender).toEqual({ id: '66666', name: '66666' });
    expect(evts(rs)[0]).toMatchObject({ actor: { id: '22222', name: 'Bob' }, subjects: [{ id: '22222', name: 'Bob' }] });
  });

  it('private-streaming.json', async () => {
    // 12 messages, ISO `time` → Beijing clock. #6 revoke tip (recall by 老王), #8 call record →
    // events; the other 10 are messages from 老王 12345678 and 小明 10001. First 01:02:03 UTC =
    // 09:02:03, last #12 +780 s = 09:15:03.
    const rs = await parse(fixture('private-streaming.json'));
    const m = msgs(rs);
    expect(grps(rs)[0]).toMatchObject({ key: '老王', chatType: 'private', externalId: null });
    expect(m.map((x) => x.kind)).toEqual(['text', 'sticker', 'text', 'link', 'voice', 'other', 'text', 'other', 'sticker', 'other']);
    expect(evts(rs).map((e) => [e.line, e.kind])).toEqual([[6, 'recall'], [8, 'call']]);
    expect(rejs(rs)).toEqual([]);
    expect(new Set(m.map((x) => x.sender.id))).toEqual(new Set(['12345678', '10001']));
    expect([m[0]!.time, m.at(-1)!.time]).toEqual(['2024-05-01 09:02:03', '2024-05-01 09:15:03']);
    expect(m[0]).toMatchObject({ sender: { id: '12345678', name: '老王', aliases: ['王大锤'] }, mentions: ['小明'] });
    expect(m[2]).toMatchObject({ text: '吃了吗', replyTo: '7360000000000000101', quote: { id: '12345678', name: '老王', text: '早上好 @小明' } });
    const wang = { id: '12345678', name: '老王', aliases: ['王大锤'] };
    expect(evts(rs)[0]).toMatchObject({ text: '老王 撤回了一条消息', actor: wang, subjects: [wang] });
  });

  it('v4-parsed.json', async () => {
    // 6 ParsedMessage dumps: #5 isSystemMessage `[4]` → other event; 5 messages from 张工 80001
    // and 李四 80002; ISO timestamps 12:00–12:05 UTC = 20:00–20:05 Beijing.
    const rs = await parse(fixture('v4-parsed.json'));
    const m = msgs(rs);
    expect(grps(rs)[0]).toMatchObject({ key: '技术交流群', chatType: 'group' });
    expect(m.map((x) => x.kind)).toEqual(['text', 'text', 'image', 'sticker', 'text']);
    expect(evts(rs).map((e) => [e.line, e.kind])).toEqual([[5, 'other']]);
    expect(rejs(rs)).toEqual([]);
    expect([m[0]!.time, m.at(-1)!.time]).toEqual(['2024-06-01 20:00:00', '2024-06-01 20:05:00']);
    expect(m[0]!.sender).toEqual({ id: '80001', name: '张工', aliases: ['zhang'] });
    expect(m[1]).toMatchObject({ sender: { id: '80002', name: '李四' }, text: '用过，很快', replyTo: '7375000000000000001' });
    expect(m[4]!.mentions).toEqual(['李四']);
  });
});

describe('qce-jsonl bundles', () => {
  const MAN = {
    metadata: META, chatInfo: { name: '读书会', type: 'group' }, statistics: {},
    chunked: { format: 'jsonl', chunksDir: 'chunks', chunkFileExt: '.jsonl', chunks: [
      { index: 2, fileName: 'c000002.jsonl', relativePath: 'chunks/c000002.jsonl', count: 1 },
      { index: 1, fileName: 'c000001.jsonl', relativePath: 'chunks\\c000001.jsonl', count: 1 },
    ] },
  };
  const line = (id: string, ts = TS) => JSON.stringify({ ...base, id, timestamp: ts, time: undefined });

  it('detects QCE bundles, not others', async () => {
    expect(await bundleParser.detect(fixtureBundle('group-chunked'))).toBe(0.95);
    expect(await bundleParser.detect(fixtureBundle('qq-export-group'))).toBe(0.95);
    expect(await bundleParser.detect(memoryBundle({ 'channels.json': '[]', 'users.json': '[]', 'general/2020-01-01.json': '[]' }))).toBe(0);
    expect(await bundleParser.detect(memoryBundle({ 'manifest.json': '{"name":"app","version":"1"}', 'chunks/a.jsonl': '{}' }))).toBe(0);
    expect(await bundleParser.detect(memoryBundle({ 'manifest.json': 'not json' }))).toBe(0);
    // A folder holding several exports is not one export: each is found when the folder is walked.
    expect(await bundleParser.detect(fixtureBundle('.'))).toBe(0);
  });

  it('reads chunks in manifest index order, under a zipped folder prefix, backslashes normalised', async () => {
    const b = memoryBundle({
      'x_chunked_jsonl/manifest.json': JSON.stringify(MAN),
      'x_chunked_jsonl/chunks/c000001.jsonl': line('1') + '\n',
      'x_chunked_jsonl/chunks/c000002.jsonl': line('2', TS + 1000) + '\r\n\r\n',
    });
    expect(await bundleParser.detect(b)).toBe(0.95);
    const rs = await parseBundle(bundleParser, b);
    expect(grps(rs)).toEqual([{ type: 'group', key: '读书会', platform: 'qq', externalId: null, name: '读书会', chatType: 'group' }]);
    expect(msgs(rs).map((m) => [m.externalId, m.line])).toEqual([['1', 1], ['2', 1]]);
  });

  it('malformed line → reject with file and line; missing chunk → reject; the rest imports', async () => {
    const man = { ...MAN, chunked: { ...MAN.chunked, chunks: [...MAN.chunked.chunks, { index: 3, fileName: 'c000003.jsonl', relativePath: 'chunks/c000003.jsonl' }] } };
    const rs = await parseBundle(bundleParser, memoryBundle({
      'manifest.json': JSON.stringify(man),
      'chunks/c000001.jsonl': [line('1'), '{"id":"x",', line('3')].join('\n'),
      'chunks/c000002.jsonl': JSON.stringify({ ...base, id: '4', timestamp: undefined }),
    }));
    expect(msgs(rs).map((m) => m.externalId)).toEqual(['1', '3']);
    expect(rejs(rs).map((r) => [r.file, r.line, r.reason.split(':')[0]])).toEqual([
      ['chunks/c000001.jsonl', 2, 'malformed JSON line'],
      ['chunks/c000002.jsonl', 1, 'message has no timestamp'],
      ['chunks/c000003.jsonl', 0, 'chunk listed in manifest.json is missing from the export'],
    ]);
  });

  it('V5.0 manifest entries ({file}) and a manifest listing no chunks', async () => {
    const v50 = { ...MAN, metadata: { ...META, format: 'chunked-jsonl' }, chunked: { chunks: [{ file: 'chunks/chunk_0001.jsonl', messages: 1 }] } };
    const a = await parseBundle(bundleParser, memoryBundle({ 'manifest.json': JSON.stringify(v50), 'chunks/chunk_0001.jsonl': line('9') }));
    expect(msgs(a).map((m) => m.externalId)).toEqual(['9']);
    const none = { ...MAN, chunked: { chunksDir: 'chunks', chunks: [] } };
    const b = await parseBundle(bundleParser, memoryBundle({
      'manifest.json': JSON.stringify(none), 'chunks/chunk_0002.jsonl': line('b', TS + 1), 'chunks/chunk_0001.jsonl': line('a'),
    }));
    expect(msgs(b).map((m) => m.externalId)).toEqual(['a', 'b']);
  });

  it('a bundle without manifest or chatInfo is refused', async () => {
    await expect(parseBundle(bundleParser, memoryBundle({ 'chunks/c000001.jsonl': line('1') }))).rejects.toThrow(FormatError);
    await expect(parseBundle(bundleParser, memoryBundle({ 'manifest.json': '{"metadata":{}}' }))).rejects.toThrow(/no "chatInfo"/);
  });

  it('group-chunked/ fixture', async () => {
    // c000001: #1 周周 text, #2 吴 reply to #1, #3 周周 image, #4 `[1]` revoke tip (吴) → event.
    // c000002: #1 郑 text, #2 cut-off JSON → reject, #3 no timestamp → reject, #4 吴 "晚安" at
    // 16:05 UTC = 00:05 Beijing. Messages 5, senders 3, first 21:00:00.
    const rs = await parseBundle(bundleParser, fixtureBundle('group-chunked'));
    const m = msgs(rs);
    expect(grps(rs)).toEqual([{ type: 'group', key: '读书会', platform: 'qq', externalId: null, name: '读书会', chatType: 'group' }]);
    expect(m.map((x) => [x.sender.id, x.kind])).toEqual([['70001', 'text'], ['70002', 'text'], ['70001', 'image'], ['70003', 'text'], ['70002', 'text']]);
    expect(m[1]).toMatchObject({ text: '好', replyTo: '7350000000000000201' });
    expect(evts(rs).map((e) => [e.kind, e.actor?.name])).toEqual([['recall', '吴']]);
    expect(rejs(rs).map((r) => [r.file, r.line])).toEqual([['chunks/c000002.jsonl', 2], ['chunks/c000002.jsonl', 3]]);
    expect([m[0]!.time, m.at(-1)!.time]).toEqual(['2024-04-14 21:00:00', '2024-04-15 00:05:00']);
  });

  it('qq-export-group/ fixture', async () => {
    // 7 lines: #1 孙八 text, #2 invite (孙八 → 钱七), #3 钱七 text, #4 poke by 孙八, #5 remove
    // (钱七 by 孙八, tip sender unknown), #6 孙八 URL → link, #7 kept body of a recalled message →
    // recall by 钱七. Messages 3, senders 2; ISO times 02:00–02:05 UTC = 10:00–10:05 Beijing.
    const rs = await parseBundle(bundleParser, fixtureBundle('qq-export-group'));
    const m = msgs(rs);
    expect(grps(rs)).toEqual([{ type: 'group', key: '987654321', platform: 'qq', externalId: '987654321', name: '周末羽毛球群', chatType: 'group' }]);
    expect(m.map((x) => [x.sender.id, x.kind])).toEqual([['90001', 'text'], ['90002', 'text'], ['90001', 'link']]);
    const sun = { id: '90001', name: '孙八', aliases: ['sun8'] };
    expect(evts(rs).map((e) => [e.kind, e.actor, e.subjects])).toEqual([
      ['invite', sun, [{ id: null, name: '钱七' }]],
      ['poke', sun, []],
      ['remove', { id: null, name: '孙八' }, [{ id: null, name: '钱七' }]],
      ['recall', { id: '90002', name: '钱七' }, [{ id: '90002', name: '钱七' }]],
    ]);
    expect(rejs(rs)).toEqual([]);
    expect([m[0]!.time, m.at(-1)!.time]).toEqual(['2024-06-10 10:00:00', '2024-06-10 10:05:00']);
  });
});
