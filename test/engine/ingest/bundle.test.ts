/**
 * Bundles (multi-file exports) through importPaths: detection over folders and zips, one atomic
 * source per bundle, rejects filed under their file, hash, duplicates, progress and cancel. The
 * bundle parser here is a stand-in of the chunked-JSONL shape (manifest.json + chunks/*.jsonl):
 * the infrastructure is under test, not a format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Database } from '../../../electron/engine/db/database.js';
import { openZipAsBundle } from '../../../electron/engine/ingest/bundle.js';
import { importPaths, type ImportOptions } from '../../../electron/engine/ingest/import.js';
import type { ImportProgress } from '../../../electron/engine/ingest/import-file.js';
import { BUNDLE_PARSERS } from '../../../electron/engine/ingest/parsers/index.js';
import type { BundleInput, BundleParser, ParsedRecord } from '../../../electron/engine/ingest/types.js';

/** manifest.json names the chat; every chunk line is a message `{id,who,t,text}` or a join `{join,t}`. */
function chunkedParser(opts: { confidence?: number; afterFirstBatch?: () => void } = {}): BundleParser {
  return {
    format: 'qce-jsonl',
    platform: 'qq',
    async detect(b) {
      return b.files.includes('manifest.json') && b.files.some((f) => f.startsWith('chunks/')) ? opts.confidence ?? 0.9 : 0;
    },
    async *parse(b: BundleInput) {
      const text = async (f: string) => {
        let s = '';
        for await (const lines of (await b.open(f)).lines()) for (const l of lines) s += l.text + '\n';
        return s;
      };
      const m = JSON.parse(await text('manifest.json')) as { id: string; name: string };
      yield [{ type: 'group', key: m.id, platform: 'qq', externalId: m.id, name: m.name, chatType: 'group' }];
      opts.afterFirstBatch?.();
      for (const file of b.files.filter((f) => f.startsWith('chunks/'))) {
        const out: ParsedRecord[] = [];
        for await (const lines of (await b.open(file)).lines()) {
          for (const { text: t, no } of lines) {
            if (t === '') continue;
            let o: { id?: string; who?: string; join?: string; t: string; text?: string };
            try {
              o = JSON.parse(t);
            } catch {
              out.push({ type: 'reject', file, line: no, reason: 'bad JSON line', raw: t });
              continue;
            }
            if (o.join) out.push({ type: 'event', group: m.id, line: no, time: o.t, utcMs: null, kind: 'join', actor: null, subjects: [{ id: o.join, name: o.join }], text: `${o.join} joined` });
            else out.push({ type: 'message', group: m.id, line: no, externalId: o.id!, sender: { id: o.who!, name: o.who! }, time: o.t, utcMs: null, kind: 'text', text: o.text!, replyTo: null, quote: null, mentions: [] });
          }
        }
        yield out;
      }
    },
  };
}

const FILES: Record<string, string | Buffer> = {
  'manifest.json': JSON.stringify({ id: '42', name: 'Chunked chat' }),
  'chunks/0001.jsonl': [
    JSON.stringify({ id: 'm1', who: 'u1', t: '2024-01-01 10:00:00', text: 'hello' }),
    JSON.stringify({ id: 'm2', who: 'u2', t: '2024-01-01 10:01:00', text: 'hi' }),
    JSON.stringify({ join: 'u3', t: '2024-01-01 10:02:00' }),
  ].join('\n'),
  'chunks/0002.jsonl': [
    JSON.stringify({ id: 'm3', who: 'u3', t: '2024-01-02 09:00:00', text: 'late' }),
    '{"id": broken',
    JSON.stringify({ join: 'u4', t: '2024-01-02 09:05:00' }),
  ].join('\n'),
  'media/photo.jpg': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3]),
};
const READ = ['chunks/0001.jsonl', 'chunks/0002.jsonl', 'manifest.json'];
const size = (f: string) => Buffer.byteLength(FILES[f]!);
const ALL_BYTES = Object.keys(FILES).reduce((s, f) => s + size(f), 0);

/** The documented bundle hash: files read, sorted, each as path NUL sha256(bytes). */
function bundleHash(): string {
  const h = createHash('sha256');
  for (const f of READ) h.update(f).update('\0').update(createHash('sha256').update(FILES[f]!).digest());
  return h.digest('hex');
}

/** A minimal zip writer (stored entries, UTF-8 names): local headers, central directory, end record. */
function makeZip(entries: [string, string | Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [n, d] of entries) {
    const name = Buffer.from(n, 'utf8');
    const data = Buffer.from(d);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt32LE(crc32(data), 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt32LE(crc32(data), 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, data);
    centrals.push(ch, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'qunxi-bundle-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeTree(dir: string, files: Record<string, string | Buffer>): Promise<string> {
  for (const [rel, data] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), data);
  }
  return dir;
}

const WA = '12/9/20, 23:55 - Bob: hello\n12/9/20, 23:56 - Eve: hi\n';

async function run(db: Database, paths: string[], o: Partial<ImportOptions> = {}) {
  return importPaths(paths, { db, segmenter: null, bundleParsers: [chunkedParser()], ...o });
}

const counts = async (db: Database) =>
  db.one(`SELECT (SELECT count(*) FROM sources) s, (SELECT count(*) FROM groups) g, (SELECT count(*) FROM members) mb,
    (SELECT count(*) FROM messages) m, (SELECT count(*) FROM events) e, (SELECT count(*) FROM rejects) r`);

describe('bundles', () => {
  it('a recognised folder is ONE source: rejects filed under <folder>/<file>, hash over the files read, progress over all files', async () => {
    const dir = await writeTree(join(root, 'folder-export'), FILES);
    const db = await Database.open(':memory:');
    const progress: ImportProgress[] = [];
    const r = await run(db, [dir], { onProgress: (p) => progress.push(p) });
    expect(r.errors).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.results).toHaveLength(1);
    // 3 message lines, 2 join lines, 1 broken line; lines restart per chunk, so the joins share line 3.
    expect(r.results[0]).toMatchObject({ file: dir, format: 'qce-jsonl', encoding: 'utf-8', bytes: ALL_BYTES, messages: 3, events: 2, rejected: 1, duplicateOf: null });
    expect(r.results[0]!.groups).toEqual([
      { format: 'qce-jsonl', group: 'Chunked chat', groupId: 1, messages: 3, senders: 3, events: { join: 2 }, rejected: 1, from: '2024-01-01 10:00:00', to: '2024-01-02 09:00:00' },
    ]);
    expect(await db.all(`SELECT path, format, bytes, messages, events, rejected, sha256 FROM sources`)).toEqual([
      { path: dir, format: 'qce-jsonl', bytes: ALL_BYTES, messages: 3, events: 2, rejected: 1, sha256: bundleHash() },
    ]);
    expect(await db.all(`SELECT file, line, reason FROM rejects`)).toEqual([{ file: `${dir}/chunks/0002.jsonl`, line: 2, reason: 'bad JSON line' }]);
    // The parser never opens media/photo.jpg: merge starts with the bytes of the three files read; done is the whole bundle.
    expect(progress.find((p) => p.phase === 'merge')).toMatchObject({ file: dir, bytesRead: ALL_BYTES - size('media/photo.jpg'), totalBytes: ALL_BYTES });
    expect(progress.at(-1)).toMatchObject({ phase: 'done', bytesRead: ALL_BYTES, totalBytes: ALL_BYTES });
    db.close();
  });

  it('a recognised zip is ONE source too; the same export as folder and as zip is a duplicate', async () => {
    const zip = join(root, 'export.zip');
    await writeFile(zip, makeZip([['manifest.json', FILES['manifest.json']!], ['chunks/', ''], ...Object.entries(FILES).filter(([f]) => f !== 'manifest.json')]));
    const db = await Database.open(':memory:');
    const r = await run(db, [zip]);
    expect(r.errors).toEqual([]);
    expect(r.results.map((x) => [x.file, x.format, x.messages, x.events, x.rejected, x.bytes])).toEqual([[zip, 'qce-jsonl', 3, 2, 1, ALL_BYTES]]);
    expect(await db.all(`SELECT file, line FROM rejects`)).toEqual([{ file: `${zip}/chunks/0002.jsonl`, line: 2 }]);
    expect(await db.all(`SELECT sha256 FROM sources`)).toEqual([{ sha256: bundleHash() }]);
    const dir = await writeTree(join(root, 'same-as-zip'), FILES);
    const again = await run(db, [dir]);
    expect(again.results[0]).toMatchObject({ file: dir, duplicateOf: zip, newMessages: 0 });
    db.close();
  });

  it('re-importing the same bundle is a duplicate and writes nothing', async () => {
    const dir = await writeTree(join(root, 'twice'), FILES);
    const db = await Database.open(':memory:');
    await run(db, [dir]);
    const before = await counts(db);
    const again = await run(db, [dir]);
    expect(again.results[0]).toMatchObject({ duplicateOf: dir, newMessages: 0, newEvents: 0 });
    expect(await counts(db)).toEqual(before);
    db.close();
  });

  it('cancelling a bundle mid-parse leaves the database as it was', async () => {
    const first = await writeTree(join(root, 'first'), { ...FILES, 'manifest.json': JSON.stringify({ id: '7', name: 'First' }) });
    const second = await writeTree(join(root, 'second'), FILES);
    const db = await Database.open(':memory:');
    await run(db, [first]);
    const before = await counts(db);
    const ac = new AbortController();
    const cancelling = chunkedParser({ afterFirstBatch: () => ac.abort() });
    await expect(run(db, [second], { signal: ac.signal, bundleParsers: [cancelling] })).rejects.toMatchObject({ name: 'ImportCancelled' });
    expect(await counts(db)).toEqual(before);
    expect(await db.all(`SELECT path FROM sources`)).toEqual([{ path: first }]);
    db.close();
  });

  it('a folder of unrelated exports is still imported file by file; a bundle inside a folder is found', async () => {
    const loose = await writeTree(join(root, 'loose'), { 'WhatsApp Chat with Bob.txt': WA, 'WhatsApp Chat with Eve.txt': WA.replace('hello', 'hey') });
    const db = await Database.open(':memory:');
    const r = await run(db, [loose], { bundleParsers: [chunkedParser(), ...BUNDLE_PARSERS] });
    expect(r.results.map((x) => [x.file, x.format])).toEqual([
      [join(loose, 'WhatsApp Chat with Bob.txt'), 'whatsapp-txt'],
      [join(loose, 'WhatsApp Chat with Eve.txt'), 'whatsapp-txt'],
    ]);
    const parent = join(root, 'parent');
    await writeTree(join(parent, 'nested-export'), FILES);
    await writeTree(parent, { 'WhatsApp Chat with Ann.txt': WA.replace('hello', 'yo') });
    const db2 = await Database.open(':memory:');
    const r2 = await run(db2, [parent]);
    expect(r2.errors).toEqual([]);
    expect(r2.results.map((x) => [x.file, x.format])).toEqual([
      [join(parent, 'WhatsApp Chat with Ann.txt'), 'whatsapp-txt'],
      [join(parent, 'nested-export'), 'qce-jsonl'],
    ]);
    db.close();
    db2.close();
  });

  it('a bundle parser below 0.5 does not take the folder: its files are tried one by one', async () => {
    const dir = await writeTree(join(root, 'unsure'), FILES);
    const db = await Database.open(':memory:');
    const r = await run(db, [dir], { bundleParsers: [chunkedParser({ confidence: 0.4 })] });
    expect(r.results.filter((x) => x.format === 'qce-jsonl')).toEqual([]);
    expect([...r.results.map((x) => x.file), ...r.skipped.map((x) => x.file), ...r.errors.map((x) => x.file)].sort()).toEqual(
      Object.keys(FILES).map((f) => join(dir, f)).sort(),
    );
    db.close();
  });

  it('a forced file format turns detection off; a forced bundle format needs a folder or zip', async () => {
    const dir = await writeTree(join(root, 'forced'), { ...FILES, 'chat.txt': WA });
    const db = await Database.open(':memory:');
    const r = await run(db, [dir], { format: 'whatsapp-txt' });
    expect(r.results.map((x) => x.format)).toContain('whatsapp-txt');
    expect(r.results.map((x) => x.format)).not.toContain('qce-jsonl');
    const f = await run(db, [join(dir, 'chat.txt')], { format: 'qce-jsonl' });
    expect(f.errors).toEqual([expect.objectContaining({ file: join(dir, 'chat.txt'), reason: expect.stringMatching(/folder or \.zip/) })]);
    db.close();
  });

  it('zip entries that are folders, macOS metadata or step outside the root are not files of the bundle', async () => {
    const zip = join(root, 'odd.zip');
    await writeFile(zip, makeZip([
      ['ok.json', '[]'], ['dir/', ''], ['../evil.json', '[]'], ['/abs.json', '[]'], ['C:/win.json', '[]'],
      ['a/../b.json', '[]'], ['__MACOSX/._ok.json', 'x'], ['sub/._ok.json', 'x'], ['win\\path.json', '[]'], ['sub/x.json', '[]'],
    ]));
    const b = (await openZipAsBundle(zip))!;
    try {
      expect(b.files).toEqual(['ok.json', 'sub/x.json', 'win/path.json']);
      expect(await b.totalSize()).toBe(6);
      const src = await b.source('sub/x.json');
      expect(src.name).toBe(`${zip}/sub/x.json`);
      expect(Buffer.from(await src.head(10)).toString()).toBe('[]');
      await expect(b.source('../evil.json')).rejects.toThrow(/no file/);
    } finally {
      b.close();
    }
  });
});
