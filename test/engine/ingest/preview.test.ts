import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mappingFromForm, parseMappingSpec } from '../../../shared/column-mapping.js';
import { bufferSource } from '../../../electron/engine/ingest/input.js';
import { guessTimeFormat, previewFile, previewSource, suggestRoles } from '../../../electron/engine/ingest/preview.js';

const FIXTURES = resolve(import.meta.dirname, '../../fixtures/generic');
const preview = (text: string | Uint8Array, o = {}) => previewSource(bufferSource('x', text), o);

describe('suggested roles from column names', () => {
  it.each([
    // English
    [['id', 'date', 'author_id', 'author', 'content', 'reply_to', 'channel', 'type'],
      { time: 'date', senderName: 'author', senderId: 'author_id', text: 'content', replyTo: 'reply_to', messageId: 'id', group: 'channel', kind: 'type' }],
    [['Timestamp', 'User Name', 'User ID', 'Message'], { time: 'Timestamp', senderName: 'User Name', senderId: 'User ID', text: 'Message' }],
    // 'id' alone is the sender's id when nothing better names one
    [['id', 'time', 'sender', 'text'], { time: 'time', senderName: 'sender', senderId: 'id', text: 'text' }],
    // JSON paths
    [['id', 'ts', 'author.id', 'author.name', 'content', 'reference.messageId'],
      { time: 'ts', senderName: 'author.name', senderId: 'author.id', text: 'content', messageId: 'id', replyTo: 'reference.messageId' }],
    // 中文
    [['时间', '发送者', '用户ID', '内容', '类型'], { time: '时间', senderName: '发送者', senderId: '用户ID', text: '内容', kind: '类型' }],
    [['日期', '昵称', 'QQ号', '消息', '群名', '回复'], { time: '日期', senderName: '昵称', senderId: 'QQ号', text: '消息', group: '群名', replyTo: '回复' }],
    // names that only contain a keyword
    [['Send Date (UTC)', 'Sender Nickname', 'Message Body'], { time: 'Send Date (UTC)', senderName: 'Sender Nickname', text: 'Message Body' }],
    [['a', 'b'], {}],
  ])('%j', (cols, expected) => {
    expect(suggestRoles(cols)).toEqual(expected);
  });
});

describe('time format guesses from sample values', () => {
  it.each([
    [['1714528800', '1714528860'], 'epoch-s'],
    [['1714528800000'], 'epoch-ms'],
    [['2024-05-01T10:00:00+08:00', '2024-05-01 10:01'], 'auto'],
    [['2024年5月1日 10:00'], 'auto'],
    [['01/05/2024 09:00', '13/05/2024 21:30'], 'DD/MM/YYYY HH:mm'],
    [['05/01/2024 09:00:10', '05/13/2024 21:30:00'], 'MM/DD/YYYY HH:mm:ss'],
    [['1/5/24, 3:04 PM', '2/5/24, 10:00 AM'], 'DD/MM/YY, h:mm A'],
    [['01.05.2024 09:00'], 'DD.MM.YYYY HH:mm'],
    [['01/05/2024'], 'DD/MM/YYYY'],
    [['next tuesday'], undefined],
    // most samples decide: one bad row does not hide the format
    [['2024-05-01 10:00', '2024-13-01 10:00', '2024-05-02 10:00'], 'auto'],
    [['05/13/2024 10:00', '05/14/2024 10:00', '13/05/2024 10:00'], 'MM/DD/YYYY HH:mm'],
    [['2024-05-01 10:00', 'x', 'y'], undefined],
    [['', ''], undefined],
  ])('%j → %s', (samples, f) => expect(guessTimeFormat(samples)).toBe(f));
});

describe('previewFile', () => {
  it('previews a CSV fixture: delimiter, columns, rows, suggestion', async () => {
    const p = await previewFile(resolve(FIXTURES, 'chat.csv'));
    expect(p.format).toBe('csv');
    expect(p.encoding).toBe('utf-8');
    expect(p.delimiter).toBe(',');
    expect(p.columns).toEqual(['id', 'date', 'author_id', 'author', 'content', 'reply_to', 'channel', 'type']);
    // 10 data rows (row 2 spans two lines); the last has 9 cells.
    expect(p.rows).toHaveLength(10);
    expect(p.rows[1]).toEqual(['2', '2024-05-01T10:01:30+08:00', 'u2', 'Bob', 'Multi\nline "quoted" reply', '1', 'general', '']);
    expect(p.rows[9]).toHaveLength(9);
    expect(p.suggested).toEqual({
      format: 'csv', delimiter: ',', time: 'date', senderName: 'author', senderId: 'author_id', text: 'content',
      replyTo: 'reply_to', messageId: 'id', group: 'channel', kind: 'type', timeFormat: 'auto',
    });
  });

  it('previews the Chinese semicolon fixture (BOM dropped, day-first times guessed)', async () => {
    const p = await previewFile(resolve(FIXTURES, 'zh-semicolon.csv'));
    expect(p.delimiter).toBe(';');
    expect(p.columns).toEqual(['时间', '发送者', '用户ID', '内容', '类型']);
    expect(p.rows).toHaveLength(5);
    // 13/05 and 14/05 prove day first; 05/13 (row 5) does not read that way, but 4 of 5 do.
    expect(p.suggested).toEqual({
      format: 'csv', delimiter: ';', time: '时间', senderName: '发送者', senderId: '用户ID', text: '内容', kind: '类型', timeFormat: 'DD/MM/YYYY HH:mm',
    });
  });

  it('previews JSON Lines: dotted paths of the first rows, in first-seen order', async () => {
    const p = await previewFile(resolve(FIXTURES, 'export.jsonl'));
    expect(p.format).toBe('jsonl');
    expect(p.delimiter).toBeNull();
    expect(p.columns).toEqual(['id', 'ts', 'author.id', 'author.name', 'text', 'chat', 'reply_to', 'attachments']);
    // 5 objects (blank line and "not json" skipped)
    expect(p.rows.map((r) => r[0])).toEqual(['1001', '1002', '1003', '1004', '1234567890123456789']);
    expect(p.rows[2]![7]).toBe('[]');
    expect(p.rows[0]![6]).toBe('');
    expect(p.suggested).toEqual({
      format: 'jsonl', time: 'ts', senderName: 'author.name', senderId: 'author.id', text: 'text', replyTo: 'reply_to', messageId: 'id', group: 'chat', timeFormat: 'epoch-s',
    });
  });

  it('honours a given delimiter and format, caps rows at 20, drops a cut last line', async () => {
    const csv = 'a,b;c\n' + Array.from({ length: 30 }, (_, i) => `${i},x;y`).join('\n') + '\n';
    const semi = await preview(csv, { delimiter: ';' });
    expect(semi.columns).toEqual(['a,b', 'c']);
    expect(semi.rows).toHaveLength(20);
    const big = 'time,name,text\n' + '2024-05-01 10:00,A,hello\n'.repeat(5000);
    const p = await preview(big);
    expect(p.rows).toHaveLength(20);
    const huge = 'time,name,text\n' + 'x'.repeat(70_000) + ',A,b\n';
    expect((await preview(huge)).rows).toEqual([]);
    expect((await preview('{"a":1}\n', { format: 'csv' })).format).toBe('csv');
  });

  it('refuses empty files and JSON arrays', async () => {
    await expect(preview('')).rejects.toThrow(/empty file/);
    await expect(preview('[{"a":1}]')).rejects.toThrow(/not JSON Lines/);
    await expect(preview('\n\n')).rejects.toThrow(/no text/);
  });
});

describe('mapping dialog choices (component-free)', () => {
  it('turns the suggestion into a valid mapping, and names what is missing', async () => {
    const p = await previewFile(resolve(FIXTURES, 'chat.csv'));
    const { format, timeFormat, delimiter, ...roles } = p.suggested;
    const r = mappingFromForm({ format: format!, roles, timeFormat: timeFormat ?? 'auto', delimiter });
    // 'auto' is the default, so it is left out.
    expect(r).toEqual({
      mapping: { format: 'csv', delimiter: ',', time: 'date', senderName: 'author', senderId: 'author_id', text: 'content', replyTo: 'reply_to', messageId: 'id', group: 'channel', kind: 'type' },
    });
    expect(mappingFromForm({ format: 'csv', roles: { time: 'a', text: '' }, timeFormat: 'auto' })).toEqual({ missing: ['senderName', 'text'], error: null });
    expect(mappingFromForm({ format: 'jsonl', roles: { time: 'a', senderName: 'b', text: 'c' }, timeFormat: 'DD/MM/YYYY hh:mm', delimiter: ';' })).toEqual({
      missing: [], error: 'time format "DD/MM/YYYY hh:mm" uses a 12-hour clock (h) without AM/PM (A)',
    });
  });

  it('reads --map specs (the CLI)', () => {
    expect(parseMappingSpec(['time=Date,sender=Author,sender-id=AuthorID,text=Content'], 'csv')).toEqual({
      mapping: { format: 'csv', time: 'Date', senderName: 'Author', senderId: 'AuthorID', text: 'Content' },
    });
    // Values may hold commas when what follows is not a key; --map may be repeated.
    expect(parseMappingSpec(['time=When,sender=Who,text=What,time-format=M/D/YY, h:mm A', 'delimiter=tab,reply=Re,id=Id,group=Chat,kind=Type'], 'csv')).toEqual({
      mapping: { format: 'csv', time: 'When', senderName: 'Who', text: 'What', timeFormat: 'M/D/YY, h:mm A', delimiter: '\t', replyTo: 'Re', messageId: 'Id', group: 'Chat', kind: 'Type' },
    });
    expect(parseMappingSpec(['time=t,sender=author.name,text=x,delimiter=,'], 'jsonl')).toEqual({
      mapping: { format: 'jsonl', time: 't', senderName: 'author.name', text: 'x', delimiter: ',' },
    });
    const errors: [string[], RegExp][] = [
      [['time=a,text=b'], /--map needs sender=<column>/],
      [['sender=a'], /--map needs time=<column>, text=<column>/],
      [['time=a,sender=b,text=c,colour=d'], /unknown key "colour"; keys: time, sender/],
      [['time=a,sender=b,text=c', 'time=d'], /"time" given twice/],
      [['time=a,sender=b,text='], /"text" needs a column/],
      [['time=a,sender=b,text=c,delimiter=x'], /delimiter is one of comma, semicolon, tab, pipe/],
      [['time=a,sender=b,text=c,time-format=YYYY-MM-DD hh:mm'], /timeFormat: .*12-hour clock/],
      [['time'], /expected key=column, found "time"/],
    ];
    for (const [spec, why] of errors) {
      const r = parseMappingSpec(spec, 'csv');
      expect('error' in r ? r.error : '').toMatch(why);
    }
  });
});
