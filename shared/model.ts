/**
 * Canonical vocabulary shared by the engine, the RPC contract and the renderer.
 * Pure TypeScript: no Node, no DOM.
 */

export const PLATFORMS = [
  'qq', 'wechat', 'telegram', 'whatsapp', 'discord', 'slack', 'line', 'messenger', 'instagram', 'signal', 'other',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Every concrete file format the importers recognise. */
export const FORMATS = [
  'qq-txt',
  'wechat-csv',
  'wechat-csv-v2',
  'wechat-txt',
  'wechat-chatlog-csv',
  'wechat-chatlog-json',
  'telegram-json',
  'whatsapp-txt',
  'discord-json',
  'discord-csv',
  'slack-export',
  'line-txt',
  'messenger-json',
  'qce-json',
  'qce-jsonl',
  'generic-csv',
  'generic-jsonl',
  'signal-txt',
] as const;
export type FormatId = (typeof FORMATS)[number];

/** Kinds of message a member can send. System records are events, never messages. */
export const MESSAGE_KINDS = ['text', 'image', 'voice', 'video', 'file', 'link', 'sticker', 'other'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Membership and housekeeping events. */
export const EVENT_KINDS = [
  'join', // joined by themselves (link, request, search)
  'invite', // added/invited by someone else (the subject joins)
  'leave', // left by themselves
  'remove', // removed by someone else
  'create', // group created
  'rename', // a member changed their name
  'title', // group title changed
  'recall', // a message was recalled / deleted
  'poke', // 拍一拍 / 戳一戳 / 窗口抖动
  'pin', // pinned message / 精华消息
  'call', // voice or video call
  'other', // any other system notice (kept, never a topic)
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Event kinds that make somebody a member of the group. */
export const JOIN_KINDS: readonly EventKind[] = ['join', 'invite'];
/** Event kinds that end somebody's membership. */
export const EXIT_KINDS: readonly EventKind[] = ['leave', 'remove'];

export type ChatType = 'group' | 'private' | 'channel' | 'unknown';
