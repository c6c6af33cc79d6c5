/**
 * `qunxi import --json` over the Slack workspace export fixture (a zip bundle), and over the same
 * export unpacked into a folder: one source each, the folder a duplicate of the zip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { openZipAsBundle } from '../../electron/engine/ingest/bundle.js';
import { sharedFixture } from '../helpers/parse.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const ZIP = sharedFixture('slack/slack-export-viewer__testarchive.zip');

/**
 * Worked out by reading the archive (unzip -p <zip> <file> | python3 -m json.tool): 17 day files,
 * 158 elements. #enrique (C0JGLMMNX, 9 day files, 102 elements): 66 bot_message + 30 plain = 96
 * messages from hamza, abilinski, doubledeez, heroeshannibal and the GitHub integrations
 * B0JL6RASU, B0VJZKVHC (6 senders); 4 channel_join (hamza by himself = join, 3 with
 * "inviter": hamza = invite); 2 bot_add = other. #traveling-sailor (C0JL6CGQ2, 8 day files,
 * 56 elements): 28 bot_message + 19 plain + 3 file_share + 1 file_comment = 51 messages from
 * hamza, abilinski, doubledeez and GitHub B0JL6UFSL (4 senders; the file_comment is doubledeez's
 * own comment on the "10 cities" file she shared, so a message by comment.user answering that
 * share); 4 channel_join (1 join, 3 invite); 1 bot_add. Times are the `ts` instants in UTC
 * (Slack writes no zone): first/last message 1452837352 → 2016-01-15 05:55:52 and
 * 1459233874 → 2016-03-29 06:44:34 in #enrique; 1454891895 → 2016-02-08 00:38:15 and
 * 1459254786 → 2016-03-29 12:33:06 in #traveling-sailor. No element is malformed: 0 rejects.
 */
const EXPECTED = [
  { format: 'slack-export', group: '#enrique', messages: 96, senders: 6, events: { join: 1, invite: 3, other: 2 }, rejected: 0, from: '2016-01-15 05:55:52', to: '2016-03-29 06:44:34' },
  { format: 'slack-export', group: '#traveling-sailor', messages: 51, senders: 4, events: { join: 1, invite: 3, other: 1 }, rejected: 0, from: '2016-02-08 00:38:15', to: '2016-03-29 12:33:06' },
];

let work = '';
let folder = '';
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'qunxi-slack-'));
  folder = join(work, 'unpacked');
  const b = (await openZipAsBundle(ZIP))!;
  try {
    for (const f of b.files) {
      const parts: Uint8Array[] = [];
      for await (const c of (await b.source(f)).stream()) parts.push(c);
      mkdirSync(dirname(join(folder, f)), { recursive: true });
      writeFileSync(join(folder, f), Buffer.concat(parts));
    }
  } finally {
    b.close();
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('qunxi import --json over the Slack export fixture', () => {
  it('imports the zip as one slack-export source, and the unpacked folder as its duplicate', () => {
    const db = join(work, 'lib.duckdb');
    const out = execFileSync(TSX, ['electron/cli/main.ts', 'import', ZIP, folder, '--db', db, '--json'], {
      cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
    });
    const r = JSON.parse(out) as { groups: Record<string, unknown>[]; files: Record<string, unknown>[]; errors: unknown[]; skipped: unknown[] };
    expect(r.errors).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.files.map(({ seconds: _s, ...f }) => f)).toEqual([
      { file: ZIP, format: 'slack-export', encoding: 'utf-8', bytes: 144184, messages: 147, newMessages: 147, events: 11, rejected: 0, duplicateOf: null },
      { file: folder, format: 'slack-export', encoding: 'utf-8', bytes: 144184, messages: 147, newMessages: 0, events: 11, rejected: 0, duplicateOf: ZIP },
    ]);
    expect(r.groups).toEqual([...EXPECTED.map((g) => ({ file: ZIP, ...g })), ...EXPECTED.map((g) => ({ file: folder, ...g }))]);
  });
});
