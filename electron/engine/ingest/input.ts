import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { detectEncoding, createDecoder, type Encoding } from './encoding.js';
import { splitLines } from './lines.js';
import type { ParserInput, SniffInput } from './types.js';

const SNIFF_BYTES = 64 * 1024;

/** A readable byte source: a file on disk, an entry inside a zip, or bytes in memory (tests). */
export interface ByteSource {
  /** Display name used in errors and in `sources.path`. */
  name: string;
  size: number;
  /** First `n` bytes (fewer when the source is shorter). */
  head(n: number): Promise<Uint8Array>;
  /** The whole content as a stream of chunks; every call starts from the beginning. */
  stream(): AsyncIterable<Uint8Array>;
}

export async function fileSource(path: string, displayName = path): Promise<ByteSource> {
  const st = await stat(path);
  if (!st.isFile()) throw new Error(`${displayName}: not a regular file`);
  return {
    name: displayName,
    size: st.size,
    async head(n) {
      const fh = await open(path, 'r');
      try {
        const buf = Buffer.alloc(Math.min(n, st.size));
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
    stream: () => createReadStream(path, { highWaterMark: 1 << 20 }),
  };
}

export function bufferSource(name: string, data: Uint8Array | string): ByteSource {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return {
    name,
    size: bytes.length,
    head: async (n) => bytes.subarray(0, n),
    async *stream() {
      // Small chunks so tests exercise chunk boundaries.
      const step = 4096;
      for (let i = 0; i < bytes.length; i += step) yield bytes.subarray(i, i + step);
    },
  };
}

export interface PreparedInput {
  sniff: SniffInput;
  input: ParserInput;
  encoding: Encoding;
}

/** Reads the head of a source, detects its encoding and builds what sniffers and parsers take. */
export async function prepareInput(src: ByteSource, onChunk?: (chunk: Uint8Array, first: boolean) => void): Promise<PreparedInput> {
  const headBytes = await src.head(SNIFF_BYTES);
  const { encoding, bomLength } = detectEncoding(headBytes);
  const dec = createDecoder(encoding);
  let head = dec.write(headBytes.subarray(bomLength));
  if (head.charCodeAt(0) === 0xfeff) head = head.slice(1);
  const counted = async function* (): AsyncIterable<Uint8Array> {
    let first = true;
    for await (const c of src.stream()) {
      onChunk?.(c, first);
      first = false;
      yield c;
    }
  };
  const input: ParserInput = {
    fileName: src.name,
    size: src.size,
    encoding,
    bytes: counted,
    lines: () => splitLines(counted(), encoding, bomLength, src.name),
  };
  return { sniff: { head, encoding, size: src.size }, input, encoding };
}

export const displayName = (p: string): string => basename(p);
