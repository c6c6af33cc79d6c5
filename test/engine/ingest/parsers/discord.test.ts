import { describe, expect, it } from 'vitest';
import { discordJsonParser as json } from '../../../../electron/engine/ingest/parsers/discord-json.js';
import { discordCsvParser as csv } from '../../../../electron/engine/ingest/parsers/discord-csv.js';
import { PARSERS } from '../../../../electron/engine/ingest/parsers/index.js';
import {
  FormatError,
  type EventRecord,
  type GroupRecord,
  type MessageRecord,
  type ParsedRecord,
  type Parser,
  type ParserInput,
  type RejectRecord,
} from '../../../../electron/engine/ingest/types.js';
import { readdir } from 'node:fs/promises';
import { events, groups, messages, parseAll, readShared, rejects, sharedFixture, sniffOf } from '../../../helpers/parse.js';

const msgs = (rs: ParsedRecord[]) => messages(rs) as MessageRecord[];
const evts = (rs: ParsedRecord[]) => events(rs) as EventRecord[];
const rejs = (rs: ParsedRecord[]) => rejects(rs) as RejectRecord[];
const grps = (rs: ParsedRecord[]) => groups(rs) as GroupRecord[];

const GUILD = { id: '253601524398293010', name: 'DefleMask', iconUrl: 'x.png' };
const CHANNEL = { id: '900', type: 'GuildTextChat', categoryId: '1', category: 'Chat', name: 'general', topic: null };
const dce = (ms: unknown[], channel: object = CHANNEL, guild: object = GUILD) =>
  JSON.stringify({ guild, channel, dateRange: { after: null, before: null }, exportedAt: '2024-01-01T00:00:00+00:00', messages: ms, messageCount: ms.length }, null, 2);
const parseJson = (s: string | Uint8Array) => parseAll(json, s, 'channel.json');

const alice = { id: '111', name: 'alice', discriminator: '0000', nickname: 'alice', color: null, isBot: false, avatarUrl: 'a.png' };
const bob = { id: '222', name: 'bob', discriminator: '0000', nickname: 'Bobby', color: null, isBot: false, avatarUrl: 'b.png' };
const base = {
  id: '5000',
  type: 'Default',
  timestamp: '2018-05-20T16:09:44.209+00:00',
  timestampEdited: null,
  callEndedTimestamp: null,
  isPinned: false,
  content: 'hello',
  author: alice,
  attachments: [],
  embeds: [],
  stickers: [],
  reactions: [],
  mentions: [],
};
const att = (fileName: string, extra: object = {}) => ({ id: '1', url: `https://cdn.discordapp.com/attachments/1/2/${fileName}`, fileName, fileSizeBytes: 10, ...extra });

/** The one record a single message maps to. */
async function one(m: object): Promise<ParsedRecord> {
  const rs = await parseJson(dce([m]));
  expect(rs).toHaveLength(2);
  return rs[1]!;
}

async function formatError(p: Parser, s: string): Promise<FormatError> {
  try {
    await parseAll(p, s, 'x');
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('no FormatError');
}

describe('discord-json conversation', () => {
  const cases: Array<[string, object, object, Omit<GroupRecord, 'type' | 'platform'>]> = [
    ['guild text channel: "Guild / #channel"', GUILD, CHANNEL, { key: '900', externalId: '900', name: 'DefleMask / #general', chatType: 'group' }],
    ['announcement channel', GUILD, { ...CHANNEL, type: 'GuildNews', name: 'news' }, { key: '900', externalId: '900', name: 'DefleMask / #news', chatType: 'channel' }],
    ['thread', GUILD, { ...CHANNEL, type: 'GuildPublicThread', name: 'a thread' }, { key: '900', externalId: '900', name: 'DefleMask / #a thread', chatType: 'group' }],
    ['1:1 DM: the channel name', { id: '0', name: 'Direct Messages' }, { ...CHANNEL, type: 'DirectTextChat', name: ' Someone ' }, { key: '900', externalId: '900', name: 'Someone', chatType: 'private' }],
    ['group DM: the channel name', { id: '0', name: 'Direct Messages' }, { ...CHANNEL, type: 'DirectGroupTextChat', name: 'a group chat' }, { key: '900', externalId: '900', name: 'a group chat', chatType: 'group' }],
    ['no type, DM pseudo-guild', { id: '0', name: 'Direct Messages' }, { id: '7', name: 'x' }, { key: '7', externalId: '7', name: 'x', chatType: 'unknown' }],
    ['no channel id', GUILD, { type: 'GuildTextChat', name: 'c' }, { key: 'discord', externalId: null, name: 'DefleMask / #c', chatType: 'group' }],
  ];
  it.each(cases)('%s', async (_n, guild, channel, g) => {
    const rs = await parseJson(dce([base], channel, guild));
    expect(rs[0]).toEqual({ type: 'group', platform: 'discord', ...g });
    expect((rs[1] as MessageRecord).group).toBe(g.key);
  });
});

describe('discord-json messages', () => {
  const cases: Array<[string, object, Partial<MessageRecord>]> = [
    [
      'plain text: id, wall clock without millis, instant with them',
      base,
      {
        group: '900',
        line: 1,
        externalId: '5000',
        sender: { id: '111', name: 'alice' },
        time: '2018-05-20 16:09:44',
        utcMs: Date.UTC(2018, 4, 20, 16, 9, 44, 209),
        kind: 'text',
        text: 'hello',
        replyTo: null,
        quote: null,
        mentions: [],
      },
    ],
    // 23:30:05 at +02:00 is 21:30:05 UTC; the wall clock stays as written.
    ['offset east', { ...base, timestamp: '2021-03-04T23:30:05.5+02:00' }, { time: '2021-03-04 23:30:05', utcMs: Date.UTC(2021, 2, 4, 21, 30, 5, 500) }],
    // 20:00 at -05:30 is 01:30 UTC next day.
    ['offset west crossing midnight', { ...base, timestamp: '2021-03-04T20:00:00-05:30' }, { time: '2021-03-04 20:00:00', utcMs: Date.UTC(2021, 2, 5, 1, 30, 0) }],
    ['Z and 7 fractional digits', { ...base, timestamp: '2020-01-01T01:33:00.1234567Z' }, { time: '2020-01-01 01:33:00', utcMs: Date.UTC(2020, 0, 1, 1, 33, 0, 123) }],
    ['no zone: no instant', { ...base, timestamp: '2020-01-01T01:33:00' }, { time: '2020-01-01 01:33:00', utcMs: null }],
    ['nickname is the display name, account name an alias', { ...base, author: bob }, { sender: { id: '222', name: 'Bobby', aliases: ['bob'] } }],
    ['no nickname property: the name', { ...base, author: { id: '111', name: 'mlomb', discriminator: '0000' } }, { sender: { id: '111', name: 'mlomb' } }],
    ['empty nickname: the name, trimmed', { ...base, author: { ...alice, name: ' alice ', nickname: '  ' } }, { sender: { id: '111', name: 'alice' } }],
    ['legacy discriminator kept as name#1234', { ...base, author: { ...bob, discriminator: '1234' } }, { sender: { id: '222', name: 'Bobby', aliases: ['bob', 'bob#1234'] } }],
    ['discriminator "0" is none', { ...base, author: { ...alice, discriminator: '0' } }, { sender: { id: '111', name: 'alice' } }],
    ['bot', { ...base, author: { ...alice, isBot: true } }, { sender: { id: '111', name: 'alice', bot: true } }],
    ['Deleted User keeps its id', { ...base, author: { id: '555', name: 'Deleted User', discriminator: '0000', nickname: 'Deleted User' } }, { sender: { id: '555', name: 'Deleted User' } }],
    ['reply', { ...base, type: 'Reply', reference: { messageId: '4999', channelId: '900', guildId: null } }, { replyTo: '4999' }],
    ['reference on a Default message is a reply too', { ...base, reference: { messageId: '4998', channelId: '900', guildId: null } }, { replyTo: '4998' }],
    ['a forward is not a reply; its text is the original', { ...base, content: '', reference: { type: 'Forward', messageId: '1' }, forwardedMessage: { content: 'fwd text', attachments: [] } }, { replyTo: null, text: 'fwd text', kind: 'text' }],
    ['mentions are ids', { ...base, content: 'hi @Bobby @alice', mentions: [bob, alice] }, { mentions: ['222', '111'] }],
    [
      'reactions: emoji name and count',
      { ...base, reactions: [{ emoji: { id: '46', name: 'paul', isAnimated: false }, count: 3 }, { emoji: { id: null, name: '❤' }, count: 2, users: [] }] },
      { reactions: [{ emoji: 'paul', count: 3 }, { emoji: '❤', count: 2 }] },
    ],
    ['png attachment', { ...base, content: '', attachments: [att('unknown.png')] }, { kind: 'image', text: '' }],
    ['jpg', { ...base, content: '', attachments: [att('a.JPG')] }, { kind: 'image' }],
    ['gif', { ...base, content: '', attachments: [att('a.gif')] }, { kind: 'image' }],
    ['webp', { ...base, content: '', attachments: [att('a.webp')] }, { kind: 'image' }],
    ['mp4', { ...base, content: '', attachments: [att('clip.mp4')] }, { kind: 'video' }],
    ['mov', { ...base, content: '', attachments: [att('clip.mov')] }, { kind: 'video' }],
    ['webm', { ...base, content: '', attachments: [att('clip.webm')] }, { kind: 'video' }],
    ['ogg voice message', { ...base, content: '', attachments: [att('voice-message.ogg')] }, { kind: 'voice' }],
    ['mp3', { ...base, content: '', attachments: [att('song.mp3')] }, { kind: 'voice' }],
    ['m4a', { ...base, content: '', attachments: [att('a.m4a')] }, { kind: 'voice' }],
    ['wav', { ...base, content: '', attachments: [att('a.wav')] }, { kind: 'voice' }],
    ['pdf is a file', { ...base, content: '', attachments: [att('spec.pdf')] }, { kind: 'file' }],
    ['no extension is a file', { ...base, content: '', attachments: [att('README')] }, { kind: 'file' }],
    ['content type decides over the name', { ...base, content: '', attachments: [att('blob', { contentType: 'video/mp4' })] }, { kind: 'video' }],
    ['URL only (no fileName): extension before the query', { ...base, content: '', attachments: [{ url: 'https://cdn.discordapp.com/a/b/clip.MP4?ex=65&is=66' }] }, { kind: 'video' }],
    ['text with an attachment: text kept, kind by the attachment', { ...base, content: 'look at this', attachments: [att('a.png'), att('b.pdf')] }, { kind: 'image', text: 'look at this' }],
    ['sticker', { ...base, content: '', stickers: [{ id: '8', name: 'Laugh', format: 'PngAnimated', sourceUrl: 's.png' }] }, { kind: 'sticker', text: '' }],
    ['attachment wins over a sticker', { ...base, attachments: [att('x.png')], stickers: [{ id: '8', name: 'Laugh' }] }, { kind: 'image' }],
    ['content that is only a URL', { ...base, content: ' https://chatanalytics.app/x?y=1 ' }, { kind: 'link' }],
    ['a URL inside text is text', { ...base, content: 'check out https://chatanalytics.app' }, { kind: 'text' }],
    ['slash-command reply from a bot is a message', { ...base, type: 'ChatInputCommand', content: 'pong', author: { ...alice, isBot: true } }, { kind: 'text', text: 'pong' }],
    ['numeric command type 20 is a message', { ...base, type: '20', content: 'pong' }, { kind: 'text' }],
  ];
  it.each(cases)('%s', async (_name, m, expected) => {
    const r = await one(m);
    expect(r.type).toBe('message');
    expect(r).toMatchObject(expected);
  });

  it('no aliases or bot flag on a plain account; no reactions property without reactions', async () => {
    const r = (await one(base)) as MessageRecord;
    expect(r.sender).toEqual({ id: '111', name: 'alice' });
    expect(r.reactions).toBeUndefined();
  });
});

describe('discord-json system messages → events', () => {
  const at = { time: '2018-05-20 16:09:44', utcMs: Date.UTC(2018, 4, 20, 16, 9, 44, 209) };
  const a = { id: '111', name: 'alice' };
  const b = { id: '222', name: 'Bobby', aliases: ['bob'] };
  const sys = (type: string, content: string, extra: object = {}) => ({ ...base, type, content, ...extra });
  const cases: Array<[string, object, Partial<EventRecord>]> = [
    ['RecipientAdd → invite: author invites the mentioned', sys('RecipientAdd', 'Added Bobby to the group.', { mentions: [bob] }), { kind: 'invite', actor: a, subjects: [b], text: 'Added Bobby to the group.', ...at, group: '900', line: 1 }],
    ['RecipientRemove of another → remove', sys('RecipientRemove', 'Removed Bobby from the group.', { mentions: [bob] }), { kind: 'remove', actor: a, subjects: [b] }],
    ['RecipientRemove of the author → leave', sys('RecipientRemove', 'Left the group.', { mentions: [alice] }), { kind: 'leave', actor: null, subjects: [a] }],
    ['RecipientRemove without mentions, "Left the group." → leave', sys('RecipientRemove', 'Left the group.'), { kind: 'leave', subjects: [a] }],
    ['GuildMemberJoin → join of the author', sys('GuildMemberJoin', 'Joined the server.'), { kind: 'join', actor: null, subjects: [a], text: 'Joined the server.' }],
    ['Call → call', sys('Call', 'Started a call that lasted 251 minutes.', { callEndedTimestamp: '2018-05-20T20:20:00+00:00' }), { kind: 'call', actor: a, subjects: [] }],
    ['ChannelNameChange → title', sys('ChannelNameChange', 'Changed the channel name.'), { kind: 'title', actor: a }],
    ['ChannelIconChange → other', sys('ChannelIconChange', 'Changed the channel icon.'), { kind: 'other' }],
    ['ChannelPinnedMessage → pin', sys('ChannelPinnedMessage', 'Pinned a message.', { reference: { messageId: '1' } }), { kind: 'pin', text: 'Pinned a message.' }],
    ['ThreadCreated → other', sys('ThreadCreated', 'Started a thread.'), { kind: 'other' }],
    ['unknown named type → other', sys('GuildBoost', 'boosted'), { kind: 'other', text: 'boosted', actor: a }],
    ['unknown numeric type → other', sys('8', ''), { kind: 'other', text: '' }],
  ];
  it.each(cases)('%s', async (_name, m, expected) => {
    const r = await one(m);
    expect(r.type).toBe('event');
    expect(r).toMatchObject(expected);
  });
});

describe('discord-json rejects and file errors', () => {
  it.each([
    ['unreadable timestamp', { ...base, timestamp: 'yesterday' }, /unreadable timestamp "yesterday"/],
    ['impossible date', { ...base, timestamp: '2023-02-30T10:00:00+00:00' }, /2023-02-30/],
    ['bad offset', { ...base, timestamp: '2023-02-03T10:00:00+2' }, /unreadable timestamp/],
    ['no timestamp', { ...base, timestamp: undefined }, /unreadable timestamp null/],
    ['no author', { ...base, author: undefined }, /no author/],
    ['not an object', 17, /not a JSON object/],
  ])('%s', async (_n, m, reason) => {
    const r = await one(m as object);
    expect(r).toMatchObject({ type: 'reject', line: 1, raw: JSON.stringify(m) });
    expect((r as RejectRecord).reason).toMatch(reason);
  });

  it('goes on after a reject; lines are element indexes', async () => {
    const bad = '{"id": "2", "timestamp": oops}';
    const doc = `{"guild": {"id": "1", "name": "G"}, "channel": {"id": "9", "type": "GuildTextChat", "name": "c"},\n"messages": [${JSON.stringify(base)},\n${bad}, ${JSON.stringify({ ...base, timestamp: 'x' })}, ${JSON.stringify({ ...base, id: '4' })}]}`;
    const rs = await parseJson(doc);
    expect(rs.map((r) => `${r.type}${'line' in r ? ' ' + r.line : ''}`)).toEqual(['group', 'message 1', 'reject 2', 'reject 3', 'message 4']);
    expect((rs[2] as RejectRecord).raw).toBe(bad);
  });

  it.each([
    ['top-level array', '[1, 2]', /top-level JSON value is not an object/],
    ['Telegram result.json (no channel)', JSON.stringify({ name: 'Bob', type: 'personal_chat', id: 1, messages: [{ id: 1, type: 'message' }] }), /no "channel" object before "messages"/],
    ['no messages', JSON.stringify({ guild: GUILD, channel: CHANNEL }), /no "messages" array/],
    ['messages not an array', JSON.stringify({ guild: GUILD, channel: CHANNEL, messages: {} }), /"messages" is not an array/],
    ['malformed', '{"guild": {"id": }', /malformed JSON/],
    ['plain text', 'hello', /not a JSON object/],
  ])('%s → FormatError', async (_n, doc, reason) => {
    expect((await formatError(json, doc)).reason).toMatch(reason);
  });

  it('truncated file keeps the records before the cut and rejects the rest', async () => {
    const full = dce([base, { ...base, id: '5001', content: 'this one is cut' }]);
    const rs = await parseJson(full.slice(0, full.indexOf('this one')));
    expect(rs.map((r) => r.type)).toEqual(['group', 'message', 'reject']);
    expect(rejs(rs)[0]).toMatchObject({ line: 2, reason: expect.stringMatching(/^file truncated at byte \d+$/) });
  });
});

describe('discord-json streaming', () => {
  const many = dce(Array.from({ length: 4500 }, (_, i) => ({ ...base, id: String(i + 1), content: `m${i + 1} "q" ✓` })));
  const bytes = new TextEncoder().encode(many);
  const chunked = (size: number): ParserInput => ({
    fileName: 'c.json',
    size: bytes.length,
    encoding: 'utf-8',
    async *bytes() {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    },
    lines: () => {
      throw new Error('the JSON parser must not read lines');
    },
  });

  it.each([7, 1000, 1 << 16])('chunks of %i bytes: same records, batches of at most 2000', async (size) => {
    const batches: ParsedRecord[][] = [];
    for await (const b of json.parse(chunked(size))) batches.push(b);
    expect(batches.every((b) => b.length <= 2000)).toBe(true);
    const rs = batches.flat();
    expect(rs[0]!.type).toBe('group');
    const ms = msgs(rs);
    expect(ms).toHaveLength(4500);
    expect(ms.every((m, i) => m.line === i + 1 && m.externalId === String(i + 1) && m.text === `m${i + 1} "q" ✓`)).toBe(true);
  });
});

const HEAD = 'AuthorID,Author,Date,Content,Attachments,Reactions';
const q = (...f: string[]) => f.map((x) => `"${x.replace(/"/g, '""')}"`).join(',');
const parseCsv = (body: string) => parseAll(csv, `${HEAD}\n${body}`, 'channel.csv');

describe('discord-csv', () => {
  it('declares one unnamed conversation before the first record', async () => {
    const rs = await parseCsv(q('111', 'alice', '2020-01-01T01:33:00.0000000+00:00', 'hi', '', ''));
    expect(rs[0]).toEqual({ type: 'group', key: 'discord-csv', platform: 'discord', externalId: null, name: '', chatType: 'unknown' });
    expect(grps(rs)).toHaveLength(1);
  });

  const cases: Array<[string, string, Partial<MessageRecord>]> = [
    [
      'round-trip date with offset: wall as written, instant',
      q('111', 'alice', '2020-01-01T09:33:00.0000000+08:00', 'hi', '', ''),
      { group: 'discord-csv', line: 2, externalId: null, sender: { id: '111', name: 'alice' }, time: '2020-01-01 09:33:00', utcMs: Date.UTC(2020, 0, 1, 1, 33), kind: 'text', text: 'hi', replyTo: null, quote: null, mentions: [] },
    ],
    ['legacy dd-MMM-yy hh:mm tt: no instant', q('111', 'alice', '01-Jan-20 01:33 AM', 'hi', '', ''), { time: '2020-01-01 01:33:00', utcMs: null }],
    ['legacy PM', q('111', 'alice', '25-Dec-19 11:05 PM', 'hi', '', ''), { time: '2019-12-25 23:05:00' }],
    ['legacy 12 AM is midnight', q('111', 'alice', '05-Mar-21 12:07 AM', 'hi', '', ''), { time: '2021-03-05 00:07:00' }],
    ['legacy unpadded hour', q('111', 'alice', '05-Mar-21 1:07 PM', 'hi', '', ''), { time: '2021-03-05 13:07:00' }],
    ['legacy name#1234: name without it, full name as alias', q('222', 'bob#1234', '01-Jan-20 01:33 AM', 'hi', '', ''), { sender: { id: '222', name: 'bob', aliases: ['bob#1234'] } }],
    ['name#0000: no alias', q('222', 'bob#0000', '01-Jan-20 01:33 AM', 'hi', '', ''), { sender: { id: '222', name: 'bob' } }],
    ['"" escapes and embedded newlines', q('111', 'alice', '01-Jan-20 01:33 AM', 'say "hi"\nsecond line', '', ''), { text: 'say "hi"\nsecond line' }],
    ['attachments: kind by the first URL, text kept', q('111', 'alice', '01-Jan-20 01:33 AM', 'look', 'https://cdn.discordapp.com/attachments/1/2/a.png,https://cdn.discordapp.com/attachments/1/2/b.pdf', ''), { kind: 'image', text: 'look' }],
    ['attachment only: voice', q('111', 'alice', '01-Jan-20 01:33 AM', '', 'https://cdn.discordapp.com/attachments/1/2/voice-message.ogg', ''), { kind: 'voice', text: '' }],
    ['downloaded asset path', q('111', 'alice', '01-Jan-20 01:33 AM', '', 'chan.json_Files/clip-5F3A.mp4', ''), { kind: 'video' }],
    ['only a URL → link', q('111', 'alice', '01-Jan-20 01:33 AM', 'https://example.com/x', '', ''), { kind: 'link' }],
    ['reactions', q('111', 'alice', '01-Jan-20 01:33 AM', 'hi', '', '👍 (2),❤️ (1),paul (13)'), { reactions: [{ emoji: '👍', count: 2 }, { emoji: '❤️', count: 1 }, { emoji: 'paul', count: 13 }] }],
  ];
  it.each(cases)('%s', async (_n, row, expected) => {
    const rs = await parseCsv(row);
    expect(rs.map((r) => r.type)).toEqual(['group', 'message']);
    expect(rs[1]).toMatchObject(expected);
  });

  it('a multi-line record: the next record starts on its own line', async () => {
    const rs = await parseCsv([q('1', 'a', '01-Jan-20 01:33 AM', 'x\ny\nz', '', ''), q('2', 'b', '01-Jan-20 01:34 AM', 'w', '', '')].join('\n'));
    expect(msgs(rs).map((m) => [m.line, m.sender.id])).toEqual([[2, '1'], [5, '2']]);
  });

  it('an unreadable date is a reject naming its line; reading goes on', async () => {
    const bad = q('1', 'a', 'someday', 'x', '', '');
    const rs = await parseCsv([q('1', 'a', '01-Jan-20 01:33 AM', 'x', '', ''), bad, '"1","a"', q('1', 'a', '01-Jan-20 01:35 AM', 'y', '', '')].join('\n'));
    expect(rs.map((r) => r.type)).toEqual(['group', 'message', 'reject', 'reject', 'message']);
    expect(rejs(rs)[0]).toEqual({ type: 'reject', line: 3, reason: 'line 3: unreadable Date "someday"', raw: bad });
    expect(rejs(rs)[1]).toMatchObject({ line: 4, reason: 'expected 6 fields, found 2' });
  });

  const sysCases: Array<[string, string, Partial<EventRecord>]> = [
    ['Joined the server. → join', 'Joined the server.', { kind: 'join', actor: null, subjects: [{ id: '222', name: 'bob', aliases: ['bob#1234'] }] }],
    ['Added X to the group. → invite', 'Added Carol Smith to the group.', { kind: 'invite', actor: { id: '222', name: 'bob', aliases: ['bob#1234'] }, subjects: [{ id: null, name: 'Carol Smith' }] }],
    ['Left the group. → leave', 'Left the group.', { kind: 'leave', subjects: [{ id: '222', name: 'bob', aliases: ['bob#1234'] }] }],
    ['Removed X from the group. → remove', 'Removed Carol from the group.', { kind: 'remove', subjects: [{ id: null, name: 'Carol' }] }],
    ['call', 'Started a call that lasted 1,234 minutes.', { kind: 'call', subjects: [] }],
    ['channel name', 'Changed the channel name: new name', { kind: 'title' }],
    ['channel icon', 'Changed the channel icon.', { kind: 'other' }],
    ['pin', 'Pinned a message.', { kind: 'pin' }],
    ['thread', 'Started a thread.', { kind: 'other' }],
  ];
  it.each(sysCases)('system fallback text: %s', async (_n, content, expected) => {
    const rs = await parseCsv(q('222', 'bob#1234', '2020-01-01T01:33:00.0000000+00:00', content, '', ''));
    expect(rs[1]).toMatchObject({ type: 'event', group: 'discord-csv', line: 2, time: '2020-01-01 01:33:00', text: content, ...expected });
  });

  it('text that merely resembles a notice stays a message', async () => {
    const rs = await parseCsv(q('1', 'a', '01-Jan-20 01:33 AM', 'Joined the server. finally', '', ''));
    expect(rs[1]!.type).toBe('message');
  });

  it.each([
    ['another header', 'Author,Date,Content\n"a","b","c"', /expected the header/],
    ['WeChat CSV', 'localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n', /expected the header/],
  ])('%s → FormatError', async (_n, doc, reason) => {
    expect((await formatError(csv, doc)).reason).toMatch(reason);
  });
});

describe('sniff', () => {
  const dceCsv = `${HEAD}\n${q('1', 'a', '01-Jan-20 01:33 AM', 'x', '', '')}\n`;
  const dceJson = dce([base]);
  it.each([
    ['JSON: DCE file', json, dceJson, 0.95, 1],
    ['JSON: keys reordered', json, JSON.stringify({ messages: [base], channel: CHANNEL, guild: GUILD }), 0.85, 1],
    ['JSON: DCE CSV', json, dceCsv, 0, 0],
    ['JSON: guild without messages', json, JSON.stringify({ guild: GUILD, channel: CHANNEL }), 0, 0],
    ['JSON: WeChat chatlog array', json, '[{"seq": 1, "time": "2024-01-01T10:00:00+08:00", "talker": "1@chatroom", "content": "hi"}]', 0, 0],
    ['CSV: DCE header', csv, dceCsv, 0.95, 1],
    ['CSV: header with a BOM', csv, '\ufeff' + dceCsv, 0.95, 1],
    ['CSV: DCE JSON', csv, dceJson, 0, 0],
    ['CSV: header with another column', csv, `${HEAD},Extra\n`, 0, 0],
    ['CSV: WeChat CSV', csv, 'localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\n', 0, 0],
    ['CSV: WhatsApp', csv, '12/9/20, 23:55 - Bob: hello', 0, 0],
  ])('%s', async (_n, p, doc, min, max) => {
    const s = await sniffOf(p, doc);
    expect(s).toBeGreaterThanOrEqual(min);
    expect(s).toBeLessThanOrEqual(max);
  });

  it.each([
    'telegram/mlomb-chat-analytics__DM_2A_7M.json',
    'telegram/chat-miner__test_batch_export.json',
    'messenger/mlomb-chat-analytics__2A_7M.json',
    'other/chat-miner__instagram__test_export.json',
    'whatsapp/whatstk__pokemon.txt',
    'qq/log-painter__extracted__basic.txt',
    'slack/slack-export-viewer__testarchive.zip',
  ])('other platforms claim nothing: %s', async (file) => {
    const data = await readShared(file);
    expect(await sniffOf(json, data)).toBeLessThan(0.05);
    expect(await sniffOf(csv, data)).toBeLessThan(0.05);
  });

  it.each([
    ['discord/mlomb-chat-analytics__DM_2A_2M.json', 'discord-json'],
    ['discord/mlomb-chat-analytics__GC_3A_5M.json', 'discord-json'],
    ['discord/mlomb-chat-analytics__SV_5A_5M.json', 'discord-json'],
  ])('no other parser outbids ours on %s', async (file, format) => {
    const data = await readShared(file);
    const scores = await Promise.all(PARSERS.map(async (p) => [p.format, await sniffOf(p, data)] as const));
    const best = scores.reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(best[0]).toBe(format);
    expect(scores.filter(([f, s]) => f !== format && s >= 0.5)).toEqual([]);
  });

  it('no other parser outbids ours on a DCE CSV', async () => {
    const scores = await Promise.all(PARSERS.map(async (p) => [p.format, await sniffOf(p, dceCsv)] as const));
    expect(scores.filter(([f, s]) => f !== 'discord-csv' && s >= 0.5)).toEqual([]);
  });
});

describe('discord shared fixtures', () => {
  /*
   * Worked out by reading the files:
   * DM_2A_2M: DirectTextChat "Someones name". 1 Default by mlomb (id 111…, disc 5506) with one
   *   👆 ×42 reaction; 2 Default by bot "Someones nickname" (account "Someones name#1234");
   *   3 Call (251 min) → call event. 2 messages, 2 senders, 2019-01-04 17:52:39 … 2019-01-25 00:11:04.
   * GC_3A_5M: DirectGroupTextChat "a group chat". 1 ChannelNameChange (title), 2 Default by
   *   theplant (account "not a plant"), 3 ChannelIconChange (other), 4 Default by lombi with a
   *   URL inside text (text), 5 Default by mlomb with reference → reply to 1064990824305274930,
   *   6 Call (call). 3 messages, 3 senders, 2023-01-17 19:33:19 … 2023-01-18 20:12:12.
   * SV_5A_5M: GuildTextChat DefleMask / #general-chiptune. 1–2 the same Deleted User message
   *   twice (same id, kept as written), 3 mlomb without nickname, 4 mlomb with unknown.png +
   *   sticker → image, 5 reactions paul ×3, ❤ ×2. 5 messages, 2 senders, all 2018-05-20,
   *   16:09:44 … 16:09:51. No events, no rejects anywhere.
   */
  interface Expected {
    group: Omit<GroupRecord, 'type' | 'platform'>;
    messages: number;
    events: Partial<Record<EventRecord['kind'], number>>;
    senders: number;
    first: string;
    last: string;
    kinds: Partial<Record<MessageRecord['kind'], number>>;
  }
  const table: Record<string, Expected> = {
    'mlomb-chat-analytics__DM_2A_2M.json': {
      group: { key: '530805775262679064', externalId: '530805775262679064', name: 'Someones name', chatType: 'private' },
      messages: 2, events: { call: 1 }, senders: 2, first: '2019-01-04 17:52:39', last: '2019-01-25 00:11:04', kinds: { text: 2 },
    },
    'mlomb-chat-analytics__GC_3A_5M.json': {
      group: { key: '1064990764406419508', externalId: '1064990764406419508', name: 'a group chat', chatType: 'group' },
      messages: 3, events: { title: 1, other: 1, call: 1 }, senders: 3, first: '2023-01-17 19:33:19', last: '2023-01-18 20:12:12', kinds: { text: 3 },
    },
    'mlomb-chat-analytics__SV_5A_5M.json': {
      group: { key: '253601524398293010', externalId: '253601524398293010', name: 'DefleMask / #general-chiptune', chatType: 'group' },
      messages: 5, events: {}, senders: 2, first: '2018-05-20 16:09:44', last: '2018-05-20 16:09:51', kinds: { text: 4, image: 1 },
    },
  };

  it('covers every Discord fixture', async () => {
    expect((await readdir(sharedFixture('discord'))).sort()).toEqual(Object.keys(table).sort());
  });

  it.each(Object.entries(table))('%s', async (file, x) => {
    const rs = await parseJson(await readShared(`discord/${file}`));
    expect(rs[0]).toEqual({ type: 'group', platform: 'discord', ...x.group });
    expect(grps(rs)).toHaveLength(1);
    const ms = msgs(rs);
    expect(ms).toHaveLength(x.messages);
    expect(rejs(rs)).toEqual([]);
    const ev: Record<string, number> = {};
    for (const e of evts(rs)) ev[e.kind] = (ev[e.kind] ?? 0) + 1;
    expect(ev).toEqual(x.events);
    const kinds: Record<string, number> = {};
    for (const m of ms) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    expect(kinds).toEqual(x.kinds);
    expect(new Set(ms.map((m) => m.sender.id)).size).toBe(x.senders);
    expect([ms[0]!.time, ms.at(-1)!.time]).toEqual([x.first, x.last]);
  });

  it('DM: people, reactions and the call as the file writes them', async () => {
    const rs = await parseJson(await readShared('discord/mlomb-chat-analytics__DM_2A_2M.json'));
    const [m1, m2] = msgs(rs);
    expect(m1).toMatchObject({ sender: { id: '111111111111111111', name: 'mlomb', aliases: ['mlomb#5506'] }, reactions: [{ emoji: '👆', count: 42 }], utcMs: Date.UTC(2019, 0, 4, 17, 52, 39, 762) });
    expect(m2!.sender).toEqual({ id: '444444444444444444', name: 'Someones nickname', aliases: ['Someones name', 'Someones name#1234'], bot: true });
    expect(evts(rs)[0]).toMatchObject({ kind: 'call', line: 3, time: '2020-07-17 17:03:14', actor: { id: '444444444444444444' }, text: 'Started a call that lasted 251 minutes.' });
  });

  it('GC: nickname over name, the reply, the notices', async () => {
    const rs = await parseJson(await readShared('discord/mlomb-chat-analytics__GC_3A_5M.json'));
    const ms = msgs(rs);
    expect(ms[0]!.sender).toEqual({ id: '333333333333333333', name: 'theplant', aliases: ['not a plant', 'not a plant#6597'] });
    expect(ms[2]).toMatchObject({ externalId: '530805779645595660', replyTo: '1064990824305274930', line: 5 });
    expect(evts(rs).map((e) => [e.line, e.kind, e.actor?.name, e.text])).toEqual([
      [1, 'title', 'lombi', 'Changed the channel name.'],
      [3, 'other', 'lombi', 'Changed the channel icon.'],
      [6, 'call', 'mlomb', 'Started a call that lasted 113 minutes.'],
    ]);
  });

  it('SV: Deleted User keeps its id; attachment + sticker is an image; reactions', async () => {
    const ms = msgs(await parseJson(await readShared('discord/mlomb-chat-analytics__SV_5A_5M.json')));
    expect(ms[0]!.sender).toEqual({ id: '555555555555555555', name: 'Deleted User' });
    expect(ms[2]!.sender).toEqual({ id: '111111111111111111', name: 'mlomb', aliases: ['mlomb#5506'] });
    expect(ms[3]).toMatchObject({ kind: 'image', text: 'This message has attachments and stickers.' });
    expect(ms[4]!.reactions).toEqual([{ emoji: 'paul', count: 3 }, { emoji: '❤', count: 2 }]);
  });
});
