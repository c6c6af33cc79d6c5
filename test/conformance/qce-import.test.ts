import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLE_PARSERS } from '../../electron/engine/ingest/parsers/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'qce');

/** Runs `qunxi import … --json` as a user would (the CLI entry, a fresh database). */
function importJson(files: string[]) {
  const db = join(mkdtempSync(join(tmpdir(), 'qunxi-cli-')), 'lib.duckdb');
  const out = execFileSync(TSX, ['electron/cli/main.ts', 'import', ...files, '--db', db, '--json'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out) as { groups: Record<string, unknown>[]; files: Record<string, unknown>[]; errors: unknown[] };
}

/**
 * Expected per-conversation summaries, worked out by reading each fixture (line-by-line reasoning
 * in test/engine/ingest/parsers/qce.test.ts). `messages` = records sent by members; `senders` =
 * distinct members who sent one; events by kind; from/to = first/last message wall clock
 * (Beijing time); `rejected` = records that could not be read.
 */
const CASES: [string, Record<string, unknown>][] = [
  // 17 lines: 14 messages, `[1]` recall tip, `[17]` tip, one without timestamp; last at 00:30 next day.
  ['group-v5.json', { format: 'qce-json', group: '摸鱼交流群', messages: 14, senders: 5, events: { recall: 1, other: 1 }, rejected: 1, from: '2024-03-15 20:00:00', to: '2024-03-16 00:30:00' }],
  // 12 messages: revoke tip and call record are events; ISO UTC times shown in UTC+8.
  ['private-streaming.json', { format: 'qce-json', group: '老王', messages: 10, senders: 2, events: { recall: 1, call: 1 }, rejected: 0, from: '2024-05-01 09:02:03', to: '2024-05-01 09:15:03' }],
  // 6 ParsedMessage dumps, one `[4]` gray tip.
  ['v4-parsed.json', { format: 'qce-json', group: '技术交流群', messages: 5, senders: 2, events: { other: 1 }, rejected: 0, from: '2024-06-01 20:00:00', to: '2024-06-01 20:05:00' }],
  // Two chunks of 4 lines: 5 messages, 1 recall tip, a cut-off JSON line and a line without timestamp.
  ['group-chunked', { format: 'qce-jsonl', group: '读书会', messages: 5, senders: 3, events: { recall: 1 }, rejected: 2, from: '2024-04-14 21:00:00', to: '2024-04-15 00:05:00' }],
  // 7 lines: 3 messages; invite, poke, remove notices and a recalled body.
  ['qq-export-group', { format: 'qce-jsonl', group: '周末羽毛球群', messages: 3, senders: 2, events: { invite: 1, poke: 1, remove: 1, recall: 1 }, rejected: 0, from: '2024-06-10 10:00:00', to: '2024-06-10 10:05:00' }],
];

const bundles = BUNDLE_PARSERS.some((p) => p.format === 'qce-jsonl');

describe.skipIf(!bundles)('qunxi import --json over the QCE fixtures folder', () => {
  // One run over the folder, as a user would import their export directory: the two chunked
  // exports inside it are found as bundles, the three JSON files are read one by one.
  const all = bundles ? importJson([FIXTURES]) : { groups: [], files: [], errors: [] };

  it('imports every export without an error', () => {
    expect(all.errors).toEqual([]);
    expect(all.groups).toHaveLength(CASES.length);
  });

  it.each(CASES)('%s', (name, expected) => {
    const path = join(FIXTURES, name);
    const found = all.groups.filter((g) => String(g['file']) === path || String(g['file']).startsWith(path + '/'));
    expect(found).toHaveLength(1);
    const { file: _f, ...g } = found[0]!;
    expect(g).toEqual(expected);
  });
});
