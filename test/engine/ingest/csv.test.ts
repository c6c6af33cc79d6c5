import { describe, expect, it } from 'vitest';
import { csvRecords, firstCsvRecord, type CsvOptions, type CsvRecord } from '../../../electron/engine/ingest/csv.js';
import { bufferSource, prepareInput } from '../../../electron/engine/ingest/input.js';

async function readAll(text: string, opts?: CsvOptions): Promise<CsvRecord[]> {
  const { input } = await prepareInput(bufferSource('t.csv', text));
  const out: CsvRecord[] = [];
  for await (const b of csvRecords(input.lines(), opts)) out.push(...b);
  return out;
}

const brief = (rs: CsvRecord[]) => rs.map((r) => ({ line: r.line, fields: r.fields, error: r.error }));

describe('csvRecords', () => {
  const cases: Array<{ name: string; text: string; want: Array<{ line: number; fields: string[]; error?: string | null }> }> = [
    {
      name: 'plain rows, CRLF, line numbers',
      text: 'a,b,c\r\n1,2,3\r\n',
      want: [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', '2', '3'] },
      ],
    },
    {
      name: 'quoted delimiter and "" escapes',
      text: 'x,"he said ""hi"", then left",y\n',
      want: [{ line: 1, fields: ['x', 'he said "hi", then left', 'y'] }],
    },
    {
      name: 'embedded LF newline: record starts on its first line, next record on line 4',
      text: 'h1,h2\n1,"第一行\n第二行\n第三行"\n2,ok\n',
      want: [
        { line: 1, fields: ['h1', 'h2'] },
        { line: 2, fields: ['1', '第一行\n第二行\n第三行'] },
        { line: 5, fields: ['2', 'ok'] },
      ],
    },
    {
      name: 'embedded CRLF is kept as written',
      text: '1,"a\r\nb",c\r\n',
      want: [{ line: 1, fields: ['1', 'a\r\nb', 'c'] }],
    },
    {
      name: 'empty fields: trailing, quoted empty, all empty',
      text: 'a,b,\n"",x,""\n,,\n',
      want: [
        { line: 1, fields: ['a', 'b', ''] },
        { line: 2, fields: ['', 'x', ''] },
        { line: 3, fields: ['', '', ''] },
      ],
    },
    {
      name: 'blank lines between records are skipped; blank lines inside quotes are kept',
      text: 'a\n\n"x\n\ny"\n\nb\n',
      want: [
        { line: 1, fields: ['a'] },
        { line: 3, fields: ['x\n\ny'] },
        { line: 7, fields: ['b'] },
      ],
    },
    {
      name: 'a quote inside an unquoted field is literal',
      text: 'say "hi",2\n',
      want: [{ line: 1, fields: ['say "hi"', '2'] }],
    },
    {
      name: 'text after a closing quote flags the record',
      text: '"ab"cd,e\nok,1\n',
      want: [
        { line: 1, fields: ['abcd', 'e'], error: 'text after a closing quote' },
        { line: 2, fields: ['ok', '1'] },
      ],
    },
    {
      name: 'quoted field ending the line after a comma, then a new field on the next line',
      text: '"a,b","c\nd"\n',
      want: [{ line: 1, fields: ['a,b', 'c\nd'] }],
    },
    {
      name: 'unterminated quote at end of file: first line is bad, the rest is re-read',
      text: '1,"oops\n2,fine\n3,also fine',
      want: [
        { line: 1, fields: [], error: 'unterminated quoted field' },
        { line: 2, fields: ['2', 'fine'] },
        { line: 3, fields: ['3', 'also fine'] },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const got = brief(await readAll(c.text));
      expect(got).toEqual(c.want.map((w) => ({ line: w.line, fields: w.fields, error: w.error ?? null })));
    });
  }

  it('raw is the record as written, lines joined with their own terminators', async () => {
    const rs = await readAll('1,"a\r\nb\nc",d\r\n2,e\r\n');
    expect(rs.map((r) => r.raw)).toEqual(['1,"a\r\nb\nc",d', '2,e']);
  });

  it('a quote left open longer than maxRecordLines resyncs on the next line', async () => {
    const rs = await readAll('1,"bad\n2,x\n3,y\n4,z\n5,"ok\nstill"\n', { maxRecordLines: 3 });
    expect(brief(rs)).toEqual([
      { line: 1, fields: [], error: 'unterminated quoted field' },
      { line: 2, fields: ['2', 'x'], error: null },
      { line: 3, fields: ['3', 'y'], error: null },
      { line: 4, fields: ['4', 'z'], error: null },
      { line: 5, fields: ['5', 'ok\nstill'], error: null },
    ]);
  });

  it('multi-line quoted fields survive 4 KiB chunk boundaries', async () => {
    const long = '长'.repeat(3000); // 9000 bytes: crosses two chunk boundaries
    const rs = await readAll(`a,b\n1,"${long}\n${long}"\n2,end\n`);
    expect(rs).toHaveLength(3);
    expect(rs[1]!.fields[1]).toBe(`${long}\n${long}`);
    expect(rs[2]).toMatchObject({ line: 4, fields: ['2', 'end'] });
  });

  it('custom delimiter', async () => {
    expect(brief(await readAll('a;"b;c"\n', { delimiter: ';' }))).toEqual([{ line: 1, fields: ['a', 'b;c'], error: null }]);
  });
});

describe('firstCsvRecord', () => {
  it('reads the header row only', () => {
    expect(firstCsvRecord('Time,Sender\r\n2024,x\r\n')).toEqual(['Time', 'Sender']);
    expect(firstCsvRecord('only,one')).toEqual(['only', 'one']);
    expect(firstCsvRecord('"open,\n')).toBeNull();
    expect(firstCsvRecord('')).toBeNull();
  });
});

// Found by the fuzz tests (test/fuzz): each `""` escape became a string piece of its own, so a
// 10 MB run of quotes held over 100 MB. Escapes are now undone per piece of line.
describe('csvRecords: "" escapes in bulk', () => {
  it.each([
    // `"` + 2n quotes + `"`: n escaped quotes in one field
    ['a field of only escapes', '"' + '""'.repeat(5) + '",x\n', [['"'.repeat(5), 'x']]],
    ['escapes spread over two lines', 'a,"x""\ny""z"\n', [['a', 'x"\ny"z']]],
    ['an escape right before the closing quote, then more fields', '"a""""",b,"""c"\n', [['a""', 'b', '"c']]],
    ['odd run of quotes ends the field; the rest is text after the quote', '"""",b\n', [['"', 'b']]],
  ])('%s', async (_n, text, fields) => {
    expect((await readAll(text)).map((r) => r.fields)).toEqual(fields);
  });

  it('a 10 MB quoted field of escapes reads whole and quickly', async () => {
    const n = 5 * 2 ** 20;
    const text = 'h\n"' + '""'.repeat(n) + '",end\n';
    const t0 = performance.now();
    const rs = await readAll(text);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(rs.map((r) => [r.line, r.fields.length, r.fields[0]!.length, r.fields[1]])).toEqual([[1, 1, 1, undefined], [2, 2, n, 'end']]);
  });
});

describe('csvRecords: open quote bounded by size', () => {
  // Found by the fuzz review (test/fuzz): maxRecordLines bounds lines, not characters, so an
  // open quote over a few huge lines could hold hundreds of MB. maxRecordChars bounds those.
  it('a quote left open over more than maxRecordChars resyncs on the next line', async () => {
    // line 1 is 53 characters, line 2 50: 103 > 80 once line 2 is added.
    const rs = await readAll(`1,"${'a'.repeat(50)}\n${'b'.repeat(50)}\n2,x\n`, { maxRecordChars: 80 });
    expect(brief(rs)).toEqual([
      { line: 1, fields: [], error: 'unterminated quoted field' },
      { line: 2, fields: ['b'.repeat(50)], error: null },
      { line: 3, fields: ['2', 'x'], error: null },
    ]);
  });

  it('under the bound the quoted field spans the lines as usual', async () => {
    const rs = await readAll(`1,"${'a'.repeat(30)}\n${'b'.repeat(30)}"\n2,x\n`, { maxRecordChars: 80 });
    expect(brief(rs)).toEqual([
      { line: 1, fields: ['1', `${'a'.repeat(30)}\n${'b'.repeat(30)}`], error: null },
      { line: 3, fields: ['2', 'x'], error: null },
    ]);
  });
});
