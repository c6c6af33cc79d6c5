import type { BundleParser, Parser } from '../types.js';
import { discordCsvParser } from './discord-csv.js';
import { discordJsonParser } from './discord-json.js';
import { qceJsonParser } from './qce-json.js';
import { qceJsonlParser } from './qce-jsonl.js';
import { qqTxtParser } from './qq-txt.js';
import { telegramJsonParser } from './telegram-json.js';
import { whatsappTxtParser } from './whatsapp-txt.js';
import { wechatChatlogCsvParser, wechatCsvParser, wechatCsvV2Parser } from './wechat-csv.js';
import { wechatChatlogJsonParser } from './wechat-chatlog-json.js';
import { wechatTxtParser } from './wechat-txt.js';
import { slackParser } from './slack.js';
import { lineTxtParser } from './line-txt.js';
import { messengerJsonParser } from './messenger-json.js';
import { signalTxtParser } from './signal-txt.js';

/** Every parser, tried by sniffing content; the most confident wins (import-file.ts `choose`). */
export const PARSERS: readonly Parser[] = [
  qqTxtParser,
  wechatCsvParser,
  wechatCsvV2Parser,
  wechatTxtParser,
  wechatChatlogCsvParser,
  wechatChatlogJsonParser,
  telegramJsonParser,
  qceJsonParser,
  whatsappTxtParser,
  discordJsonParser,
  discordCsvParser,
  lineTxtParser,
  messengerJsonParser,
  signalTxtParser,
];

/**
 * Parsers of multi-file exports (a folder or a zip read as one), tried on every folder and zip
 * before its files are taken one by one; the most confident at ≥ 0.5 wins (bundle.ts `detectBundle`).
 */
export const BUNDLE_PARSERS: readonly BundleParser[] = [slackParser, qceJsonlParser];
