import type { Line } from './types.js';
import { createDecoder, type Encoding } from './encoding.js';

const BATCH = 4096;

/**
 * Splits a byte stream into lines, keeping each line's terminator so parsers can tell a record
 * break (CRLF in QQ exports) from a line break inside a message (bare LF or CR).
 * A CR at the end of a chunk is held back until the next chunk shows whether an LF follows.
 */
export async function* splitLines(
  bytes: AsyncIterable<Uint8Array>,
  encoding: Encoding,
  skipBytes = 0,
): AsyncGenerator<Line[], void, undefined> {
  const decoder = createDecoder(encoding);
  let carry = '';
  let no = 1;
  let skip = skipBytes;
  let batch: Line[] = [];
  const re = /\r\n|\n|\r/g;

  const take = function* (text: string, final: boolean): Generator<Line[]> {
    let s = carry + text;
    carry = '';
    // Hold a trailing CR: it may be the first half of a CRLF split across chunks.
    if (!final && s.endsWith('\r')) {
      carry = '\r';
      s = s.slice(0, -1);
    }
    let start = 0;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      batch.push({ text: s.slice(start, m.index), no: no++, eol: m[0] as Line['eol'] });
      start = m.index + m[0].length;
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    const rest = s.slice(start);
    if (final) {
      if (rest.length > 0 || carry.length > 0) batch.push({ text: rest + carry, no: no++, eol: '' });
      carry = '';
    } else {
      carry = rest + carry;
    }
  };

  for await (let chunk of bytes) {
    if (skip > 0) {
      const cut = Math.min(skip, chunk.length);
      chunk = chunk.subarray(cut);
      skip -= cut;
      if (chunk.length === 0) continue;
    }
    yield* take(decoder.write(chunk), false);
  }
  yield* take(decoder.end(), true);
  if (batch.length > 0) yield batch;
}
