import { describe, expect, it } from 'vitest';
import { bundleInput, openZipAsBundle } from '../../../../electron/engine/ingest/bundle.js';
import { detectSlack, slackParser } from '../../../../electron/engine/ingest/parsers/slack.js';
import { SlackNames, decodeSlack, tsToMs } from '../../../../electron/engine/ingest/parsers/slack-map.js';
import type { EventRecord, MessageRecord, ParsedRecord, PersonRef } from '../../../../electron/engine/ingest/types.js';
import { events, groups, memoryBundle, messages, parseBundle, rejects, sharedFixture } from '../../../helpers/parse.js';

const USERS = [
  { id: 'U1', name: 'alice', real_name: 'Alice Liddell', profile: { display_name: 'ali', real_name: 'Alice Liddell' } },
  { id: 'U2', name: 'bob', profile: { display_name: '', real_name: 'Bob Stone' } },
  { id: 'U3', name: 'carol', profile: {} },
  { id: 'UB9', name: 'deploybot', is_bot: true, profile: { real_name: 'Deploy Bot' } },
];
const CHANNELS = [{ id: 'C1', name: 'general' }, { id: 'C2', name: 'random' }];

// users.json names as the rules read them: display name, else real name, else account name.
const ALI: PersonRef = { id: 'U1', name: 'ali', aliases: ['Alice Liddell', 'alice'] };
const BOB: PersonRef = { id: 'U2', name: 'Bob Stone', aliases: ['bob'] };
const CAROL: PersonRef = { id: 'U3', name: 'carol' };

function slack(days: Record<string, unknown[] | string>, extra: Record<string, string> = {}) {
  const files: Record<string, string> = { 'users.json': JSON.stringify(USERS), 'channels.json': JSON.stringify(CHANNELS), ...extra };
  for (const [path, v] of Object.entries(days)) files[path] = typeof v === 'string' ? v : JSON.stringify(v);
  return memoryBundle(files, 'ws');
}

/** Records of one day file of #general holding `items`, without the group records. */
async function day(items: unknown[]): Promise<ParsedRecord[]> {
  return (await parseBundle(slackParser, slack({ 'general/2023-11-14.json': items }))).filter((r) => r.type !== 'group');
}

const T0 = '1700000000.000100'; // 2023-11-14 22:13:20 UTC
const msg = (o: Record<string, unknown>) => ({ type: 'message', ts: T0, ...o });

describe('slack-export detect', () => {
  it.each<[string, string[], (n: number) => boolean]>([
    ['channels + users + day files', ['channels.json', 'general/2023-11-14.json', 'users.json'], (n) => n >= 0.5],
    ['private channels only (groups.json)', ['groups.json', 'secret/2023-11-14.json', 'users.json'], (n) => n >= 0.5],
    ['DMs only (dms.json)', ['D123/2023-11-14.json', 'dms.json', 'users.json'], (n) => n >= 0.5],
    ['all inside one folder (a zip of the unpacked export)', ['ws/channels.json', 'ws/general/2023-11-14.json', 'ws/users.json'], (n) => n >= 0.5],
    ['inside a folder beside other files', ['notes.txt', 'ws/channels.json', 'ws/general/2023-11-14.json', 'ws/users.json'], (n) => n === 0],
    ['no day files', ['channels.json', 'users.json'], (n) => n < 0.5],
    ['no users.json', ['channels.json', 'general/2023-11-14.json'], (n) => n === 0],
    ['no conversation list', ['general/2023-11-14.json', 'users.json'], (n) => n === 0],
    ['chunked JSONL export', ['chunks/0001.jsonl', 'manifest.json'], (n) => n === 0],
    ['a folder of unrelated exports', ['WhatsApp Chat with Bob.txt', 'result.json'], (n) => n === 0],
  ])('%s', async (_, files, ok) => {
    expect(ok(detectSlack(files))).toBe(true);
    expect(ok(await slackParser.detect(memoryBundle(Object.fromEntries(files.map((f) => [f, '[]'])))))).toBe(true);
  });
});

describe('slack-export markup', () => {
  const names = new SlackNames();
  names.users.set('U2', BOB);
  names.channels.set('C2', 'random');
  it.each<[string, string, string[]]>([
    ['a &amp; b &lt;tag&gt;', 'a & b <tag>', []],
    ['<@U2> look', '@Bob Stone look', ['U2']],
    ['<@U3|carol> hi', '@carol hi', ['U3']],
    ['<@U404>', '@U404', ['U404']],
    ['<#C2|random> and <#C2>', '#random and #random', []],
    ['<https://x.org/a|the doc>', 'the doc (https://x.org/a)', []],
    ['<https://x.org/a?b=1&amp;c=2>', 'https://x.org/a?b=1&c=2', []],
    ['<https://x.org|https://x.org>', 'https://x.org', []],
    ['<mailto:a@b.org|a@b.org>', 'a@b.org', []],
    ['<!here> <!channel> <!everyone>', '@here @channel @everyone', []],
    ['<!subteam^S1|@devs> ping', '@devs ping', []],
    ['unclosed <https://x.org', 'unclosed <https://x.org', []],
  ])('%s', (raw, text, mentions) => {
    expect(decodeSlack(raw, names)).toEqual({ text, mentions });
  });

  it('reads ts as epoch seconds with the sequence fraction cut to milliseconds', () => {
    expect(tsToMs('1454884927.000002')).toBe(1454884927000);
    expect(tsToMs('1454884927.123456')).toBe(1454884927123);
    expect(tsToMs('1454884927')).toBe(1454884927000);
    expect(tsToMs('soon')).toBeNull();
  });
});

describe('slack-export messages', () => {
  const base = { type: 'message', group: 'C1', line: 1, externalId: T0, time: '2023-11-14 22:13:20', utcMs: 1700000000000, replyTo: null, quote: null };
  it.each<[string, Record<string, unknown>, Partial<MessageRecord>]>([
    ['plain text, entities unescaped', msg({ user: 'U1', text: 'hello &amp; &lt;b&gt;' }), { sender: ALI, kind: 'text', text: 'hello & <b>', mentions: [] }],
    ['a mention resolves the name; the id is the mention', msg({ user: 'U3', text: '<@U2> see <#C2>' }), { sender: CAROL, text: '@Bob Stone see #random', mentions: ['U2'] }],
    ['only a URL is a link', msg({ user: 'U2', text: '<https://x.org/a>' }), { sender: BOB, kind: 'link', text: 'https://x.org/a' }],
    ['a labelled URL is text', msg({ user: 'U2', text: 'see <https://x.org/a|the doc>' }), { kind: 'text', text: 'see the doc (https://x.org/a)' }],
    ['a thread reply answers the parent ts', msg({ user: 'U2', ts: '1700000060.000200', thread_ts: T0, text: 're' }),
      { externalId: '1700000060.000200', time: '2023-11-14 22:14:20', utcMs: 1700000060000, replyTo: T0 }],
    ['a thread parent replies to nothing', msg({ user: 'U2', thread_ts: T0, text: 'q' }), { replyTo: null }],
    ['reactions (count, else the users)', msg({ user: 'U1', text: 'ship it', reactions: [{ name: 'thumbsup', users: ['U1', 'U2'], count: 2 }, { name: 'tada', users: ['U3'] }] }),
      { reactions: [{ emoji: 'thumbsup', count: 2 }, { emoji: 'tada', count: 1 }] }],
    ['bot_message: the bot is the sender', msg({ subtype: 'bot_message', bot_id: 'B2', username: 'CI', text: 'build ok' }),
      { sender: { id: 'B2', name: 'CI', bot: true }, kind: 'text', text: 'build ok' }],
    ['bot_message with only attachments: their fallback text', msg({ subtype: 'bot_message', bot_id: 'B3', bot_profile: { name: 'GitHub' }, text: '', attachments: [{ fallback: '[repo] 1 new commit <https://g.com/c|abc>' }] }),
      { sender: { id: 'B3', name: 'GitHub', bot: true }, text: '[repo] 1 new commit abc (https://g.com/c)' }],
    ['bot_message without a name: its id', msg({ subtype: 'bot_message', bot_id: 'B4', text: 'x' }), { sender: { id: 'B4', name: 'B4', bot: true } }],
    ['users.json is_bot marks the sender', msg({ user: 'UB9', text: 'deployed' }), { sender: { id: 'UB9', name: 'Deploy Bot', aliases: ['deploybot'], bot: true } }],
    ['user_profile gives the name at the time', msg({ user: 'U3', text: 'hi', user_profile: { display_name: 'Caz', real_name: 'Carol King', name: 'carol' } }),
      { sender: { id: 'U3', name: 'Caz', aliases: ['Carol King', 'carol'] } }],
    ['file_share image (files[]): kind by mimetype, title as text', msg({ subtype: 'file_share', user: 'U1', text: '', files: [{ id: 'F1', title: 'cat', name: 'cat.png', mimetype: 'image/png' }] }),
      { kind: 'image', text: 'cat' }],
    ['file_share video', msg({ subtype: 'file_share', user: 'U1', text: 'clip', files: [{ id: 'F2', mimetype: 'video/mp4' }] }), { kind: 'video', text: 'clip' }],
    ['file_share audio is voice', msg({ subtype: 'file_share', user: 'U1', text: 'memo', files: [{ id: 'F3', mimetype: 'audio/mpeg' }] }), { kind: 'voice' }],
    ['legacy file_share (file): other types are files; the uploader is no mention', msg({ subtype: 'file_share', user: 'U1', text: '<@U1> uploaded a file: <https://x/f|report>', file: { id: 'F4', mimetype: 'application/pdf' } }),
      { kind: 'file', text: '@ali uploaded a file: report (https://x/f)', mentions: [] }],
    ['me_message is text', msg({ subtype: 'me_message', user: 'U3', text: 'waves' }), { sender: CAROL, kind: 'text', text: 'waves' }],
  ])('%s', async (_, item, want) => {
    const [r] = await day([item]);
    expect(r).toMatchObject({ ...base, ...want });
    if (!('reactions' in want)) expect(r).not.toHaveProperty('reactions');
  });
});

describe('slack-export events', () => {
  const base = { type: 'event', group: 'C1', line: 1, time: '2023-11-14 22:13:20', utcMs: 1700000000000 };
  const bot1: PersonRef = { id: 'B1', name: 'jenkins', bot: true };
  it.each<[string, Record<string, unknown>, Partial<EventRecord>]>([
    ['channel_join', msg({ subtype: 'channel_join', user: 'U2', text: '<@U2> has joined the channel' }),
      { kind: 'join', actor: null, subjects: [BOB], text: '@Bob Stone has joined the channel' }],
    ['channel_join with an inviter is an invite', msg({ subtype: 'channel_join', user: 'U2', inviter: 'U1', text: '<@U2> has joined the channel' }),
      { kind: 'invite', actor: ALI, subjects: [BOB] }],
    ['channel_leave', msg({ subtype: 'channel_leave', user: 'U3', text: '<@U3> has left the channel' }), { kind: 'leave', subjects: [CAROL] }],
    ['channel_topic', msg({ subtype: 'channel_topic', user: 'U1', text: '<@U1> set the channel topic: Q4' }), { kind: 'other', actor: ALI, subjects: [], text: '@ali set the channel topic: Q4' }],
    ['channel_purpose', msg({ subtype: 'channel_purpose', user: 'U1', text: 'set the channel purpose: x' }), { kind: 'other', actor: ALI }],
    ['channel_name', msg({ subtype: 'channel_name', user: 'U1', text: 'renamed the channel from "a" to "general"' }), { kind: 'title', actor: ALI }],
    ['bot_add: the bot is the subject, named by the link label', msg({ subtype: 'bot_add', user: 'U1', bot_id: 'B1', text: 'added an integration to this channel: <https://x.slack.com/services/B1|jenkins>' }),
      { kind: 'other', actor: ALI, subjects: [bot1], text: 'added an integration to this channel: jenkins (https://x.slack.com/services/B1)' }],
    ['bot_remove', msg({ subtype: 'bot_remove', user: 'U1', bot_id: 'B1', text: 'removed an integration from this channel: <https://x.slack.com/services/B1|jenkins>' }),
      { kind: 'other', actor: ALI, subjects: [bot1] }],
    ['pinned_item', msg({ subtype: 'pinned_item', user: 'U2', text: '<@U2> pinned a message to this channel.' }), { kind: 'pin', actor: BOB }],
    ['message_deleted', msg({ subtype: 'message_deleted', hidden: true, deleted_ts: '1699999999.000001' }), { kind: 'recall', actor: null, subjects: [], text: 'message_deleted' }],
    ['tombstone', msg({ subtype: 'tombstone', user: 'USLACKBOT', text: 'This message was deleted.' }), { kind: 'recall', actor: null, text: 'This message was deleted.' }],
  ])('%s', async (_, item, want) => {
    const [r] = await day([item]);
    expect(r).toMatchObject({ ...base, ...want });
  });
});

describe('slack-export bundle', () => {
  it('declares every listed channel before its records; time from ts, never from the file name', async () => {
    const rs = await parseBundle(slackParser, slack({ 'random/2023-11-15.json': [msg({ user: 'U1', text: 'a' })] }));
    expect(groups(rs)).toEqual([
      { type: 'group', key: 'C1', platform: 'slack', externalId: 'C1', name: '#general', chatType: 'channel' },
      { type: 'group', key: 'C2', platform: 'slack', externalId: 'C2', name: '#random', chatType: 'channel' },
    ]);
    expect(rs.map((r) => r.type)).toEqual(['group', 'group', 'message']);
    expect(messages(rs)[0]).toMatchObject({ group: 'C2', time: '2023-11-14 22:13:20' });
  });

  it('reads private channels, group DMs and DMs; a folder no list names is still a conversation', async () => {
    const rs = await parseBundle(slackParser, slack(
      {
        'secret/2023-11-14.json': [msg({ user: 'U1', text: 's' })],
        'mpdm-ali--bob-1/2023-11-14.json': [msg({ user: 'U2', text: 'm' })],
        'D9/2023-11-14.json': [msg({ user: 'U3', text: 'd' })],
        'orphan/2023-11-14.json': [msg({ user: 'U3', text: 'o' })],
      },
      {
        'groups.json': JSON.stringify([{ id: 'G1', name: 'secret' }]),
        'mpims.json': JSON.stringify([{ id: 'G2', name: 'mpdm-ali--bob-1', members: ['U1', 'U2'] }]),
        'dms.json': JSON.stringify([{ id: 'D9', members: ['U1', 'U3'] }]),
      },
    ));
    expect(groups(rs).map((g) => [g.key, g.externalId, g.name, g.chatType])).toEqual([
      ['C1', 'C1', '#general', 'channel'],
      ['C2', 'C2', '#random', 'channel'],
      ['G1', 'G1', '#secret', 'channel'],
      ['G2', 'G2', 'ali, Bob Stone', 'group'],
      ['D9', 'D9', 'ali, carol', 'private'],
      ['folder:orphan', null, '#orphan', 'channel'],
    ]);
    expect(messages(rs).map((m) => [m.group, m.text])).toEqual([['G1', 's'], ['G2', 'm'], ['D9', 'd'], ['folder:orphan', 'o']]);
  });

  it('reads an export whose files all sit in one folder', async () => {
    const rs = await parseBundle(slackParser, memoryBundle({
      'ws/users.json': JSON.stringify(USERS),
      'ws/channels.json': JSON.stringify(CHANNELS),
      'ws/general/2023-11-14.json': JSON.stringify([msg({ user: 'U1', text: 'hi' }), { user: 'U1' }]),
    }));
    expect(messages(rs).map((m) => [m.group, m.sender.name, m.text])).toEqual([['C1', 'ali', 'hi']]);
    expect(rejects(rs).map((r) => [r.file, r.line])).toEqual([['ws/general/2023-11-14.json', 2]]);
  });

  it('a day file that is not JSON is one reject; the rest of the bundle imports', async () => {
    const rs = await parseBundle(slackParser, slack({
      'general/2023-11-14.json': [msg({ user: 'U1', text: 'before' })],
      'general/2023-11-15.json': 'this is not json',
      'general/2023-11-16.json': [msg({ user: 'U1', text: 'after', ts: '1700000060.000001' })],
    }));
    expect(messages(rs).map((m) => m.text)).toEqual(['before', 'after']);
    expect(rejects(rs)).toHaveLength(1);
    expect(rejects(rs)[0]).toMatchObject({ file: 'general/2023-11-15.json', line: 1, reason: expect.stringMatching(/^not valid JSON/) });
  });

  it('keeps what a truncated day file held, rejects the cut; a bad element is rejected at its index', async () => {
    const rs = await parseBundle(slackParser, slack({
      'general/2023-11-14.json': `[${JSON.stringify(msg({ user: 'U1', text: 'kept' }))},{"type":"mess`,
      'random/2023-11-14.json': `[${JSON.stringify(msg({ user: 'U2', text: 'ok' }))}, {"user": tru}]`,
    }));
    expect(messages(rs).map((m) => m.text)).toEqual(['kept', 'ok']);
    expect(rejects(rs).map((r) => [r.file, r.line])).toEqual([['general/2023-11-14.json', 1], ['random/2023-11-14.json', 2]]);
  });

  it('a message without ts, or an element that is no object, is a reject naming its file and index', async () => {
    const rs = await day([msg({ user: 'U1', text: 'fine' }), { type: 'message', user: 'U1', text: 'no ts' }, 'junk']);
    expect(messages(rs)).toHaveLength(1);
    expect(rejects(rs).map((r) => [r.file, r.line, r.reason])).toEqual([
      ['general/2023-11-14.json', 2, 'message without a valid "ts"'],
      ['general/2023-11-14.json', 3, 'message element is not a JSON object'],
    ]);
  });

  it('hidden bookkeeping copies (message_changed, message_replied) are skipped', async () => {
    const rs = await day([
      msg({ user: 'U1', text: 'original' }),
      msg({ subtype: 'message_changed', hidden: true, message: { user: 'U1', text: 'edited' }, ts: '1700000060.000001' }),
      msg({ subtype: 'message_replied', hidden: true, message: { user: 'U1', text: 'original' }, ts: '1700000120.000001' }),
    ]);
    expect(rs.map((r) => (r.type === 'message' ? r.text : r.type))).toEqual(['original']);
  });

  it('a bot named by its bot_add link keeps that name; a legacy file comment answers the share', async () => {
    const rs = await day([
      msg({ subtype: 'bot_add', user: 'U1', bot_id: 'B7', text: 'added an integration to this channel: <https://x/services/B7|github>' }),
      msg({ subtype: 'bot_message', bot_id: 'B7', text: 'push', ts: '1700000060.000001' }),
      msg({ subtype: 'file_share', user: 'U2', text: '<@U2> uploaded a file: <https://x/f|plan>', file: { id: 'F9', mimetype: 'text/plain' }, ts: '1700000120.000001' }),
      { type: 'message', subtype: 'file_comment', text: '<@U3> commented on <@U2>’s file <https://x/f|plan>: looks good',
        file: { id: 'F9' }, comment: { id: 'Fc1', user: 'U3', comment: 'looks good' }, ts: '1700000180.000001' },
    ]);
    const [bot, share, comment] = messages(rs);
    expect(bot!.sender).toEqual({ id: 'B7', name: 'github', bot: true });
    expect(share).toMatchObject({ kind: 'file', sender: BOB });
    expect(comment).toMatchObject({ kind: 'text', sender: CAROL, text: 'looks good', replyTo: '1700000120.000001', time: '2023-11-14 22:16:20' });
  });
});

describe('slack-export shared fixture', () => {
  it('slack-export-viewer__testarchive.zip', async () => {
    // Read by hand (unzip -p … | python json): channels.json lists #enrique (C0JGLMMNX) and
    // #traveling-sailor (C0JL6CGQ2); 17 day files hold 158 elements:
    //  enrique 102 = 66 bot_message + 30 plain + 4 channel_join (3 with an inviter) + 2 bot_add;
    //  traveling-sailor 56 = 28 bot_message + 19 plain + 4 channel_join (3 with an inviter)
    //  + 1 bot_add + 3 file_share (text/plain → file) + 1 file_comment (legacy comment on a file:
    //  a message by comment.user answering the share of that file).
    // Messages: enrique 96 (2 are only a URL → link), traveling-sailor 51. Senders: enrique
    // 4 users + bots B0JL6RASU, B0VJZKVHC; traveling-sailor 3 users + bot B0JL6UFSL. The bots
    // post with empty text (attachments only) and no name: named 'github' by their bot_add links.
    const b = (await openZipAsBundle(sharedFixture('slack/slack-export-viewer__testarchive.zip')))!;
    let rs: ParsedRecord[];
    try {
      rs = await parseBundle(slackParser, bundleInput(b));
    } finally {
      b.close();
    }
    expect(groups(rs).map((g) => g.name)).toEqual(['#enrique', '#traveling-sailor']);
    expect(rejects(rs)).toEqual([]);
    const per = (key: string) => {
      const ms = messages(rs).filter((m) => m.group === key);
      const evs: Record<string, number> = {};
      for (const e of events(rs).filter((x) => x.group === key)) evs[e.kind] = (evs[e.kind] ?? 0) + 1;
      const kinds: Record<string, number> = {};
      for (const m of ms) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
      const times = ms.map((m) => m.time).sort();
      return { n: ms.length, kinds, bots: ms.filter((m) => m.sender.bot).length, senders: new Set(ms.map((m) => m.sender.id)).size, evs, from: times[0], to: times.at(-1) };
    };
    expect(per('C0JGLMMNX')).toEqual({ n: 96, kinds: { text: 94, link: 2 }, bots: 66, senders: 6, evs: { join: 1, invite: 3, other: 2 }, from: '2016-01-15 05:55:52', to: '2016-03-29 06:44:34' });
    expect(per('C0JL6CGQ2')).toEqual({ n: 51, kinds: { text: 48, file: 3 }, bots: 28, senders: 4, evs: { join: 1, invite: 3, other: 1 }, from: '2016-02-08 00:38:15', to: '2016-03-29 12:33:06' });
    const botNames = new Set(messages(rs).filter((m) => m.sender.bot).map((m) => `${m.sender.id}=${m.sender.name}`));
    expect([...botNames].sort()).toEqual(['B0JL6RASU=github', 'B0JL6UFSL=github', 'B0VJZKVHC=github']);
    // The one reaction in the archive: enrique/2016-03-28.json, a GitHub post with :botman: ×1.
    expect(messages(rs).filter((m) => m.reactions).map((m) => [m.externalId, m.reactions])).toEqual([['1459154014.000018', [{ emoji: 'botman', count: 1 }]]]);
    // traveling-sailor/2016-03-27.json: the comment on "10 cities" answers its share.
    expect(messages(rs).find((m) => m.externalId === '1459106048.000018')).toMatchObject({ sender: { id: 'U0BMS113R', name: 'doubledeez' }, replyTo: '1459105865.000017' });
  });
});
