/**
 * Multi-file exports ("bundles"): a folder or a zip whose files belong together (Slack workspace
 * export, chunked JSONL exports). The importer asks every bundle parser whether it recognises the
 * file list; a recognised folder or zip is imported as ONE source, atomically, like a single file.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSource, prepareInput, type ByteSource } from './input.js';
import type { BundleInput, BundleParser, ParserInput } from './types.js';
import { openZipBundle } from './zip.js';

/** Folder levels below the bundle's root that are listed (Slack needs 1, chunked exports 1–2). */
export const MAX_BUNDLE_DEPTH = 6;
/** A folder with more files than this is not taken as a bundle (it is someone's whole disk). */
export const MAX_BUNDLE_FILES = 500_000;
/** A parser at least this confident takes the whole folder or zip. */
export const BUNDLE_CONFIDENCE = 0.5;

/** A folder or a zip opened for reading as one export. */
export interface BundleSource {
  /** The folder's or zip's path as the user gave it: the source's path, and the prefix of reject files. */
  name: string;
  /** Paths relative to the root, '/'-separated, sorted. */
  files: readonly string[];
  source(path: string): Promise<ByteSource>;
  /** Total bytes of all the bundle's files. */
  totalSize(): Promise<number>;
  close(): void;
}

/** Lists a folder recursively (dotfiles and macOS metadata skipped); null when it holds too many files. */
export async function openFolderBundle(dir: string, name = dir): Promise<BundleSource | null> {
  const files: string[] = [];
  const walk = async (abs: string, rel: string, depth: number): Promise<boolean> => {
    for (const e of await readdir(abs, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === '__MACOSX') continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      let isFile = e.isFile();
      // A linked folder is not followed (links can loop); a linked file is read like a file.
      if (e.isSymbolicLink()) isFile = (await stat(join(abs, e.name)).catch(() => null))?.isFile() ?? false;
      if (isFile) {
        if (files.length >= MAX_BUNDLE_FILES) return false;
        files.push(path);
      } else if (e.isDirectory() && depth < MAX_BUNDLE_DEPTH) {
        if (!(await walk(join(abs, e.name), path, depth + 1))) return false;
      }
    }
    return true;
  };
  if (!(await walk(dir, '', 0))) return null;
  files.sort();
  const known = new Set(files);
  const abs = (p: string): string => {
    if (!known.has(p)) throw new Error(`${name}: no file ${p} in the folder`);
    return join(dir, ...p.split('/'));
  };
  return {
    name,
    files,
    source: (p) => fileSource(abs(p), `${name}/${p}`),
    async totalSize() {
      let total = 0;
      for (let i = 0; i < files.length; i += 256) {
        const sizes = await Promise.all(files.slice(i, i + 256).map(async (p) => (await stat(abs(p))).size));
        for (const s of sizes) total += s;
      }
      return total;
    },
    close: () => undefined,
  };
}

/** A zip's file entries as a bundle (entry caps and checks in zip.ts); null when it has too many entries. */
export async function openZipAsBundle(path: string, name = path): Promise<BundleSource | null> {
  const zip = await openZipBundle(path, name);
  if (!zip) return null;
  return {
    name,
    files: zip.files,
    source: async (p) => zip.source(p),
    totalSize: async () => zip.files.reduce((s, p) => s + zip.size(p), 0),
    close: () => zip.close(),
  };
}

/** A plain BundleInput over a bundle (detection: no accounting). */
export function bundleInput(src: BundleSource): BundleInput {
  return {
    name: src.name,
    files: src.files,
    open: async (p) => (await prepareInput(await src.source(p))).input,
  };
}

/** The most confident bundle parser at or above BUNDLE_CONFIDENCE, or null. A detector that throws counts as 0. */
export async function detectBundle(src: BundleSource, parsers: readonly BundleParser[]): Promise<BundleParser | null> {
  const input = bundleInput(src);
  let best: BundleParser | null = null;
  let bestScore = 0;
  for (const p of parsers) {
    const s = await p.detect(input).catch(() => 0);
    if (s > bestScore) {
      best = p;
      bestScore = s;
    }
  }
  return best && bestScore >= BUNDLE_CONFIDENCE ? best : null;
}

/**
 * The BundleInput a parser reads during import, with the accounting a file import has: bytes read
 * (progress), the encodings met, and the source's SHA-256 — over every file the parser opened, in
 * sorted path order, of (path, NUL, sha256 of its bytes), so the read order does not matter and
 * the same export as a folder or as a zip hashes the same.
 */
export class BundleReader {
  /** Bytes read so far, each file counted once however often it is re-read. */
  bytesRead = 0;
  readonly input: BundleInput;
  private readonly furthest = new Map<string, number>();
  private readonly digests = new Map<string, Buffer>();
  private readonly opened = new Set<string>();
  private readonly encodings = new Set<string>();

  constructor(private readonly src: BundleSource) {
    this.input = { name: src.name, files: src.files, open: (p) => this.open(p) };
  }

  private async open(path: string): Promise<ParserInput> {
    const bs = await this.src.source(path);
    this.opened.add(path);
    const tracked: ByteSource = { name: bs.name, size: bs.size, head: (n) => bs.head(n), stream: () => this.track(path, bs) };
    const { input, encoding } = await prepareInput(tracked);
    this.encodings.add(encoding);
    return input;
  }

  private async *track(path: string, bs: ByteSource): AsyncGenerator<Uint8Array> {
    const h = createHash('sha256');
    let pos = 0;
    for await (const c of bs.stream()) {
      h.update(c);
      pos += c.length;
      const before = this.furthest.get(path) ?? 0;
      if (pos > before) {
        this.bytesRead += pos - before;
        this.furthest.set(path, pos);
      }
      yield c;
    }
    if (pos === bs.size) this.digests.set(path, h.digest());
  }

  /** 'utf-8' when every file read was UTF-8, else the encodings joined ('utf-8+gb18030'). */
  encoding(): string {
    return this.encodings.size === 0 ? 'utf-8' : [...this.encodings].sort().join('+');
  }

  /** Files a parser opened but did not read to the end are read here for the hash. */
  async sha256(): Promise<string> {
    const all = createHash('sha256');
    for (const path of [...this.opened].sort()) {
      let d = this.digests.get(path);
      if (!d) {
        const h = createHash('sha256');
        for await (const c of (await this.src.source(path)).stream()) h.update(c);
        d = h.digest();
      }
      all.update(path);
      all.update('\0');
      all.update(d);
    }
    return all.digest('hex');
  }
}
