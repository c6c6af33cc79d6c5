import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { bufferSource, prepareInput } from '../../../electron/engine/ingest/input.js';
import { choose } from '../../../electron/engine/ingest/import-file.js';
import { PARSERS } from '../../../electron/engine/ingest/parsers/index.js';
import { FormatError } from '../../../electron/engine/ingest/types.js';
import { readShared } from '../../helpers/parse.js';

async function detect(data: string | Uint8Array): Promise<string> {
  const { sniff } = await prepareInput(bufferSource('f', data));
  return choose(PARSERS, sniff, 'f').format;
}

/** Content only decides the format: file names are never consulted. */
describe('format detection by sniffing', () => {
  it.each([
    ['qq/log-painter__extracted__basic.txt', 'qq-txt'],
    ['qq/log-painter__extracted__Private_chat.txt', 'qq-txt'],
    ['qq/log-painter__extracted__email.txt', 'qq-txt'],
    ['qq/qq-chat-history__file.txt', 'qq-txt'],
    ['whatsapp/whatstk__pokemon.txt', 'whatsapp-txt'],
    ['whatsapp/whatstk__lorem.txt', 'whatsapp-txt'],
    ['whatsapp/language-whatsapp__ios_en_gb_lower_pm__chat.txt', 'whatsapp-txt'],
    ['whatsapp/chat-miner__test_mmddyyyy_12hrs.txt', 'whatsapp-txt'],
    ['telegram/mlomb-chat-analytics__DM_2A_7M.json', 'telegram-json'],
    ['telegram/chat-miner__test_batch_export.json', 'telegram-json'],
  ])('%s → %s', async (file, format) => {
    expect(await detect(await readShared(file))).toBe(format);
  });

  it.each([
    ['WeChatMsg CSV v1', '\ufefflocalId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n1,123@chatroom,1,0,0,1714528800,2,你好,2024-05-01 10:00:00,,张三,wxid_a\n', 'wechat-csv'],
    ['WeChatMsg CSV v2', '\ufeff消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\n1,文本,wxid_a,2024-05-01 10:00:00,你好,,张三,more\n', 'wechat-csv-v2'],
    ['chatlog CSV', 'Time,SenderName,Sender,TalkerName,Talker,Content\n2024-05-01 10:00:00,张三,wxid_a,群,1@chatroom,你好\n', 'wechat-chatlog-csv'],
    ['chatlog JSON', '[{"seq":1,"time":"2024-05-01T10:00:00+08:00","talker":"1@chatroom","talkerName":"群","isChatRoom":true,"sender":"wxid_a","senderName":"张三","isSelf":false,"type":1,"subType":0,"content":"你好"}]', 'wechat-chatlog-json'],
    ['WeChatMsg TXT (no QQ trait)', '2024-05-01 10:00:00 张三\n大家好\n\n2024-05-01 10:01:00 李四\n[图片]\n\n', 'wechat-txt'],
    ['QQ with the banner', '\ufeff消息记录（此消息记录为文本格式，不支持重新导入）\r\n\r\n================================================================\r\n消息分组:我的群聊\r\n================================================================\r\n消息对象:群\r\n================================================================\r\n\r\n2024-05-01 9:00:00 张三(10001)\r\n你好\r\n\r\n', 'qq-txt'],
  ])('%s', async (_name, text, format) => {
    expect(await detect(text)).toBe(format);
  });

  it('detects GB18030 and UTF-16LE QQ exports', async () => {
    const text = '消息记录（此消息记录为文本格式，不支持重新导入）\r\n\r\n2024-05-01 9:00:00 张三(10001)\r\n你好\r\n\r\n';
    expect(await detect(iconv.encode(text, 'gb18030'))).toBe('qq-txt');
    expect(await detect(iconv.encode(text, 'utf16-le'))).toBe('qq-txt');
  });

  it('refuses binary and unknown content with a reason', async () => {
    const bin = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    await expect(detect(bin)).rejects.toThrow(FormatError);
    await expect(detect(bin)).rejects.toThrow(/binary file|unrecognised/);
    await expect(detect('just some notes\nabout nothing\n')).rejects.toThrow(/unrecognised format/);
  });
});
