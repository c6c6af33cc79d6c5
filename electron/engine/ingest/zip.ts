/**
 * Text entries of a .zip archive (WhatsApp "export with media", exporters that zip their output)
 * as byte sources. Entries are streamed straight out of the archive; nothing is extracted to disk.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { Readable } from 'node:stream';
import type { ByteSource } from './input.js';

const TEXT_ENTRY = /\.(?:txt|json|csv)$/i;
export const MAX_ENTRY_BYTES = 4 * 1024 ** 3;
export const MAX_RATIO = 200;
/**
 * Below this size the ratio is not checked: a bomb needs volume to hurt, while a small,
 * repetitive text file can legitimately deflate better than 200:1.
 */
export const RATIO_FLOOR = 1024 ** 2;

// decodeStrings: false because yauzl then rejects `..` and absolute entry names; we never write
// entries to disk, so such names are harmless and are shown as given (decoded below).
const OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true } as const;

function entryName(e: Entry): string {
  const raw = e.fileName as unknown as Buffer;
  return yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, raw, e.extraFields, false);
}

function isTextEntry(name: string): boolean {
  if (name.endsWith('/') || !TEXT_ENTRY.test(name)) return false;
  const parts = name.split('/');
  // macOS archive metadata: `__MACOSX/…` folders and AppleDouble `._name` twins.
  return !parts.includes('__MACOSX') && !parts[parts.length - 1]!.startsWith('._');
}

function checkEntry(label: string, e: Entry): void {
  if (e.isEncrypted()) throw new Error(`${label}: entry is encrypted; export the chat again without a password`);
  if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
    throw new Error(`${label}: unsupported zip compression method ${e.compressionMethod}`);
  }
  if (e.uncompressedSize > MAX_ENTRY_BYTES) {
    throw new Error(`${label}: refusing entry of ${e.uncompressedSize} bytes uncompressed (limit 4 GiB)`);
  }
  if (e.uncompressedSize > RATIO_FLOOR && e.uncompressedSize > e.compressedSize * MAX_RATIO) {
    const ratio = e.compressedSize > 0 ? Math.round(e.uncompressedSize / e.compressedSize) : Infinity;
    throw new Error(`${label}: refusing entry with compression ratio ${ratio}:1 (limit ${MAX_RATIO}:1, possible zip bomb)`);
  }
}

/** One entry's bytes, streamed; the archive is opened per call so every stream starts afresh. */
async function* streamEntry(path: string, label: string, index: number): AsyncGenerator<Uint8Array> {
  const zip = await yauzl.openPromise(path, OPTIONS);
  let stream: Readable | null = null;
  try {
    let i = 0;
    let entry: Entry | undefined;
    for await (const e of zip.eachEntry()) {
      if (i++ === index) {
        entry = e;
        break;
      }
    }
    if (!entry) throw new Error(`${label}: entry vanished from the archive`);
    checkEntry(label, entry);
    stream = await zip.openReadStreamPromise(entry);
    for await (const chunk of stream) yield chunk as Uint8Array;
  } finally {
    stream?.destroy();
    zip.close();
  }
}

/**
 * Byte sources for the .txt/.json/.csv entries of a zip (`displayName!/entry`), skipping media
 * and macOS metadata. Throws on an entry over 4 GiB or with a suspicious compression ratio.
 */
export async function openZipTextEntries(path: string, displayName: string): Promise<ByteSource[]> {
  const zip = await yauzl.openPromise(path, OPTIONS);
  const found: { index: number; name: string; size: number }[] = [];
  try {
    let index = 0;
    for await (const e of zip.eachEntry()) {
      const name = entryName(e);
      if (isTextEntry(name)) {
        checkEntry(`${displayName}!/${name}`, e);
        found.push({ index, name, size: e.uncompressedSize });
      }
      index++;
    }
  } finally {
    zip.close();
  }
  return found.map(({ index, name, size }): ByteSource => {
    const label = `${displayName}!/${name}`;
    return {
      name: label,
      size,
      async head(n) {
        const parts: Uint8Array[] = [];
        let got = 0;
        // Leaving the loop early ends the generator, which destroys the entry stream.
        for await (const c of streamEntry(path, label, index)) {
          parts.push(c);
          got += c.length;
          if (got >= n) break;
        }
        const all = Buffer.concat(parts);
        return all.length > n ? all.subarray(0, n) : all;
      },
      stream: () => streamEntry(path, label, index),
    };
  });
}
