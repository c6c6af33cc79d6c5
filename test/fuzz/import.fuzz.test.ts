/**
 * Level-2 fuzz: mutated seed files (the level-1 inputs, a few per seed, zips included) imported end
 * to end with importPaths into one in-memory database. Every import must return results and errors,
 * never throw; after each one the database must add up: new messages/events/rejects equal what the
 * results report, a path with no result leaves every table as it was, and no staging table is left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Database } from '../../electron/engine/db/database.js';
import { importPaths, type ImportReport } from '../../electron/engine/ingest/import.js';
import { buildBundle, buildInput, describeBundleCase, describeCase, FUZZ_SCALE, planBundles, planInputs, type InputCase } from './cases.js';
import { listBundleSeeds } from './harness.js';
import { hash32 } from './mutate.js';

/** Files imported per seed besides its shrunk original (scaled by FUZZ_SCALE). */
const PER_SEED = Math.round(2 * FUZZ_SCALE);
/** Mutated copies per bundle seed (QCE chunked folders, the Slack export as a folder). */
const BUNDLES_PER_SEED = Math.round(3 * FUZZ_SCALE);
/** Mutations too slow for this level (long runs over every parser are level 1's job). */
const SKIP = new Set(['long-line', 'long-run', 'run-in-line', 'deep-json', 'truncate-at']);

let dir = '';
/** Two databases, each fed half the items in turn: DuckDB works in native threads, so two lanes use both cores. */
const LANES = 2;
let dbs: Database[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qunxi-importfuzz-'));
  dbs = await Promise.all(Array.from({ length: LANES }, () => Database.open(':memory:')));
});
afterAll(async () => {
  for (const db of dbs) db.close();
  await rm(dir, { recursive: true, force: true });
});

const TABLES = ['sources', 'messages', 'events', 'rejects', 'groups', 'members', 'member_names'] as const;
// One round trip for all counts. The events table holds one row per (event, subject): events are
// also counted as the results count them.
const COUNTS_SQL = `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')},
  (SELECT count(*) FROM (SELECT DISTINCT source_id, line, ts, kind, text FROM events)) AS eventRecords`;
const counts = async (db: Database): Promise<Record<string, number>> => {
  const row = (await db.one<Record<string, number | bigint>>(COUNTS_SQL))!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
};
const scalar = async (db: Database, sql: string): Promise<number> => Number((await db.one<{ n: number | bigint }>(sql))!.n);

/** Whole-database invariants: no orphans, no staging table left, sources agree with their messages. */
async function orphans(db: Database): Promise<Record<string, number>> {
  return {
    messagesWithoutGroup: await scalar(db, `SELECT count(*) AS n FROM messages m ANTI JOIN groups g ON g.id = m.group_id`),
    messagesWithoutMember: await scalar(db, `SELECT count(*) AS n FROM messages m ANTI JOIN members x ON x.id = m.member_id`),
    messagesWithoutSource: await scalar(db, `SELECT count(*) AS n FROM messages m ANTI JOIN sources s ON s.id = m.source_id`),
    eventsWithoutGroup: await scalar(db, `SELECT count(*) AS n FROM events e ANTI JOIN groups g ON g.id = e.group_id`),
    membersWithoutGroup: await scalar(db, `SELECT count(*) AS n FROM members x ANTI JOIN groups g ON g.id = x.group_id`),
    rejectsWithoutSource: await scalar(db, `SELECT count(*) AS n FROM rejects r ANTI JOIN sources s ON s.id = r.source_id`),
    stagingLeft: await scalar(db, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'stg_%'`),
    sourceMessagesMismatch: await scalar(
      db,
      `SELECT count(*) AS n FROM sources s LEFT JOIN (SELECT source_id, count(*) AS c FROM messages GROUP BY 1) m ON m.source_id = s.id WHERE coalesce(m.c, 0) <> s.new_messages`,
    ),
  };
}

/** Shrunk originals first, then PER_SEED mutated inputs of each seed, picked by a hash of the seed. */
function pickCases(inputs: readonly InputCase[]): InputCase[] {
  const bySeed = new Map<string, InputCase[]>();
  for (const c of inputs) {
    if (c.mutation === 'original' || c.full || SKIP.has(c.mutation)) continue;
    const list = bySeed.get(c.seed) ?? [];
    list.push(c);
    bySeed.set(c.seed, list);
  }
  const out: InputCase[] = [];
  for (const [seed, list] of bySeed) {
    out.push({ seed, mutation: 'original', caseSeed: 0, shrunk: list[0]!.shrunk });
    const h = hash32(seed);
    for (let k = 0; k < Math.min(PER_SEED, list.length); k++) out.push(list[(h + k * 7) % list.length]!);
  }
  return out;
}

describe('import fuzz (level 2)', () => {
  it('importPaths over mutated files: results + errors, never a throw; the database stays consistent', async () => {
    const plan = planInputs();
    const files = pickCases(plan.inputs);
    // Multi-file exports as folders: each bundle seed unmutated, then BUNDLES_PER_SEED mutations.
    const bundleSeeds = listBundleSeeds();
    const bundles = planBundles(bundleSeeds.map((b) => b.id)).filter((b, k, all) => all.findIndex((x) => x.bundle === b.bundle) + BUNDLES_PER_SEED >= k);
    type Item = { desc: string; write: (root: string) => Promise<string> };
    const items: Item[] = [
      ...files.map((c): Item => ({
        desc: describeCase(c),
        write: async (root) => {
          const p = join(root, basename(c.seed));
          await writeFile(p, buildInput(plan, c));
          return p;
        },
      })),
      ...bundles.map((b): Item => ({
        desc: describeBundleCase(b),
        write: async (root) => {
          const folder = join(root, basename(b.bundle).replace(/\.zip$/, ''));
          for (const [rel, data] of Object.entries(buildBundle(bundleSeeds.find((s) => s.id === b.bundle)!.files, b))) {
            await mkdir(dirname(join(folder, rel)), { recursive: true });
            await writeFile(join(folder, rel), data);
          }
          return folder;
        },
      })),
    ];
    const t0 = Date.now();
    const failures: string[] = [];
    let results = 0;
    let errors = 0;
    let skipped = 0;
    const lane = async (db: Database, lane: number): Promise<void> => {
      for (let i = lane; i < items.length; i += LANES) {
        const { desc, write } = items[i]!;
        const sub = join(dir, `c${i}`);
        await mkdir(sub);
        const p = await write(sub);
        const before = await counts(db);
        let report: ImportReport;
        try {
          report = await importPaths([p], { db, segmenter: null });
        } catch (e) {
          failures.push(`${desc}: importPaths threw ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
          continue;
        }
        const after = await counts(db);
        results += report.results.length;
        errors += report.errors.length;
        skipped += report.skipped.length;
        const merged = report.results.filter((r) => r.duplicateOf === null);
        const want = {
          messages: merged.reduce((s, r) => s + r.newMessages, 0),
          events: merged.reduce((s, r) => s + r.newEvents, 0),
          rejects: merged.reduce((s, r) => s + r.rejected, 0),
          sources: merged.length,
        };
        const got = { messages: after.messages! - before.messages!, events: after.eventRecords! - before.eventRecords!, rejects: after.rejects! - before.rejects!, sources: after.sources! - before.sources! };
        if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`${desc}: tables grew by ${JSON.stringify(got)}, results say ${JSON.stringify(want)}`);
        if (report.results.length === 0 && JSON.stringify(after) !== JSON.stringify(before)) {
          failures.push(`${desc}: failed import left rows behind: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
        }
        for (const e of report.errors) if (typeof e.reason !== 'string' || e.reason.trim() === '') failures.push(`${desc}: error without a reason`);
      }
    };
    await Promise.all(dbs.map((db, k) => lane(db, k)));
    const ms = Date.now() - t0;

    const clean = Object.fromEntries(Object.keys(await orphans(dbs[0]!)).map((k) => [k, 0]));
    for (const db of dbs) expect(await orphans(db)).toEqual(clean);
    const totals = await Promise.all(dbs.map(counts));
    const total = Object.fromEntries(Object.keys(totals[0]!).map((k) => [k, totals.reduce((s, t) => s + t[k]!, 0)]));
    console.log(
      `[fuzz] level 2: ${items.length} files and folders imported in ${(ms / 1000).toFixed(1)} s (scale ${FUZZ_SCALE}, ${LANES} databases): ${results} results, ${errors} errors, ${skipped} skipped; rows ${JSON.stringify(total)}`,
    );
    if (failures.length) console.log(`[fuzz] level 2 failures:\n${failures.slice(0, 40).join('\n')}`);
    expect(failures).toEqual([]);
    expect(total.messages).toBeGreaterThan(0);
  }, 300_000);
});
