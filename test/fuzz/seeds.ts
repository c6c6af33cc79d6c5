/**
 * Small synthetic seeds for formats that have no shared fixture and no committed sample (WeChat
 * CSV v2, chatlog CSV/JSON, WeChatMsg TXT, a WeChatMsg CSV full of XML and notices, Discord CSV),
 * so their parsers see mutated VALID input too, not only other formats' files. Shapes follow
 * FORMATS.md and the parsers' own tests.
 */
const E = '\u2005';
const ROOM = '45678901234@chatroom';

const WECHAT_V1 = [
  'localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender',
  `1,${ROOM},1,0,0,1714528800,2,大家早上好！,2024-05-01 10:00:00,老张,张三,wxid_zhangsan`,
  `2,${ROOM},1,0,1,1714528860,2,"早！周六去哪儿爬山？\n我提议香山",2024-05-01 10:01:00,,小明,wxid_me`,
  `3,${ROOM},3,0,0,1714528920,2,"<?xml version=""1.0""?><msg><img aeskey=""abc"" length=""1024"" /></msg>",2024-05-01 10:02:00,,李四,wxid_lisi`,
  `4,${ROOM},49,57,0,1714529160,2,"<?xml version=""1.0""?><msg><appmsg appid="""" sdkver=""0""><title><![CDATA[香山人太多了]]></title><type>57</type><refermsg><type>1</type><svrid>73012345</svrid><chatusr>wxid_me</chatusr><displayname>小明</displayname><content>早！&#10;我提议香山</content></refermsg></appmsg></msg>",2024-05-01 10:06:00,,李四,wxid_lisi`,
  `5,${ROOM},49,5,0,1714529220,2,"<msg><appmsg><title>北京周边十大徒步路线</title><des>收藏了</des><type>5</type><url>https://example.com/hike?a=1&amp;b=2</url></appmsg></msg>",2024-05-01 10:07:00,,王五,wxid_wangwu`,
  `6,${ROOM},10000,0,0,1714529340,4,"""王五"" 撤回了一条消息",2024-05-01 10:09:00,,,`,
  `7,${ROOM},10000,0,1,1714529400,4,"<![CDATA[你撤回了一条消息 <a href=""weixin://revoke_edit_click"">重新编辑</a>]]>",2024-05-01 10:10:00,,,`,
  `8,${ROOM},10000,0,0,1714529460,4,"""张三""邀请""赵六、孙七""加入了群聊",2024-05-01 10:11:00,,,`,
  `9,${ROOM},10002,0,0,1714529470,4,"<sysmsg type=""sysmsgtemplate""><sysmsgtemplate><content_template><template><![CDATA[$username$邀请$names$加入了群聊]]></template><link_list><link name=""username""><memberlist><member><nickname>张三</nickname></member></memberlist></link><link name=""names""><memberlist><member><nickname>赵六</nickname></member><member><nickname>孙七</nickname></member></memberlist></link></link_list></content_template></sysmsgtemplate></sysmsg>",2024-05-01 10:11:10,,,`,
  `10,${ROOM},10000,0,0,1714529520,4,"""周八""通过扫描""李四""分享的二维码加入群聊",2024-05-01 10:12:00,,,`,
  `11,${ROOM},10000,0,1,1714529580,4,"你将""孙七""移出了群聊",2024-05-01 10:13:00,,,`,
  `12,${ROOM},10000,0,0,1714529640,4,“李四” 拍了拍 “张三”,2024-05-01 10:14:00,,,`,
  `13,${ROOM},50,0,0,1714529880,2,"<voipmsg type=""VoIPBubbleMsg""><VoIPBubbleMsg><msg><![CDATA[通话时长 00:42]]></msg></VoIPBubbleMsg></voipmsg>",2024-05-01 10:18:00,老张,张三,wxid_zhangsan`,
  `14,${ROOM},1,0,0,1714529940,2,@张三${E}@小 明${E}明天几点集合？问下 @李四 和 a@b.com,2024-05-01 10:19:00,,王五,wxid_wangwu`,
  `15,wxid_lisi,1,0,0,1714530240,2,"wxid_lisi:\n私聊",2024-05-01 10:24:00,,李四,wxid_lisi`,
].join('\r\n');

const WECHAT_V2 = [
  '消息ID,类型,发送人,时间,内容,备注,昵称,更多信息',
  '1001,文本,wxid_zhangsan,2024-05-01 10:00:00,大家早上好！,老张,张三,more',
  '1002,文本,小明,2024-05-01 10:01:00,"早！周六去哪儿爬山？\n我提议香山",,,more',
  '1003,图片,李四,2024-05-01 10:02:00,[图片],,,more',
  '1006,引用消息,李四,2024-05-01 10:05:00,"香山人太多了\n引用:小明:早！周六去哪儿爬山？",,,more',
  '1008,系统消息,,2024-05-01 10:07:00,"""王五"" 撤回了一条消息",,,more',
  '1009,系统消息,,2024-05-01 10:08:00,"""张三""邀请""赵六""加入了群聊",,,more',
  '1010,拍一拍,,2024-05-01 10:09:00,"""李四"" 拍了拍 ""张三""",,,more',
  `1012,文本,王五,2024-05-01 10:11:00,@张三${E}明天几点？,,,more`,
  '1019,音视频通话,张三,2024-05-01 10:18:00,通话时长 00:42,,,more',
].join('\n');

const CHATLOG_CSV = [
  'Time,SenderName,Sender,TalkerName,Talker,Content',
  `2024-05-01 10:00:00,张三,wxid_zhangsan,周末爬山群,${ROOM},大家早上好！`,
  `2024-05-01 10:01:00,小明,wxid_me,周末爬山群,${ROOM},"早！周六去哪儿爬山？\n我提议香山"`,
  `2024-05-01 10:02:00,李四,wxid_lisi,周末爬山群,${ROOM},![图片](http://127.0.0.1:5030/image/0a1b2c3d)`,
  `2024-05-01 10:05:00,李四,wxid_lisi,周末爬山群,${ROOM},"> 小明(wxid_me): 早！周六去哪儿爬山？\n香山人太多了"`,
  `2024-05-01 10:06:00,王五,wxid_wangwu,周末爬山群,${ROOM},[链接|北京周边十大徒步路线](https://example.com/hike?a=1&b=2)`,
  `2024-05-01 10:08:00,,,周末爬山群,${ROOM},"""王五"" 撤回了一条消息"`,
  `2024-05-01 10:10:00,李四,wxid_lisi,周末爬山群,${ROOM},"""李四"" 拍了拍 ""张三"""`,
  `2024-05-01 10:11:00,张三,wxid_zhangsan,周末爬山群,${ROOM},[语音通话]`,
  `2024-05-01 10:12:00,王五,wxid_wangwu,周末爬山群,${ROOM},@张三${E}明天几点？`,
].join('\n');

const el = (o: Record<string, unknown>): string =>
  JSON.stringify({ talker: ROOM, talkerName: '周末爬山群', isChatRoom: true, isSelf: false, subType: 0, ...o });
const CHATLOG_JSON = [
  '[',
  '  ' + el({ seq: 1, time: '2024-05-01T10:00:00+08:00', sender: 'wxid_zhangsan', senderName: '张三', type: 1, content: '大家早上好！' }) + ',',
  '  ' + el({ seq: 2, time: '2024-05-01T10:01:00+08:00', sender: 'wxid_me', senderName: '小明', isSelf: true, type: 1, content: '早！\n我提议香山' }) + ',',
  '  ' + el({ seq: 3, time: '2024-05-01T10:02:00.250+08:00', sender: 'wxid_lisi', senderName: '李四', type: 3, content: '', contents: { md5: '0a1b' } }) + ',',
  '  ' + el({ seq: 5, time: '2024-05-01T10:04:00+08:00', sender: 'wxid_lisi', senderName: '李四', type: 49, subType: 57, content: '换个地方吧', contents: { refer: { seq: 2, sender: 'wxid_me', senderName: '小明', type: 1, content: '早！' } } }) + ',',
  '  ' + el({ seq: 7, time: '2024-05-01T10:06:00+08:00', sender: '', senderName: '', type: 10000, content: '"王五" 撤回了一条消息' }) + ',',
  '  ' + el({ seq: 8, time: '2024-05-01T10:07:00+08:00', sender: '', senderName: '', type: 10000, content: '"张三"邀请"赵六、孙七"加入了群聊' }) + ',',
  '  ' + el({ seq: 10, time: '2024-05-01T10:09:00+08:00', sender: 'wxid_zhangsan', senderName: '张三', type: 50, content: '' }) + ',',
  '  ' + el({ seq: 12, time: '2024-05-01T02:20:00Z', talker: 'wxid_lisi', talkerName: '李四', isChatRoom: false, sender: 'wxid_lisi', senderName: '李四', type: 1, content: '私聊消息' }),
  ']',
].join('\n');

const WECHAT_TXT = [
  '2024-05-01 10:00:00 张三', '大家早上好！', '',
  '2024-05-01 10:01:00 小明', '早！周六去哪儿爬山？', '我提议香山', '',
  '2024-05-01 10:02:00 李四', '[图片]', '',
  '2024-05-01 10:05:00 李四', '香山人太多了，换个地方吧', '引用:小明:早！周六去哪儿爬山？', '',
  '2024-05-01 10:06:00 王五', '    [链接]:北京周边十大徒步路线', '    收藏了', '    https://example.com/hike', '',
  '2024-05-01 10:07:00 "王五" 撤回了一条消息', '',
  '2024-05-01 10:09:00 "张三"邀请"赵六、孙七"加入了群聊', '',
  '2024-05-01 10:11:00 "李四" 拍了拍 "张三"', '',
  '2024-05-01 10:13:00 王五', `@张三${E}@小明${E}明天几点集合？`, '',
  '2024-05-01 10:16:00 "张三"修改群名为“周末爬山群”', '',
].join('\n');

const q = (...f: string[]): string => f.map((x) => `"${x.replace(/"/g, '""')}"`).join(',');
const DISCORD_CSV = [
  'AuthorID,Author,Date,Content,Attachments,Reactions',
  q('111', 'alice', '2020-01-01T09:33:00.0000000+08:00', 'hi', '', ''),
  q('222', 'bob#1234', '01-Jan-20 01:34 AM', 'hello\nthere', '', ''),
  q('111', 'alice', '2020-01-01T09:35:00.0000000+08:00', '', 'https://cdn.discordapp.com/a.png', '👍 (2)'),
  q('333', 'carol', '2020-01-01T09:36:00.0000000+08:00', 'Joined the server.', '', ''),
].join('\n');

/** id (shown as seed=synthetic/…) → content. */
export const SYNTHETIC_SEEDS: Record<string, string> = {
  'wechat-v1-xml-notices_utf8.csv': '\ufeff' + WECHAT_V1 + '\r\n',
  'wechat-v2.csv': WECHAT_V2 + '\n',
  'wechat-chatlog.csv': CHATLOG_CSV + '\n',
  'wechat-chatlog.json': CHATLOG_JSON + '\n',
  'wechat.txt': WECHAT_TXT + '\n',
  'discord.csv': DISCORD_CSV + '\n',
};
