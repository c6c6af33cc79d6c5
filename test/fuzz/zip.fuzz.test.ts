/**
 * Hostile .zip exports through the real importer (importPaths → bundle detection → text entries →
 * parsers → database): zip bombs (honest and lying sizes), entry-count bombs, path traversal names,
 * truncated archives and damaged central directories. Every case must end in results and errors
 * from importPaths, never a throw or a hang; memory stays bounded; nothing is written to disk.
 * Zips are built with fflate; the lying-size and damaged variants are patched bytes of real zips.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { Database } from '../../electron/engine/db/database.js';
import { importPaths, type ImportReport } from '../../electron/engine/ingest/import.js';
import { MAX_RATIO, openZipTextEntries } from '../../electron/engine/ingest/zip.js';
import { sharedFixture } from '../helpers/parse.js';
import { int, rng } from './mutate.js';

const enc = new TextEncoder();
const CHAT = '12/9/20, 23:55 - Bob: hello\n12/9/20, 23:56 - Eve: hi\n12/9/20, 23:57 - Bob: bye\n';

let dir = '';
let db: Database;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qunxi-zipfuzz-'));
  db = await Database.open(':memory:');
});
afterAll(async () => {
  db?.close();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function writeZip(bytes: Uint8Array, name = `case${n++}.zip`, sub = 'in/a/b'): Promise<string> {
  const d = join(dir, sub);
  await mkdir(d, { recursive: true });
  const p = join(d, name);
  await writeFile(p, bytes);
  return p;
}

const count = async (t: string): Promise<number> => Number((await db.one<{ n: number | bigint }>(`SELECT count(*) AS n FROM ${t}`))!.n);
const snapshot = async () => Promise.all(['sources', 'messages', 'events', 'rejects', 'groups', 'members'].map(count));

/** importPaths must return (never throw); a path whose only outcome is an error leaves the tables as they were. */
async function importOk(p: string): Promise<ImportReport> {
  const before = await snapshot();
  const report = await importPaths([p], { db, segmenter: null });
  if (process.env.FUZZ_DEBUG) console.log(p, JSON.stringify({ results: report.results.map((r) => [r.file, r.messages, r.rejected]), errors: report.errors, skipped: report.skipped }).slice(0, 1500));
  const after = await snapshot();
  const added = report.results.reduce((s, r) => s + r.newMessages, 0);
  expect(after[1]! - before[1]!).toBe(added);
  if (report.results.length === 0) expect(after).toEqual(before);
  return report;
}

const heap = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Rewrites the uncompressed size of every entry (local header @22, central header @24). */
function lieAboutSize(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const v = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = v.getUint32(i, true);
    if (sig === 0x04034b50 && i + 30 <= out.length) v.setUint32(i + 22, size, true);
    else if (sig === 0x02014b50 && i + 46 <= out.length) v.setUint32(i + 24, size, true);
  }
  return out;
}

/** Offset of the end-of-central-directory record, and the central directory's offset. */
function eocd(zip: Uint8Array): { at: number; cd: number } {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let i = zip.length - 22; i >= 0; i--) if (v.getUint32(i, true) === 0x06054b50) return { at: i, cd: v.getUint32(i + 16, true) };
  throw new Error('no EOCD');
}

describe('zip bombs', () => {
  it('refuses an entry expanding past the ratio cap, without inflating it', async () => {
    // 64 MiB of one byte deflates to ~64 KiB: ratio ~1000:1, above MAX_RATIO.
    const zip = zipSync({ '_chat.txt': [new Uint8Array(64 * 2 ** 20).fill(0x61), { level: 9 }] });
    expect(64 * 2 ** 20 / zip.length).toBeGreaterThan(MAX_RATIO);
    const p = await writeZip(zip);
    const h0 = heap();
    const r = await importOk(p);
    expect(heap() - h0).toBeLessThan(100 * 2 ** 20);
    expect(r.results).toEqual([]);
    expect(r.errors.map((e) => e.reason).join('\n')).toMatch(/zip bomb/);
  });

  it('stops a lying entry (tiny declared size, huge content) at its declared size', async () => {
    const zip = lieAboutSize(zipSync({ '_chat.txt': [enc.encode(CHAT + 'x'.repeat(64 * 2 ** 20)), { level: 9 }] }), CHAT.length);
    const p = await writeZip(zip);
    const h0 = heap();
    const r = await importOk(p);
    expect(heap() - h0).toBeLessThan(100 * 2 ** 20);
    // Either the entry is cut at its declared size (and parses as the chat) or it is refused.
    expect(r.results.length + r.errors.length).toBeGreaterThan(0);
    for (const e of r.errors) expect(e.reason).toMatch(/_chat\.txt|too many bytes|zip/i);
  });

  it('refuses an archive with more chat files than the cap (entry-count bomb), quickly', async () => {
    const files: Zippable = {};
    for (let i = 0; i < 1500; i++) files[`chats/c${i}.txt`] = [enc.encode(CHAT), { level: 0 }];
    const p = await writeZip(zipSync(files));
    const t0 = Date.now();
    const r = await importOk(p);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.results).toEqual([]);
    expect(r.errors.map((e) => e.reason).join('\n')).toMatch(/more than \d+ chat files/);
  });

  it('reads the one chat among thousands of media entries in linear time', async () => {
    const files: Zippable = {};
    for (let i = 0; i < 5000; i++) files[`IMG-2020${String(i).padStart(4, '0')}-WA0001.jpg`] = [new Uint8Array([0xff, 0xd8, i & 0xff]), { level: 0 }];
    files['_chat.txt'] = enc.encode(CHAT);
    const p = await writeZip(zipSync(files));
    const t0 = Date.now();
    const r = await importOk(p);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.errors).toEqual([]);
    expect(r.results.map((x) => x.messages)).toEqual([3]);
  });
});

describe('zip path traversal', () => {
  it('imports or skips entries named outside the archive root, writing nothing anywhere', async () => {
    const root = join(dir, 'trav');
    const names = ['../../escape1.txt', '../escape2.txt', `${join(root, 'abs3.txt')}`, '..\\..\\escape4.txt', 'C:\\escape5.txt', 'a/../../escape6.txt', './././_chat.txt'];
    const files: Zippable = {};
    names.forEach((name, i) => (files[name] = enc.encode(CHAT.replace('hello', `hello ${i}`))));
    const p = await writeZip(zipSync(files), 'trav.zip', 'trav/x/y');
    const listing = async (): Promise<string[]> => (await readdir(dir, { recursive: true })).map(String).sort();
    const before = await listing();
    const r = await importOk(p);
    expect(await listing()).toEqual(before);
    const zipDir = join(dir, 'trav/x/y');
    for (const f of ['escape1.txt', 'escape2.txt', 'abs3.txt', 'escape4.txt', 'escape5.txt', 'escape6.txt']) {
      for (const base of [zipDir, join(zipDir, '..'), join(zipDir, '../..'), root, process.cwd(), '/']) expect(existsSync(resolve(base, f))).toBe(false);
    }
    expect(existsSync('C:\\escape5.txt')).toBe(false);
    // Nothing is lost silently: every entry is a result or an error.
    expect(r.results.length + r.errors.length).toBeGreaterThan(0);
  });
});

describe('damaged archives', () => {
  const cases: [string, () => Promise<Uint8Array[]>][] = [
    [
      'the shared WhatsApp zip cut at every 16th byte',
      async () => {
        const z = await readFile(sharedFixture('whatsapp/mlomb-chat-analytics__4A_11M.zip'));
        const out: Uint8Array[] = [];
        for (let k = 1; k < z.length; k += 16) out.push(z.subarray(0, k));
        return out;
      },
    ],
    [
      'the shared Slack zip cut at random offsets',
      async () => {
        const z = await readFile(sharedFixture('slack/slack-export-viewer__testarchive.zip'));
        const r = rng(7);
        return Array.from({ length: 12 }, () => z.subarray(0, 4 + int(r, z.length - 4)));
      },
    ],
    [
      'central directory and end record with flipped bytes',
      async () => {
        const z = zipSync({ '_chat.txt': enc.encode(CHAT), 'media/a.jpg': new Uint8Array(100), 'notes.txt': enc.encode('hello') });
        const { at, cd } = eocd(z);
        const r = rng(11);
        const out: Uint8Array[] = [];
        for (let k = 0; k < 40; k++) {
          const m = z.slice();
          const from = k % 2 === 0 ? cd : at;
          for (let j = 0; j < 1 + int(r, 4); j++) {
            const i = from + int(r, z.length - from);
            m[i] = m[i]! ^ (1 << int(r, 8));
          }
          out.push(m);
        }
        return out;
      },
    ],
    [
      'end record pointing outside the file, claiming 65535 entries, or a comment past the end',
      async () => {
        const z = zipSync({ '_chat.txt': enc.encode(CHAT) });
        const { at } = eocd(z);
        const patch = (off: number, bytes: number[]): Uint8Array => {
          const m = z.slice();
          bytes.forEach((b, i) => (m[at + off + i] = b));
          return m;
        };
        return [
          patch(16, [0xff, 0xff, 0xff, 0x7f]), // central directory offset far past the end
          patch(8, [0xff, 0xff, 0xff, 0xff]), // 65535 entries
          patch(12, [0xff, 0xff, 0xff, 0x00]), // central directory size too big
          patch(20, [0xff, 0xff]), // comment longer than the file
          z.subarray(0, at), // no end record at all
        ];
      },
    ],
    [
      'random byte flips of the shared zips',
      async () => {
        const zs = [await readFile(sharedFixture('whatsapp/mlomb-chat-analytics__4A_11M.zip')), await readFile(sharedFixture('slack/slack-export-viewer__testarchive.zip'))];
        const r = rng(5);
        return Array.from({ length: 30 }, (_, k) => {
          const m = new Uint8Array(zs[k % 2]!);
          for (let j = 0; j < 1 + int(r, 8); j++) {
            const i = int(r, m.length);
            m[i] = m[i]! ^ (1 << int(r, 8));
          }
          return m;
        });
      },
    ],
  ];

  it.each(cases)('%s: results or clear errors, never a throw', async (_name, make) => {
    const zips = await make();
    for (const z of zips) {
      const p = await writeZip(z);
      let r: ImportReport;
      try {
        r = await importOk(p);
      } catch (e) {
        throw new Error(`${p} (${z.length} bytes): importPaths threw ${(e as Error).stack}`);
      }
      for (const e of r.errors) expect(typeof e.reason === 'string' && e.reason.length > 0).toBe(true);
    }
  }, 120_000);

  it('openZipTextEntries rejects a truncated archive with an Error, not a crash', async () => {
    const z = await readFile(sharedFixture('whatsapp/mlomb-chat-analytics__4A_11M.zip'));
    const p = await writeZip(z.subarray(0, z.length - 30));
    await expect(openZipTextEntries(p, 'cut.zip')).rejects.toThrow();
  });
});
