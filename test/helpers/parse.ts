import { bufferSource, prepareInput } from '../../electron/engine/ingest/input.js';
import type { BundleInput, BundleParser, Parser, ParsedRecord } from '../../electron/engine/ingest/types.js';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolve, dirname } from 'node:path';

/** Runs a parser over in-memory content (string = UTF-8) and collects every record. */
export async function parseAll(parser: Parser, data: string | Uint8Array, name = 'test.txt'): Promise<ParsedRecord[]> {
  const { input } = await prepareInput(bufferSource(name, data));
  const out: ParsedRecord[] = [];
  for await (const batch of parser.parse(input)) out.push(...batch);
  return out;
}

/** Sniff confidence of a parser for in-memory content. */
export async function sniffOf(parser: Parser, data: string | Uint8Array): Promise<number> {
  const { sniff } = await prepareInput(bufferSource('x', data));
  return parser.sniff(sniff);
}

/** Absolute path of a file under ../shared/fixtures (read in place, never copied). */
export const SHARED_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures');
export const sharedFixture = (rel: string): string => resolve(SHARED_FIXTURES, rel);
export const readShared = (rel: string): Promise<Buffer> => readFile(sharedFixture(rel));

export const messages = (rs: ParsedRecord[]) => rs.filter((r) => r.type === 'message');
export const events = (rs: ParsedRecord[]) => rs.filter((r) => r.type === 'event');
export const rejects = (rs: ParsedRecord[]) => rs.filter((r) => r.type === 'reject');
export const groups = (rs: ParsedRecord[]) => rs.filter((r) => r.type === 'group');

/** A bundle (multi-file export) held in memory: path inside the bundle → content. */
export function memoryBundle(files: Record<string, string | Uint8Array>, name = 'bundle'): BundleInput {
  const paths = Object.keys(files).sort();
  return {
    name,
    files: paths,
    async open(path: string) {
      const data = files[path];
      if (data === undefined) throw new Error(`${name}: no file ${path}`);
      return (await prepareInput(bufferSource(`${name}/${path}`, data))).input;
    },
  };
}

/** Runs a bundle parser over an in-memory bundle and collects every record. */
export async function parseBundle(parser: BundleParser, bundle: BundleInput): Promise<ParsedRecord[]> {
  const out: ParsedRecord[] = [];
  for await (const batch of parser.parse(bundle)) out.push(...batch);
  return out;
}
