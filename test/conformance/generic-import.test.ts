import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { main, mappingArg } from '../../electron/cli/main.js';
import { engineHandlers } from '../../electron/engine/host/handlers.js';
import type { Engine } from '../../electron/engine/engine.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const FIX = resolve(ROOT, 'test/fixtures/generic');
const run = promisify(execFile);

/** `qunxi import <file> --db <fresh> --json …` as a user would run it; stdout, stderr and exit code. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string; db: string }> {
  const db = join(mkdtempSync(join(tmpdir(), 'qunxi-generic-')), 'lib.duckdb');
  try {
    const r = await run(TSX, ['electron/cli/main.ts', 'import', ...args, '--db', db, '--json'], { cwd: ROOT, encoding: 'utf8' });
    return { code: 0, out: r.stdout, err: r.stderr, db };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr, db };
  }
}
/** Five CLI runs share two cores with the other test files. */
const SLOW = 180_000;
const summary = (out: string) =>
  (JSON.parse(out) as { groups: Record<string, unknown>[] }).groups.map(({ file: _f, ...g }) => g);

describe('qunxi import --map over the generic fixtures', () => {
  // The runs are independent: start them together (each spends most of its time starting up).
  const runs = {
    chat: cli([join(FIX, 'chat.csv'), '--map', 'time=date,sender=author,sender-id=author_id,text=content,reply=reply_to,id=id,group=channel,kind=type']),
    zh: cli([join(FIX, 'zh-semicolon.csv'), '--map', 'time=时间,sender=发送者,sender-id=用户ID,text=内容', '--map', 'kind=类型,time-format=DD/MM/YYYY HH:mm,delimiter=semicolon']),
    jsonl: cli([join(FIX, 'export.jsonl'), '--map', 'time=ts,sender=author.name,sender-id=author.id,text=text,reply=reply_to,id=id,group=chat,time-format=epoch-s']),
    badColumn: cli([join(FIX, 'chat.csv'), '--map', 'time=Datum,sender=author,text=content']),
    wrongTimes: cli([join(FIX, 'zh-semicolon.csv'), '--map', 'time=时间,sender=发送者,text=内容']),
  };

  it('chat.csv: two channels, an event, four rejects', async () => {
    const r = await runs.chat;
    expect(r.code).toBe(0);
    // general: ids 1–3 (u1, u2); random: ids 4–5 (u3, u2) and id 8, a system row (event other).
    // Rejected lines 8, 9, 11, 12 each follow a random record (lines 7, 7, 10, 10), so they count there.
    expect(summary(r.out)).toEqual([
      { format: 'generic-csv', group: 'general', messages: 3, senders: 2, events: {}, rejected: 0, from: '2024-05-01 10:00:00', to: '2024-05-01 10:02:00' },
      { format: 'generic-csv', group: 'random', messages: 2, senders: 2, events: { other: 1 }, rejected: 4, from: '2024-05-01 10:03:00', to: '2024-05-01 10:04:00' },
    ]);
  }, SLOW);

  it('zh-semicolon.csv: one conversation named after the file, day-first times', async () => {
    const r = await runs.zh;
    expect(r.code).toBe(0);
    // Rows 2, 3, 4, 6 by 1001, 1002, 1001, 1003; row 5 (05/13/2024) is month 13.
    expect(summary(r.out)).toEqual([
      { format: 'generic-csv', group: 'zh-semicolon', messages: 4, senders: 3, events: {}, rejected: 1, from: '2024-05-01 09:00:00', to: '2024-05-14 08:00:00' },
    ]);
  }, SLOW);

  it('export.jsonl: format from the extension, nested paths, epoch seconds', async () => {
    const r = await runs.jsonl;
    expect(r.code).toBe(0);
    // dev: lines 1–2 (Alice, Bob); ops: lines 4 and 7 (Alice, Eve); lines 5–6 rejected after line 4.
    expect(summary(r.out)).toEqual([
      { format: 'generic-jsonl', group: 'dev', messages: 2, senders: 2, events: {}, rejected: 0, from: '2024-05-01 02:00:00', to: '2024-05-01 02:01:00' },
      { format: 'generic-jsonl', group: 'ops', messages: 2, senders: 2, events: {}, rejected: 2, from: '2024-05-01 02:02:00', to: '2024-05-01 02:04:00' },
    ]);
  }, SLOW);

  it('names a column the header lacks, and the first reason when no row reads', async () => {
    const bad = await runs.badColumn;
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('chat.csv:1: no column "Datum" (time) in the header; columns: id, date, author_id, author, content, reply_to, channel, type');
    const times = await runs.wrongTimes;
    expect(times.code).toBe(1);
    expect(times.err).toMatch(/zh-semicolon\.csv:2: no row could be read with this column mapping; the first: unparseable time "01\/05\/2024 09:00"/);
  }, SLOW);
});

describe('--map usage errors (before anything is opened)', () => {
  const csv = join(FIX, 'chat.csv');
  it.each([
    [['import', csv, '--db', 'x', '--map', 'time=date,text=content'], /--map needs sender=<column>/],
    [['import', csv, '--db', 'x', '--map', 'time=date,sender=author,text=content,colour=red'], /unknown key "colour"/],
    [['import', csv, '--db', 'x', '--map', 'time=a,sender=b,text=c,time-format=YYYY-MM-DD hh:mm'], /12-hour clock/],
    [['import', csv, '--db', 'x', '--map', 'time=a,sender=b,text=c', '--map-format', 'xml'], /--map-format is csv or jsonl, not 'xml'/],
    [['import', csv, '--db', 'x', '--map-format', 'csv'], /--map-format needs --map/],
    [['import', csv, '--db', 'x', '--format', 'generic-csv'], /--format generic-csv needs --map/],
    [['import', csv, '--db', 'x', '--format', 'generic-jsonl', '--map', 'time=a,sender=b,text=c', '--map-format', 'csv'], /conflicts with --map/],
    [['import', csv, '--db', 'x', '--format', 'qq-txt', '--map', 'time=a,sender=b,text=c'], /--format qq-txt conflicts with --map/],
  ])('%j', async (argv, why) => {
    await expect(main(argv)).rejects.toThrow(why);
  });

  it('takes the format from --map-format, --format, the extension, else the content', async () => {
    const spec = ['time=a,sender=b,text=c'];
    expect((await mappingArg(spec, 'jsonl', [csv]))!.format).toBe('jsonl');
    expect((await mappingArg(spec, undefined, [join(FIX, 'export.jsonl')]))!.format).toBe('jsonl');
    expect((await mappingArg(spec, undefined, [csv]))!.format).toBe('csv');
    const dir = mkdtempSync(join(tmpdir(), 'qunxi-map-'));
    writeFileSync(join(dir, 'dump.txt'), '{"a":1}\n');
    writeFileSync(join(dir, 'table.txt'), 'a,b,c\n1,2,3\n');
    expect((await mappingArg(spec, undefined, [join(dir, 'dump.txt')]))!.format).toBe('jsonl');
    expect((await mappingArg(spec, undefined, [join(dir, 'table.txt')]))!.format).toBe('csv');
    await expect(mappingArg(spec, undefined, [join(dir, 'missing.txt')])).rejects.toThrow(/cannot tell whether .*missing\.txt is CSV or JSON Lines.*--map-format/);
    expect(await mappingArg(undefined, undefined, [csv])).toBeUndefined();
  });
});

describe('Engine API: importFiles mapping and previewFile', () => {
  const calls: unknown[] = [];
  const fake = { import: async (paths: string[], opts: Record<string, unknown>) => (calls.push({ paths, ...opts, signal: undefined, onProgress: undefined }), 'ok') };
  const h = engineHandlers(fake as unknown as Engine, { version: 't', demo: false, allowPath: (p) => !p.includes('secret') });
  const ctx = { signal: new AbortController().signal, progress: () => undefined };
  const good = { format: 'csv', time: 'date', senderName: 'author', text: 'content' };

  it.each([
    [{ ...good, format: 'xlsx' }, /mapping\.format/],
    [{ ...good, time: '' }, /mapping\.time/],
    [{ format: 'csv', time: 'a', text: 'b' }, /mapping\.senderName/],
    [{ ...good, timeFormat: 'YYYY-MM-DD QQ' }, /mapping\.timeFormat unknown token "QQ"/],
    [{ ...good, delimiter: ':' }, /mapping\.delimiter/],
    [{ ...good, colour: 'red' }, /mapping/],
    ['time=a', /mapping/],
  ])('refuses the mapping %j', async (mapping, why) => {
    await expect(h.importFiles({ paths: ['/x.csv'], mapping }, ctx)).rejects.toThrow(why);
    await expect(h.importFiles({ paths: ['/x.csv'], mapping }, ctx)).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('passes a valid mapping through with the generic format it implies', async () => {
    calls.length = 0;
    expect(await h.importFiles({ paths: ['/x.csv'], mapping: { ...good, timeFormat: 'DD/MM/YYYY HH:mm', delimiter: ';' } }, ctx)).toBe('ok');
    expect(await h.importFiles({ paths: ['/y.jsonl'], format: 'generic-jsonl', mapping: { ...good, format: 'jsonl' } }, ctx)).toBe('ok');
    expect(await h.importFiles({ paths: ['/z.txt'] }, ctx)).toBe('ok');
    expect(calls).toEqual([
      { paths: ['/x.csv'], format: 'generic-csv', mapping: { ...good, timeFormat: 'DD/MM/YYYY HH:mm', delimiter: ';' } },
      { paths: ['/y.jsonl'], format: 'generic-jsonl', mapping: { ...good, format: 'jsonl' } },
      { paths: ['/z.txt'], format: undefined, mapping: undefined },
    ]);
    await expect(h.importFiles({ paths: ['/x.csv'], format: 'generic-csv' }, ctx)).rejects.toThrow(/needs a column mapping/);
    await expect(h.importFiles({ paths: ['/x.csv'], format: 'qq-txt', mapping: good }, ctx)).rejects.toThrow(/conflicts with a csv column mapping/);
  });

  it('previews allowed paths only, with validated options', async () => {
    const p = (await h.previewFile({ path: join(FIX, 'zh-semicolon.csv') }, ctx)) as { columns: string[] };
    expect(p.columns).toEqual(['时间', '发送者', '用户ID', '内容', '类型']);
    await expect(h.previewFile({ path: '/secret.csv' }, ctx)).rejects.toThrow(/path not allowed/);
    await expect(h.previewFile({ path: join(FIX, 'chat.csv'), delimiter: ':' }, ctx)).rejects.toThrow(/previewFile: invalid request: delimiter/);
    await expect(h.previewFile({ path: join(FIX, 'chat.csv'), format: 'xml' }, ctx)).rejects.toThrow(/format/);
  });
});
