import type { MessageKind } from '../../../shared/model.js';

/**
 * Media placeholders that exports write instead of the media, by platform and language, with the
 * kind each stands for. The same table feeds the stopword list, so placeholders never become topics.
 */
export const PLACEHOLDERS: ReadonlyArray<readonly [string, MessageKind]> = [
  // QQ / WeChat (zh)
  ['[图片]', 'image'],
  ['[表情]', 'sticker'],
  ['[动画表情]', 'sticker'],
  ['[表情包]', 'sticker'],
  ['[语音]', 'voice'],
  ['[视频]', 'video'],
  ['[文件]', 'file'],
  ['[链接]', 'link'],
  ['[音乐分享]', 'link'],
  ['[位置]', 'other'],
  ['[名片]', 'other'],
  ['[QQ红包]', 'other'],
  ['[红包]', 'other'],
  ['[转账]', 'other'],
  ['[闪照]', 'image'],
  ['[自动回复]', 'other'],
  ['[戳一戳]', 'other'],
  // WhatsApp iOS (en, de)
  ['image omitted', 'image'],
  ['video omitted', 'video'],
  ['audio omitted', 'voice'],
  ['sticker omitted', 'sticker'],
  ['GIF omitted', 'video'],
  ['Contact card omitted', 'other'],
  ['document omitted', 'file'],
  ['Bild weggelassen', 'image'],
  ['Video weggelassen', 'video'],
  ['Audio weggelassen', 'voice'],
  ['Sticker weggelassen', 'sticker'],
  ['GIF weggelassen', 'video'],
  ['Dokument weggelassen', 'file'],
  // WhatsApp Android
  ['<Media omitted>', 'other'],
  ['<media omitted>', 'other'],
  ['<Medien ausgeschlossen>', 'other'],
  ['<省略影音内容>', 'other'],
  ['<已省略多媒體檔案>', 'other'],
  ['圖片已略去', 'image'],
  ['<图片已忽略>', 'image'],
  // WeChat app-message placeholders (WeChatMsg CSV / chatlog)
  ['[聊天记录]', 'other'],
  ['[合并转发]', 'other'],
  ['[小程序]', 'link'],
  ['[视频号]', 'link'],
  // LINE (en, zh-CN, zh-TW, ja): the whole message text of a media message
  ['[Photo]', 'image'],
  ['[Sticker]', 'sticker'],
  ['[Video]', 'video'],
  ['[Voice message]', 'voice'],
  ['[File]', 'file'],
  ['[Contact]', 'other'],
  ['[Location]', 'other'],
  ['[Album]', 'image'],
  ['[照片]', 'image'],
  ['[贴图]', 'sticker'],
  ['[貼圖]', 'sticker'],
  ['[影片]', 'video'],
  ['[语音信息]', 'voice'],
  ['[語音訊息]', 'voice'],
  ['[檔案]', 'file'],
  ['[写真]', 'image'],
  ['[スタンプ]', 'sticker'],
  ['[動画]', 'video'],
  ['[ボイスメッセージ]', 'voice'],
  ['[ファイル]', 'file'],
  ['[位置情報]', 'other'],
];

/** Words that must never be topics: placeholder words and system boilerplate. */
export const PLACEHOLDER_WORDS: readonly string[] = [
  '图片', '表情', '动画表情', '表情包', '语音', '视频', '文件', '链接', '位置', '名片', '红包', '转账', '闪照',
  '自动回复', '戳一戳', '撤回', '一条消息', '消息', '拍了拍', '加入', '群聊', '本群', '邀请', '移出', '退出',
  'omitted', 'image', 'video', 'audio', 'sticker', 'gif', 'document', 'media', 'weggelassen', 'ausgeschlossen',
  'medien', 'bild', 'deleted', 'message', 'attached', 'null', 'file', 'included', 'change', 'data', 'exporting',
  'settings', 'download',
];
