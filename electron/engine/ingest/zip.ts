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

/** More entries than this and the archive is not read as a bundle (its central directory alone would be huge). */
export const MAX_ZIP_ENTRIES = 500_000;

/** A zip opened once for reading many of its entries (a bundle: Slack workspace, chunked exports). */
export interface ZipBundle {
  /** Paths of the file entries, '/'-separated, sorted. */
  files: string[];
  size(path: string): number;
  /** Streams one entry; the per-entry size, ratio and encryption checks run when it is opened. */
  source(path: string): ByteSource;
  close(): void;
}

/**
 * Entry name as a path inside the bundle, or null for entries that are not files of the export:
 * folders, macOS metadata, and names that would step outside the root (`..`, absolute, drive
 * letters) — never written to disk, but such names must not alias files of the bundle.
 */
function bundlePath(raw: string): string | null {
  const name = raw.replace(/\\/g, '/');
  if (name.endsWith('/') || name.startsWith('/') || /^[A-Za-z]:/.test(name)) return null;
  const parts = name.split('/');
  for (const p of parts) if (p === '' || p === '.' || p === '..') return null;
  if (parts.includes('__MACOSX') || parts[parts.length - 1]!.startsWith('._')) return null;
  return name;
}

/**
 * Lists a zip's file entries for reading it as one bundle. Returns null when the archive holds
 * more than MAX_ZIP_ENTRIES entries. The archive stays open until close().
 */
export async function openZipBundle(path: string, displayName: string): Promise<ZipBundle | null> {
  const zip: ZipFile = await yauzl.openPromise(path, OPTIONS);
  const entries = new Map<string, Entry>();
  try {
    let n = 0;
    for await (const e of zip.eachEntry()) {
      if (++n > MAX_ZIP_ENTRIES) {
        zip.close();
        return null;
      }
      const name = bundlePath(entryName(e));
      if (name !== null && !entries.has(name)) entries.set(name, e);
    }
  } catch (e) {
    zip.close();
    throw e;
  }
  const entry = (p: string): Entry => {
    const e = entries.get(p);
    if (!e) throw new Error(`${displayName}: no file ${p} in the archive`);
    return e;
  };
  return {
    files: [...entries.keys()].sort(),
    size: (p) => entry(p).uncompressedSize,
    source(p) {
      const e = entry(p);
      const label = `${displayName}/${p}`;
      const stream = async function* (): AsyncGenerator<Uint8Array> {
        checkEntry(label, e);
        const s = await zip.openReadStreamPromise(e);
        try {
          for await (const chunk of s) yield chunk as Uint8Array;
        } finally {
          s.destroy();
        }
      };
      return {
        name: label,
        size: e.uncompressedSize,
        async head(n) {
          const parts: Uint8Array[] = [];
          let got = 0;
          for await (const c of stream()) {
            parts.push(c);
            got += c.length;
            if (got >= n) break;
          }
          const all = Buffer.concat(parts);
          return all.length > n ? all.subarray(0, n) : all;
        },
        stream,
      };
    },
    close: () => zip.close(),
  };
}
