import { describe, expect, it } from 'vitest';
import { telegramJsonParser as parser } from '../../../../electron/engine/ingest/parsers/telegram-json.js';
import {
  FormatError,
  type EventRecord,
  type GroupRecord,
  type MessageRecord,
  type ParsedRecord,
  type ParserInput,
  type RejectRecord,
} from '../../../../electron/engine/ingest/types.js';
import { readdir } from 'node:fs/promises';
import { events, groups, messages, parseAll, readShared, rejects, sharedFixture, sniffOf } from '../../../helpers/parse.js';

const msgs = (rs: ParsedRecord[]) => messages(rs) as MessageRecord[];
const evts = (rs: ParsedRecord[]) => events(rs) as EventRecord[];
const rejs = (rs: ParsedRecord[]) => rejects(rs) as RejectRecord[];
const grps = (rs: ParsedRecord[]) => groups(rs) as GroupRecord[];

const CHAT = { name: 'Team', type: 'private_supergroup', id: 42 };
const single = (ms: unknown[], chat: object = CHAT) => JSON.stringify({ ...chat, messages: ms }, null, 1);
const parse = (s: string | Uint8Array) => parseAll(parser, s, 'result.json');

/** The one record a single message maps to. */
async function one(m: object): Promise<ParsedRecord> {
  const rs = await parse(single([m]));
  expect(rs).toHaveLength(2);
  return rs[1]!;
}

/** ParserInput that streams `data` in chunks of `size` bytes. */
function chunked(data: Uint8Array, size: number): ParserInput {
  return {
    fileName: 'result.json',
    size: data.length,
    encoding: 'utf-8',
    async *bytes() {
      for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
    },
    lines: () => {
      throw new Error('JSON parser must not read lines');
    },
  };
}

async function collect(input: ParserInput): Promise<ParsedRecord[][]> {
  const batches: ParsedRecord[][] = [];
  for await (const b of parser.parse(input)) batches.push(b);
  return batches;
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

const base = { id: 10, type: 'message', date: '2019-07-12T16:55:32', from: 'Alice', from_id: 'user300000000', text: 'hi' };

describe('telegram-json messages', () => {
  const cases: Array<[string, object, Partial<MessageRecord>]> = [
    [
      'plain text with date and date_unixtime; names trimmed',
      { ...base, from: ' Alice ', date_unixtime: '1562950532' },
      {
        externalId: '10',
        sender: { id: 'user300000000', name: 'Alice' },
        time: '2019-07-12 16:55:32',
        utcMs: 1562950532000,
        kind: 'text',
        text: 'hi',
        replyTo: null,
        quote: null,
        mentions: [],
        group: '42',
        line: 1,
      },
    ],
    ['date without zone and no unixtime: no instant', base, { time: '2019-07-12 16:55:32', utcMs: null }],
    ['deleted account (from null)', { ...base, from: null, from_id: 'user5' }, { sender: { id: 'user5', name: 'Deleted Account' } }],
    ['no from_id', { ...base, from_id: undefined }, { sender: { id: null, name: 'Alice' } }],
    ['numeric from_id (generated samples)', { ...base, from_id: 19 }, { sender: { id: '19', name: 'Alice' } }],
    // 1652135033 = 19121 days + 80633 s → 2022-05-09 22:23:53 UTC
    ['only date_unixtime: UTC wall clock', { ...base, date: undefined, date_unixtime: '1652135033' }, { time: '2022-05-09 22:23:53', utcMs: 1652135033000 }],
    ['date with Z: wall as written, instant from it', { ...base, date: '2017-01-01T06:20:09.248Z' }, { time: '2017-01-01 06:20:09', utcMs: Date.UTC(2017, 0, 1, 6, 20, 9) }],
    ['date with offset', { ...base, date: '2021-03-04T08:09:10+08:00' }, { time: '2021-03-04 08:09:10', utcMs: Date.UTC(2021, 2, 4, 0, 9, 10) }],
    [
      'text array with entities: concatenated, mentions from the pieces',
      {
        ...base,
        text: ['Hi ', { type: 'bold', text: 'there' }, ' ', { type: 'mention', text: '@bob' }, ' and ', { type: 'mention_name', text: 'Carol', user_id: 123 }],
      },
      { text: 'Hi there @bob and Carol', mentions: ['bob', 'user123'], kind: 'text' },
    ],
    [
      'text_entities give the mentions',
      { ...base, text: 'ping @dave and Eve', text_entities: [{ type: 'plain', text: 'ping ' }, { type: 'mention', text: '@dave' }, { type: 'plain', text: ' and ' }, { type: 'mention_name', text: 'Eve' }] },
      { text: 'ping @dave and Eve', mentions: ['dave', 'Eve'] },
    ],
    ['reply', { ...base, reply_to_message_id: 3644 }, { replyTo: '3644' }],
    ['photo with caption', { ...base, photo: '(File not included. Change data exporting settings to download.)', text: 'look' }, { kind: 'image', text: 'look' }],
    ['sticker', { ...base, file: 'stickers/x.webp', media_type: 'sticker', sticker_emoji: '😀', text: '' }, { kind: 'sticker', text: '' }],
    ['voice message', { ...base, file: 'a.ogg', media_type: 'voice_message', text: '' }, { kind: 'voice' }],
    ['audio file', { ...base, file: 'a.mp3', media_type: 'audio_file', text: '' }, { kind: 'voice' }],
    ['video message', { ...base, file: 'v.mp4', media_type: 'video_message', text: '' }, { kind: 'video' }],
    ['video file', { ...base, file: 'v.mp4', media_type: 'video_file', text: '' }, { kind: 'video' }],
    ['animation', { ...base, file: 'g.mp4', media_type: 'animation', text: '' }, { kind: 'video' }],
    ['file without media_type', { ...base, file: 'doc.pdf', mime_type: 'application/pdf', text: 'spec' }, { kind: 'file', text: 'spec' }],
    ['poll', { ...base, poll: { question: 'Lunch?', answers: [] }, text: '' }, { kind: 'other' }],
    ['location', { ...base, location_information: { latitude: 1, longitude: 2 }, text: '' }, { kind: 'other' }],
    ['contact', { ...base, contact_information: { first_name: 'Z' }, text: '' }, { kind: 'other' }],
    ['link entity', { ...base, text: [{ type: 'link', text: 'https://google.com' }, ' 👀'] }, { kind: 'link', text: 'https://google.com 👀' }],
    ['text_link entity', { ...base, text: 'see here', text_entities: [{ type: 'text_link', text: 'here', href: 'https://x.org' }] }, { kind: 'link' }],
    ['only a URL', { ...base, text: ' https://example.com/a?b=1 ' }, { kind: 'link' }],
    ['a URL inside plain text without entity', { ...base, text: 'see https://example.com' }, { kind: 'text' }],
    ['forwarded message belongs to the forwarder', { ...base, forwarded_from: 'News Channel', from: 'Bob', from_id: 'user2' }, { sender: { id: 'user2', name: 'Bob' }, kind: 'text' }],
  ];
  it.each(cases)('%s', async (_name, m, expected) => {
    const r = await one(m);
    expect(r.type).toBe('message');
    expect(r).toMatchObject(expected);
  });
});

describe('telegram-json service events', () => {
  const svc = { id: 5, type: 'service', date: '2020-01-02T03:04:05', actor: 'Alice', actor_id: 'user1' };
  const alice = { id: 'user1', name: 'Alice' };
  const cases: Array<[string, object, Partial<EventRecord>]> = [
    [
      'invite_members',
      { ...svc, action: 'invite_members', members: ['Bob', 'Carol'] },
      { kind: 'invite', actor: alice, subjects: [{ id: null, name: 'Bob' }, { id: null, name: 'Carol' }], text: 'Alice invite_members Bob, Carol', time: '2020-01-02 03:04:05', utcMs: null, group: '42', line: 1 },
    ],
    ['invite_members of oneself is a join', { ...svc, action: 'invite_members', members: ['Alice'] }, { kind: 'join', subjects: [alice] }],
    ['join_group_by_link', { ...svc, action: 'join_group_by_link', inviter: 'Group' }, { kind: 'join', actor: alice, subjects: [alice], text: 'Alice join_group_by_link' }],
    ['join_group_by_request', { ...svc, action: 'join_group_by_request' }, { kind: 'join', subjects: [alice] }],
    ['remove_members', { ...svc, action: 'remove_members', members: ['Bob'] }, { kind: 'remove', actor: alice, subjects: [{ id: null, name: 'Bob' }] }],
    ['remove_members of oneself is a leave', { ...svc, action: 'remove_members', members: ['Alice'] }, { kind: 'leave', actor: alice, subjects: [alice] }],
    ['create_group', { ...svc, action: 'create_group', title: 'Team', members: ['Alice', 'Bob'] }, { kind: 'create', text: 'Alice create_group Alice, Bob "Team"' }],
    ['create_channel', { ...svc, action: 'create_channel', title: 'News' }, { kind: 'create' }],
    ['migrate_to_supergroup', { ...svc, action: 'migrate_to_supergroup' }, { kind: 'create' }],
    ['migrate_from_group', { ...svc, action: 'migrate_from_group', title: 'Old' }, { kind: 'create' }],
    ['edit_group_title', { ...svc, action: 'edit_group_title', title: 'New name' }, { kind: 'title', text: 'Alice edit_group_title "New name"' }],
    ['pin_message', { ...svc, action: 'pin_message', message_id: 77 }, { kind: 'pin', text: 'Alice pin_message #77' }],
    ['phone_call', { ...svc, action: 'phone_call', duration_seconds: 56, discard_reason: 'hangup' }, { kind: 'call', text: 'Alice phone_call 56s' }],
    ['group_call', { ...svc, action: 'group_call' }, { kind: 'call' }],
    ['joined_telegram', { ...svc, action: 'joined_telegram' }, { kind: 'other', subjects: [] }],
    ['edit_group_photo', { ...svc, action: 'edit_group_photo', photo: 'x.jpg' }, { kind: 'other' }],
    ['set_messages_ttl', { ...svc, action: 'set_messages_ttl', period: 86400 }, { kind: 'other' }],
    ['topic_created', { ...svc, action: 'topic_created', title: 'General' }, { kind: 'other' }],
    ['deleted actor and members', { ...svc, actor: null, actor_id: 'user9', action: 'invite_members', members: [null, 'Bob'] }, { kind: 'invite', actor: { id: 'user9', name: 'Deleted Account' }, subjects: [{ id: null, name: 'Deleted Account' }, { id: null, name: 'Bob' }] }],
    ['no actor at all', { id: 6, type: 'service', date: '2020-01-02T03:04:05', action: 'edit_group_photo' }, { actor: null, text: 'edit_group_photo' }],
  ];
  it.each(cases)('%s', async (_name, m, expected) => {
    const r = await one(m);
    expect(r.type).toBe('event');
    expect(r).toMatchObject(expected);
  });
});

describe('telegram-json rejects', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['unreadable date', { ...base, date: 'yesterday' }, /unreadable date "yesterday"/],
    ['impossible date', { ...base, date: '2023-02-30T10:00:00' }, /2023-02-30/],
    ['no date at all', { ...base, date: undefined }, /no date/],
    ['unknown type', { ...base, type: 'story' }, /unknown record type "story"/],
    ['not an object', 17, /not a JSON object/],
  ];
  it.each(cases)('%s', async (_name, m, reason) => {
    const r = await one(m as object);
    expect(r).toMatchObject({ type: 'reject', line: 1, raw: JSON.stringify(m) });
    expect((r as RejectRecord).reason).toMatch(reason);
  });

  it('rejects an element JSON.parse refuses, with its index and raw text, and goes on', async () => {
    const bad = '{"id": 2, "type": "message", "date": oops}';
    const doc = `{"id": 1, "messages": [${JSON.stringify(base)},\n ${bad}, ${JSON.stringify({ ...base, id: 3 })}]}`;
    const rs = await parse(doc);
    expect(rs.map((r) => r.type)).toEqual(['group', 'message', 'reject', 'message']);
    const r = rs[2] as RejectRecord;
    expect([r.line, r.raw]).toEqual([2, bad]);
    expect(r.reason).toContain(`at byte ${doc.indexOf(bad)}`);
    expect((rs[3] as MessageRecord).line).toBe(3);
  });
});

describe('telegram-json chats', () => {
  const types: Array<[string, GroupRecord['chatType']]> = [
    ['private_group', 'group'],
    ['private_supergroup', 'group'],
    ['public_supergroup', 'group'],
    ['personal_chat', 'private'],
    ['bot_chat', 'private'],
    ['saved_messages', 'private'],
    ['private_channel', 'channel'],
    ['public_channel', 'channel'],
    ['some_new_type', 'unknown'],
  ];
  it.each(types)('chat type %s → %s', async (type, chatType) => {
    const [g] = await parse(single([], { name: ' X ', type, id: 7 }));
    expect(g).toEqual({ type: 'group', key: '7', platform: 'telegram', externalId: '7', name: 'X', chatType });
  });

  it.each([
    [{ type: 'saved_messages', id: 1 }, 'Saved Messages'],
    [{ name: null, type: 'personal_chat', id: 2 }, 'Deleted Account'],
    [{ name: 'Only name' }, 'Only name'],
    [{}, 'chat-1'],
  ])('chat names: %j → %s', async (chat, name) => {
    const [g] = (await parse(single([], chat))) as GroupRecord[];
    expect(g!.name).toBe(name);
    expect(g!.key).toBe('id' in chat ? String(chat.id) : 'chat-1');
  });

  it('reads a full account export: chats.list and left_chats.list, each with its own messages', async () => {
    const m = (id: number) => ({ ...base, id });
    const doc = {
      about: 'Here is the data you requested.',
      personal_information: { user_id: 1, first_name: 'Me', messages: 'not a chat' },
      contacts: { about: 'c', list: [{ first_name: 'X', phone_number: '+1', name: 'not a chat', id: 5 }] },
      chats: {
        about: 'chats',
        list: [
          { name: 'Team', type: 'private_supergroup', id: 111, messages: [m(1), m(2)] },
          { name: 'Bob', type: 'personal_chat', id: 222, messages: [m(3)] },
          { type: 'saved_messages', id: 333, messages: [] },
          { name: 'No messages key', type: 'public_channel', id: 555 },
        ],
      },
      left_chats: { about: 'left', list: [{ name: 'Old', type: 'private_group', id: 444, messages: [m(4)] }, { name: 'Again', id: 111, messages: [m(5)] }] },
    };
    const rs = await parse(JSON.stringify(doc, null, 1));
    expect(rs.map((r) => (r.type === 'group' ? `G ${r.key} ${r.name} ${r.chatType}` : `${r.type} ${(r as MessageRecord).group} ${(r as MessageRecord).line}`))).toEqual([
      'G 111 Team group',
      'message 111 1',
      'message 111 2',
      'G 222 Bob private',
      'message 222 3',
      'G 333 Saved Messages private',
      'G 555 No messages key channel',
      'G 444 Old group',
      'message 444 4',
      'G 111#6 Again unknown',
      'message 111#6 5',
    ]);
  });

  it('announces a chat whose name follows its messages with what is known when messages start', async () => {
    const rs = await parse(`{"messages": [${JSON.stringify(base)}], "name": "Late", "type": "private_group", "id": 9}`);
    expect(rs[0]).toEqual({ type: 'group', key: 'chat-1', platform: 'telegram', externalId: null, name: 'chat-1', chatType: 'unknown' });
    expect((rs[1] as MessageRecord).group).toBe('chat-1');
  });
});

describe('telegram-json file errors', () => {
  it.each([
    ['plain text', 'hello world', 0],
    ['JSON array (WeChat chatlog)', '[{"seq": 1, "time": "2024-01-01T10:00:00+08:00"}]', 0],
    ['empty file', '', 0],
  ])('%s → FormatError', async (_n, doc, offset) => {
    const e = await formatError(doc);
    expect(e.offset).toBe(offset);
  });

  it('JSON object without messages or chats → FormatError', async () => {
    expect((await formatError('{"foo": 1}')).reason).toMatch(/no "messages" array/);
  });

  it('foreign messages (DiscordChatExporter) → FormatError', async () => {
    const ms = Array.from({ length: 3 }, (_, i) => ({ id: String(i), type: 'Default', content: 'x' }));
    expect((await formatError(JSON.stringify({ guild: { id: '1' }, messages: ms }))).reason).toMatch(/not a Telegram export/);
  });

  it('malformed JSON mid-file → FormatError with byte offset and line', async () => {
    const head = `{\n "id": 1,\n "messages": [\n  ${JSON.stringify(base)}\n ]\n`;
    const e = await formatError(`${head}, "x": }`);
    expect([e.offset, e.line]).toEqual([head.length + 7, 6]);
    expect(e.reason).toMatch(/malformed JSON/);
  });

  it('truncated file keeps the records read before the cut and rejects the rest', async () => {
    const full = single([base, { ...base, id: 11 }, { ...base, id: 12, text: 'this one is cut' }]);
    const cut = full.slice(0, full.indexOf('this one'));
    const rs = await parse(cut);
    expect(rs.map((r) => r.type)).toEqual(['group', 'message', 'message', 'reject']);
    const r = rs[3] as RejectRecord;
    expect([r.line, r.reason]).toEqual([3, `file truncated at byte ${cut.length}`]);
    expect(r.raw).toBe(cut.slice(cut.lastIndexOf('{')));
    // Cut between elements: nothing partial to show.
    const at = full.indexOf('}', full.indexOf('"id": 11')) + 2;
    expect(full.slice(at - 2, at)).toBe('},');
    const rs2 = await parse(full.slice(0, at));
    expect(msgs(rs2)).toHaveLength(2);
    expect(rejs(rs2)).toEqual([{ type: 'reject', line: 3, reason: `file truncated at byte ${at}`, raw: '' }]);
  });

  it('a file cut before any chat starts is not readable → FormatError', async () => {
    expect((await formatError('{"name": "x", "id": 3')).reason).toMatch(/unexpected end/);
  });

  it('skips a UTF-8 byte-order mark', async () => {
    const rs = await parse('\ufeff' + single([base]));
    expect(msgs(rs)).toHaveLength(1);
  });
});

describe('telegram-json sniff', () => {
  const discord = JSON.stringify({ guild: { id: '1', name: 'G' }, channel: { id: '2', type: 'GuildTextChat' }, messages: [{ id: '3', type: 'Default', timestamp: '2018-05-20T16:09:44.209+00:00', content: 'hi', author: { id: '4', name: 'x' } }] }, null, 2);
  const fullHead = `{\n "about": "Here is the data you requested.",\n "personal_information": {\n  "user_id": 1,\n  "first_name": "Me"\n },\n "contacts": {"list": [${'{"first_name": "A", "phone_number": "+1"},'.repeat(2000)}`;
  it.each([
    ['DM fixture', 'telegram/mlomb-chat-analytics__DM_2A_7M.json', 0.9, 1],
    ['BIG fixture', 'telegram/mlomb-chat-analytics__BIG_20A_5475M.json', 0.9, 1],
    ['chat-miner single', 'telegram/chat-miner__test_single_export.json', 0.9, 1],
    ['chat-miner batch', 'telegram/chat-miner__test_batch_export.json', 0.9, 1],
  ])('%s', async (_n, file, min, max) => {
    const s = await sniffOf(parser, await readShared(file));
    expect(s).toBeGreaterThanOrEqual(min);
    expect(s).toBeLessThanOrEqual(max);
  });
  it.each([
    ['full export whose chats are past the head', fullHead, 0.9, 1],
    ['DiscordChatExporter JSON', discord, 0, 0.05],
    ['WeChat chatlog JSON array', '[{"seq": 1, "time": "2024-01-01T10:00:00+08:00", "talker": "1@chatroom", "content": "hi"}]', 0, 0.05],
    ['plain text', 'hello world\nline two', 0, 0.05],
    ['WhatsApp', '12/9/20, 23:55 - Bob: hello', 0, 0.05],
    ['JSON with messages but no Telegram markers', '{"messages": [{"content": "x"}]}', 0, 0.1],
  ])('%s', async (_n, head, min, max) => {
    const s = await sniffOf(parser, head);
    expect(s).toBeGreaterThanOrEqual(min);
    expect(s).toBeLessThanOrEqual(max);
  });
});

describe('telegram-json shared fixtures', () => {
  interface Expected {
    group: Partial<GroupRecord>;
    messages: number;
    kinds: Record<string, number>;
    events: Record<string, number>;
    senders: number;
    first: string;
    last: string;
  }
  const miner = { messages: 2, kinds: { text: 1, link: 1 }, events: {}, senders: 2, first: '2018-12-05 10:39:10', last: '2018-12-05 10:49:24' };
  const table: Record<string, Expected> = {
    'mlomb-chat-analytics__DM_2A_7M.json': {
      group: { key: '700000000', externalId: '700000000', name: 'Bob', chatType: 'private' },
      messages: 6,
      kinds: { link: 1, text: 3, image: 2 },
      events: { other: 1, call: 1 },
      senders: 2,
      first: '2019-07-12 16:55:32',
      // 1654898799 = 19153 days + 79599 s → 2022-06-10 22:06:39 UTC (no `date` in the record)
      last: '2022-06-10 22:06:39',
    },
    'mlomb-chat-analytics__BIG_20A_5475M.json': {
      group: { key: '1111111111', externalId: '1111111111', name: 'Big sample', chatType: 'group' },
      messages: 5475,
      kinds: { text: 5475 },
      events: {},
      senders: 20,
      first: '2017-01-01 06:20:09',
      last: '2019-12-31 18:19:24',
    },
    'chat-miner__test_single_export.json': { group: { key: 'chat-1', externalId: null, name: 'chat-1', chatType: 'unknown' }, ...miner },
    'chat-miner__test_batch_export.json': { group: { key: 'chat-1', externalId: null, name: 'Chatname', chatType: 'unknown' }, ...miner },
  };

  it('covers every Telegram fixture but the expected-output file', async () => {
    const files = (await readdir(sharedFixture('telegram'))).filter((f) => f !== 'chat-miner__target.json');
    expect(files.sort()).toEqual(Object.keys(table).sort());
  });

  it.each(Object.entries(table))('%s', async (file, x) => {
    const rs = await parse(await readShared(`telegram/${file}`));
    expect(grps(rs)).toEqual([{ type: 'group', platform: 'telegram', ...x.group }]);
    expect(rs[0]!.type).toBe('group');
    const ms = msgs(rs);
    expect(ms).toHaveLength(x.messages);
    const count = (xs: string[]) => xs.reduce<Record<string, number>>((a, k) => ((a[k] = (a[k] ?? 0) + 1), a), {});
    expect(count(ms.map((m) => m.kind))).toEqual(x.kinds);
    expect(count(evts(rs).map((e) => e.kind))).toEqual(x.events);
    expect(rejs(rs)).toEqual([]);
    expect(new Set(ms.map((m) => m.sender.id ?? m.sender.name)).size).toBe(x.senders);
    expect([ms[0]!.time, ms.at(-1)!.time]).toEqual([x.first, x.last]);
  });

  it('DM_2A_7M record by record', async () => {
    const rs = await parse(await readShared('telegram/mlomb-chat-analytics__DM_2A_7M.json'));
    const view = rs.slice(1).map((r) =>
      r.type === 'message' ? `${r.line} ${r.externalId} ${r.sender.id}/${r.sender.name} ${r.time} ${r.utcMs} ${r.kind} ${r.text}` : r.type === 'event' ? `${r.line} ${r.kind} ${r.actor?.id}/${r.actor?.name} ${r.time} ${r.utcMs} ${r.text}` : r.type,
    );
    expect(view).toEqual([
      '1 other user700000000/Bob 2019-07-05 16:55:32 null Bob joined_telegram',
      '2 3644 user700000000/Bob 2019-07-12 16:55:32 null link https://google.com 👀',
      '3 3645 user300000000/Alice 2022-03-08 13:07:42 null text hello world',
      '4 3662 user700000000/Bob 2022-05-09 22:23:53 1652135033000 text world?',
      '5 3663 user300000000/Alice 2022-05-09 23:26:09 1652138769000 text blah blah',
      '6 3672 user300000000/Alice 2022-06-10 22:06:38 1654898798000 image ',
      '7 3673 user300000000/Alice 2022-06-10 22:06:39 1654898799000 image ',
      '8 call user300000000/Alice 2023-08-10 23:11:02 1691719862000 Alice phone_call 56s',
    ]);
  });

  it('chat-miner batch export agrees with chat-miner’s own expected output', async () => {
    const rs = await parse(await readShared('telegram/chat-miner__test_batch_export.json'));
    const target = JSON.parse((await readShared('telegram/chat-miner__target.json')).toString()) as Array<Record<string, string>>;
    // chat-miner joins text pieces with a space; the export itself has none between "Link:" and the URL.
    expect(msgs(rs).map((m) => [m.time, m.sender.name, m.text])).toEqual(
      target.map((t) => [t.timestamp!.replace('T', ' '), t.author, t.message!.replace('Link: ', 'Link:')]),
    );
  });

  it('BIG_20A_5475M: ids, lines and instants of the generated sample', async () => {
    const ms = msgs(await parse(await readShared('telegram/mlomb-chat-analytics__BIG_20A_5475M.json')));
    expect(ms.every((m, i) => m.line === i + 1 && m.externalId === String(i + 1))).toBe(true);
    expect(ms[0]).toMatchObject({ sender: { id: '19', name: 'Marjory.Cartwright' }, utcMs: Date.UTC(2017, 0, 1, 6, 20, 9), text: 'Incidunt consequuntur alias.' });
    expect(ms.at(-1)).toMatchObject({ sender: { id: '11', name: 'Frederic.Feest' }, utcMs: Date.UTC(2019, 11, 31, 18, 19, 24) });
  });
});

/** A full account export with `n` messages spread over three chats (one of them left). */
function syntheticExport(n: number): string {
  const parts: string[] = ['{\n "about": "Here is the data you requested.",\n "personal_information": {"user_id": 1, "first_name": "Me"},\n "chats": {\n  "about": "x",\n  "list": ['];
  const sizes = [Math.floor(n * 0.6), Math.floor(n * 0.3)];
  sizes.push(n - sizes[0]! - sizes[1]!);
  let i = 0;
  sizes.forEach((size, c) => {
    if (c === 2) parts.push(']},\n "left_chats": {"about": "y", "list": [');
    else if (c === 1) parts.push(',');
    parts.push(`\n   {\n    "name": "群 ${c}",\n    "type": "private_supergroup",\n    "id": ${900 + c},\n    "messages": [`);
    for (let k = 0; k < size; k++, i++) {
      let m: object;
      const date = new Date(Date.UTC(2021, 0, 1) + i * 60_000).toISOString().slice(0, 19);
      const who = { from: `成员 ${i % 50}`, from_id: `user${i % 50}` };
      if (i % 100 === 0) m = { id: i, type: 'service', date, actor: who.from, actor_id: who.from_id, action: 'invite_members', members: [`新人 ${i}`] };
      else if (i % 10 === 0) m = { id: i, type: 'message', date, ...who, photo: '(File not included.)', text: '' };
      else if (i % 7 === 0) m = { id: i, type: 'message', date, ...who, text: ['hi ', { type: 'mention', text: '@bob' }] };
      else m = { id: i, type: 'message', date, ...who, text: `消息 ${i} "quoted" \\ back\n😀 }]`, text_entities: [{ type: 'plain', text: 'x' }] };
      parts.push((k ? ',' : '') + '\n     ' + JSON.stringify(m, null, 1).replace(/\n/g, '\n     '));
    }
    parts.push('\n    ]\n   }');
  });
  parts.push(']}\n}\n');
  return parts.join('');
}

describe('telegram-json streaming', () => {
  it('parses a multi-MB synthetic export in batches with exact counts', async () => {
    const n = 50_000;
    const bytes = new TextEncoder().encode(syntheticExport(n));
    expect(bytes.length).toBeGreaterThan(10_000_000);
    for (const size of [4096, 65_536, 1 << 20]) {
      const batches = await collect(chunked(bytes, size));
      expect(batches.length).toBeGreaterThan(20);
      expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(2000);
      const rs = batches.flat();
      expect(grps(rs).map((g) => [g.key, g.name])).toEqual([['900', '群 0'], ['901', '群 1'], ['902', '群 2']]);
      const ms = msgs(rs);
      const ev = evts(rs);
      // i % 100 == 0 → 500 events; i % 10 == 0 otherwise → 4500 photos; i % 7 == 0 among the rest → mentions
      let mention = 0;
      for (let i = 0; i < n; i++) if (i % 10 !== 0 && i % 7 === 0) mention++;
      expect([ms.length, ev.length, rejs(rs).length]).toEqual([n - 500, 500, 0]);
      expect(ms.filter((m) => m.kind === 'image')).toHaveLength(4500);
      expect(ms.filter((m) => m.mentions[0] === 'bob')).toHaveLength(mention);
      expect(ev.every((e) => e.kind === 'invite' && e.subjects[0]!.name === `新人 ${e.line - 1}`)).toBe(true);
      expect(rs.filter((r) => r.type === 'message' || r.type === 'event').every((r, i) => (r as MessageRecord).line === i + 1)).toBe(true);
      expect(ms.find((m) => m.line === 2)!.text).toBe('消息 1 "quoted" \\ back\n😀 }]');
      expect(ms.filter((m) => m.group === '902')).toHaveLength(n - 30_000 - 15_000 - 50);
    }
  });

  it('gives identical records whatever the chunk size', async () => {
    const doc = '\ufeff' + syntheticExport(60).replace('"id": 5,', '"id": 5, "broken": tru,');
    const bytes = new TextEncoder().encode(doc);
    const ref = await parse(bytes);
    expect(rejs(ref)).toHaveLength(1);
    expect(msgs(ref).length + evts(ref).length).toBe(59);
    for (const size of [1, 7, 64]) expect((await collect(chunked(bytes, size))).flat()).toEqual(ref);
    // And the same for a file cut short, at every chunk size.
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.7));
    const refCut = await parse(cut);
    expect(refCut.at(-1)).toMatchObject({ type: 'reject', reason: `file truncated at byte ${cut.length}` });
    for (const size of [1, 7, 64]) expect((await collect(chunked(cut, size))).flat()).toEqual(refCut);
  });
});

// Found by the fuzz tests (test/fuzz): a damaged date_unixtime or zone produced the time
// "NaN-NaN-NaN NaN:NaN:NaN" or a 5-digit year, and a NaN utcMs.
describe('telegram-json damaged instants', () => {
  it.each([
    // 99999999999999999999 s is ~3e12 years: no wall clock; with no `date` the message has no time at all.
    ['huge date_unixtime alone', { ...base, date: undefined, date_unixtime: '99999999999999999999' }],
    // 253402300800 = 10000-01-01T00:00:00Z, past wallTime's 2200 limit.
    ['date_unixtime in year 10000 alone', { ...base, date: undefined, date_unixtime: '253402300800' }],
    ['date_unixtime not a number, no date', { ...base, date: undefined, date_unixtime: 'soon' }],
  ])('%s → reject', async (_n, m) => {
    const r = await one(m);
    expect(r).toMatchObject({ type: 'reject', line: 1, reason: expect.stringMatching(/^date_unixtime ".*" is not a time between 1800 and 2200$/) });
  });

  it.each([
    ['huge date_unixtime beside a readable date', { ...base, date_unixtime: '99999999999999999999' }],
    ['negative date_unixtime before 1800 beside a date', { ...base, date_unixtime: '-6000000000' }],
    // +99:99 fits the suffix shape but is no offset: Date.parse gives NaN.
    ['date with an impossible offset', { ...base, date: '2019-07-12T16:55:32+99:99' }],
  ])('%s → wall clock from date, no instant', async (_n, m) => {
    const r = await one(m);
    expect(r).toMatchObject({ type: 'message', time: '2019-07-12 16:55:32', utcMs: null });
  });
});
