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

/** yauzl's terse errors ("unexpected EOF", "too many bytes in the stream…") with the file and what they mean. */
function damaged(label: string, e: unknown): Error {
  const msg = e instanceof Error ? e.message : String(e);
  if (/^too many bytes in the stream/.test(msg)) return new Error(`${label}: entry holds more than its header declares (damaged archive or zip bomb): ${msg}`);
  return new Error(`${label}: damaged or truncated zip archive: ${msg}`);
}

async function openZip(path: string, label: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(path, OPTIONS);
  } catch (e) {
    throw damaged(label, e);
  }
}

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

/**
 * One entry's bytes, streamed; the archive is opened per call so every stream starts afresh. The
 * entry found by the listing is read directly (yauzl reads it by offset): walking the central
 * directory again per stream made many-entry archives quadratic.
 */
async function* streamEntry(path: string, label: string, entry: Entry): AsyncGenerator<Uint8Array> {
  checkEntry(label, entry);
  const zip = await openZip(path, label);
  let stream: Readable | null = null;
  try {
    try {
      stream = await zip.openReadStreamPromise(entry);
    } catch (e) {
      throw damaged(label, e);
    }
    const it = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    for (;;) {
      let step: IteratorResult<unknown>;
      try {
        step = await it.next();
      } catch (e) {
        throw damaged(label, e);
      }
      if (step.done) break;
      yield step.value as Uint8Array;
    }
  } finally {
    stream?.destroy();
    zip.close();
  }
}

/** More chat files than this in one zip is not an export (each becomes a source of its own). */
export const MAX_ZIP_TEXT_ENTRIES = 1000;

/**
 * Byte sources for the .txt/.json/.csv entries of a zip (`displayName!/entry`), skipping media
 * and macOS metadata. Throws on an entry over 4 GiB or with a suspicious compression ratio, and on
 * archives with more than MAX_ZIP_ENTRIES entries or MAX_ZIP_TEXT_ENTRIES chat files.
 */
export async function openZipTextEntries(path: string, displayName: string): Promise<ByteSource[]> {
  const zip = await openZip(path, displayName);
  const found: { entry: Entry; name: string; size: number }[] = [];
  try {
    let count = 0;
    const entries = zip.eachEntry()[Symbol.asyncIterator]();
    for (;;) {
      let step: IteratorResult<Entry>;
      try {
        step = await entries.next();
      } catch (err) {
        throw damaged(displayName, err);
      }
      if (step.done) break;
      const e = step.value;
      if (++count > MAX_ZIP_ENTRIES) throw new Error(`${displayName}: more than ${MAX_ZIP_ENTRIES} entries in the archive; unzip it and import the folder`);
      const name = entryName(e);
      if (isTextEntry(name)) {
        checkEntry(`${displayName}!/${name}`, e);
        if (found.length >= MAX_ZIP_TEXT_ENTRIES) {
          throw new Error(`${displayName}: more than ${MAX_ZIP_TEXT_ENTRIES} chat files (.txt, .json, .csv) in the archive; unzip it and import the folder`);
        }
        found.push({ entry: e, name, size: e.uncompressedSize });
      }
    }
  } finally {
    zip.close();
  }
  return found.map(({ entry, name, size }): ByteSource => {
    const label = `${displayName}!/${name}`;
    return {
      name: label,
      size,
      async head(n) {
        const parts: Uint8Array[] = [];
        let got = 0;
        // Leaving the loop early ends the generator, which destroys the entry stream.
        for await (const c of streamEntry(path, label, entry)) {
          parts.push(c);
          got += c.length;
          if (got >= n) break;
        }
        const all = Buffer.concat(parts);
        return all.length > n ? all.subarray(0, n) : all;
      },
      stream: () => streamEntry(path, label, entry),
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
  const zip: ZipFile = await openZip(path, displayName);
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
    throw damaged(displayName, e);
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
        const s = await zip.openReadStreamPromise(e).catch((err: unknown) => Promise.reject(damaged(label, err)));
        try {
          for await (const chunk of s) yield chunk as Uint8Array;
        } catch (err) {
          throw damaged(label, err);
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
