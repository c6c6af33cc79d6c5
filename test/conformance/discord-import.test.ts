import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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
 * A DCE CSV as the current exporter writes it (no sample is public): every field quoted, a
 * multi-line message, a system message as its fallback text, an unreadable date, an attachment.
 * DCE names CSV files `Guild - channel [id].csv`; the file holds no channel name, so the
 * conversation is named after the file.
 */
const CSV = [
  'AuthorID,Author,Date,Content,Attachments,Reactions',
  '"111","mlomb#5506","2020-01-01T01:33:00.0000000+00:00","hello',
  'world","",""',
  '"222","bob","2020-01-01T01:34:00.0000000+00:00","Joined the server.","",""',
  '"222","bob","someday","x","",""',
  '"222","bob","2020-01-01T01:35:00.0000000+00:00","","https://cdn.discordapp.com/attachments/1/2/a.png","👍 (2)"',
  '',
].join('\n');
const csvFile = join(mkdtempSync(join(tmpdir(), 'qunxi-dce-')), 'DefleMask - general [253601524398293010].csv');
writeFileSync(csvFile, CSV);

/**
 * Expected per-file summaries, worked out by reading each file (the line-by-line reasoning is in
 * test/engine/ingest/parsers/discord.test.ts). messages = Default/Reply records; senders =
 * distinct author ids among them; events by kind; from/to = first/last message wall clock.
 */
const CASES: [string, Record<string, unknown>][] = [
  // Default mlomb, Default bot "Someones nickname", Call.
  [sharedFixture('discord/mlomb-chat-analytics__DM_2A_2M.json'), { format: 'discord-json', group: 'Someones name', messages: 2, senders: 2, events: { call: 1 }, rejected: 0, from: '2019-01-04 17:52:39', to: '2019-01-25 00:11:04' }],
  // ChannelNameChange, Default theplant, ChannelIconChange, Default lombi, Default mlomb (reply), Call.
  [sharedFixture('discord/mlomb-chat-analytics__GC_3A_5M.json'), { format: 'discord-json', group: 'a group chat', messages: 3, senders: 3, events: { title: 1, other: 1, call: 1 }, rejected: 0, from: '2023-01-17 19:33:19', to: '2023-01-18 20:12:12' }],
  // Deleted User ×2 (same message twice), mlomb ×3; nothing else.
  [sharedFixture('discord/mlomb-chat-analytics__SV_5A_5M.json'), { format: 'discord-json', group: 'DefleMask / #general-chiptune', messages: 5, senders: 2, events: {}, rejected: 0, from: '2018-05-20 16:09:44', to: '2018-05-20 16:09:51' }],
  // mlomb's 2-line message, bob joins, a bad date, bob's image.
  [csvFile, { format: 'discord-csv', group: 'DefleMask - general [253601524398293010]', messages: 2, senders: 2, events: { join: 1 }, rejected: 1, from: '2020-01-01 01:33:00', to: '2020-01-01 01:35:00' }],
];

describe('qunxi import --json over the Discord fixtures', () => {
  const all = importJson(CASES.map(([f]) => f));

  it('imports every file without an error', () => {
    expect(all.errors).toEqual([]);
    expect(all.groups).toHaveLength(CASES.length);
  });

  it.each(CASES)('%s', (file, expected) => {
    const found = all.groups.filter((g) => String(g['file']).startsWith(file));
    expect(found).toHaveLength(1);
    const { file: _f, ...g } = found[0]!;
    expect(g).toEqual(expected);
  });
});
