import { describe, expect, it } from 'vitest';
import { messengerJsonParser as P } from '../../../../electron/engine/ingest/parsers/messenger-json.js';
import { repairMojibake } from '../../../../electron/engine/ingest/parsers/messenger-json-map.js';
import { PARSERS } from '../../../../electron/engine/ingest/parsers/index.js';
import { FormatError, type EventRecord, type GroupRecord, type MessageRecord, type ParsedRecord } from '../../../../electron/engine/ingest/types.js';
import { events, groups, messages, parseAll, readShared, rejects, sniffOf } from '../../../helpers/parse.js';

const msgs = (rs: ParsedRecord[]) => messages(rs) as MessageRecord[];
const evs = (rs: ParsedRecord[]) => events(rs) as EventRecord[];
const group = (rs: ParsedRecord[]) => groups(rs)[0] as GroupRecord;
/** A message_1.json with the given messages (newest first) and top-level fields after them, as Meta orders them. */
const file = (ms: unknown[], tail: object = { title: 'Chat', thread_path: 'inbox/chat_123' }, participants: string[] = ['A', 'B']) =>
  JSON.stringify({ participants: participants.map((name) => ({ name })), messages: ms, ...tail }, null, 2);
const parse = (text: string) => parseAll(P, text, 'message_1.json');
const T = 1415147732056; // 2014-11-05 00:35:32.056 UTC
const one = async (m: object) => {
  const rs = await parse(file([{ sender_name: 'A', timestamp_ms: T, ...m }]));
  return rs.filter((r) => r.type !== 'group')[0]!;
};

describe('messenger-json: mojibake repair', () => {
  it.each([
    ['UTF-8 bytes as latin-1 (😆)', '\u00f0\u009f\u0098\u0086', '😆'],
    ['accented name', 'Jos\u00c3\u00a9', 'José'],
    ['already correct, char above U+00FF', 'Zoë 😆', 'Zoë 😆'],
    ['already correct latin-1 text (invalid as UTF-8 bytes)', 'café', 'café'],
    ['ASCII', 'Hello', 'Hello'],
  ])('%s', (_label, input, out) => {
    expect(repairMojibake(input)).toBe(out);
  });

  it('repairs sender names, texts, titles and reaction emoji in a file', async () => {
    const rs = await parse(
      file(
        [{ sender_name: 'Jos\u00c3\u00a9', timestamp_ms: T, content: 'haha \u00f0\u009f\u0098\u0086', reactions: [{ reaction: '\u00e2\u009d\u00a4', actor: 'B' }] }],
        { title: 'Caf\u00c3\u00a9 club', thread_path: 'inbox/cafe_1' },
      ),
    );
    const m = msgs(rs)[0]!;
    expect([m.sender.name, m.text, m.reactions, group(rs).name]).toEqual(['José', 'haha 😆', [{ emoji: '❤', count: 1 }], 'Café club']);
  });
});

describe('messenger-json: messages', () => {
  it('timestamp_ms is the instant; the wall clock is UTC (Meta gives no zone); line = index in the file', async () => {
    const rs = await parse(file([
      { sender_name: 'B', timestamp_ms: T, content: 'newest' },
      { sender_name: 'A', timestamp_ms: 1415147240411, content: 'oldest' },
    ]));
    expect(msgs(rs).map((m) => [m.line, m.time, m.utcMs, m.text])).toEqual([
      [1, '2014-11-05 00:35:32', T, 'newest'],
      [2, '2014-11-05 00:27:20', 1415147240411, 'oldest'],
    ]);
  });

  it.each([
    ['photos', { photos: [{ uri: 'messages/inbox/x/photos/1.jpg' }] }, 'image', ''],
    ['videos', { videos: [{ uri: 'v.mp4' }] }, 'video', ''],
    ['audio_files', { audio_files: [{ uri: 'a.mp4' }] }, 'voice', ''],
    ['files', { files: [{ uri: 'f.docx' }] }, 'file', ''],
    ['sticker', { sticker: { uri: 'messages/stickers_used/1.png' } }, 'sticker', ''],
    ['gifs', { gifs: [{ uri: 'g.gif' }] }, 'image', ''],
    ['share link, no content', { share: { link: 'https://example.com/x' } }, 'link', 'https://example.com/x'],
    ['share link with content', { type: 'Share', content: 'A sent a link.', share: { link: 'https://example.com/x' } }, 'link', 'A sent a link.'],
    ['photo with a caption', { content: 'look', photos: [{ uri: 'p.jpg' }] }, 'image', 'look'],
    ['text', { content: 'hello' }, 'text', 'hello'],
    ['URL-only text', { content: 'https://example.com' }, 'link', 'https://example.com'],
    ['empty media array is no media', { content: 'hi', photos: [] }, 'text', 'hi'],
    ['nothing at all', { type: 'Generic' }, 'other', ''],
  ])('%s', async (_label, extra, kind, text) => {
    const m = (await one(extra)) as MessageRecord;
    expect([m.type, m.kind, m.text, m.sender, m.externalId]).toEqual(['message', kind, text, { id: null, name: 'A' }, null]);
  });

  it('reactions are counted per emoji over their actors', async () => {
    const m = (await one({ content: 'x', reactions: [
      { reaction: '\u00e2\u009d\u00a4', actor: 'A' },
      { reaction: '\u00e2\u009d\u00a4', actor: 'B' },
      { reaction: '\u00f0\u009f\u0098\u0086', actor: 'A' },
    ] })) as MessageRecord;
    expect(m.reactions).toEqual([{ emoji: '❤', count: 2 }, { emoji: '😆', count: 1 }]);
  });
});

describe('messenger-json: events', () => {
  it.each([
    ['call_duration', { content: 'A called you.', call_duration: 63 }, 'call', 'A', []],
    ['type Call', { type: 'Call', content: 'The video chat ended.' }, 'call', 'A', []],
    ['Subscribe of others', { type: 'Subscribe', content: 'A added B and C to the group.', users: [{ name: 'B' }, { name: 'C' }] }, 'invite', 'A', ['B', 'C']],
    ['Subscribe of oneself', { type: 'Subscribe', content: 'A joined the group.', users: [{ name: 'A' }] }, 'join', null, ['A']],
    ['Unsubscribe of oneself', { type: 'Unsubscribe', content: 'A left the group.', users: [{ name: 'A' }] }, 'leave', null, ['A']],
    ['Unsubscribe of another', { type: 'Unsubscribe', content: 'A removed B from the group.', users: [{ name: 'B' }] }, 'remove', 'A', ['B']],
    ['is_unsent', { is_unsent: true }, 'recall', 'A', []],
    ['Instagram reaction notice', { content: 'Liked a message' }, 'other', 'A', []],
  ])('%s', async (_label, extra, kind, actor, subjects) => {
    const e = (await one(extra)) as EventRecord;
    expect([e.type, e.kind, e.actor?.name ?? null, e.subjects.map((s) => s.name), e.time, e.utcMs, e.line]).toEqual([
      'event', kind, actor, subjects, '2014-11-05 00:35:32', T, 1,
    ]);
    expect(e.text).toBe((extra as { content?: string }).content ?? '');
  });
});

describe('messenger-json: conversation and platform', () => {
  const m = { sender_name: 'A', timestamp_ms: T, content: 'x' };
  it.each([
    ['thread_path is key and external id, title the name', {}, ['A', 'B'], { key: 'inbox/chat_123', externalId: 'inbox/chat_123', name: 'Chat', chatType: 'private' }],
    ['three participants make a group', {}, ['A', 'B', 'C'], { chatType: 'group' }],
    ['thread_type RegularGroup', { thread_type: 'RegularGroup' }, ['A', 'B'], { chatType: 'group' }],
    ['no thread_path: the title is the key', { thread_path: undefined }, ['A', 'B'], { key: 'Chat', externalId: null, name: 'Chat' }],
  ])('%s', async (_label, tail, participants, expected) => {
    const rs = await parse(file([m], { title: 'Chat', thread_path: 'inbox/chat_123', ...tail }, participants));
    expect(group(rs)).toMatchObject({ type: 'group', platform: 'messenger', ...expected });
    expect(rs[0]!.type).toBe('group');
    expect(msgs(rs)[0]!.group).toBe(group(rs).key);
  });

  it.each([
    ['media under your_instagram_activity/', { photos: [{ uri: 'your_instagram_activity/messages/inbox/x_1/photos/1.jpg' }] }, 'instagram'],
    ['Instagram post share', { share: { link: 'https://www.instagram.com/p/x/', original_content_owner: 'someone' } }, 'instagram'],
    ['media under your_facebook_activity/', { photos: [{ uri: 'your_facebook_activity/messages/inbox/x_1/photos/1.jpg' }] }, 'messenger'],
    ['fields both platforms write decide nothing', { is_geoblocked_for_viewer: false, is_unsent_image_by_messenger_kid_parent: false }, 'messenger'],
  ])('%s → %s', async (_label, extra, platform) => {
    const rs = await parse(file([{ ...m, ...extra }], { title: 'x', thread_path: 'inbox/x_1', magic_words: [], joinable_mode: { mode: 1, link: '' } }));
    expect(group(rs).platform).toBe(platform);
  });

  it('past 20,000 held records the group is declared from what is known and the rest streams', async () => {
    const many = Array.from({ length: 20_001 }, (_, i) => ({ sender_name: i % 3 === 0 ? 'A' : 'B', timestamp_ms: T - i * 1000, content: 'm' }));
    const batches: ParsedRecord[][] = [];
    const { bufferSource, prepareInput } = await import('../../../../electron/engine/ingest/input.js');
    const { input } = await prepareInput(bufferSource('big.json', file(many)));
    for await (const b of P.parse(input)) batches.push(b);
    const rs = batches.flat();
    expect(rs[0]).toEqual({ type: 'group', key: '', platform: 'messenger', externalId: null, name: '', chatType: 'private' });
    expect(msgs(rs)).toHaveLength(20_001);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(2000);
  });
});

describe('messenger-json: rejects and errors', () => {
  it('elements without sender, with a broken timestamp or not objects are rejected; parsing goes on', async () => {
    const rs = await parse(file([{ timestamp_ms: T, content: 'x' }, { sender_name: 'A', timestamp_ms: 'soon', content: 'x' }, 42, { sender_name: 'A', timestamp_ms: T, content: 'ok' }]));
    expect(rejects(rs).map((r) => [r.line, r.reason])).toEqual([
      [1, 'no "sender_name"'],
      [2, 'no valid "timestamp_ms"'],
      [3, 'message element is not a JSON object'],
    ]);
    expect(msgs(rs).map((m) => [m.line, m.text])).toEqual([[4, 'ok']]);
  });

  it.each([
    ['a top-level array', '[{"sender_name":"A","timestamp_ms":1}]'],
    ['no messages array', '{"participants":[{"name":"A"}],"title":"x"}'],
    ['Telegram-shaped messages', JSON.stringify({ name: 'x', messages: [{ id: 1, type: 'message', date: '2020-01-01T00:00:00', from: 'A', text: 'hi' }] })],
    ['malformed JSON', '{"messages": [{"sender_name": "A", "timestamp_ms": 1}, }'],
  ])('%s is a FormatError', async (_label, text) => {
    await expect(parse(text)).rejects.toBeInstanceOf(FormatError);
  });
});

describe('messenger-json: sniff', () => {
  it('claims Meta files only, and no other parser outscores it on them', async () => {
    expect(await sniffOf(P, await readShared('messenger/mlomb-chat-analytics__2A_7M.json'))).toBe(0.95);
    expect(await sniffOf(P, await readShared('other/chat-miner__instagram__test_export.json'))).toBe(0.9);
    for (const f of ['telegram/mlomb-chat-analytics__DM_2A_7M.json', 'telegram/chat-miner__test_single_export.json', 'discord/mlomb-chat-analytics__GC_3A_5M.json', 'whatsapp/whatstk__lorem.txt', 'other/chat-miner__instagram__target.json']) {
      expect(await sniffOf(P, await readShared(f)), f).toBe(0);
    }
    for (const f of ['messenger/mlomb-chat-analytics__2A_7M.json', 'other/chat-miner__instagram__test_export.json']) {
      const buf = await readShared(f);
      const mine = await sniffOf(P, buf);
      for (const p of PARSERS) if (p !== P) expect(await sniffOf(p, buf), `${p.format} on ${f}`).toBeLessThan(mine);
    }
  });
});

describe('messenger-json: shared fixtures', () => {
  it('messenger/mlomb-chat-analytics__2A_7M.json', async () => {
    /*
     * Read from the file (it starts with a UTF-8 BOM): participants Alice, Bob; 7 messages newest
     * first: Alice "Hello" 1415147732056, Bob "Whats up!" …681489, Bob "you what" …325354, Bob files
     * …308604, Alice audio_files …297141, Bob sticker …254275, Bob photos …240411 (`date -u -d @…`:
     * 00:35:32, 00:34:41, 00:28:45, 00:28:28, 00:28:17, 00:27:34, 00:27:20 on 2014-11-05). title
     * "Alice", thread_type "Regular", thread_path "inbox/alice_aaaaaaaaaa", no Instagram clue.
     */
    const rs = await parseAll(P, await readShared('messenger/mlomb-chat-analytics__2A_7M.json'), 'message_1.json');
    expect(group(rs)).toEqual({ type: 'group', key: 'inbox/alice_aaaaaaaaaa', platform: 'messenger', externalId: 'inbox/alice_aaaaaaaaaa', name: 'Alice', chatType: 'private' });
    expect(msgs(rs).map((m) => [m.line, m.sender.name, m.time, m.kind, m.text])).toEqual([
      [1, 'Alice', '2014-11-05 00:35:32', 'text', 'Hello'],
      [2, 'Bob', '2014-11-05 00:34:41', 'text', 'Whats up!'],
      [3, 'Bob', '2014-11-05 00:28:45', 'text', 'you what'],
      [4, 'Bob', '2014-11-05 00:28:28', 'file', ''],
      [5, 'Alice', '2014-11-05 00:28:17', 'voice', ''],
      [6, 'Bob', '2014-11-05 00:27:34', 'sticker', ''],
      [7, 'Bob', '2014-11-05 00:27:20', 'image', ''],
    ]);
    expect(evs(rs)).toEqual([]);
    expect(rejects(rs)).toEqual([]);
  });

  it('other/chat-miner__instagram__test_export.json against its target.json', async () => {
    // Only `messages` (no participants, title or thread_path, no Instagram clue ⇒ 'messenger').
    const rs = await parseAll(P, await readShared('other/chat-miner__instagram__test_export.json'), 'message_1.json');
    expect(group(rs)).toEqual({ type: 'group', key: '', platform: 'messenger', externalId: null, name: '', chatType: 'private' });
    expect(rejects(rs)).toEqual([]);
    // chat-miner's expectation: timestamp = utcfromtimestamp(timestamp_ms / 1000), the same UTC wall clock.
    const target = JSON.parse((await readShared('other/chat-miner__instagram__target.json')).toString('utf8')) as { timestamp: string; author: string; message: string }[];
    expect(msgs(rs).map((m) => ({ timestamp: m.time.replace(' ', 'T'), author: m.sender.name, message: m.text }))).toEqual(target);
    expect(msgs(rs).map((m) => m.utcMs)).toEqual([1579294140000, 1577186580000]);
  });
});
