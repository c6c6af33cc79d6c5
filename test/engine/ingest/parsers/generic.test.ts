import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ColumnMappingSchema, compileTimePattern, type ColumnMapping } from '../../../../shared/column-mapping.js';
import { genericParser } from '../../../../electron/engine/ingest/parsers/generic.js';
import { detectDelimiter, looseKind, quoteBigInts, timeParser } from '../../../../electron/engine/ingest/parsers/generic-map.js';
import { FormatError, type EventRecord, type GroupRecord, type MessageRecord, type ParsedRecord, type RejectRecord } from '../../../../electron/engine/ingest/types.js';
import { events, groups, messages, parseAll, rejects, sniffOf } from '../../../helpers/parse.js';

const FIXTURES = resolve(import.meta.dirname, '../../../fixtures/generic');
const fixture = (name: string) => readFile(resolve(FIXTURES, name));

const map = (m: Omit<ColumnMapping, 'format'> & { format?: ColumnMapping['format'] }): ColumnMapping =>
  ColumnMappingSchema.parse({ format: 'csv', ...m });
const CSV = map({ time: 'time', senderName: 'name', text: 'text' });

const msgs = (rs: ParsedRecord[]) => messages(rs) as MessageRecord[];
const rejs = (rs: ParsedRecord[]) => (rejects(rs) as RejectRecord[]).map((r) => [r.line, r.reason]);
const brief = (m: MessageRecord) => [m.line, m.time, m.sender.id, m.sender.name, m.kind, m.text];

// ---------------------------------------------------------------------------------------------

describe('time formats', () => {
  // [format, value, wall time, utcMs]; instants worked out by hand: 2024-05-01T00:00:00Z is
  // 1714521600 s (19844 days since 1970: 54 years incl. 13 leap days = 19723, + Jan–Apr 2024 = 121).
  const D0 = 1714521600000;
  const OK: [string, string, string, number | null][] = [
    ['auto', '2024-05-01 10:00:00', '2024-05-01 10:00:00', null],
    ['auto', '2024-05-01T10:00', '2024-05-01 10:00:00', null],
    ['auto', '2024/5/1 9:05:07', '2024-05-01 09:05:07', null],
    ['auto', '2024.05.01 21:30', '2024-05-01 21:30:00', null],
    ['auto', '2024年5月1日 10:00', '2024-05-01 10:00:00', null],
    ['auto', '2024-05-01', '2024-05-01 00:00:00', null],
    ['auto', '2024-05-01 3:04 PM', '2024-05-01 15:04:00', null],
    ['auto', '2024-05-01T10:00:00+08:00', '2024-05-01 10:00:00', D0 + 2 * 3600_000],
    ['auto', '2024-05-01T02:00:00.123Z', '2024-05-01 02:00:00', D0 + 2 * 3600_000],
    ['auto', '2024-04-30 20:00:00 -0600', '2024-04-30 20:00:00', D0 + 2 * 3600_000],
    ['auto', '1714528800', '2024-05-01 02:00:00', D0 + 7200_000],
    ['auto', '1714528800123', '2024-05-01 02:00:00', D0 + 7200_123],
    ['auto', '1714528800.5', '2024-05-01 02:00:00', D0 + 7200_500],
    ['iso', '2024-05-01T10:00:00+08:00', '2024-05-01 10:00:00', D0 + 2 * 3600_000],
    ['iso', '2024-05-01 10:00:00', '2024-05-01 10:00:00', null],
    ['epoch-s', '1714528800', '2024-05-01 02:00:00', D0 + 7200_000],
    ['epoch-ms', '1714528800000', '2024-05-01 02:00:00', D0 + 7200_000],
    ['epoch-ms', '86400000', '1970-01-02 00:00:00', 86400000],
    ['DD/MM/YYYY HH:mm', '01/05/2024 09:00', '2024-05-01 09:00:00', null],
    ['DD/MM/YYYY HH:mm', '1/5/2024 9:00', '2024-05-01 09:00:00', null],
    ['DD/MM/YYYY HH:mm', '01/05/2024   09:00', '2024-05-01 09:00:00', null],
    ['MM/DD/YY, h:mm A', '05/01/24, 3:04 PM', '2024-05-01 15:04:00', null],
    ['M/D/YY h:mm a', '5/1/24 12:30 am', '2024-05-01 00:30:00', null],
    ['YYYY-MM-DD A h:mm', '2024-05-01 下午 3:04', '2024-05-01 15:04:00', null],
    ['YYYYMMDDHHmmss', '20240501100509', '2024-05-01 10:05:09', null],
    ['DD.MM.YYYY HH:mm:ss.SSS', '01.05.2024 10:00:01.250', '2024-05-01 10:00:01', null],
    ['YYYY-MM-DD[T]HH:mm:ssZ', '2024-05-01T10:00:00+08:00', '2024-05-01 10:00:00', D0 + 2 * 3600_000],
    ['YYYY年M月D日 HH时mm分', '2024年5月1日 10时05分', '2024-05-01 10:05:00', null],
  ];
  it.each(OK)('%s reads %j', (f, v, time, utcMs) => {
    expect(timeParser(f)(v)).toEqual({ time, utcMs });
  });

  const BAD: [string, string, RegExp][] = [
    ['auto', '01/05/2024 09:00', /give a time format such as DD\/MM\/YYYY/],
    ['auto', 'yesterday', /unparseable time "yesterday"/],
    ['auto', '2024-02-30 10:00', /out of range/],
    ['auto', '20240501100509', /epoch time .* out of range/], // 14 digits: read as ms, year 2611
    ['auto', '2024-05-01 13:04 PM', /hour 13 with AM\/PM/],
    ['iso', '2024/05/01 10:00', /expected ISO 8601/],
    ['epoch-s', '2024-05-01', /expected epoch seconds/],
    ['epoch-s', '-5', /expected epoch seconds/],
    ['epoch-ms', 'abc', /expected epoch milliseconds/],
    ['DD/MM/YYYY HH:mm', '05/13/2024 21:31', /out of range/],
    ['DD/MM/YYYY HH:mm', '01/05/2024 09:00:00', /does not match the format "DD\/MM\/YYYY HH:mm"/],
    ['DD/MM/YYYY HH:mm', '01-05-2024 09:00', /does not match/],
    ['YYYY-MM-DD HH:mmZ', '2024-05-01 10:00+25:00', /does not match/],
  ];
  it.each(BAD)('%s refuses %j', (f, v, why) => {
    const r = timeParser(f)(v);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
  });

  it.each([
    ['YYYY-MM-DD HH:mm', null],
    ['DD/MM/YY', null],
    ['YYYY-MM-DD hh:mm', /12-hour clock/],
    ['YYYY-MM HH:mm', /no day/],
    ['YYYY-MM-DD HH:mm QQ', /unknown token "QQ"/],
    ['YYYY-MM-DD HH:mm [oops', /unclosed \[/],
    ['YYYY-MM-DD YYYY', /year field twice|Y field twice/],
  ])('pattern %j', (p, why) => {
    const r = compileTimePattern(p);
    if (why === null) expect(Array.isArray(r)).toBe(true);
    else expect(r).toMatch(why);
  });
});

describe('loose kinds', () => {
  it.each([
    ['image', { message: 'image' }], ['Photo', { message: 'image' }], ['图片', { message: 'image' }], ['image/png', { message: 'image' }],
    ['VOICE', { message: 'voice' }], ['audio/ogg', { message: 'voice' }], ['语音', { message: 'voice' }],
    ['video', { message: 'video' }], ['视频', { message: 'video' }], ['document', { message: 'file' }], ['文件', { message: 'file' }],
    ['url', { message: 'link' }], ['sticker', { message: 'sticker' }], ['表情', { message: 'sticker' }],
    ['text', { message: 'text' }], ['文本', { message: 'text' }], ['location', { message: 'other' }],
    ['system', { event: 'other' }], ['系统消息', { event: 'other' }], ['join', { event: 'join' }], ['撤回', { event: 'recall' }],
  ])('%j', (v, k) => expect(looseKind(v)).toEqual(k));
});

describe('helpers', () => {
  it.each([
    ['a,b,c', ','], ['a;b;c', ';'], ['a\tb\tc', '\t'], ['a|b|c', '|'], ['"x;y",b,c', ','], ['single', ','], ['a;b,c', ','],
  ])('delimiter of %j', (h, d) => expect(detectDelimiter(h)).toBe(d));

  it('quotes 16+ digit integers outside strings only', () => {
    expect(quoteBigInts('{"id":1234567890123456789,"s":"1234567890123456789","n":12}')).toBe('{"id":"1234567890123456789","s":"1234567890123456789","n":12}');
    expect(quoteBigInts('{"a":[-12345678901234567,1.5e300]}')).toBe('{"a":["-12345678901234567",1.5e300]}');
    expect(quoteBigInts('{"s":"esc \\" 12345678901234567"}')).toBe('{"s":"esc \\" 12345678901234567"}');
  });
});

// ---------------------------------------------------------------------------------------------

describe('generic CSV', () => {
  it('is never chosen by sniffing', async () => {
    expect(await sniffOf(genericParser(CSV), 'time,name,text\n2024-05-01 10:00,A,hi\n')).toBe(0);
    expect(genericParser(CSV).format).toBe('generic-csv');
    expect(genericParser({ ...CSV, format: 'jsonl' }).format).toBe('generic-jsonl');
    expect(genericParser(CSV).platform).toBe('other');
  });

  it('reads quotes, doubled quotes, delimiters and line breaks inside quoted fields', async () => {
    const csv = [
      'time,name,text', // 1
      '2024-05-01 10:00,Alice,"Hello, world"', // 2
      '2024-05-01 10:01,"Bob ""B"" Jr","two', // 3
      'lines, ""quoted"""', // 4
      '', // 5 blank: skipped
      '2024-05-01 10:02, Carol ,plain', // 6
    ].join('\r\n');
    const rs = await parseAll(genericParser(CSV), csv, 'x.csv');
    expect(msgs(rs).map(brief)).toEqual([
      [2, '2024-05-01 10:00:00', null, 'Alice', 'text', 'Hello, world'],
      [3, '2024-05-01 10:01:00', null, 'Bob "B" Jr', 'text', 'two\r\nlines, "quoted"'],
      [6, '2024-05-01 10:02:00', null, 'Carol', 'text', 'plain'],
    ]);
    // One conversation, named after the file by the loader.
    expect(groups(rs)).toEqual([{ type: 'group', key: '', platform: 'other', externalId: null, name: '', chatType: 'unknown' }]);
    expect(rejects(rs)).toEqual([]);
  });

  it('takes the delimiter from the mapping, else from the header line', async () => {
    const semi = 'time;name;text\n2024-05-01 10:00;Alice;"a; b"\n';
    expect(msgs(await parseAll(genericParser(map({ ...CSV, delimiter: ';' })), semi)).map((m) => m.text)).toEqual(['a; b']);
    expect(msgs(await parseAll(genericParser(CSV), semi)).map((m) => m.text)).toEqual(['a; b']);
    const tab = 'time\tname\ttext\n2024-05-01 10:00\tAlice\tx,y\n';
    expect(msgs(await parseAll(genericParser(CSV), tab)).map((m) => m.text)).toEqual(['x,y']);
    const pipe = '\n\ntime|name|text\n2024-05-01 10:00|Alice|p\n'; // leading blank lines
    expect(msgs(await parseAll(genericParser(CSV), pipe)).map((m) => [m.line, m.text])).toEqual([[4, 'p']]);
  });

  it('matches header names exactly, then ignoring case, and names a missing column', async () => {
    const rs = await parseAll(genericParser(CSV), 'TIME,Name,Text\n2024-05-01 10:00,A,hi\n');
    expect(msgs(rs)).toHaveLength(1);
    await expect(parseAll(genericParser(map({ ...CSV, senderId: 'uid' })), 'time,name,text\n2024-05-01 10:00,A,hi\n')).rejects.toThrow(
      /no column "uid" \(sender id\) in the header; columns: time, name, text/,
    );
    await expect(parseAll(genericParser(CSV), 'time;name;text\n', 'x.csv')).resolves.toBeDefined();
    await expect(parseAll(genericParser(map({ ...CSV, delimiter: ',' })), 'time;name;text\n2024-05-01 10:00;A;hi\n')).rejects.toThrow(
      /one column only: is the delimiter right/,
    );
  });

  it('maps every role: ids, replies, message ids, groups, kinds and events', async () => {
    const m = map({ time: 't', senderName: 'who', senderId: 'uid', text: 'body', replyTo: 're', messageId: 'mid', group: 'room', kind: 'k' });
    const csv = [
      't,uid,who,body,re,mid,room,k', // 1
      '2024-05-01 10:00,u1,Alice,hi,,m1,dev,', // 2
      '2024-05-01 10:01,u2,,re: hi,m1,m2,dev,text', // 3 name empty: the id stands in
      '2024-05-01 10:02,u1,Alice,https://example.com/a?b=1,,m3,ops,', // 4 URL only
      '2024-05-01 10:03,u1,Alice,[图片],,m4,ops,', // 5 placeholder
      '2024-05-01 10:04,u2,Bob,cat.jpg,,m5,,photo', // 6 empty group: the file's own
      '2024-05-01 10:05,,,Bob joined,,,ops,join', // 7 event without actor
      '2024-05-01 10:06,u3,Eve,shared a place,,m7,ops,location', // 8 unknown kind
    ].join('\n');
    const rs = await parseAll(genericParser(m), csv);
    expect(groups(rs).map((g) => (g as GroupRecord).key)).toEqual(['dev', 'ops', '']);
    // Each group is declared before the first record naming it.
    const order = rs.filter((r) => r.type !== 'reject').map((r) => (r.type === 'group' ? `g:${r.key}` : r.group));
    expect(order).toEqual(['g:dev', 'dev', 'dev', 'g:ops', 'ops', 'ops', 'g:', '', 'ops', 'ops']);
    expect(msgs(rs).map((x) => [x.line, x.externalId, x.sender.id, x.sender.name, x.kind, x.replyTo, x.group])).toEqual([
      [2, 'm1', 'u1', 'Alice', 'text', null, 'dev'],
      [3, 'm2', 'u2', 'u2', 'text', 'm1', 'dev'],
      [4, 'm3', 'u1', 'Alice', 'link', null, 'ops'],
      [5, 'm4', 'u1', 'Alice', 'image', null, 'ops'],
      [6, 'm5', 'u2', 'Bob', 'image', null, ''],
      [8, 'm7', 'u3', 'Eve', 'other', null, 'ops'],
    ]);
    expect(events(rs)).toEqual([
      { type: 'event', group: 'ops', line: 7, time: '2024-05-01 10:05:00', utcMs: null, kind: 'join', actor: null, subjects: [], text: 'Bob joined' },
    ]);
  });

  it('a join or leave row names who joined or left (the subject); other events name who did it', async () => {
    const m = map({ time: 't', senderName: 'who', senderId: 'uid', text: 'body', kind: 'k' });
    const csv = [
      't,uid,who,body,k',
      '2024-05-01 10:00,u7,Gina,Gina joined,join', // 2 Gina's membership starts
      '2024-05-01 10:01,u7,Gina,Gina left,退群', // 3 … and ends
      '2024-05-01 10:02,u1,Alice,Alice pinned a message,pin', // 4 Alice did it
    ].join('\n');
    const rs = (await parseAll(genericParser(m), csv)) as EventRecord[];
    expect(events(rs).map((e) => [(e as EventRecord).kind, (e as EventRecord).actor, (e as EventRecord).subjects])).toEqual([
      ['join', null, [{ id: 'u7', name: 'Gina' }]],
      ['leave', null, [{ id: 'u7', name: 'Gina' }]],
      ['pin', { id: 'u1', name: 'Alice' }, []],
    ]);
  });

  it('rejects rows with a reason and keeps going', async () => {
    const csv = [
      'time,name,text', // 1
      ',Alice,no time', // 2
      '   ,Alice,blank time', // 3
      'soon,Alice,bad time', // 4
      '2024-05-01 10:00,,no sender', // 5
      '2024-05-01 10:01,Bob,ok', // 6
      '2024-05-01 10:02,Bob', // 7 too few fields
      '2024-05-01 10:03,Bob,"x"y', // 8 text after a closing quote
      '2024-05-01 10:04,Bob,fine', // 9
    ].join('\n');
    const rs = await parseAll(genericParser(CSV), csv);
    expect(rejs(rs)).toEqual([
      [2, 'missing time (column "time")'],
      [3, 'missing time (column "time")'],
      [4, 'unparseable time "soon": automatic reading takes year-first dates and epoch numbers; give a time format such as DD/MM/YYYY HH:mm'],
      [5, 'missing sender (column "name")'],
      [7, 'expected 3 fields, found 2'],
      [8, 'text after a closing quote'],
    ]);
    expect((rejects(rs) as RejectRecord[])[0]!.raw).toBe(',Alice,no time');
    expect(msgs(rs).map((m) => m.line)).toEqual([6, 9]);
  });

  it('gives up with the first reason when no row can be read (a wrong mapping)', async () => {
    const csv = 'time,name,text\n01/05/2024 10:00,A,x\n02/05/2024 10:00,B,y\n';
    await expect(parseAll(genericParser(CSV), csv, 'f.csv')).rejects.toThrow(FormatError);
    await expect(parseAll(genericParser(CSV), csv, 'f.csv')).rejects.toThrow(/f\.csv:2: no row could be read with this column mapping; the first: unparseable time "01\/05\/2024 10:00"/);
    // The same rows read with the right pattern.
    const ok = await parseAll(genericParser(map({ ...CSV, timeFormat: 'DD/MM/YYYY HH:mm' })), csv);
    expect(msgs(ok).map((m) => m.time)).toEqual(['2024-05-01 10:00:00', '2024-05-02 10:00:00']);
    // A long file stops early instead of reading to the end.
    const many = 'time,name,text\n' + 'bad,A,x\n'.repeat(300) + '2024-05-01 10:00,A,x\n';
    await expect(parseAll(genericParser(CSV), many)).rejects.toThrow(/the first 200 rows could not be read/);
  });

  it('batches large files', async () => {
    const rows = Array.from({ length: 4500 }, (_, i) => `2024-05-01 10:00:${String(i % 60).padStart(2, '0')},U${i % 7},m${i}`);
    const p = genericParser(CSV);
    const { bufferSource, prepareInput } = await import('../../../../electron/engine/ingest/input.js');
    const { input } = await prepareInput(bufferSource('big.csv', 'time,name,text\n' + rows.join('\n')));
    const sizes: number[] = [];
    let n = 0;
    for await (const b of p.parse(input)) {
      sizes.push(b.length);
      n += b.filter((r) => r.type === 'message').length;
    }
    expect(n).toBe(4500);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2001);
  });
});

// ---------------------------------------------------------------------------------------------

describe('generic JSONL', () => {
  const J = map({ format: 'jsonl', time: 'ts', senderName: 'author.name', senderId: 'author.id', text: 'content', replyTo: 'ref.id', messageId: 'id', group: 'chat.title' });

  it('reads nested paths, numbers, big ids and keys with dots', async () => {
    const jl = [
      '{"id":1,"ts":"2024-05-01T10:00:00+08:00","author":{"id":42,"name":" Alice "},"content":"hi","chat":{"title":"dev"}}', // 1
      '{"id":1234567890123456789,"ts":1714528860,"author":{"id":"7","name":"Bob"},"content":"yo","ref":{"id":1},"chat":{"title":"dev"}}', // 2
      '', // 3
      '{"id":"x","ts":"2024-05-01 10:02","author.name":"Dotted","content":{"rich":true},"chat":{}}', // 4 literal dotted key; object text
    ].join('\n');
    const rs = await parseAll(genericParser(J), jl, 'x.jsonl');
    expect(msgs(rs).map((m) => [m.line, m.externalId, m.sender.id, m.sender.name, m.time, m.utcMs, m.text, m.replyTo, m.group])).toEqual([
      [1, '1', '42', 'Alice', '2024-05-01 10:00:00', 1714528800000, 'hi', null, 'dev'],
      [2, '1234567890123456789', '7', 'Bob', '2024-05-01 02:01:00', 1714528860000, 'yo', '1', 'dev'],
      [4, 'x', null, 'Dotted', '2024-05-01 10:02:00', null, '{"rich":true}', null, ''],
    ]);
  });

  it('rejects bad lines and rows; refuses a file that is not JSON Lines', async () => {
    const jl = [
      '{"ts":"2024-05-01 10:00","author":{"name":"A"},"content":"ok"}', // 1
      '{"ts":"2024-05-01 10:01","author":{"name":"A"},"content":', // 2 cut short
      '[1,2]', // 3
      '{"author":{"name":"A"},"content":"no ts"}', // 4
      '{"ts":"2024-05-01 10:03","author":{},"content":"no author"}', // 5
      '{"ts":"2024-05-01 10:04","author":{"name":"B"},"content":"ok"}', // 6
    ].join('\n');
    const rs = await parseAll(genericParser(J), jl);
    expect(rejs(rs).map(([l, r]) => [l, String(r).replace(/:.*/, '')])).toEqual([
      [2, 'malformed JSON'], [3, 'not a JSON object'], [4, 'missing time (column "ts")'], [5, 'missing sender (column "author.name")'],
    ]);
    expect(msgs(rs).map((m) => m.line)).toEqual([1, 6]);
    await expect(parseAll(genericParser(J), '[{"ts":1}]', 'a.json')).rejects.toThrow(/a\.json:1: not JSON Lines/);
  });
});

// ---------------------------------------------------------------------------------------------
// Fixture files written for these tests (test/fixtures/generic/), counted by reading them.

describe('fixtures', () => {
  it('chat.csv (comma, ISO times with offset, every role)', async () => {
    // 11 records on 12 lines (row 2 spans lines 3–4). Messages: ids 1–5 (lines 2,3,5,6,7).
    // Event: id 8 (line 10, type system, no sender). Rejects: line 8 no date, line 9 no author
    // nor author_id, line 11 month 13, line 12 nine fields. general: ids 1–3 by u1,u2;
    // random: ids 4,5 by u3,u2.
    const m = map({ time: 'date', senderName: 'author', senderId: 'author_id', text: 'content', replyTo: 'reply_to', messageId: 'id', group: 'channel', kind: 'type' });
    const rs = await parseAll(genericParser(m), await fixture('chat.csv'), 'chat.csv');
    expect(msgs(rs).map((x) => [x.line, x.externalId, x.sender.id, x.kind, x.group, x.time, x.utcMs, x.replyTo])).toEqual([
      [2, '1', 'u1', 'text', 'general', '2024-05-01 10:00:00', 1714528800000, null],
      [3, '2', 'u2', 'text', 'general', '2024-05-01 10:01:30', 1714528890000, '1'],
      [5, '3', 'u1', 'link', 'general', '2024-05-01 10:02:00', 1714528920000, null],
      [6, '4', 'u3', 'image', 'random', '2024-05-01 10:03:00', 1714528980000, null],
      [7, '5', 'u2', 'image', 'random', '2024-05-01 10:04:00', 1714529040000, null],
    ]);
    expect(msgs(rs)[1]!.text).toBe('Multi\nline "quoted" reply');
    expect((events(rs) as EventRecord[]).map((e) => [e.line, e.kind, e.actor, e.group, e.text])).toEqual([[10, 'other', null, 'random', 'Carol joined']]);
    expect(rejs(rs).map(([l]) => l)).toEqual([8, 9, 11, 12]);
  });

  it('zh-semicolon.csv (BOM, CRLF, ; delimiter, Chinese headers, DD/MM/YYYY)', async () => {
    // Rows 2–6; row 5 "05/13/2024" is month 13 under DD/MM. Row 4 has no text and 类型 图片.
    const m = map({ time: '时间', senderName: '发送者', senderId: '用户ID', text: '内容', kind: '类型', timeFormat: 'DD/MM/YYYY HH:mm' });
    const rs = await parseAll(genericParser(m), await fixture('zh-semicolon.csv'), 'zh-semicolon.csv');
    expect(msgs(rs).map(brief)).toEqual([
      [2, '2024-05-01 09:00:00', '1001', '张三', 'text', '大家好'],
      [3, '2024-05-01 09:05:00', '1002', '李四', 'text', '早; 今天开会吗'],
      [4, '2024-05-13 21:30:00', '1001', '张三', 'image', ''],
      [6, '2024-05-14 08:00:00', '1003', '王五', 'text', '收到'],
    ]);
    expect(rejs(rs)).toEqual([[5, 'time out of range: "05/13/2024 21:31"']]);
  });

  it('export.jsonl (nested author, epoch seconds, a 19-digit id)', async () => {
    // Lines 1,2 (dev), 4 and 7 (ops) are messages; line 3 blank; line 5 not JSON; line 6 no ts.
    // 1714528800 = 2024-05-01 02:00:00 UTC (see the time-format cases).
    const m = map({ format: 'jsonl', time: 'ts', senderName: 'author.name', senderId: 'author.id', text: 'text', replyTo: 'reply_to', messageId: 'id', group: 'chat', timeFormat: 'epoch-s' });
    const rs = await parseAll(genericParser(m), await fixture('export.jsonl'), 'export.jsonl');
    expect(msgs(rs).map((x) => [x.line, x.externalId, x.sender.id, x.sender.name, x.group, x.time, x.replyTo, x.kind])).toEqual([
      [1, '1001', '111', 'Alice', 'dev', '2024-05-01 02:00:00', null, 'text'],
      [2, '1002', '222', 'Bob', 'dev', '2024-05-01 02:01:00', '1001', 'text'],
      [4, '1003', '111', 'Alice', 'ops', '2024-05-01 02:02:00', null, 'text'],
      [7, '1234567890123456789', '333', 'Eve', 'ops', '2024-05-01 02:04:00', null, 'text'],
    ]);
    expect(rejs(rs).map(([l]) => l)).toEqual([5, 6]);
  });
});
