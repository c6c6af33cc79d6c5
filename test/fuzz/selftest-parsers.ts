/**
 * Deliberately broken parsers for the fuzz harness's self-test: proof that a hang, an endless
 * async loop, a crash, a contract violation and runaway memory are each reported, not missed.
 */
import type { FormatId } from '../../shared/model.js';
import type { ParsedRecord, Parser } from '../../electron/engine/ingest/types.js';

const make = (format: string, parse: () => AsyncGenerator<ParsedRecord[], void, undefined>): Parser => ({
  format: format as FormatId,
  platform: 'qq',
  sniff: () => 0,
  parse,
});

const group: ParsedRecord = { type: 'group', key: 'g', platform: 'qq', externalId: null, name: 'g', chatType: 'group' };

export const SELF_TEST_PARSERS: readonly Parser[] = [
  make('selftest-ok', async function* () {
    yield [group, { type: 'message', group: 'g', line: 1, externalId: null, sender: { id: null, name: 'a' }, time: '2024-02-29 23:59:59', utcMs: null, kind: 'text', text: 'x', replyTo: null, quote: null, mentions: [] }];
  }),
  make('selftest-sync-hang', async function* () {
    for (;;) {
      // never yields: blocks the worker's event loop
    }
  }),
  make('selftest-async-loop', async function* () {
    for (;;) yield [];
  }),
  make('selftest-crash', async function* () {
    yield [group];
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  }),
  make('selftest-bad-record', async function* () {
    yield [group, { type: 'event', group: 'nope', line: 0, time: 'NaN-NaN-NaN NaN:NaN:NaN', utcMs: Number.NaN, kind: 'other', actor: null, subjects: [], text: '' }];
  }),
  make('selftest-oom', async function* () {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array<number>(1 << 20).fill(1));
  }),
];
