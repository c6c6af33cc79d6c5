import type { Parser } from '../types.js';
import { qqTxtParser } from './qq-txt.js';
import { telegramJsonParser } from './telegram-json.js';
import { whatsappTxtParser } from './whatsapp-txt.js';
import { wechatChatlogCsvParser, wechatCsvParser, wechatCsvV2Parser } from './wechat-csv.js';
import { wechatChatlogJsonParser } from './wechat-chatlog-json.js';
import { wechatTxtParser } from './wechat-txt.js';

/** Every parser, tried by sniffing content; the most confident wins (import-file.ts `choose`). */
export const PARSERS: readonly Parser[] = [
  qqTxtParser,
  wechatCsvParser,
  wechatCsvV2Parser,
  wechatTxtParser,
  wechatChatlogCsvParser,
  wechatChatlogJsonParser,
  telegramJsonParser,
  whatsappTxtParser,
];
