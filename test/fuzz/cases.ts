/**
 * The deterministic list of level-1 fuzz inputs: every seed file, shrunk, cut at record boundaries
 * and mutated; plus 10 MiB-line inputs for the memory checks. Every input runs through every parser
 * (an import with an explicit format hands any content to any parser). The worker and the test both
 * build this list, so a case is named by its index and rebuilt from its description alone.
 */
import { bigLine, hash32, MUTATIONS, mutate, recordBoundaries, rng, runInLine, shrink, someLines } from './mutate.js';
import { listSeeds, readSeed, type Seed } from './harness.js';

/** Scales every count below; `FUZZ_SCALE=4 npx vitest run test/fuzz` for a longer local run. */
export const FUZZ_SCALE = Number(process.env.FUZZ_SCALE ?? 1) || 1;

export const CONFIG = {
  /** Seeds are cut to this size (at a record boundary, JSON re-closed) for the bulk of the cases. */
  shrinkBytes: 12 * 1024,
  /** Random mutations per seed (cycling through every mutation kind). */
  randomPerSeed: Math.round(14 * FUZZ_SCALE),
  /** Truncations at record boundaries per seed: all of them for small seeds, else evenly spread. */
  boundaryCuts: Math.round(12 * FUZZ_SCALE),
  /** Lines per seed that get an 80–120 k run of one token inside them (regex stress). */
  lineRuns: Math.round(4 * FUZZ_SCALE),
  /** Mutations of the full-size seed, for seeds larger than shrinkBytes. */
  fullSizePerSeed: Math.round(2 * FUZZ_SCALE),
  /** Mutated bundles per bundle seed (each read by every bundle parser). */
  bundleCases: Math.round(30 * FUZZ_SCALE),
  /**
   * Per-case time budget, plus 1 ms per KiB of input (a shared, loaded CI machine must not turn a
   * linear 2 MB case into a false hang); big-line cases get bigLineBudgetMs. A quadratic scan of
   * the 80–120 k runs below takes well over this.
   */
  budgetMs: 3000,
  bigLineBudgetMs: 15_000,
  bigLineBytes: 10 * 1024 * 1024,
  /** Heap (+ array buffers) growth allowed while parsing a 10 MiB line. */
  bigLineHeapBytes: 300 * 1024 * 1024,
};

export interface InputCase {
  seed: string;
  mutation: string;
  caseSeed: number;
  /** The seed was shrunk to CONFIG.shrinkBytes first. */
  shrunk: boolean;
  /** truncate-at: byte offset; big-line: where the line goes (-1: the line alone). */
  at?: number;
  /** Memory-measured case (10 MiB line). */
  big?: boolean;
  /** A mutation of the full-size file of a seed larger than shrinkBytes. */
  full?: boolean;
  /** Only these parsers read this input (default: all). */
  parsers?: string[];
}

export const budgetFor = (bytes: number, base = CONFIG.budgetMs): number => base + Math.round(bytes / 1024);

export const describeCase = (c: InputCase): string =>
  `seed=${c.seed} mutation=${c.mutation} caseSeed=${c.caseSeed}${c.shrunk ? ` shrink=${CONFIG.shrinkBytes}` : ''}${c.at !== undefined ? ` at=${c.at}` : ''}`;

export interface Plan {
  seeds: Map<string, Seed>;
  inputs: InputCase[];
}

const seedBytes = new Map<string, Uint8Array>();
function bytesOf(seeds: Map<string, Seed>, id: string, shrunk: boolean): Uint8Array {
  const key = `${id}\u0000${shrunk}`;
  let b = seedBytes.get(key);
  if (!b) {
    const full = readSeed(seeds.get(id)!);
    b = shrunk ? shrink(full, CONFIG.shrinkBytes) : full;
    seedBytes.set(key, b);
  }
  return b;
}

const FULL_SIZE_MUTATIONS = ['flip-bytes', 'truncate-random', 'eol-mix', 'invalid-utf8', 'delete-bytes', 'insert-bytes', 'drop-brackets', 'bad-dates'];
const BIG_FILLS = ['a', '中', '"', '{', '\\'];

export function planInputs(): Plan {
  const list = listSeeds();
  const seeds = new Map(list.map((s) => [s.id, s]));
  const inputs: InputCase[] = [];
  for (const s of list) {
    const full = bytesOf(seeds, s.id, false);
    const big = full.length > CONFIG.shrinkBytes;
    inputs.push({ seed: s.id, mutation: 'original', caseSeed: 0, shrunk: false });
    const small = bytesOf(seeds, s.id, big);
    const cuts = recordBoundaries(small);
    const n = Math.min(cuts.length, CONFIG.boundaryCuts);
    for (let k = 0; k < n; k++) {
      const at = cuts[Math.floor((k * cuts.length) / n)]!;
      inputs.push({ seed: s.id, mutation: 'truncate-at', caseSeed: 0, shrunk: big, at });
    }
    for (let k = 0; k < CONFIG.randomPerSeed; k++) {
      const m = MUTATIONS[k % MUTATIONS.length]!.name;
      inputs.push({ seed: s.id, mutation: m, caseSeed: hash32(`${s.id}#${k}`), shrunk: big });
    }
    for (const [k, line] of someLines(small, CONFIG.lineRuns).entries()) {
      inputs.push({ seed: s.id, mutation: 'run-in-line', caseSeed: hash32(`${s.id}@${k}`), shrunk: big, at: line });
    }
    if (big) {
      for (let k = 0; k < CONFIG.fullSizePerSeed; k++) {
        const m = FULL_SIZE_MUTATIONS[(hash32(s.id) + k) % FULL_SIZE_MUTATIONS.length]!;
        inputs.push({ seed: s.id, mutation: m, caseSeed: hash32(`${s.id}#full${k}`), shrunk: false, full: true });
      }
    }
  }
  return { seeds, inputs };
}

/**
 * 10 MiB-line inputs: a line alone (every parser reads it), and one inside the first seed each
 * parser claims, in the middle of the file (that parser only: the case is about its own format).
 */
export function planBigLines(native: ReadonlyMap<string, string>): InputCase[] {
  const out: InputCase[] = [];
  for (const k of [0, 2]) out.push({ seed: '-', mutation: `big-line-${k}`, caseSeed: k, shrunk: false, at: -1, big: true });
  let k = 0;
  for (const [parser, id] of native) {
    out.push({ seed: id, mutation: `big-line-${k % 2}`, caseSeed: k % 2, shrunk: true, at: 0, big: true, parsers: [parser] });
    k++;
  }
  return out;
}

export function buildInput(plan: Plan, c: InputCase): Uint8Array {
  if (c.big) {
    const fill = BIG_FILLS[c.caseSeed]!;
    if (c.at === -1) return bigLine(CONFIG.bigLineBytes, fill);
    const b = bytesOf(plan.seeds, c.seed, true);
    const cuts = recordBoundaries(b);
    const at = cuts[Math.floor(cuts.length / 2)] ?? 0;
    // Inside a JSON string value when there is one after the boundary, else a line of its own.
    const text = new TextDecoder().decode(b.subarray(at));
    const q = /"text"\s*:\s*"|:\s*"/.exec(text);
    if (q) {
      const pos = at + new TextEncoder().encode(text.slice(0, q.index + q[0].length)).length;
      // A quote or backslash would end or escape the string: those fills become plain text here.
      const safe = fill === '"' || fill === '\\' ? 'x' : fill;
      return concat3(b.subarray(0, pos), bigLine(CONFIG.bigLineBytes, safe), b.subarray(pos));
    }
    return concat3(b.subarray(0, at), bigLine(CONFIG.bigLineBytes, fill, '', '\n'), b.subarray(at));
  }
  const b = bytesOf(plan.seeds, c.seed, c.shrunk);
  if (c.mutation === 'original') return b;
  if (c.mutation === 'truncate-at') return b.subarray(0, c.at);
  if (c.mutation === 'run-in-line') return runInLine(b, c.at!, c.caseSeed);
  return mutate(b, c.mutation, c.caseSeed);
}

function concat3(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length + c.length);
  out.set(a, 0);
  out.set(b, a.length);
  out.set(c, a.length + b.length);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bundles (multi-file exports) for the bundle parsers.

export interface BundleCase {
  bundle: string;
  /** `original`, `drop-file`, `empty-file`, `move-file`, or `file:<mutation>` (one file mutated). */
  mutation: string;
  caseSeed: number;
}

export const describeBundleCase = (c: BundleCase): string => `bundle=${c.bundle} mutation=${c.mutation} caseSeed=${c.caseSeed}`;

const BUNDLE_OPS = ['drop-file', 'empty-file', 'move-file'];

/** Per bundle seed: the original, then CONFIG.bundleCases mutations cycling through the kinds. */
export function planBundles(ids: readonly string[]): BundleCase[] {
  const out: BundleCase[] = [];
  const kinds = [...BUNDLE_OPS, ...MUTATIONS.map((m) => `file:${m.name}`).filter((m) => !/long-line|long-run|big/.test(m))];
  for (const id of ids) {
    out.push({ bundle: id, mutation: 'original', caseSeed: 0 });
    for (let k = 0; k < CONFIG.bundleCases; k++) out.push({ bundle: id, mutation: kinds[k % kinds.length]!, caseSeed: hash32(`${id}%${k}`) });
  }
  return out;
}

export function buildBundle(files: Readonly<Record<string, Uint8Array>>, c: BundleCase): Record<string, Uint8Array> {
  const out = { ...files };
  if (c.mutation === 'original') return out;
  const r = rng(c.caseSeed);
  const paths = Object.keys(out).sort();
  // Manifests and channel lists are the interesting targets: weight them.
  const key = paths.find((p) => /(^|\/)(manifest|channels|users)\.json$/.test(p) && r() < 0.3) ?? paths[Math.floor(r() * paths.length)]!;
  if (c.mutation === 'drop-file') delete out[key];
  else if (c.mutation === 'empty-file') out[key] = new Uint8Array(0);
  else if (c.mutation === 'move-file') {
    const data = out[key]!;
    delete out[key];
    out[`moved/${key.split('/').pop()}`] = data;
  } else out[key] = mutate(out[key]!, c.mutation.slice(5), c.caseSeed);
  return out;
}
