import { FormatError, type Line } from './types.js';
import { createDecoder, type Encoding } from './encoding.js';

const BATCH = 4096;
/**
 * A line longer than this (UTF-16 code units) is not chat text: a binary file or one huge JSON
 * value read as text. Refused before the string outgrows V8's limit (~2^29 units) or the heap.
 */
export const MAX_LINE_CHARS = 128 * 1024 * 1024;
/**
 * A text record (header line plus continuation lines) longer than this is a damaged file, not a
 * message: text parsers stop collecting its lines and reject it, so memory stays bounded.
 */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;
export const recordTooLong = `record longer than ${MAX_RECORD_CHARS / 2 ** 20} Mi characters (damaged file?); its text was dropped`;

/**
 * Splits a byte stream into lines, keeping each line's terminator so parsers can tell a record
 * break (CRLF in QQ exports) from a line break inside a message (bare LF or CR).
 * A CR at the end of a chunk is held back until the next chunk shows whether an LF follows.
 * Only each new chunk is scanned: the unfinished line is kept as pieces, so a line spanning many
 * chunks costs linear time, not a rescan of the whole line per chunk.
 */
export async function* splitLines(
  bytes: AsyncIterable<Uint8Array>,
  encoding: Encoding,
  skipBytes = 0,
  fileName = 'input',
): AsyncGenerator<Line[], void, undefined> {
  const decoder = createDecoder(encoding);
  let pieces: string[] = []; // the unfinished line, in chunk-sized pieces
  let pending = 0; // its length
  let heldCR = false; // a CR ended the previous chunk
  let no = 1;
  let skip = skipBytes;
  let batch: Line[] = [];
  const re = /\r\n|\n|\r/g;

  const lineText = (tail: string): string => {
    if (pieces.length === 0) return tail;
    pieces.push(tail);
    const t = pieces.join('');
    pieces = [];
    pending = 0;
    return t;
  };

  const take = function* (text: string, final: boolean): Generator<Line[]> {
    let s = heldCR ? '\r' + text : text;
    heldCR = false;
    // Hold a trailing CR: it may be the first half of a CRLF split across chunks.
    if (!final && s.endsWith('\r')) {
      heldCR = true;
      s = s.slice(0, -1);
    }
    let start = 0;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      batch.push({ text: lineText(s.slice(start, m.index)), no: no++, eol: m[0] as Line['eol'] });
      start = m.index + m[0].length;
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (final) {
      const rest = lineText(s.slice(start));
      if (rest.length > 0) batch.push({ text: rest, no: no++, eol: '' });
    } else if (start < s.length) {
      pieces.push(start === 0 ? s : s.slice(start));
      pending += s.length - start;
      if (pending > MAX_LINE_CHARS) {
        throw new FormatError(fileName, no, `line ${no} is longer than ${MAX_LINE_CHARS / 2 ** 20} Mi characters: not a chat export, or a damaged one`);
      }
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
