/**
 * Deterministic sample exports for Qunxi.
 *
 *   npx tsx sample-data/generate.ts                       # the committed samples, into sample-data/
 *   npx tsx sample-data/generate.ts --messages 1000000 --out /tmp/q1m --formats qq,telegram,whatsapp
 *
 * Options: --out DIR, --messages N, --members M, --days D, --seed S, --formats qq,wechat,telegram,whatsapp.
 * Same seed and options ⇒ byte-identical files. Writes expected.json (ground truth per file) next to them.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Simulation, type GroupSpec } from './model.js';
import { PeoplePool, Rng, hashSeed } from './people.js';
import { AI, OPS } from './vocab.js';
import { makeWriter, type FileExpectation, type FormatName, type GroupInfo } from './writers.js';

export const ALL_FORMATS: readonly FormatName[] = ['qq', 'wechat', 'telegram', 'whatsapp'];
export const MAIN_GROUP = '私域运营交流群';
export const AI_GROUP = 'AI工具分享群';
export const DEFAULT_SEED = 'qunxi';

export interface GenerateOptions {
  out?: string;
  /** Omit for the committed samples (two groups); set for one scaled group (benchmarks, tests). */
  messages?: number;
  members?: number;
  days?: number;
  seed?: string;
  formats?: readonly FormatName[];
  log?: (line: string) => void;
}

export interface Expected {
  seed: string;
  note: string;
  files: Record<string, FileExpectation>;
}

const clamp = (x: number, a: number, b: number) => Math.max(a, Math.min(b, x));

/** Where each format's file goes, relative to the output folder. */
export function relPath(format: FormatName, group: string, main: boolean): string {
  switch (format) {
    case 'qq':
      return `qq/${group}.txt`;
    case 'wechat':
      return `wechat/${group}_utf8.csv`;
    case 'telegram':
      return main ? 'telegram/result.json' : `telegram/${group}/result.json`;
    case 'whatsapp':
      return main ? 'whatsapp/_chat.txt' : `whatsapp/WhatsApp Chat with ${group}.txt`;
  }
}

function groupInfo(seed: string, name: string): Omit<GroupInfo, 'admin'> {
  const h = hashSeed(seed + ':chat:' + name);
  return {
    name,
    tgChatId: 1_000_000_000 + (h % 999_999_999),
    wxTalkerId: 10 + (h % 90),
    chatroom: `${String(h).padStart(10, '0')}${String(hashSeed(name) % 10)}@chatroom`,
  };
}

async function runGroup(
  spec: GroupSpec,
  seed: string,
  out: string,
  formats: readonly FormatName[],
  main: boolean,
  files: Record<string, FileExpectation>,
): Promise<void> {
  const sim = new Simulation(spec);
  const g: GroupInfo = { ...groupInfo(seed, spec.name), admin: sim.admin };
  const writers = formats.map((f) => ({ rel: relPath(f, spec.name, main), w: makeWriter(f, join(out, relPath(f, spec.name, main)), g) }));
  for (const { w } of writers) w.begin();
  for (const ev of sim.events()) {
    for (const { w } of writers) w.write(ev);
    for (const { w } of writers) if (w.drain) await w.drain;
  }
  await Promise.all(writers.map(({ w }) => w.end()));
  for (const { rel, w } of writers) files[rel] = w.tally.result(w.format, spec.name, sim.membersEverPresent);
}

export async function generate(opts: GenerateOptions = {}): Promise<Expected> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const formats = opts.formats ?? ALL_FORMATS;
  const committed = opts.messages === undefined;
  const out = resolve(opts.out ?? (committed ? dirname(fileURLToPath(import.meta.url)) : join(tmpdir(), `qunxi-samples-${opts.messages}`)));
  const pool = new PeoplePool(seed);
  const files: Record<string, FileExpectation> = {};
  const messages = opts.messages ?? 6000;
  const members = opts.members ?? (committed ? 120 : clamp(Math.round(3 * Math.sqrt(messages)), 120, 5000));
  const days = opts.days ?? (committed ? 120 : clamp(Math.round(messages / 2000), 120, 730));
  const people = Array.from({ length: members }, (_, i) => pool.get(i));
  const t0 = Date.now();
  await runGroup({ name: MAIN_GROUP, flavor: OPS, seed, messages, days, start: '2024-03-14', people, initialShare: 0.6 }, seed, out, formats, true, files);
  if (committed) {
    // A smaller group sharing some members with the first, for cross-group comparison.
    const rng = new Rng(hashSeed(seed + ':ai-members'));
    const shared = rng.shuffle(people.slice(2)).slice(0, 15);
    const fresh = Array.from({ length: 30 }, (_, i) => pool.get(members + i));
    const aiPeople = [fresh[0]!, fresh[1]!, ...rng.shuffle([...shared, ...fresh.slice(2)])];
    const aiFormats = formats.filter((f) => f === 'qq' || f === 'whatsapp');
    if (aiFormats.length > 0) {
      await runGroup({ name: AI_GROUP, flavor: AI, seed, messages: 1500, days: 75, start: '2024-04-18', people: aiPeople, initialShare: 0.55 }, seed, out, aiFormats, false, files);
    }
  }
  const expected: Expected = {
    seed,
    note: 'Ground truth tallied by sample-data/generate.ts while writing each file; see sample-data/README.md for the counting rules.',
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  opts.log?.(`wrote ${Object.keys(files).length} files to ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return expected;
}

function parseArgs(argv: string[]): GenerateOptions {
  const o: GenerateOptions = { log: (l) => console.log(l) };
  const int = (v: string | undefined, name: string): number => {
    const n = Number(v?.replace(/_/g, ''));
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    switch (a) {
      case '--out':
        o.out = v;
        break;
      case '--messages':
        o.messages = int(v, a);
        break;
      case '--members':
        o.members = int(v, a);
        break;
      case '--days':
        o.days = int(v, a);
        break;
      case '--seed':
        o.seed = v;
        break;
      case '--formats': {
        const fs = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        const bad = fs.filter((f) => !(ALL_FORMATS as readonly string[]).includes(f));
        if (fs.length === 0 || bad.length) throw new Error(`--formats takes a list of ${ALL_FORMATS.join(',')}`);
        o.formats = fs as FormatName[];
        break;
      }
      case '--help':
      case '-h':
        console.log('usage: tsx sample-data/generate.ts [--out DIR] [--messages N] [--members M] [--days D] [--seed S] [--formats qq,wechat,telegram,whatsapp]');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a} (try --help)`);
    }
    i++;
  }
  return o;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  Promise.resolve()
    .then(() => generate(parseArgs(process.argv.slice(2))))
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
