import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sharedFixture } from '../helpers/parse.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const DIRS = ['line', 'messenger', 'other'];

/** Runs `qunxi import … --json` as a user would (the CLI entry, a fresh database). */
function importJson(files: string[]) {
  const db = join(mkdtempSync(join(tmpdir(), 'qunxi-cli-')), 'lib.duckdb');
  const out = execFileSync(TSX, ['electron/cli/main.ts', 'import', ...files, '--db', db, '--json'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as { groups: Record<string, unknown>[]; files: Record<string, unknown>[]; errors: unknown[] };
}

/**
 * Expected per-conversation summaries, worked out by reading each file (the line-by-line reasoning
 * is in the parser tests). Unnamed conversations take the file's stem. from/to = first/last message.
 *
 * LINE (32k records, counted without the parser; f = the fixture):
 *   grep -c 'BE$' f                                    → 696 day headers, first Wed, 10/07/2562 BE
 *                                                         (2019-07-10), last Tue, 14/06/2565 BE (2022-06-14)
 *   grep -cE '^[0-9]{2}:[0-9]{2}\$\$' f                 → 85 lines with an empty sender, all
 *   grep -cE '^[0-9]{2}:[0-9]{2}\$\$.* unsent a message\.$' f  → 85 recalls
 *   grep -cE '^[0-9]{2}:[0-9]{2}\$[^$]*\$☎ ' f          → 274 call log lines (events, not messages)
 *   awk quote-aware pass (see line-txt.test.ts)        → 87 quoted multi-line messages, all closed,
 *                                                         none hiding a message line; 31948 messages
 *                                                         from Firm (16452) and Pann (15496)
 *   head -2 f / tail -1 f                              → first message 19:10 on 2019-07-10,
 *                                                         last 18:59 on 2022-06-14
 * Messenger 2A_7M: 7 messages (Alice 2, Bob 5) newest first, timestamp_ms 1415147732056 …
 *   1415147240411 = 2014-11-05 00:35:32 … 00:27:20 UTC; title "Alice".
 * Instagram sample: 2 messages, 1579294140000 = 2020-01-17 20:49:00 and 1577186580000 =
 *   2019-12-24 11:23:00 UTC (= its target.json); no title ⇒ the file stem.
 * Signal sample: 2 messages (the second spans 2 lines), 2019-12-24 12:23 and 2020-01-17 21:49.
 */
const CASES: [string, Record<string, unknown>][] = [
  ['line/Line-chat-analytics__thai_BE_test.txt', { format: 'line-txt', group: 'Line-chat-analytics__thai_BE_test', messages: 31948, senders: 2, events: { recall: 85, call: 274 }, rejected: 0, from: '2019-07-10 19:10:00', to: '2022-06-14 18:59:00' }],
  ['messenger/mlomb-chat-analytics__2A_7M.json', { format: 'messenger-json', group: 'Alice', messages: 7, senders: 2, events: {}, rejected: 0, from: '2014-11-05 00:27:20', to: '2014-11-05 00:35:32' }],
  ['other/chat-miner__instagram__test_export.json', { format: 'messenger-json', group: 'chat-miner__instagram__test_export', messages: 2, senders: 2, events: {}, rejected: 0, from: '2019-12-24 11:23:00', to: '2020-01-17 20:49:00' }],
  ['other/chat-miner__signal__test_export.txt', { format: 'signal-txt', group: 'chat-miner__signal__test_export', messages: 2, senders: 2, events: {}, rejected: 0, from: '2019-12-24 12:23:00', to: '2020-01-17 21:49:00' }],
];

describe('qunxi import --json over the LINE, Messenger, Instagram and Signal fixtures', () => {
  it('covers every fixture file of those folders except the expected-result target.json files', () => {
    const all = DIRS.flatMap((d) => readdirSync(sharedFixture(d)).map((f) => `${d}/${f}`)).filter((f) => !f.endsWith('target.json'));
    expect(all.sort()).toEqual(CASES.map(([f]) => f).sort());
  });

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
});
