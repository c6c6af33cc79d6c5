import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ArraySplitter, wechatChatlogJsonParser } from '../../../../electron/engine/ingest/parsers/wechat-chatlog-json.js';
import { classifyNotice, cleanNotice } from '../../../../electron/engine/ingest/parsers/wechat-notice.js';
import { mentionsOf, stripCdata, xmlToText } from '../../../../electron/engine/ingest/parsers/wechat-common.js';
import { wechatChatlogCsvParser, wechatCsvParser, wechatCsvV2Parser } from '../../../../electron/engine/ingest/parsers/wechat-csv.js';
import { wechatTxtParser } from '../../../../electron/engine/ingest/parsers/wechat-txt.js';
import { FormatError, type EventRecord, type MessageRecord, type Parser, type ParsedRecord, type RejectRecord } from '../../../../electron/engine/ingest/types.js';
import { events, groups, messages, parseAll, readShared, rejects, SHARED_FIXTURES, sniffOf } from '../../../helpers/parse.js';

const E = '\u2005'; // WeChat ends an @mention with FOUR-PER-EM SPACE
const ROOM = '45678901234@chatroom';

const msgAt = (rs: ParsedRecord[], line: number) => (messages(rs) as MessageRecord[]).find((m) => m.line === line);
const evAt = (rs: ParsedRecord[], line: number) => (events(rs) as EventRecord[]).find((e) => e.line === line);
const byKind = (rs: ParsedRecord[]) => {
  const out: Record<string, number> = {};
  for (const e of events(rs) as EventRecord[]) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
};
const who = (p: { id: string | null; name: string } | null) => (p ? [p.id, p.name] : null);

// ---------------------------------------------------------------------------------------------
// WeChatMsg CSV v1: BOM, CRLF, Python csv quoting (embedded \n inside quotes). Line numbers in comments.
const V1 = [
  'localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender', // 1
  `1,${ROOM},1,0,0,1714528800,2,大家早上好！,2024-05-01 10:00:00,老张,张三,wxid_zhangsan`, // 2
  `2,${ROOM},1,0,1,1714528860,2,"早！周六去哪儿爬山？\n我提议香山",2024-05-01 10:01:00,,小明,wxid_me`, // 3-4
  `3,${ROOM},3,0,0,1714528920,2,"<?xml version=""1.0""?><msg><img aeskey=""abc"" length=""1024"" /></msg>",2024-05-01 10:02:00,,李四,wxid_lisi`, // 5
  `4,${ROOM},47,0,0,1714528980,2,,2024-05-01 10:03:00,,王五,wxid_wangwu`, // 6
  `5,${ROOM},34,0,0,1714529040,2,,2024-05-01 10:04:00,老张,张三,wxid_zhangsan`, // 7
  `6,${ROOM},43,0,1,1714529100,2,,2024-05-01 10:05:00,,小明,wxid_me`, // 8
  `7,${ROOM},49,57,0,1714529160,2,"<?xml version=""1.0""?><msg><appmsg appid="""" sdkver=""0""><title><![CDATA[香山人太多了，换个地方吧]]></title><des></des><type>57</type><refermsg><type>1</type><svrid>7301234567890123456</svrid><fromusr>${ROOM}</fromusr><chatusr>wxid_me</chatusr><displayname>小明</displayname><content>早！周六去哪儿爬山？&#10;我提议香山</content></refermsg></appmsg></msg>",2024-05-01 10:06:00,,李四,wxid_lisi`, // 9
  `8,${ROOM},49,5,0,1714529220,2,"<msg><appmsg appid="""" sdkver=""0""><title>北京周边十大徒步路线</title><des>收藏了</des><type>5</type><url>https://example.com/hike?a=1&amp;b=2</url></appmsg></msg>",2024-05-01 10:07:00,,王五,wxid_wangwu`, // 10
  `9,${ROOM},49,6,0,1714529280,2,<msg><appmsg><title>路线图.pdf</title><type>6</type></appmsg></msg>,2024-05-01 10:08:00,老张,张三,wxid_zhangsan`, // 11
  `10,${ROOM},10000,0,0,1714529340,4,"""王五"" 撤回了一条消息",2024-05-01 10:09:00,,,`, // 12
  `11,${ROOM},10000,0,1,1714529400,4,"<![CDATA[你撤回了一条消息 <a href=""weixin://revoke_edit_click"">重新编辑</a>]]>",2024-05-01 10:10:00,,,`, // 13
  `12,${ROOM},10000,0,0,1714529460,4,"""张三""邀请""赵六、孙七""加入了群聊",2024-05-01 10:11:00,,,`, // 14
  `13,${ROOM},10000,0,0,1714529520,4,"""周八""通过扫描""李四""分享的二维码加入群聊",2024-05-01 10:12:00,,,`, // 15
  `14,${ROOM},10000,0,1,1714529580,4,"你将""孙七""移出了群聊",2024-05-01 10:13:00,,,`, // 16
  `15,${ROOM},10000,0,0,1714529640,4,“李四” 拍了拍 “张三”,2024-05-01 10:14:00,,,`, // 17
  `16,${ROOM},10000,0,0,1714529700,4,赵六退出了群聊,2024-05-01 10:15:00,,,`, // 18
  `17,${ROOM},10000,0,0,1714529760,4,"""张三""修改群名为“周末爬山群”",2024-05-01 10:16:00,,,`, // 19
  `18,${ROOM},10000,0,0,1714529820,4,"""周八""与群里其他人都不是朋友关系，请注意隐私安全",2024-05-01 10:17:00,,,`, // 20
  `19,${ROOM},50,0,0,1714529880,2,"<voipmsg type=""VoIPBubbleMsg""><VoIPBubbleMsg><msg><![CDATA[通话时长 00:42]]></msg></VoIPBubbleMsg></voipmsg>",2024-05-01 10:18:00,老张,张三,wxid_zhangsan`, // 21
  `20,${ROOM},1,0,0,1714529940,2,@张三${E}@小 明${E}明天几点集合？问下 @李四 和 a@b.com,2024-05-01 10:19:00,,王五,wxid_wangwu`, // 22
  `21,${ROOM},49,2001,0,1714530000,2,,2024-05-01 10:20:00,老张,张三,wxid_zhangsan`, // 23
  `22,${ROOM},49,19,1,1714530060,2,<msg><appmsg><title>群聊的聊天记录</title><type>19</type></appmsg></msg>,2024-05-01 10:21:00,,小明,wxid_me`, // 24
  `23,${ROOM},42,0,0,1714530120,2,"<msg username=""wxid_zhouba"" nickname=""周八"" />",2024-05-01 10:22:00,,李四,wxid_lisi`, // 25
  `24,${ROOM},48,0,0,1714530180,2,"<?xml version=""1.0""?><msg><location x=""39.99"" label=""香山公园"" /></msg>",2024-05-01 10:23:00,,王五,wxid_wangwu`, // 26
  `25,${ROOM},1,0,0,1714530240,2,"wxid_lisi:\n好的，那就改去百望山",2024-05-01 10:24:00,,李四,wxid_lisi`, // 27-28
  `26,${ROOM},1,0,0,1714530300,2,少了字段,2024-05-01 10:25:00`, // 29 reject: 9 fields
  `27,${ROOM},1,0,0,1714530360,2,日期不对,2024-02-30 10:26:00,,李四,wxid_lisi`, // 30 reject: StrTime
  `28,${ROOM},1,0,0,abc,2,时间戳坏了,2024-05-01 10:27:00,,李四,wxid_lisi`, // 31 reject: CreateTime
  `29,,1,0,0,1714530480,2,没有会话,2024-05-01 10:28:00,,李四,wxid_lisi`, // 32 reject: TalkerId
  `30,wxid_lisi,1,0,1,1714530540,2,私聊：装备清单发你了,2024-05-01 10:29:00,,李四,wxid_lisi`, // 33 own row in a 1:1 chat
  `31,wxid_lisi,1,0,0,1714530600,2,收到，谢谢,2024-05-01 10:30:00,,李四,wxid_lisi`, // 34
];
const V1_FILE = '\ufeff' + V1.join('\r\n') + '\r\n';

describe('wechat-csv (WeChatMsg v1)', () => {
  it('totals: groups, messages, events by kind, rejects', async () => {
    const rs = await parseAll(wechatCsvParser, V1_FILE, 'x_utf8.csv');
    expect(rs[0]).toEqual({ type: 'group', key: ROOM, platform: 'wechat', externalId: ROOM, name: '', chatType: 'group' });
    expect(groups(rs).map((g) => g.type === 'group' && [g.key, g.chatType])).toEqual([[ROOM, 'group'], ['wxid_lisi', 'private']]);
    expect(messages(rs)).toHaveLength(17);
    expect(byKind(rs)).toEqual({ recall: 2, invite: 1, join: 1, remove: 1, poke: 1, leave: 1, title: 1, other: 1, call: 1 });
    expect((rejects(rs) as RejectRecord[]).map((r) => r.line)).toEqual([29, 30, 31, 32]);
    // the private chat's group record comes before its first message
    const gi = rs.findIndex((r) => r.type === 'group' && r.key === 'wxid_lisi');
    const mi = rs.findIndex((r) => r.type === 'message' && r.group === 'wxid_lisi');
    expect(gi).toBeLessThan(mi);
  });

  it('text: time from StrTime, utcMs from CreateTime, name = Remark || NickName', async () => {
    const rs = await parseAll(wechatCsvParser, V1_FILE);
    expect(msgAt(rs, 2)).toEqual({
      type: 'message', group: ROOM, line: 2, externalId: '1', sender: { id: 'wxid_zhangsan', name: '老张' },
      time: '2024-05-01 10:00:00', utcMs: 1714528800000, kind: 'text', text: '大家早上好！', replyTo: null, quote: null, mentions: [],
    });
    expect(msgAt(rs, 3)).toMatchObject({ sender: { id: 'wxid_me', name: '小明' }, text: '早！周六去哪儿爬山？\n我提议香山' });
    expect(msgAt(rs, 27)).toMatchObject({ text: '好的，那就改去百望山', sender: { id: 'wxid_lisi', name: '李四' } });
  });

  it.each([
    [5, 'image', '[图片]'],
    [6, 'sticker', '[动画表情]'],
    [7, 'voice', '[语音]'],
    [8, 'video', '[视频]'],
    [10, 'link', '北京周边十大徒步路线'],
    [11, 'file', '路线图.pdf'],
    [23, 'other', '[红包]'],
    [24, 'other', '群聊的聊天记录'],
    [25, 'other', '[名片]'],
    [26, 'other', '[位置]'],
  ])('type mapping: line %i → %s %s', async (line, kind, text) => {
    const rs = await parseAll(wechatCsvParser, V1_FILE);
    expect(msgAt(rs, line)).toMatchObject({ kind, text, mentions: [] });
  });

  it('49/57 reply: title is the text, refermsg gives quote and svrid', async () => {
    const m = msgAt(await parseAll(wechatCsvParser, V1_FILE), 9);
    expect(m).toMatchObject({
      kind: 'text', text: '香山人太多了，换个地方吧', replyTo: '7301234567890123456',
      quote: { name: '小明', text: '早！周六去哪儿爬山？\n我提议香山' }, sender: { id: 'wxid_lisi', name: '李四' },
    });
  });

  it('@mentions end at U+2005 (may hold spaces) or a space; e-mail is no mention', async () => {
    expect(msgAt(await parseAll(wechatCsvParser, V1_FILE), 22)!.mentions).toEqual(['张三', '小 明', '李四']);
  });

  it.each([
    [12, 'recall', [null, '王五'], [], '"王五" 撤回了一条消息'],
    [13, 'recall', ['wxid_me', '小明'], [], '你撤回了一条消息'],
    [14, 'invite', [null, '张三'], [[null, '赵六'], [null, '孙七']], '"张三"邀请"赵六、孙七"加入了群聊'],
    [15, 'join', [null, '李四'], [[null, '周八']], '"周八"通过扫描"李四"分享的二维码加入群聊'],
    [16, 'remove', ['wxid_me', '小明'], [[null, '孙七']], '你将"孙七"移出了群聊'],
    [17, 'poke', [null, '李四'], [[null, '张三']], '“李四” 拍了拍 “张三”'],
    [18, 'leave', null, [[null, '赵六']], '赵六退出了群聊'],
    [19, 'title', [null, '张三'], [], '"张三"修改群名为“周末爬山群”'],
    [20, 'other', null, [], '"周八"与群里其他人都不是朋友关系，请注意隐私安全'],
    [21, 'call', ['wxid_zhangsan', '老张'], [], '通话时长 00:42'],
  ])('system line %i → %s', async (line, kind, actor, subjects, text) => {
    const e = evAt(await parseAll(wechatCsvParser, V1_FILE), line)!;
    expect({ kind: e.kind, actor: who(e.actor), subjects: e.subjects.map(who), text: e.text }).toEqual({ kind, actor, subjects, text });
    expect(e.utcMs).toBe(1714528800000 + (line - 12 + 9) * 60_000);
  });

  it('rejects carry the starting line, a reason and the raw row', async () => {
    const rs = rejects(await parseAll(wechatCsvParser, V1_FILE)) as RejectRecord[];
    expect(rs.map((r) => [r.line, r.raw])).toEqual([29, 30, 31, 32].map((l) => [l, V1[l - 3]]));
    expect(rs.map((r) => r.reason)).toEqual([
      'expected 12 fields, found 9',
      'unparseable StrTime "2024-02-30 10:26:00"',
      'unparseable CreateTime "abc"',
      'missing TalkerId',
    ]);
  });

  it('IsSender=1 in a 1:1 chat: Sender is the peer, so the row is "me"', async () => {
    const rs = await parseAll(wechatCsvParser, V1_FILE);
    expect(msgAt(rs, 33)).toMatchObject({ group: 'wxid_lisi', sender: { id: 'wxid_me', name: '小明' } });
    expect(msgAt(rs, 34)).toMatchObject({ group: 'wxid_lisi', sender: { id: 'wxid_lisi', name: '李四' } });
    // before any own row shows a wxid, "me" is id 'self' name '我'
    const only = [V1[0], 'a,wxid_lisi,1,0,1,1714530540,2,在吗,2024-05-01 10:29:00,,李四,wxid_lisi', 'b,123@chatroom,1,0,1,1714530540,2,在,2024-05-01 10:29:00,,,'].join('\n');
    expect((messages(await parseAll(wechatCsvParser, only)) as MessageRecord[]).map((m) => m.sender)).toEqual([
      { id: 'self', name: '我' },
      { id: 'self', name: '我' },
    ]);
  });

  it('a file without the header is not this format', async () => {
    await expect(parseAll(wechatCsvParser, V1.slice(1).join('\n'))).rejects.toBeInstanceOf(FormatError);
  });
});

// ---------------------------------------------------------------------------------------------
const V2 = [
  '消息ID,类型,发送人,时间,内容,备注,昵称,更多信息', // 1
  '1001,文本,wxid_zhangsan,2024-05-01 10:00:00,大家早上好！,老张,张三,more', // 2
  '1002,文本,小明,2024-05-01 10:01:00,"早！周六去哪儿爬山？\n我提议香山",,,more', // 3-4
  '1003,图片,李四,2024-05-01 10:02:00,[图片],,,more', // 5
  '1004,动画表情,王五,2024-05-01 10:03:00,,,,more', // 6
  '1005,语音,张三,2024-05-01 10:04:00,[语音]3秒,,,more', // 7
  '1006,引用消息,李四,2024-05-01 10:05:00,"香山人太多了，换个地方吧\n引用:小明:早！周六去哪儿爬山？",,,more', // 8-9
  '1007,链接,王五,2024-05-01 10:06:00,北京周边十大徒步路线,,,more', // 10
  '1008,系统消息,,2024-05-01 10:07:00,"""王五"" 撤回了一条消息",,,more', // 11
  '1009,系统消息,,2024-05-01 10:08:00,"""张三""邀请""赵六""加入了群聊",,,more', // 12
  '1010,拍一拍,,2024-05-01 10:09:00,"""李四"" 拍了拍 ""张三""",,,more', // 13
  '1011,转账,张三,2024-05-01 10:10:00,[转账],,,more', // 14
  `1012,文本,王五,2024-05-01 10:11:00,@张三${E}明天几点？,,,more`, // 15
  '1013,文本,李四,2024-05-01 25:00:00,时间不对,,,more', // 16 reject
  '1014,文本,李四,2024-05-01 10:13:00,少一列,', // 17 reject
  '1015,,李四,2024-05-01 10:14:00,没有类型,,,more', // 18 reject
  '1016,文本,,2024-05-01 10:15:00,没有发送人,,,more', // 19 reject
  '1017,位置,张三,2024-05-01 10:16:00,[位置],,,more', // 20
  '1018,系统消息,,2024-05-01 10:17:00,"""周八""通过扫描""李四""分享的二维码加入群聊",,,more', // 21
  '1019,音视频通话,张三,2024-05-01 10:18:00,通话时长 00:42,,,more', // 22
];
const V2_FILE = '\ufeff' + V2.join('\r\n') + '\r\n';

describe('wechat-csv-v2 (WeChatMsg, Chinese header)', () => {
  it('totals', async () => {
    const rs = await parseAll(wechatCsvV2Parser, V2_FILE);
    expect(groups(rs)).toEqual([{ type: 'group', key: 'chat', platform: 'wechat', externalId: null, name: '', chatType: 'unknown' }]);
    expect(rs[0]!.type).toBe('group');
    expect(messages(rs)).toHaveLength(10);
    expect(byKind(rs)).toEqual({ recall: 1, invite: 1, poke: 1, join: 1, call: 1 });
    expect((rejects(rs) as RejectRecord[]).map((r) => [r.line, r.reason])).toEqual([
      [16, 'unparseable 时间 "2024-05-01 25:00:00"'],
      [17, 'expected 8 fields, found 6'],
      [18, 'missing 类型'],
      [19, 'missing 发送人'],
    ]);
  });

  it.each([
    [2, 'text', '大家早上好！', ['wxid_zhangsan', '老张'], '10:00'],
    [3, 'text', '早！周六去哪儿爬山？\n我提议香山', [null, '小明'], '10:01'],
    [5, 'image', '[图片]', [null, '李四'], '10:02'],
    [6, 'sticker', '[动画表情]', [null, '王五'], '10:03'],
    [7, 'voice', '[语音]3秒', [null, '张三'], '10:04'],
    [10, 'link', '北京周边十大徒步路线', [null, '王五'], '10:06'],
    [14, 'other', '[转账]', [null, '张三'], '10:10'],
    [20, 'other', '[位置]', [null, '张三'], '10:16'],
  ])('类型 at line %i → %s', async (line, kind, text, sender, hm) => {
    const m = msgAt(await parseAll(wechatCsvV2Parser, V2_FILE), line)!;
    expect([m.kind, m.text, who(m.sender), m.time, m.utcMs]).toEqual([kind, text, sender, `2024-05-01 ${hm}:00`, null]);
  });

  it('引用消息: reply text and 引用:name:content quote; mentions', async () => {
    const rs = await parseAll(wechatCsvV2Parser, V2_FILE);
    expect(msgAt(rs, 8)).toMatchObject({ text: '香山人太多了，换个地方吧', quote: { name: '小明', text: '早！周六去哪儿爬山？' }, externalId: '1006' });
    expect(msgAt(rs, 15)!.mentions).toEqual(['张三']);
  });

  it.each([
    [11, 'recall', [null, '王五'], []],
    [12, 'invite', [null, '张三'], [[null, '赵六']]],
    [13, 'poke', [null, '李四'], [[null, '张三']]],
    [21, 'join', [null, '李四'], [[null, '周八']]],
    [22, 'call', [null, '张三'], []],
  ])('event at line %i → %s', async (line, kind, actor, subjects) => {
    const e = evAt(await parseAll(wechatCsvV2Parser, V2_FILE), line)!;
    expect([e.kind, who(e.actor), e.subjects.map(who), e.utcMs]).toEqual([kind, actor, subjects, null]);
  });
});

// ---------------------------------------------------------------------------------------------
const TXT = [
  '2024-05-01 10:00:00 张三', '大家早上好！', '', // 1-3
  '2024-05-01 10:01:00 小明', '早！周六去哪儿爬山？', '我提议香山', '', // 4-7
  '2024-05-01 10:02:00 李四', '[图片]', '', // 8-10
  '2024-05-01 10:03:00 王五', '[表情包]', '', // 11-13
  '2024-05-01 10:04:00 张三', '[语音]', '', // 14-16
  '2024-05-01 10:05:00 李四', '香山人太多了，换个地方吧', '引用:小明:早！周六去哪儿爬山？', '我提议香山', '', // 17-21
  '2024-05-01 10:06:00 王五', '    [链接]:北京周边十大徒步路线', '    收藏了', '    https://example.com/hike', '    马蜂窝', '    ', '', // 22-28
  '2024-05-01 10:07:00 "王五" 撤回了一条消息', '', // 29-30
  '2024-05-01 10:08:00 你撤回了一条消息', '', // 31-32
  '2024-05-01 10:09:00 "张三"邀请"赵六、孙七"加入了群聊', '', // 33-34
  '2024-05-01 10:10:00 "周八"通过扫描"李四"分享的二维码加入群聊', '', // 35-36
  '2024-05-01 10:11:00 "李四" 拍了拍 "张三"', '', // 37-38
  '2024-05-01 10:12:00 赵六退出了群聊', '', // 39-40
  '2024-05-01 10:13:00 王五', `@张三${E}@小明${E}明天几点集合？`, '', // 41-43
  '2024-05-01 10:14:00 小明', '第一段', '', '第二段', '', // 44-48
  '2024-05-01 10:16:00 "张三"修改群名为“周末爬山群”', '', // 49-50
  '2024-05-01 10:17:00 你已添加了周八，现在可以开始聊天了。', '', // 51-52
  '2024-02-30 10:18:00 李四', '日期不对', '', // 53-55
  '2024-05-01 10:19:00 张三', '[文件]', '', // 56-58
  '2024-05-01 10:20:00 王五', '收到', '引用:未知', '', // 59-62
  '2024-05-01 10:21:00 Tom Lee', 'hello', '', // 63-65
].join('\n');

describe('wechat-txt (WeChatMsg TXT)', () => {
  it('totals', async () => {
    const rs = await parseAll(wechatTxtParser, TXT);
    expect(groups(rs)).toEqual([{ type: 'group', key: 'chat', platform: 'wechat', externalId: null, name: '', chatType: 'unknown' }]);
    expect((messages(rs) as MessageRecord[]).map((m) => m.line)).toEqual([1, 4, 8, 11, 14, 17, 22, 41, 44, 56, 59, 63]);
    expect(byKind(rs)).toEqual({ recall: 2, invite: 1, join: 1, poke: 1, leave: 1, title: 1, other: 1 });
    expect(rejects(rs)).toEqual([{ type: 'reject', line: 53, reason: 'invalid date or time', raw: '2024-02-30 10:18:00 李四\n日期不对' }]);
  });

  it.each([
    [1, 'text', '大家早上好！', '张三'],
    [4, 'text', '早！周六去哪儿爬山？\n我提议香山', '小明'],
    [8, 'image', '[图片]', '李四'],
    [11, 'sticker', '[表情包]', '王五'],
    [14, 'voice', '[语音]', '张三'],
    [22, 'link', '[链接]:北京周边十大徒步路线\n收藏了\nhttps://example.com/hike\n马蜂窝', '王五'],
    [44, 'text', '第一段\n\n第二段', '小明'],
    [56, 'file', '[文件]', '张三'],
    [63, 'text', 'hello', 'Tom Lee'],
  ])('message at line %i → %s', async (line, kind, text, name) => {
    expect(msgAt(await parseAll(wechatTxtParser, TXT), line)).toMatchObject({ kind, text, sender: { id: null, name }, utcMs: null, externalId: null });
  });

  it('replies: 引用:name:content (quoted content may run on), 引用:未知', async () => {
    const rs = await parseAll(wechatTxtParser, TXT);
    expect(msgAt(rs, 17)).toMatchObject({ text: '香山人太多了，换个地方吧', quote: { name: '小明', text: '早！周六去哪儿爬山？\n我提议香山' }, time: '2024-05-01 10:05:00' });
    expect(msgAt(rs, 59)).toMatchObject({ text: '收到', quote: { name: '', text: '' } });
    expect(msgAt(rs, 41)!.mentions).toEqual(['张三', '小明']);
  });

  it.each([
    [29, 'recall', [null, '王五'], []],
    [31, 'recall', ['self', '我'], []],
    [33, 'invite', [null, '张三'], [[null, '赵六'], [null, '孙七']]],
    [35, 'join', [null, '李四'], [[null, '周八']]],
    [37, 'poke', [null, '李四'], [[null, '张三']]],
    [39, 'leave', null, [[null, '赵六']]],
    [49, 'title', [null, '张三'], []],
    [51, 'other', null, []],
  ])('system line %i → %s (no name: recognised by phrase)', async (line, kind, actor, subjects) => {
    const e = evAt(await parseAll(wechatTxtParser, TXT), line)!;
    expect([e.kind, who(e.actor), e.subjects.map(who)]).toEqual([kind, actor, subjects]);
  });

  it('CRLF input reads the same', async () => {
    const a = await parseAll(wechatTxtParser, TXT);
    const b = await parseAll(wechatTxtParser, TXT.replace(/\n/g, '\r\n'));
    expect(b).toEqual(a);
  });

  it('text before the first header is rejected; no header at all is a FormatError', async () => {
    const rs = await parseAll(wechatTxtParser, '导出说明\n\n2024-05-01 10:00:00 张三\n你好\n');
    expect(rs.map((r) => r.type)).toEqual(['group', 'reject', 'message']);
    expect(rs[1]).toEqual({ type: 'reject', line: 1, reason: 'text before the first record header', raw: '导出说明' });
    await expect(parseAll(wechatTxtParser, '只是一些文字\n没有时间\n')).rejects.toBeInstanceOf(FormatError);
  });
});

// ---------------------------------------------------------------------------------------------
const CL = [
  'Time,SenderName,Sender,TalkerName,Talker,Content', // 1
  `2024-05-01 10:00:00,张三,wxid_zhangsan,周末爬山群,${ROOM},大家早上好！`, // 2
  `2024-05-01 10:01:00,小明,wxid_me,周末爬山群,${ROOM},"早！周六去哪儿爬山？\n我提议香山"`, // 3-4
  `2024-05-01 10:02:00,李四,wxid_lisi,周末爬山群,${ROOM},![图片](http://127.0.0.1:5030/image/0a1b2c3d)`, // 5
  `2024-05-01 10:03:00,王五,wxid_wangwu,周末爬山群,${ROOM},[动画表情]`, // 6
  `2024-05-01 10:04:00,张三,wxid_zhangsan,周末爬山群,${ROOM},[语音]`, // 7
  `2024-05-01 10:05:00,李四,wxid_lisi,周末爬山群,${ROOM},"> 小明(wxid_me): 早！周六去哪儿爬山？\n香山人太多了，换个地方吧"`, // 8-9
  `2024-05-01 10:06:00,王五,wxid_wangwu,周末爬山群,${ROOM},[链接|北京周边十大徒步路线](https://example.com/hike?a=1&b=2)`, // 10
  `2024-05-01 10:07:00,张三,wxid_zhangsan,周末爬山群,${ROOM},[文件|路线图.pdf](http://127.0.0.1:5030/file/abc)`, // 11
  `2024-05-01 10:08:00,,,周末爬山群,${ROOM},"""王五"" 撤回了一条消息"`, // 12
  `2024-05-01 10:09:00,,,周末爬山群,${ROOM},"""张三""邀请""赵六""加入了群聊"`, // 13
  `2024-05-01 10:10:00,李四,wxid_lisi,周末爬山群,${ROOM},"""李四"" 拍了拍 ""张三"""`, // 14
  `2024-05-01 10:11:00,张三,wxid_zhangsan,周末爬山群,${ROOM},[语音通话]`, // 15
  `2024-05-01 10:12:00,王五,wxid_wangwu,周末爬山群,${ROOM},@张三${E}明天几点？`, // 16
  `2024/13/01 10:00:00,李四,wxid_lisi,周末爬山群,${ROOM},时间不对`, // 17 reject
  '2024-05-01 10:14:00,李四,wxid_lisi,周末爬山群', // 18 reject
  '2024-05-01 10:15:00,李四,wxid_lisi,,,没有会话', // 19 reject
  '2024-05-01 10:16:00,李四,wxid_lisi,李四,wxid_lisi,私聊消息', // 20
  `2024-05-01 10:17:00,张三,wxid_zhangsan,周末爬山群,${ROOM},"装备：""登山杖"",水,干粮\n\n记得带身份证"`, // 21-23
].join('\n');

describe('wechat-chatlog-csv (sjzar/chatlog)', () => {
  it('totals', async () => {
    const rs = await parseAll(wechatChatlogCsvParser, CL);
    expect(groups(rs)).toEqual([
      { type: 'group', key: ROOM, platform: 'wechat', externalId: ROOM, name: '周末爬山群', chatType: 'group' },
      { type: 'group', key: 'wxid_lisi', platform: 'wechat', externalId: 'wxid_lisi', name: '李四', chatType: 'private' },
    ]);
    expect((messages(rs) as MessageRecord[]).map((m) => m.line)).toEqual([2, 3, 5, 6, 7, 8, 10, 11, 16, 20, 21]);
    expect(byKind(rs)).toEqual({ recall: 1, invite: 1, poke: 1, call: 1 });
    expect((rejects(rs) as RejectRecord[]).map((r) => [r.line, r.reason])).toEqual([
      [17, 'unparseable Time "2024/13/01 10:00:00"'],
      [18, 'expected 6 fields, found 4'],
      [19, 'missing Talker'],
    ]);
  });

  it.each([
    [2, 'text', '大家早上好！', ['wxid_zhangsan', '张三']],
    [3, 'text', '早！周六去哪儿爬山？\n我提议香山', ['wxid_me', '小明']],
    [5, 'image', '![图片](http://127.0.0.1:5030/image/0a1b2c3d)', ['wxid_lisi', '李四']],
    [6, 'sticker', '[动画表情]', ['wxid_wangwu', '王五']],
    [7, 'voice', '[语音]', ['wxid_zhangsan', '张三']],
    [10, 'link', '[链接|北京周边十大徒步路线](https://example.com/hike?a=1&b=2)', ['wxid_wangwu', '王五']],
    [11, 'file', '[文件|路线图.pdf](http://127.0.0.1:5030/file/abc)', ['wxid_zhangsan', '张三']],
    [21, 'text', '装备："登山杖",水,干粮\n\n记得带身份证', ['wxid_zhangsan', '张三']],
  ])('line %i → %s', async (line, kind, text, sender) => {
    const m = msgAt(await parseAll(wechatChatlogCsvParser, CL), line)!;
    expect([m.kind, m.text, who(m.sender), m.utcMs]).toEqual([kind, text, sender, null]);
  });

  it('quote lines, mentions, private chat, events', async () => {
    const rs = await parseAll(wechatChatlogCsvParser, CL);
    expect(msgAt(rs, 8)).toMatchObject({ text: '香山人太多了，换个地方吧', quote: { name: '小明', text: '早！周六去哪儿爬山？' }, time: '2024-05-01 10:05:00' });
    expect(msgAt(rs, 16)!.mentions).toEqual(['张三']);
    expect(msgAt(rs, 20)).toMatchObject({ group: 'wxid_lisi', text: '私聊消息' });
    const ev = [12, 13, 14, 15].map((l) => evAt(rs, l)!).map((e) => [e.kind, who(e.actor), e.subjects.map(who)]);
    expect(ev).toEqual([
      ['recall', [null, '王五'], []],
      ['invite', [null, '张三'], [[null, '赵六']]],
      ['poke', [null, '李四'], [[null, '张三']]],
      ['call', ['wxid_zhangsan', '张三'], []],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
const base = { talker: ROOM, talkerName: '周末爬山群', isChatRoom: true, isSelf: false, subType: 0 };
const el = (o: Record<string, unknown>) => JSON.stringify({ ...base, ...o });
const JSON_DOC = [
  '[', // 1
  '  ' + el({ seq: 1, time: '2024-05-01T10:00:00+08:00', sender: 'wxid_zhangsan', senderName: '张三', type: 1, content: '大家早上好！' }) + ',', // 2
  '  ' + el({ seq: 2, time: '2024-05-01T10:01:00+08:00', sender: 'wxid_me', senderName: '小明', isSelf: true, type: 1, content: '早！周六去哪儿爬山？\n我提议香山' }) + ',', // 3
  '  ' + el({ seq: 3, time: '2024-05-01T10:02:00+08:00', sender: 'wxid_lisi', senderName: '李四', type: 3, content: '', contents: { md5: '0a1b' } }) + ',', // 4
  '  ' + el({ seq: 4, time: '2024-05-01T10:03:00.250+08:00', sender: 'wxid_wangwu', senderName: '王五', type: 47, content: '' }) + ',', // 5
  '  {', // 6
  '    "seq": 5, "time": "2024-05-01T10:04:00+08:00", "talker": "45678901234@chatroom", "talkerName": "周末爬山群",', // 7
  '    "isChatRoom": true, "sender": "wxid_lisi", "senderName": "李四", "isSelf": false, "type": 49, "subType": 57,', // 8
  '    "content": "香山人太多了，换个地方吧",', // 9
  '    "contents": { "refer": { "seq": 2, "sender": "wxid_me", "senderName": "小明", "type": 1, "content": "早！周六去哪儿爬山？" } }', // 10
  '  },', // 11
  '  ' + el({ seq: 6, time: '2024-05-01T10:05:00+08:00', sender: 'wxid_wangwu', senderName: '王五', type: 49, subType: 5, content: '', contents: { title: '北京周边十大徒步路线', url: 'https://example.com/hike' } }) + ',', // 12
  '  ' + el({ seq: 7, time: '2024-05-01T10:06:00+08:00', sender: '', senderName: '', type: 10000, content: '"王五" 撤回了一条消息' }) + ',', // 13
  '  ' + el({ seq: 8, time: '2024-05-01T10:07:00+08:00', sender: '', senderName: '', type: 10000, content: '"张三"邀请"赵六、孙七"加入了群聊' }) + ',', // 14
  '  ' + el({ seq: 9, time: '2024-05-01T10:08:00+08:00', sender: 'wxid_lisi', senderName: '李四', type: 49, subType: 62, content: '"李四" 拍了拍 "张三"' }) + ',', // 15
  '  ' + el({ seq: 10, time: '2024-05-01T10:09:00+08:00', sender: 'wxid_zhangsan', senderName: '张三', type: 50, content: '' }) + ',', // 16
  '  ' + el({ seq: 11, time: '2024-05-01T10:10:00+08:00', sender: 'wxid_wangwu', senderName: '王五', type: 1, content: `@张三${E}明天几点？括号 ]},[{ " 结束` }) + ',', // 17
  '  ' + el({ seq: 12, time: '2024-05-01T02:20:00Z', talker: 'wxid_lisi', talkerName: '李四', isChatRoom: false, sender: 'wxid_lisi', senderName: '李四', type: 1, content: '私聊消息' }) + ',', // 18
  '  ' + el({ seq: 13, time: 'yesterday', sender: 'wxid_lisi', senderName: '李四', type: 1, content: '时间不对' }) + ',', // 19 reject
  '  {"seq": 14, "time": },', // 20 reject
  '  42,', // 21 reject
  '  ' + el({ seq: 15, time: '2024-05-01T10:12:00+08:00', sender: 'wxid_zhangsan', senderName: '张三', type: 1, content: '长'.repeat(3000) }), // 22
  ']', // 23
].join('\n');

describe('wechat-chatlog-json (sjzar/chatlog)', () => {
  it('totals and record lines', async () => {
    const rs = await parseAll(wechatChatlogJsonParser, JSON_DOC, 'chat.json');
    expect(groups(rs).map((g) => g.type === 'group' && [g.key, g.name, g.chatType])).toEqual([[ROOM, '周末爬山群', 'group'], ['wxid_lisi', '李四', 'private']]);
    expect((messages(rs) as MessageRecord[]).map((m) => m.line)).toEqual([2, 3, 4, 5, 6, 12, 17, 18, 22]);
    expect(byKind(rs)).toEqual({ recall: 1, invite: 1, poke: 1, call: 1 });
    expect((rejects(rs) as RejectRecord[]).map((r) => [r.line, r.reason.slice(0, 12)])).toEqual([
      [19, 'unparseable '],
      [20, 'invalid JSON'],
      [21, 'not a messag'],
    ]);
    expect((rejects(rs) as RejectRecord[])[2]!.raw).toBe('42');
  });

  it('time: wall clock as written, utcMs from the offset (fractions and Z too)', async () => {
    const rs = await parseAll(wechatChatlogJsonParser, JSON_DOC);
    expect(msgAt(rs, 2)).toMatchObject({ time: '2024-05-01 10:00:00', utcMs: 1714528800000, externalId: '1', sender: { id: 'wxid_zhangsan', name: '张三' } });
    expect(msgAt(rs, 5)).toMatchObject({ time: '2024-05-01 10:03:00', utcMs: 1714528980250, kind: 'sticker', text: '[动画表情]' });
    expect(msgAt(rs, 18)).toMatchObject({ time: '2024-05-01 02:20:00', utcMs: 1714530000000, group: 'wxid_lisi' });
  });

  it('kinds, self, quote, mentions, strings holding brackets', async () => {
    const rs = await parseAll(wechatChatlogJsonParser, JSON_DOC);
    expect(msgAt(rs, 3)).toMatchObject({ sender: { id: 'wxid_me', name: '小明' }, text: '早！周六去哪儿爬山？\n我提议香山' });
    expect(msgAt(rs, 4)).toMatchObject({ kind: 'image', text: '[图片]' });
    expect(msgAt(rs, 6)).toMatchObject({ kind: 'text', text: '香山人太多了，换个地方吧', quote: { name: '小明', text: '早！周六去哪儿爬山？' }, replyTo: '2' });
    expect(msgAt(rs, 12)).toMatchObject({ kind: 'link', text: '北京周边十大徒步路线' });
    expect(msgAt(rs, 17)).toMatchObject({ text: `@张三${E}明天几点？括号 ]},[{ " 结束`, mentions: ['张三'] });
    expect(msgAt(rs, 22)!.text).toHaveLength(3000);
    const ev = [13, 14, 15, 16].map((l) => evAt(rs, l)!).map((e) => [e.kind, who(e.actor), e.subjects.map(who), e.utcMs !== null]);
    expect(ev).toEqual([
      ['recall', [null, '王五'], [], true],
      ['invite', [null, '张三'], [[null, '赵六'], [null, '孙七']], true],
      ['poke', [null, '李四'], [[null, '张三']], true],
      ['call', ['wxid_zhangsan', '张三'], [], true],
    ]);
  });

  it('top level not an array, truncated array, trailing garbage → FormatError', async () => {
    await expect(parseAll(wechatChatlogJsonParser, '{"messages": []}')).rejects.toBeInstanceOf(FormatError);
    await expect(parseAll(wechatChatlogJsonParser, JSON_DOC.slice(0, 400))).rejects.toThrow(/truncated/);
    await expect(parseAll(wechatChatlogJsonParser, '[]\n{}')).rejects.toThrow(/after the top-level array/);
    expect(await parseAll(wechatChatlogJsonParser, '\ufeff[ ]')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('notice phrases and mentions', () => {
  const SELF = { id: 'self', name: '我' };
  it.each([
    ['"X"加入了群聊', 'join', null, [[null, 'X']]],
    ['"甲"将"乙、丙"移出了群聊', 'remove', [null, '甲'], [[null, '乙'], [null, '丙']]],
    ['你被"甲"移出群聊', 'remove', [null, '甲'], [['self', '我']]],
    ['"甲"邀请你和"乙"加入了群聊', 'invite', [null, '甲'], [['self', '我'], [null, '乙']]],
    ['"邀请将"邀请"乙"加入了群聊', 'invite', [null, '邀请将'], [[null, '乙']]],
    ['甲拍了拍我', 'poke', [null, '甲'], [['self', '我']]],
    ['"甲" 拍了拍 "乙" 的小脑袋', 'poke', [null, '甲'], [[null, '乙']]],
    ['"甲" 拍了拍自己', 'poke', [null, '甲'], [[null, '甲']]],
    ['对方撤回了一条消息', 'recall', null, []],
    ['"撤回了一条消息"加入了群聊', 'join', null, [[null, '撤回了一条消息']]],
    ['"甲加入了群聊', 'join', null, [[null, '甲']]],
    ['以上是打招呼的内容', 'other', null, []],
  ])('%s → %s', (text, kind, actor, subjects) => {
    const n = classifyNotice(text, SELF);
    expect([n.kind, who(n.actor), n.subjects.map(who)]).toEqual([kind, actor, subjects]);
  });

  it.each([
    [`@张三${E}你好`, ['张三']],
    [`你好@张三 ${E}`, ['张三']],
    ['@所有人 今晚开会 @李四 带电脑', ['所有人', '李四']],
    ['mail me a@b.com ok', []],
    ['@张三', []],
    [`@张三${E}@张三${E}`, ['张三']],
  ])('mentions of %j', (text, want) => {
    expect(mentionsOf(text)).toEqual(want);
  });
});

describe('text cleaning, <sysmsg> XML, batching', () => {
  const SELF = { id: 'self', name: '我' };
  it('CDATA around a text message is stripped', async () => {
    const rs = await parseAll(wechatCsvParser, `${V1[0]}\n1,${ROOM},1,0,0,1714528800,2,<![CDATA[你好]]>,2024-05-01 10:00:00,,张三,wxid_zhangsan\n`);
    expect(messages(rs)).toMatchObject([{ text: '你好' }]);
  });

  it.each([
    [
      'revokemsg → replacemsg',
      `<sysmsg type="revokemsg"><revokemsg><session>${ROOM}</session><newmsgid>1</newmsgid><replacemsg><![CDATA["张三" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>`,
      '"张三" 撤回了一条消息', 'recall', [null, '张三'], [],
    ],
    [
      'sysmsgtemplate → $key$ filled from <link> nicknames',
      '<sysmsg type="sysmsgtemplate"><sysmsgtemplate><content_template type="tmpl_type_profile"><plain><![CDATA[]]></plain>' +
        '<template><![CDATA["$username$"邀请"$names$"加入了群聊]]></template><link_list>' +
        '<link name="username" type="link_profile"><memberlist><member><username><![CDATA[wxid_a]]></username><nickname><![CDATA[张三]]></nickname></member></memberlist></link>' +
        '<link name="names" type="link_profile"><memberlist><member><username><![CDATA[wxid_b]]></username><nickname><![CDATA[李四]]></nickname></member>' +
        '<member><username><![CDATA[wxid_c]]></username><nickname><![CDATA[王五]]></nickname></member></memberlist><separator><![CDATA[、]]></separator></link>' +
        '</link_list></content_template></sysmsgtemplate></sysmsg>',
      '"张三"邀请"李四、王五"加入了群聊', 'invite', [null, '张三'], [[null, '李四'], [null, '王五']],
    ],
    [
      'pat → ${wxid} template, ids kept',
      '<sysmsg type="pat"><pat><fromusername>wxid_a</fromusername><chatusername>1@chatroom</chatusername><pattedusername>wxid_b</pattedusername>' +
        '<template><![CDATA["${wxid_a}" 拍了拍 "${wxid_b}"]]></template></pat></sysmsg>',
      '"wxid_a" 拍了拍 "wxid_b"', 'poke', ['wxid_a', 'wxid_a'], [['wxid_b', 'wxid_b']],
    ],
    ['plain recall with the 重新编辑 link', '你撤回了一条消息 <a href="weixin://revoke_edit_click">重新编辑</a>', '你撤回了一条消息', 'recall', ['self', '我'], []],
  ])('%s', (_label, raw, text, kind, actor, subjects) => {
    const clean = cleanNotice(raw);
    expect(clean).toBe(text);
    const n = classifyNotice(clean, SELF);
    expect([n.kind, who(n.actor), n.subjects.map(who)]).toEqual([kind, actor, subjects]);
  });

  it('TXT: a sentence-like header with no content is a notice even without a known phrase', async () => {
    const rs = await parseAll(wechatTxtParser, '2024-05-01 10:00:00 群主已开启"群聊邀请确认"，群成员需群主确认才能邀请朋友进群。\n\n2024-05-01 10:01:00 A，B\n有逗号的名字\n');
    expect(rs.map((r) => r.type)).toEqual(['group', 'event', 'message']);
    expect(rs[1]).toMatchObject({ kind: 'other', actor: null, subjects: [] });
    expect(rs[2]).toMatchObject({ sender: { id: null, name: 'A，B' }, text: '有逗号的名字' });
  });

  it('yields batches of about 2000 records', async () => {
    const rows = [V1[0]!];
    for (let i = 0; i < 4500; i++) rows.push(`${i},${ROOM},1,0,0,1714528800,2,第${i}条,2024-05-01 10:00:00,,张三,wxid_zhangsan`);
    const { bufferSource, prepareInput } = await import('../../../../electron/engine/ingest/input.js');
    const { input } = await prepareInput(bufferSource('big.csv', rows.join('\n')));
    const sizes: number[] = [];
    let n = 0;
    for await (const b of wechatCsvParser.parse(input)) {
      sizes.push(b.length);
      n += b.filter((r) => r.type === 'message').length;
    }
    expect(n).toBe(4500);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2001);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
  });
});

// ---------------------------------------------------------------------------------------------
describe('sniff', () => {
  const parsers: Array<[string, Parser]> = [
    ['wechat-csv', wechatCsvParser],
    ['wechat-csv-v2', wechatCsvV2Parser],
    ['wechat-txt', wechatTxtParser],
    ['wechat-chatlog-csv', wechatChatlogCsvParser],
    ['wechat-chatlog-json', wechatChatlogJsonParser],
  ];
  const samples: Array<[string, string]> = [
    ['wechat-csv', V1_FILE],
    ['wechat-csv-v2', V2_FILE],
    ['wechat-txt', TXT],
    ['wechat-chatlog-csv', CL],
    ['wechat-chatlog-json', JSON_DOC],
  ];
  for (const [own, sample] of samples) {
    it(`${own} sample: own parser wins, others ≤ 0.2`, async () => {
      for (const [fmt, p] of parsers) {
        const s = await sniffOf(p, sample);
        if (fmt === own) expect(s, fmt).toBeGreaterThanOrEqual(fmt === 'wechat-txt' ? 0.5 : 0.9);
        else expect(s, `${fmt} on ${own}`).toBeLessThanOrEqual(0.2);
      }
    });
  }

  it('wechat-txt stays moderate (≤ 0.7) so a QQ-specific sniff can win', async () => {
    expect(await sniffOf(wechatTxtParser, TXT)).toBeLessThanOrEqual(0.7);
  });

  it('no WeChat parser claims the shared QQ fixtures or other platforms’ text', async () => {
    const files = readdirSync(`${SHARED_FIXTURES}/qq`).map((f) => `qq/${f}`);
    expect(files.length).toBeGreaterThan(0);
    const others = [
      '[01/05/2024, 10:00:00] 张三: 你好\n',
      '{"name": "x", "type": "private_group", "id": 1, "messages": []}',
      '[{"sender_name": "a", "timestamp_ms": 1}]',
      '2024-05-01 9:00:00 张三(123456)\n你好\n\n2024-05-01 9:01:00 李四(654321)\n好\n',
    ];
    for (const f of files) others.push((await readShared(f)).toString('utf8'));
    for (const text of others) for (const [fmt, p] of parsers) expect(await sniffOf(p, text), `${fmt}: ${text.slice(0, 40)}`).toBeLessThanOrEqual(0.2);
  });
});

// Found by the fuzz tests (test/fuzz): the XML/notice helpers used regexes that rescan from every
// position of a long blank run or of unclosed `<`, `<a `, `<![CDATA[` (50k characters took 2–5 s),
// and mentionsOf searched for U+2005 afresh from every '@'. Rewritten as linear loops.
describe('wechat text helpers: same results, linear time', () => {
  it.each([
    // tags → ' ', then a blank run holding '\n' → '\n', 2+ spaces/tabs → ' ', trimmed
    ['<msg><a>x</a>  \n\t y</msg>', 'x\ny'],
    ['<msg>a\t\tb  c d</msg>', 'a b c d'],
    ['<msg>a \t b\tc</msg>', 'a b\tc'],
    ['<msg><![CDATA[<b>]]>&lt;i&gt;</msg>', '<i>'],
    ['<msg>a < b', 'a < b'],
  ])('xmlToText(%j) = %j', (xml, text) => {
    expect(xmlToText(xml)).toBe(text);
  });

  it.each([
    ['a<![CDATA[b]]>c<![CDATA[d]]>e', 'abcde'],
    ['a<![CDATA[b]]>c<![CDATA[d', 'abc<![CDATA[d'],
    ['<![CDATA[<![CDATA[x]]>]]>', '<![CDATA[x]]>'],
  ])('stripCdata(%j) = %j', (s, out) => {
    expect(stripCdata(s)).toBe(out);
  });

  it.each([
    ['"A" 撤回了一条消息 <a href="weixin://revoke_edit_click">重新编辑</a>', '"A" 撤回了一条消息'],
    ['你邀请<a href="weixin://contacts/profile/wxid_x">小王</a>加入了群聊', '你邀请小王加入了群聊'],
    // The revoke link goes with the blank before it; the other link is then unwrapped.
    ['x <a y> <a href="revoke_edit_click">e</a>z</a>', 'x z'],
  ])('cleanNotice(%j) = %j', (s, out) => {
    expect(cleanNotice(s)).toBe(out);
  });

  const N = 200_000;
  it.each([
    ['xmlToText: unclosed <', () => xmlToText('<msg>' + '<'.repeat(N))],
    ['xmlToText: blank run without a line break', () => xmlToText('<msg>' + ' \t'.repeat(N) + 'x')],
    ['stripCdata: unclosed openers', () => stripCdata('<![CDATA['.repeat(N / 9) + '中')],
    ['cleanNotice: blank run before a link', () => cleanNotice('<a x>y</a>' + ' '.repeat(N) + 'z')],
    ['cleanNotice: unclosed <a tags', () => cleanNotice('<a '.repeat(N / 3) + '>')],
    ['cleanNotice: links without the revoke marker', () => cleanNotice('<a x>'.repeat(N / 5) + '</a>')],
    ['mentionsOf: many @ in a CJK text', () => mentionsOf('中' + '@'.repeat(N))],
  ])('%s', (_n, f) => {
    const t0 = performance.now();
    f();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

// Found by the fuzz review (test/fuzz): an unclosed string made ArraySplitter keep the rest of the
// file as one element, without bound (a large damaged export would end in "Invalid string length").
describe('wechat-chatlog-json ArraySplitter bound', () => {
  it('refuses an element longer than its cap, across chunks, naming the line it started on', () => {
    const sp = new ArraySplitter(1000);
    const out: { text: string; line: number }[] = [];
    sp.push('[\n{"a":1},\n{"b":"', out);
    expect(out).toEqual([{ text: '{"a":1}', line: 2 }]);
    sp.push('x'.repeat(600), out);
    expect(() => sp.push('x'.repeat(600), out)).toThrow('array element at line 3 is longer than 1000 characters (unclosed string or bracket?)');
  });

  it('an element just under the cap is read whole', () => {
    const sp = new ArraySplitter(1000);
    const out: { text: string; line: number }[] = [];
    const body = 'y'.repeat(900);
    sp.push(`[{"b":"${body.slice(0, 450)}`, out);
    sp.push(`${body.slice(450)}"}]`, out);
    expect(out.map((e) => e.text.length)).toEqual([900 + 8]);
    expect(sp.endError()).toBeNull();
  });

  it('the parser turns the refusal into a FormatError', async () => {
    // 65 Mi characters inside an unclosed string, after one good element.
    const doc = new TextEncoder().encode('[' + JSON_DOC.split('\n')[1]!.replace(/,$/, '') + ',{"content":"' + 'z'.repeat(65 * 2 ** 20));
    await expect(parseAll(wechatChatlogJsonParser, doc, 'chatlog.json')).rejects.toThrow(FormatError);
  });
});

describe('wechat-txt record size bound', () => {
  // Found by the fuzz review (test/fuzz): a record's body lines were collected without bound.
  it('rejects a record over MAX_RECORD_CHARS and reads on', async () => {
    const junk = Array.from({ length: 9 }, () => 'x'.repeat(2 ** 20)).join('\n');
    const rs = await parseAll(wechatTxtParser, `2024-05-01 10:00:00 张三\n${junk}\n\n2024-05-01 10:01:00 李四\n下一条\n`, 'chat.txt');
    expect((rejects(rs) as RejectRecord[]).map((r) => [r.line, r.reason, r.raw.length])).toEqual([
      [1, 'record longer than 8 Mi characters (damaged file?); its text was dropped', 2000],
    ]);
    expect((messages(rs) as MessageRecord[]).map((m) => [m.line, m.text])).toEqual([[12, '下一条']]);
  });
});
