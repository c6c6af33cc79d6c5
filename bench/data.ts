/**
 * Benchmark inputs: the deterministic sample generator's exports, cached per size and seed under
 * the bench folder and regenerated only when the generator's sources change.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasured } from './proc.js';
import { sizeLabel } from './lib.js';

export type BenchFormat = 'whatsapp' | 'telegram' | 'qq';
export const BENCH_FORMATS: readonly BenchFormat[] = ['whatsapp', 'telegram', 'qq'];

/** Where the generator puts each format's main-group file (sample-data/generate.ts relPath). */
const REL: Record<BenchFormat, string> = {
  whatsapp: 'whatsapp/_chat.txt',
  telegram: 'telegram/result.json',
  qq: 'qq/私域运营交流群.txt',
};

export interface Dataset {
  messages: number;
  seed: string;
  dir: string;
  files: Partial<Record<BenchFormat, { path: string; bytes: number }>>;
  /** Seconds spent generating; 0 when it came from the cache. */
  generatedIn: number;
}

interface Marker {
  messages: number;
  seed: string;
  formats: BenchFormat[];
  generator: string;
}

/** Hash of the generator's sources: a changed generator invalidates every cached export. */
export function generatorHash(repo: string): string {
  const h = createHash('sha256');
  const dir = join(repo, 'sample-data');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()) {
    h.update(f);
    h.update(readFileSync(join(dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

export async function ensureDataset(
  repo: string,
  base: string,
  messages: number,
  seed: string,
  formats: readonly BenchFormat[],
  log: (s: string) => void,
  force = false,
): Promise<Dataset> {
  const dir = join(base, `${sizeLabel(messages)}-${seed}`);
  const markerPath = join(dir, '.bench-complete.json');
  const gen = generatorHash(repo);
  let marker: Marker | null = null;
  try {
    marker = JSON.parse(readFileSync(markerPath, 'utf8')) as Marker;
  } catch {
    marker = null;
  }
  const same = !force && marker !== null && marker.messages === messages && marker.seed === seed && marker.generator === gen;
  const have = same ? marker!.formats.filter((f) => existsSync(join(dir, REL[f]))) : [];
  const missing = formats.filter((f) => !have.includes(f));
  let generatedIn = 0;
  if (missing.length > 0) {
    if (marker && marker.generator !== gen) log(`sample generator changed since ${dir} was made; regenerating`);
    if (have.length === 0) rmSync(dir, { recursive: true, force: true });
    // Each format's file depends only on size and seed, so missing formats are generated on
    // their own into a scratch folder and moved next to the cached ones.
    const tmp = join(dir, '.gen');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    log(`generating ${messages.toLocaleString('en-US')} messages (${missing.join(', ')}, seed ${seed}) into ${dir} …`);
    const r = await runMeasured(
      process.execPath,
      ['--import', 'tsx', join(repo, 'sample-data/generate.ts'), '--out', tmp, '--messages', String(messages), '--seed', seed, '--formats', missing.join(',')],
      { cwd: repo, echoStderr: (s) => process.stderr.write(s) },
    );
    if (r.code !== 0) throw new Error(`sample generator failed (exit ${r.code ?? r.signal}): ${r.stderr.slice(-2000)}`);
    for (const f of missing) {
      const top = REL[f].split('/')[0]!;
      rmSync(join(dir, top), { recursive: true, force: true });
      renameSync(join(tmp, top), join(dir, top));
    }
    rmSync(tmp, { recursive: true, force: true });
    generatedIn = r.wallMs / 1000;
    log(`generated in ${generatedIn.toFixed(1)} s, peak RSS ${(r.peakRss / 1048576).toFixed(0)} MB`);
    writeFileSync(markerPath, JSON.stringify({ messages, seed, formats: [...have, ...missing], generator: gen } satisfies Marker) + '\n');
  }
  const files: Dataset['files'] = {};
  for (const f of formats) {
    const path = join(dir, REL[f]);
    if (!existsSync(path)) throw new Error(`generator did not write ${path}; has sample-data/generate.ts changed its layout?`);
    files[f] = { path, bytes: statSync(path).size };
  }
  return { messages, seed, dir, files, generatedIn };
}
