import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../engine.js';

/** Where sample-data/ lives: beside the repository root, found from this file or the cwd. */
export function sampleDataDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const c of [resolve(here, '../../../sample-data'), resolve(here, '../../sample-data'), resolve(process.cwd(), 'sample-data')]) {
    if (existsSync(c)) return c;
  }
  return null;
}

/** Sample exports to build the demo library from (every file the generator committed). */
export function sampleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (!sub.isDirectory()) continue;
    for (const f of readdirSync(join(dir, sub.name))) if (!f.startsWith('.') && !f.endsWith('.md')) out.push(join(dir, sub.name, f));
  }
  return out.sort();
}

/**
 * Opens the user's database, or — started with no database — the demo library built from
 * sample-data/ into the user's data folder (built once, reused afterwards).
 */
export async function openLibrary(o: { dbPath?: string; dataDir: string }): Promise<{ engine: Engine; demo: boolean }> {
  if (o.dbPath) return { engine: await Engine.open(o.dbPath), demo: false };
  mkdirSync(o.dataDir, { recursive: true });
  const demoPath = join(o.dataDir, 'demo.qunxi.duckdb');
  const fresh = !existsSync(demoPath);
  const engine = await Engine.open(demoPath);
  if (fresh) {
    const dir = sampleDataDir();
    if (dir) await engine.import(sampleFiles(dir));
  }
  return { engine, demo: true };
}
