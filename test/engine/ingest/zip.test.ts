import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { MAX_ZIP_TEXT_ENTRIES, openZipTextEntries } from '../../../electron/engine/ingest/zip.js';
import { prepareInput, type ByteSource } from '../../../electron/engine/ingest/input.js';
import { whatsappTxtParser } from '../../../electron/engine/ingest/parsers/whatsapp-txt.js';
import type { ParsedRecord } from '../../../electron/engine/ingest/types.js';
import { groups, messages, sharedFixture } from '../../helpers/parse.js';

interface ZipEntry {
  name: string;
  data: Buffer;
  deflate?: boolean;
  /** Claimed uncompressed size written through a zip64 extra field (for the 4 GiB limit). */
  claimSize?: number;
}

/** A minimal zip writer: local headers + data, central directory, end record. UTF-8 names. */
function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const crc = crc32(e.data);
    const method = e.deflate ? 8 : 0;
    const usize = e.claimSize !== undefined ? 0xffffffff : e.data.length;
    const extra = Buffer.alloc(e.claimSize !== undefined ? 12 : 0);
    if (e.claimSize !== undefined) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(e.claimSize), 4);
    }
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x800, 6);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    locals.push(lh, name, body);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(45, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x800, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(usize, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt16LE(extra.length, 30);
    ch.writeUInt32LE(offset, 42);
    centrals.push(ch, name, extra);
    offset += 30 + name.length + body.length;
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

async function readAll(src: ByteSource): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of src.stream()) parts.push(c);
  return Buffer.concat(parts);
}

async function parseSource(src: ByteSource): Promise<ParsedRecord[]> {
  const { input } = await prepareInput(src);
  const out: ParsedRecord[] = [];
  for await (const b of whatsappTxtParser.parse(input)) out.push(...b);
  return out;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qunxi-zip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function zipFile(name: string, entries: ZipEntry[]): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, makeZip(entries));
  return p;
}

const CHAT = '12/9/20, 23:55 - Bob: hello\r\n12/9/20, 23:56 - Eve: hi\nsecond line\r\n';
const BIG = Buffer.from(Array.from({ length: 20000 }, (_, i) => `12/9/20, 23:55 - P${i % 7}: message number ${i}\n`).join(''));

describe('openZipTextEntries', () => {
  it('reads the shared WhatsApp zip: one _chat.txt entry, parsed like the .txt (CRLF)', async () => {
    const [src, ...more] = await openZipTextEntries(sharedFixture('whatsapp/mlomb-chat-analytics__4A_11M.zip'), '4A_11M.zip');
    expect(more).toHaveLength(0);
    expect(src!.name).toBe('4A_11M.zip!/_chat.txt');
    expect(src!.size).toBe(627);
    expect((await readAll(src!)).length).toBe(627);
    const rs = await parseSource(src!);
    expect(messages(rs)).toHaveLength(11);
    expect(groups(rs)[0]).toMatchObject({ name: 'Some cool group chat', chatType: 'group' });
  });

  it('lists .txt/.json/.csv entries only, names as given, skipping media, folders and __MACOSX', async () => {
    const p = await zipFile('mixed.zip', [
      { name: '_chat.txt', data: Buffer.from(CHAT), deflate: true },
      { name: 'WhatsApp Chat mit Jürgen.txt', data: Buffer.from(CHAT) },
      { name: '00000003-PHOTO-2025-04-23-11-01-19.jpg', data: Buffer.from([0xff, 0xd8, 0xff]) },
      { name: '00000004-AUDIO-2025-04-23-11-01-19.opus', data: Buffer.from('OggS') },
      { name: '__MACOSX/._chat.txt', data: Buffer.from('junk') },
      { name: 'media/', data: Buffer.alloc(0) },
      { name: '._other.txt', data: Buffer.from('junk') },
      { name: '../escape.txt', data: Buffer.from('a') },
      { name: '/abs/result.JSON', data: Buffer.from('{}') },
      { name: 'export/messages.csv', data: Buffer.from('a,b\n1,2\n'), deflate: true },
      { name: 'notes.md', data: Buffer.from('# no') },
    ]);
    const srcs = await openZipTextEntries(p, 'mixed.zip');
    expect(srcs.map((s) => [s.name, s.size])).toEqual([
      ['mixed.zip!/_chat.txt', CHAT.length],
      ['mixed.zip!/WhatsApp Chat mit Jürgen.txt', CHAT.length],
      ['mixed.zip!/../escape.txt', 1],
      ['mixed.zip!//abs/result.JSON', 2],
      ['mixed.zip!/export/messages.csv', 8],
    ]);
    expect((await readAll(srcs[0]!)).toString()).toBe(CHAT);
    expect((await readAll(srcs[1]!)).toString()).toBe(CHAT);
    expect((await readAll(srcs[2]!)).toString()).toBe('a');
    expect((await readAll(srcs[4]!)).toString()).toBe('a,b\n1,2\n');
    const rs = await parseSource(srcs[0]!);
    expect(messages(rs).map((m) => m.text)).toEqual(['hello', 'hi\nsecond line']);
  });

  it('streams a large deflated entry in chunks, restartable; head(n) gives the first n bytes', async () => {
    const p = await zipFile('big.zip', [{ name: 'chat.txt', data: BIG, deflate: true }]);
    const [src] = await openZipTextEntries(p, 'big.zip');
    let chunks = 0;
    for await (const c of src!.stream()) if (c.length > 0) chunks++;
    expect(chunks).toBeGreaterThan(1);
    expect((await readAll(src!)).equals(BIG)).toBe(true);
    expect((await readAll(src!)).equals(BIG)).toBe(true);
    expect(Buffer.from(await src!.head(100)).equals(BIG.subarray(0, 100))).toBe(true);
    expect((await src!.head(BIG.length + 10)).length).toBe(BIG.length);
    expect(messages(await parseSource(src!))).toHaveLength(20000);
  });

  it('refuses an entry claiming more than 4 GiB uncompressed', async () => {
    const p = await zipFile('huge.zip', [{ name: '_chat.txt', data: Buffer.from('x'.repeat(64)), deflate: true, claimSize: 5 * 1024 ** 3 }]);
    await expect(openZipTextEntries(p, 'huge.zip')).rejects.toThrow(/huge\.zip!\/_chat\.txt.*4 GiB/);
  });

  it('refuses a compression ratio over 200:1 (zip bomb), but not on small entries', async () => {
    const bomb = await zipFile('bomb.zip', [{ name: 'a.txt', data: Buffer.alloc(4 * 1024 ** 2, 0x61), deflate: true }]);
    await expect(openZipTextEntries(bomb, 'bomb.zip')).rejects.toThrow(/bomb\.zip!\/a\.txt.*ratio \d+:1.*200:1/);
    const small = await zipFile('small.zip', [{ name: 'a.txt', data: Buffer.alloc(100_000, 0x61), deflate: true }]);
    expect(await openZipTextEntries(small, 'small.zip')).toHaveLength(1);
  });

  it('ignores media-only archives and rejects non-zip files', async () => {
    const p = await zipFile('media.zip', [{ name: 'IMG-20200101-WA0001.jpg', data: Buffer.from([1, 2, 3]) }]);
    expect(await openZipTextEntries(p, 'media.zip')).toEqual([]);
    const notZip = join(dir, 'not.zip');
    await writeFile(notZip, 'this is not a zip archive at all');
    await expect(openZipTextEntries(notZip, 'not.zip')).rejects.toThrow();
  });
});

// Found by the zip fuzz tests (test/fuzz/zip.fuzz.test.ts).
describe('openZipTextEntries on hostile archives', () => {
  it('refuses more than MAX_ZIP_TEXT_ENTRIES chat files (each would become a source, re-reading the archive)', async () => {
    const entries = Array.from({ length: MAX_ZIP_TEXT_ENTRIES + 1 }, (_, i) => ({ name: `c${i}.txt`, data: Buffer.from(CHAT) }));
    const p = await zipFile('many.zip', entries);
    await expect(openZipTextEntries(p, 'many.zip')).rejects.toThrow(`many.zip: more than ${MAX_ZIP_TEXT_ENTRIES} chat files`);
    // One fewer is fine, and the last entry streams intact.
    const ok = await zipFile('enough.zip', entries.slice(1));
    const srcs = await openZipTextEntries(ok, 'enough.zip');
    expect(srcs).toHaveLength(MAX_ZIP_TEXT_ENTRIES);
    expect((await readAll(srcs.at(-1)!)).toString()).toBe(CHAT);
  });

  it('names the archive and says it is damaged when yauzl cannot read it', async () => {
    const whole = makeZip([{ name: '_chat.txt', data: Buffer.from(CHAT) }]);
    const cut = join(dir, 'cut.zip');
    await writeFile(cut, whole.subarray(0, whole.length - 10));
    await expect(openZipTextEntries(cut, 'cut.zip')).rejects.toThrow(/^cut\.zip: damaged or truncated zip archive: /);
  });

  it('stops an entry whose content outgrows its declared size, with a clear error', async () => {
    const z = makeZip([{ name: '_chat.txt', data: Buffer.from(CHAT + 'x'.repeat(100_000)), deflate: true }]);
    // Declare 10 bytes in the local and central headers.
    for (let i = 0; i + 4 <= z.length; i++) {
      if (z.readUInt32LE(i) === 0x04034b50) z.writeUInt32LE(10, i + 22);
      else if (z.readUInt32LE(i) === 0x02014b50) z.writeUInt32LE(10, i + 24);
    }
    const p = join(dir, 'liar.zip');
    await writeFile(p, z);
    const [src] = await openZipTextEntries(p, 'liar.zip');
    await expect(readAll(src!)).rejects.toThrow(/^liar\.zip!\/_chat\.txt: entry holds more than its header declares/);
  });
});
