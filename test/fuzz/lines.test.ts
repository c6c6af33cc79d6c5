/**
 * Regressions the fuzz tests found in the shared line splitter (electron/engine/ingest/lines.ts),
 * which every text parser reads through.
 */
import { describe, expect, it } from 'vitest';
import { MAX_LINE_CHARS, splitLines } from '../../electron/engine/ingest/lines.js';
import { FormatError, type Line } from '../../electron/engine/ingest/types.js';

const enc = new TextEncoder();

async function* chunks(data: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function all(data: Uint8Array, size: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const b of splitLines(chunks(data, size), 'utf-8')) out.push(...b);
  return out;
}

describe('splitLines', () => {
  // The unfinished line used to be re-joined and rescanned with every chunk: a 10 MiB line in
  // 4 KiB chunks (what zip entries and tests deliver) cost ~2500 rescans of up to 10 MiB.
  it('splits a 10 MiB line fed in 4 KiB chunks in linear time', async () => {
    const big = 'a'.repeat(10 * 2 ** 20);
    const t0 = performance.now();
    const ls = await all(enc.encode(`x\r\n${big}\r\ny`), 4096);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(ls.map((l) => [l.no, l.text.length, l.eol])).toEqual([[1, 1, '\r\n'], [2, big.length, '\r\n'], [3, 1, '']]);
    expect(ls[1]!.text === big).toBe(true);
  });

  it('keeps terminators exact at every chunk size, CR/LF/CRLF split anywhere', async () => {
    const text = 'a\r\nbb\rccc\n\r\n\rd\r\r\ne\n中文\r\n末';
    const want = [
      ['a', '\r\n'], ['bb', '\r'], ['ccc', '\n'], ['', '\r\n'], ['', '\r'], ['d', '\r'], ['', '\r\n'], ['e', '\n'], ['中文', '\r\n'], ['末', ''],
    ];
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect((await all(enc.encode(text), size)).map((l) => [l.text, l.eol])).toEqual(want);
    }
    // A CR ending the file is a terminator of its own, not held back for ever.
    expect((await all(enc.encode('a\r'), 1)).map((l) => [l.text, l.eol])).toEqual([['a', '\r']]);
  });

  it(`refuses a line over ${MAX_LINE_CHARS / 2 ** 20} Mi characters with a FormatError naming the file`, async () => {
    const mib = new Uint8Array(2 ** 20).fill(0x61);
    async function* endless(): AsyncIterable<Uint8Array> {
      for (let i = 0; i <= MAX_LINE_CHARS / 2 ** 20 + 1; i++) yield mib;
    }
    let err: unknown = null;
    try {
      for await (const _ of splitLines(endless(), 'utf-8', 0, 'blob.bin')) void _;
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect(err).toMatchObject({ file: 'blob.bin', line: 1, reason: expect.stringMatching(/^line 1 is longer than 128 Mi characters/) });
  });
});
