import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Database } from '../db/database.js';
import type { TermSource } from './stage.js';
import type { FormatId } from '../../../shared/model.js';
import type { ColumnMapping } from '../../../shared/column-mapping.js';
import { detectBundle, openFolderBundle, openZipAsBundle, type BundleSource } from './bundle.js';
import { fileSource, type ByteSource } from './input.js';
import { importBundle, importSource, type FileImportResult, type ImportProgress } from './import-file.js';
import { BUNDLE_PARSERS, PARSERS } from './parsers/index.js';
import { FormatError, type BundleParser, type Parser } from './types.js';
import { openZipTextEntries } from './zip.js';

export interface ImportError {
  file: string;
  line: number | null;
  offset: number | null;
  reason: string;
}

export interface ImportReport {
  results: FileImportResult[];
  errors: ImportError[];
  /** Files met while walking a folder that are not chat exports (README, images …): skipped, not errors. */
  skipped: ImportError[];
}

/** A folder or zip a bundle parser recognised: imported as one source. */
export interface FoundBundle {
  path: string;
  parser: BundleParser;
  /** Re-lists the folder or zip (the listing made for detection is not kept open). */
  open(): Promise<BundleSource | null>;
}

type Found = {
  fallback: string;
  /** Found by walking a folder rather than named by the user. */
  walked: boolean;
} & ({ src: ByteSource; bundle?: undefined } | { bundle: FoundBundle; src?: undefined });

export interface ExpandOptions {
  /** A forced format: a bundle format takes the folders and zips named by the user as that bundle; a file format turns bundle detection off. */
  format?: FormatId;
  bundleParsers?: readonly BundleParser[];
}

export interface ImportOptions {
  db: Database;
  segmenter: TermSource | null;
  format?: FormatId;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  parsers?: readonly Parser[];
  bundleParsers?: readonly BundleParser[];
  /** Generic CSV / JSONL: read every file with this column mapping (pass format generic-csv/-jsonl too, so folders are not taken as bundles). */
  mapping?: ColumnMapping;
}

/**
 * Turns the paths the user gave into sources: a folder or zip a bundle parser recognises becomes
 * one source; otherwise files, every file in a folder, text entries of zips.
 */
export async function expandPaths(
  paths: readonly string[],
  o: ExpandOptions = {},
): Promise<{ sources: Found[]; errors: ImportError[] }> {
  const sources: Found[] = [];
  const errors: ImportError[] = [];
  const all = o.bundleParsers ?? BUNDLE_PARSERS;
  const forced = o.format ? all.find((b) => b.format === o.format) ?? null : null;
  // A forced single-file format means the user knows these are files.
  const parsers = o.format && !forced ? [] : forced ? [forced] : all;
  const asBundle = async (p: string, open: () => Promise<BundleSource | null>, depth: number): Promise<boolean> => {
    if (parsers.length === 0) return false;
    let parser: BundleParser | null = depth === 0 ? forced : null;
    if (!parser) {
      const b = await open();
      if (!b) return false;
      try {
        parser = await detectBundle(b, parsers);
      } finally {
        b.close();
      }
    }
    if (parser) sources.push({ bundle: { path: p, parser, open }, fallback: fallbackName(p), walked: depth > 0 });
    return parser !== null;
  };
  const visit = async (p: string, depth: number): Promise<void> => {
    try {
      const st = await stat(p);
      if (st.isDirectory()) {
        if (depth > 3) return;
        if (await asBundle(p, () => openFolderBundle(p), depth)) return;
        for (const e of (await readdir(p)).sort()) if (!e.startsWith('.')) await visit(join(p, e), depth + 1);
        return;
      }
      if (await isZip(p)) {
        if (await asBundle(p, () => openZipAsBundle(p), depth)) return;
        const entries = await openZipTextEntries(p, p);
        if (entries.length === 0) errors.push({ file: p, line: null, offset: null, reason: 'zip archive holds no chat export (.txt, .json or .csv)' });
        for (const src of entries) sources.push({ src, fallback: fallbackName(p), walked: depth > 0 });
        return;
      }
      if (forced) throw new FormatError(p, null, `${forced.format} is read from the export's folder or .zip, not from a single file`, 0);
      sources.push({ src: await fileSource(p), fallback: fallbackName(p), walked: depth > 0 });
    } catch (e) {
      errors.push(toImportError(p, e));
    }
  };
  for (const p of paths) await visit(p, 0);
  return { sources, errors };
}

async function isZip(p: string): Promise<boolean> {
  const fh = await open(p, 'r');
  try {
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, 0);
    return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
  } finally {
    await fh.close();
  }
}

/**
 * Name for a conversation the export does not name: "WhatsApp Chat with X.txt" → X,
 * "_chat.txt"/"result.json" → the folder's name, else the file's stem.
 */
export function fallbackName(path: string): string {
  const stem = basename(path, extname(path));
  const m = /^WhatsApp Chat (?:with|mit|con|avec) (.+)$/i.exec(stem) ?? /^与(.+)的WhatsApp聊天$/.exec(stem);
  if (m) return m[1]!;
  if (/^(_chat|result|messages?|chat)$/i.test(stem)) {
    const parent = basename(dirname(path));
    return parent && parent !== '.' ? parent : stem;
  }
  return stem.replace(/_utf8$/i, '');
}

export function toImportError(file: string, e: unknown): ImportError {
  if (e instanceof FormatError) return { file: e.file, line: e.line, offset: e.offset, reason: e.reason };
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return { file, line: null, offset: null, reason: 'file not found' };
  if (err?.code === 'EACCES') return { file, line: null, offset: null, reason: 'permission denied' };
  return { file, line: null, offset: null, reason: err?.message ?? String(e) };
}

/** Imports every source, each atomically; one file failing never stops the others. */
export async function importPaths(paths: readonly string[], o: ImportOptions): Promise<ImportReport> {
  const { sources, errors } = await expandPaths(paths, { format: o.format, bundleParsers: o.bundleParsers });
  const results: FileImportResult[] = [];
  const skipped: ImportError[] = [];
  for (const { src, bundle, fallback, walked } of sources) {
    if (o.signal?.aborted) break;
    const common = { db: o.db, segmenter: o.segmenter, signal: o.signal, onProgress: o.onProgress, fallbackName: fallback };
    try {
      results.push(
        bundle
          ? await importBundle(bundle.open, bundle.path, bundle.parser, common)
          : await importSource(src, { ...common, parsers: o.parsers ?? PARSERS, format: o.format, mapping: o.mapping }),
      );
    } catch (e) {
      if ((e as Error).name === 'ImportCancelled') throw e;
      const err = toImportError(bundle ? bundle.path : src.name, e);
      if (walked && e instanceof FormatError && /^(unrecognised format|binary file|empty file)/.test(e.reason)) skipped.push(err);
      else errors.push(err);
    }
  }
  return { results, errors, skipped };
}
