/**
 * Runs one parser over one input and checks the outcome against the parser contract (types.ts):
 * the run ends with records (groups, messages, events, rejects in any mix) or a FormatError.
 * Any other exception, a run over its time budget, or a record breaking the contract is a failure.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bufferSource, prepareInput } from '../../electron/engine/ingest/input.js';
import { FormatError, type BundleParser, type ParsedRecord, type Parser, type SniffInput } from '../../electron/engine/ingest/types.js';
import { memoryBundle } from '../helpers/parse.js';
import { SYNTHETIC_SEEDS } from './seeds.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '../..');
export const SHARED_FIXTURES = resolve(REPO, '../shared/fixtures');
export const SAMPLE_DATA = resolve(REPO, 'sample-data');
/** Fixtures committed with the parsers' own tests (QCE exports and chunked folders, generic CSV/JSONL). */
export const REPO_FIXTURES = resolve(REPO, 'test/fixtures');

export interface Seed {
  /** `fixtures/…`, `sample-data/…` or `synthetic/…`: how failures name it. */
  id: string;
  path: string | null;
  /** Content of a synthetic seed (seeds.ts). */
  text?: string;
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

/**
 * Every file under the shared fixtures, the committed samples (the format folders of sample-data)
 * and the repository's test fixtures, then the synthetic seeds of formats that have none of those.
 */
export function listSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const fx: string[] = [];
  walk(SHARED_FIXTURES, fx);
  for (const p of fx) seeds.push({ id: 'fixtures/' + relative(SHARED_FIXTURES, p), path: p });
  for (const d of readdirSync(SAMPLE_DATA).sort()) {
    const dir = join(SAMPLE_DATA, d);
    if (!statSync(dir).isDirectory()) continue;
    const files: string[] = [];
    walk(dir, files);
    for (const p of files) seeds.push({ id: 'sample-data/' + relative(SAMPLE_DATA, p), path: p });
  }
  if (existsSync(REPO_FIXTURES)) {
    const files: string[] = [];
    walk(REPO_FIXTURES, files);
    for (const p of files) seeds.push({ id: 'test-fixtures/' + relative(REPO_FIXTURES, p), path: p });
  }
  for (const [name, text] of Object.entries(SYNTHETIC_SEEDS)) seeds.push({ id: 'synthetic/' + name, path: null, text });
  return seeds;
}

/**
 * Multi-file seeds for the bundle parsers: the shared Slack zip's files, and every folder under
 * the repository's fixtures that holds a manifest.json (QCE chunked JSONL).
 */
export function listBundleSeeds(): { id: string; files: Record<string, Uint8Array> }[] {
  const out: { id: string; files: Record<string, Uint8Array> }[] = [];
  const slack = unzipSync(new Uint8Array(readFileSync(join(SHARED_FIXTURES, 'slack/slack-export-viewer__testarchive.zip'))));
  out.push({ id: 'fixtures/slack/slack-export-viewer__testarchive.zip', files: Object.fromEntries(Object.entries(slack).filter(([k]) => !k.endsWith('/'))) });
  const visit = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e);
      if (!statSync(p).isDirectory()) continue;
      if (existsSync(join(p, 'manifest.json'))) {
        const files: string[] = [];
        walk(p, files);
        out.push({ id: 'test-fixtures/' + relative(REPO_FIXTURES, p), files: Object.fromEntries(files.map((f) => [relative(p, f).split('\\').join('/'), new Uint8Array(readFileSync(f))])) });
      } else visit(p);
    }
  };
  visit(REPO_FIXTURES);
  return out;
}

export const readSeed = (s: Seed): Uint8Array => (s.path ? new Uint8Array(readFileSync(s.path)) : new TextEncoder().encode(s.text ?? ''));

const WALL = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/;

/** A real calendar time in `YYYY-MM-DD HH:MM:SS`. */
export function isWallTime(t: unknown): boolean {
  if (typeof t !== 'string') return false;
  const m = WALL.exec(t);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

const isLine = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 1;
const strOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const isUtc = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

function person(p: unknown): string | null {
  if (typeof p !== 'object' || p === null) return 'person is not an object';
  const o = p as { id?: unknown; name?: unknown; aliases?: unknown };
  if (!strOrNull(o.id)) return `person id ${String(o.id)} is not a string or null`;
  if (typeof o.name !== 'string') return 'person name is not a string';
  if (o.aliases !== undefined && !(Array.isArray(o.aliases) && o.aliases.every((a) => typeof a === 'string'))) return 'aliases not strings';
  return null;
}

/** Why `r` breaks the record contract, or null. `groups` holds the keys declared so far. */
export function contractViolation(r: ParsedRecord, groups: Set<string>): string | null {
  if (typeof r !== 'object' || r === null) return 'record is not an object';
  switch (r.type) {
    case 'group':
      if (typeof r.key !== 'string') return 'group key is not a string';
      if (typeof r.name !== 'string') return 'group name is not a string';
      if (!strOrNull(r.externalId)) return 'group externalId is not a string or null';
      groups.add(r.key);
      return null;
    case 'message':
    case 'event': {
      if (!groups.has(r.group)) return `${r.type} references undeclared group ${JSON.stringify(r.group)}`;
      if (!isLine(r.line)) return `${r.type} line ${String(r.line)} is not an integer >= 1`;
      if (!isWallTime(r.time)) return `${r.type} time ${JSON.stringify(r.time)} is not a real YYYY-MM-DD HH:MM:SS`;
      if (!isUtc(r.utcMs)) return `${r.type} utcMs ${String(r.utcMs)} is not a finite number or null`;
      const loose = r as unknown as Record<string, unknown>;
      if (typeof loose.kind !== 'string') return `${r.type} kind is not a string`;
      if (typeof loose.text !== 'string') return `${r.type} text is not a string`;
      if (r.type === 'message') {
        const why = person(r.sender);
        if (why) return `message sender: ${why}`;
        if (!strOrNull(r.externalId) || !strOrNull(r.replyTo)) return 'message externalId/replyTo not a string or null';
        if (!Array.isArray(r.mentions) || !r.mentions.every((m) => typeof m === 'string')) return 'message mentions not strings';
        if (r.quote !== null && (typeof r.quote !== 'object' || typeof r.quote.name !== 'string' || typeof r.quote.text !== 'string')) {
          return 'message quote malformed';
        }
        if (r.reactions !== undefined && !(Array.isArray(r.reactions) && r.reactions.every((x) => typeof x.emoji === 'string' && Number.isFinite(x.count)))) {
          return 'message reactions malformed';
        }
      } else {
        if (r.actor !== null) {
          const why = person(r.actor);
          if (why) return `event actor: ${why}`;
        }
        if (!Array.isArray(r.subjects)) return 'event subjects not an array';
        for (const s of r.subjects) {
          const why = person(s);
          if (why) return `event subject: ${why}`;
        }
      }
      return null;
    }
    case 'reject':
      if (!isLine(r.line)) return `reject line ${String(r.line)} is not an integer >= 1`;
      if (typeof r.reason !== 'string' || r.reason === '') return 'reject reason is empty';
      if (typeof r.raw !== 'string') return 'reject raw is not a string';
      return null;
    default:
      return `unknown record type ${JSON.stringify((r as { type?: unknown }).type)}`;
  }
}

export interface CaseResult {
  /** 'records' | 'format-error' when the contract held; 'fail' otherwise. */
  outcome: 'records' | 'format-error' | 'fail';
  why?: string;
  records: number;
  rejects: number;
  ms: number;
  /** Highest heapUsed + arrayBuffers seen between batches, minus the value before the run (bytes). */
  peakGrowth: number;
}

const mem = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const SNIFF_BUDGET_MS = 250;

/** Sniffs with every parser; a throw, NaN or a value outside 0..1 is reported. */
export function checkSniffs(parsers: readonly Parser[], sniff: SniffInput): string | null {
  for (const p of parsers) {
    let s: number;
    const t0 = performance.now();
    try {
      s = p.sniff(sniff);
    } catch (e) {
      return `${p.format}.sniff threw ${describeError(e)}`;
    }
    if (typeof s !== 'number' || !(s >= 0 && s <= 1)) return `${p.format}.sniff returned ${String(s)}`;
    const ms = performance.now() - t0;
    // The sniffer sees at most 64 KiB: anything slower is super-linear.
    if (ms > SNIFF_BUDGET_MS) return `${p.format}.sniff took ${Math.round(ms)} ms on a ${sniff.head.length}-character head`;
  }
  return null;
}

export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const at = (e.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()).join(' | ');
    return `${e.name}: ${e.message.slice(0, 300)}${at ? ` [${at}]` : ''}`;
  }
  return String(e);
}

/**
 * Parses `data` with `parser` through the same input pipeline the importer uses (bufferSource
 * chunks of 4 KiB, encoding sniffing, line splitting). `budgetMs` is checked between batches; a
 * loop that never yields is caught by the worker's watchdog instead.
 */
export async function runCase(parser: Parser, data: Uint8Array, name: string, budgetMs: number, measure = false): Promise<CaseResult> {
  const t0 = performance.now();
  const base = measure ? mem() : 0;
  let peak = 0;
  let records = 0;
  let rejects = 0;
  const groups = new Set<string>();
  const res = (outcome: CaseResult['outcome'], why?: string): CaseResult => ({
    outcome, why, records, rejects, ms: performance.now() - t0, peakGrowth: peak,
  });
  let it: AsyncGenerator<ParsedRecord[], void, undefined> | null = null;
  try {
    const { input } = await prepareInput(bufferSource(name, data));
    it = parser.parse(input);
    for (;;) {
      const step = await it.next();
      if (measure) peak = Math.max(peak, mem() - base);
      if (step.done) break;
      const batch = step.value;
      if (!Array.isArray(batch)) return res('fail', `yielded a ${typeof batch}, not an array of records`);
      for (const r of batch) {
        const why = contractViolation(r, groups);
        if (why) return res('fail', `${why} — record ${JSON.stringify(r).slice(0, 300)}`);
        records++;
        if (r.type === 'reject') rejects++;
      }
      if (performance.now() - t0 > budgetMs) {
        await it.return(undefined).catch(() => undefined);
        return res('fail', `still parsing after ${budgetMs} ms (hang?)`);
      }
    }
  } catch (e) {
    if (measure) peak = Math.max(peak, mem() - base);
    if (e instanceof FormatError) {
      if (typeof e.reason !== 'string' || e.reason.trim() === '') return res('fail', 'FormatError without a reason');
      if (e.line !== null && !isLine(e.line)) return res('fail', `FormatError line ${String(e.line)} is not >= 1`);
      return res('format-error', e.reason);
    }
    return res('fail', `threw ${describeError(e)}`);
  }
  if (performance.now() - t0 > budgetMs) return res('fail', `took ${Math.round(performance.now() - t0)} ms (budget ${budgetMs} ms)`);
  return res('records');
}

/**
 * The same checks for a bundle parser over an in-memory bundle: detect() gives 0..1 without
 * throwing, and parse() ends in records (rejects may name their file) or a FormatError.
 */
export async function runBundleCase(parser: BundleParser, files: Record<string, Uint8Array>, budgetMs: number): Promise<CaseResult> {
  const t0 = performance.now();
  let records = 0;
  let rejects = 0;
  const groups = new Set<string>();
  const res = (outcome: CaseResult['outcome'], why?: string): CaseResult => ({ outcome, why, records, rejects, ms: performance.now() - t0, peakGrowth: 0 });
  try {
    let d: number;
    try {
      d = await parser.detect(memoryBundle(files, 'bundle'));
    } catch (e) {
      return res('fail', `detect threw ${describeError(e)}`);
    }
    if (typeof d !== 'number' || !(d >= 0 && d <= 1)) return res('fail', `detect returned ${String(d)}`);
    for await (const batch of parser.parse(memoryBundle(files, 'bundle'))) {
      if (!Array.isArray(batch)) return res('fail', `yielded a ${typeof batch}, not an array of records`);
      for (const r of batch) {
        // A reject about a whole file of the bundle (a chunk the manifest lists is missing) has no
        // line: qce-jsonl writes line 0 there, by design (its tests say so). Everything else is checked.
        const fileLevel = r.type === 'reject' && r.line === 0 && typeof r.file === 'string' && r.file !== '';
        const why = fileLevel ? null : contractViolation(r, groups);
        if (why) return res('fail', `${why} — record ${JSON.stringify(r).slice(0, 300)}`);
        if (r.type === 'reject' && r.file !== undefined && typeof r.file !== 'string') return res('fail', 'reject file is not a string');
        records++;
        if (r.type === 'reject') rejects++;
      }
      if (performance.now() - t0 > budgetMs) return res('fail', `still parsing after ${budgetMs} ms (hang?)`);
    }
  } catch (e) {
    if (e instanceof FormatError) return e.reason.trim() === '' ? res('fail', 'FormatError without a reason') : res('format-error', e.reason);
    return res('fail', `threw ${describeError(e)}`);
  }
  return res('records');
}
