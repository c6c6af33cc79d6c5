import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sharedFixture } from '../helpers/parse.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `qunxi import … --json` as a user would (the CLI entry, a fresh database). */
function importJson(files: string[]) {
  const db = join(mkdtempSync(join(tmpdir(), 'qunxi-cli-')), 'lib.duckdb');
  const out = execFileSync(TSX, ['electron/cli/main.ts', 'import', ...files, '--db', db, '--json'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out) as { groups: Record<string, unknown>[]; files: Record<string, unknown>[]; errors: unknown[] };
}

/**
 * Expected per-conversation summaries, worked out by reading each fixture file (see the parser
 * tests for the line-by-line reasoning). `messages` = records sent by members; `senders` =
 * distinct members who sent one; events by kind; from/to = first/last message as written.
 */
const CASES: [string, Record<string, unknown>][] = [
  ['qq/log-painter__extracted__basic.txt', { format: 'qq-txt', group: '湖之仆从（PST 8pm | BJT 11am）', messages: 6, senders: 4, events: { other: 2, join: 1 }, rejected: 0, from: '2019-09-23 20:43:38', to: '2019-09-24 09:16:35' }],
  ['qq/log-painter__extracted__Private_chat.txt', { format: 'qq-txt', group: 'log-painter__extracted__Private_chat', messages: 2, senders: 2, events: {}, rejected: 0, from: '2017-01-19 20:20:27', to: '2017-01-19 20:22:24' }],
  ['qq/log-painter__extracted__email.txt', { format: 'qq-txt', group: 'log-painter__extracted__email', messages: 3, senders: 3, events: {}, rejected: 0, from: '2020-03-04 00:12:29', to: '2020-03-04 00:13:41' }],
  ['qq/qq-chat-history__file.txt', { format: 'qq-txt', group: 'qq-chat-history__file', messages: 2, senders: 2, events: {}, rejected: 3, from: '1883-03-07 11:22:33', to: '1883-03-07 12:34:56' }],
  ['whatsapp/chat-miner__test_ddmmyy_24hrs.txt', { format: 'whatsapp-txt', group: 'Groupname', messages: 7, senders: 5, events: { create: 1, invite: 1 }, rejected: 0, from: '2019-01-01 11:25:00', to: '2021-12-30 22:01:00' }],
  ['whatsapp/chat-miner__test_mmddyy_24hrs.txt', { format: 'whatsapp-txt', group: 'Groupname', messages: 7, senders: 5, events: { create: 1, invite: 1 }, rejected: 0, from: '2019-01-01 11:25:00', to: '2021-12-30 22:01:00' }],
  ['whatsapp/chat-miner__test_mmddyyyy_12hrs.txt', { format: 'whatsapp-txt', group: 'Groupname', messages: 7, senders: 5, events: { create: 1, invite: 1 }, rejected: 0, from: '2019-01-01 11:25:00', to: '2021-12-30 22:01:00' }],
  ['whatsapp/chat-miner__test_yyyymmdd_24hrs.txt', { format: 'whatsapp-txt', group: 'Groupname', messages: 7, senders: 5, events: { create: 1, invite: 1 }, rejected: 0, from: '2019-01-01 11:25:00', to: '2021-12-30 22:01:00' }],
  ['whatsapp/chat-miner__test_brackets-mmddyy_24hrs.txt', { format: 'whatsapp-txt', group: 'Groupname', messages: 7, senders: 5, events: { create: 1, invite: 1 }, rejected: 0, from: '2019-01-01 11:25:00', to: '2021-12-30 22:01:00' }],
  ['whatsapp/language-whatsapp__ios_en_gb_lower_pm__chat.txt', { format: 'whatsapp-txt', group: 'language-whatsapp__ios_en_gb_lower_pm__chat', messages: 13, senders: 2, events: {}, rejected: 0, from: '2020-11-02 21:47:19', to: '2020-11-02 21:50:40' }],
  ['whatsapp/mlomb-chat-analytics__2A_5M.txt', { format: 'whatsapp-txt', group: 'mlomb-chat-analytics__2A_5M', messages: 5, senders: 2, events: {}, rejected: 0, from: '2021-01-01 12:00:00', to: '2021-01-01 12:03:00' }],
  ['whatsapp/mlomb-chat-analytics__4A_11M.txt', { format: 'whatsapp-txt', group: 'Some cool group chat', messages: 11, senders: 5, events: { other: 1, create: 1, invite: 1 }, rejected: 0, from: '2020-09-12 23:55:00', to: '2020-09-12 23:56:00' }],
  ['whatsapp/mlomb-chat-analytics__4A_11M.zip', { format: 'whatsapp-txt', group: 'Some cool group chat', messages: 11, senders: 5, events: { other: 1, create: 1, invite: 1 }, rejected: 0, from: '2020-09-12 23:55:00', to: '2020-09-12 23:56:00' }],
  ['whatsapp/whatstk__pokemon.txt', { format: 'whatsapp-txt', group: 'Pokemon Chat', messages: 18, senders: 8, events: { other: 2 }, rejected: 0, from: '2016-08-06 13:23:00', to: '2016-10-31 12:23:00' }],
  ['whatsapp/whatstk__lorem.txt', { format: 'whatsapp-txt', group: 'whatstk__lorem', messages: 500, senders: 4, events: {}, rejected: 0, from: '2020-01-15 02:22:56', to: '2020-05-11 22:32:48' }],
  ['telegram/mlomb-chat-analytics__DM_2A_7M.json', { format: 'telegram-json', group: 'Bob', messages: 6, senders: 2, events: { other: 1, call: 1 }, rejected: 0, from: '2019-07-12 16:55:32', to: '2022-06-10 22:06:39' }],
  ['telegram/mlomb-chat-analytics__BIG_20A_5475M.json', { format: 'telegram-json', group: 'Big sample', messages: 5475, senders: 20, events: {}, rejected: 0, from: '2017-01-01 06:20:09', to: '2019-12-31 18:19:24' }],
  ['telegram/chat-miner__test_single_export.json', { format: 'telegram-json', group: 'chat-1', messages: 2, senders: 2, events: {}, rejected: 0, from: '2018-12-05 10:39:10', to: '2018-12-05 10:49:24' }],
  ['telegram/chat-miner__test_batch_export.json', { format: 'telegram-json', group: 'Chatname', messages: 2, senders: 2, events: {}, rejected: 0, from: '2018-12-05 10:39:10', to: '2018-12-05 10:49:24' }],
];

describe('qunxi import --json over the shared fixtures', () => {
  // One CLI run over every file (as a user would import a folder); summaries are per file, so
  // de-duplication across the chat-miner variants does not change them.
  const all = importJson(CASES.map(([f]) => sharedFixture(f)));

  it('imports every file without an error', () => {
    expect(all.errors).toEqual([]);
    expect(all.groups).toHaveLength(CASES.length);
  });

  it.each(CASES)('%s', (file, expected) => {
    const found = all.groups.filter((g) => String(g['file']).startsWith(sharedFixture(file)));
    expect(found).toHaveLength(1);
    const { file: _f, ...g } = found[0]!;
    expect(g).toEqual(expected);
  });

  it('fails with a clear error naming the file for something that is not an export', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'qunxi-cli-')), 'lib.duckdb');
    const r = spawnSync(TSX, ['electron/cli/main.ts', 'import', sharedFixture('whatsapp/chat-miner__target.json'), '--db', db], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('chat-miner__target.json: unrecognised format');
  });
});
