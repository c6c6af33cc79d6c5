/**
 * Table exports (renderer/src/export): formula injection and hostile chat text. A spreadsheet
 * must show every exported chat cell as text, whatever the cell starts with and whatever
 * separator the user's locale splits on; numbers stay numbers; XLSX stays a valid workbook.
 */
import { describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { cells as C, xlsx as X, type Cell } from './renderer-export.js';

const { csvCell, isFormulaLike, neutralise, toCsv } = C;
const { toXlsx, XLSX_MAX_CELL } = X;

/** RFC 4180 reader with a chosen delimiter: how Excel/LibreOffice split the file in that locale. */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') (f += '"'), i++;
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"' && f === '') q = true;
    else if (c === sep) row.push(f), (f = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(f), rows.push(row), (row = []), (f = ''), i++;
    } else f += c;
  }
  if (f !== '' || row.length) row.push(f), rows.push(row);
  return rows;
}

/** What a spreadsheet takes for a number when it reads an unquoted field. */
const NUMERIC = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

const HOSTILE = [
  '=HYPERLINK("http://x")',
  '+1',
  '-1+1',
  '@SUM(A1)',
  '\t=1',
  '\r=1',
  '=cmd|\' /C calc\'!A0',
  '-2',
  // A second "cell" in locales that split on ; or TAB, or after a line break.
  'safe;=1+1',
  'safe\t=1+1',
  'safe,=1+1',
  'line\n=1+1',
  '"=1"',
  '=',
];

describe('formula injection (OWASP rule)', () => {
  it.each(HOSTILE)('neutralises %j with a leading apostrophe when it starts like a formula', (s) => {
    const out = neutralise(s);
    if (isFormulaLike(s)) expect(out).toBe("'" + s);
    else expect(out).toBe(s);
  });

  it('covers exactly = + - @ TAB CR as first characters', () => {
    for (const c of ['=', '+', '-', '@', '\t', '\r']) expect(neutralise(c + 'x'), JSON.stringify(c)).toBe("'" + c + 'x');
    for (const c of ['a', ' ', '1', "'", '"', '#', '(', '＝', '\n']) expect(neutralise(c + 'x'), JSON.stringify(c)).toBe(c + 'x');
  });

  it('keeps numeric cells numbers: -1 in a numeric column is the number -1, not text', () => {
    expect(neutralise(-1)).toBe('-1');
    expect(neutralise(-0.25)).toBe('-0.25');
    expect(csvCell(-3)).toBe('-3');
    expect(neutralise(Number.NaN)).toBe('');
    expect(neutralise(Number.POSITIVE_INFINITY)).toBe('');
    expect(neutralise(null)).toBe('');
    expect(neutralise(true)).toBe('true');
    // Text that only looks numeric is still text (a chat message "-1").
    expect(neutralise('-1')).toBe("'-1");
  });

  it('no field of the CSV starts a formula when read as written (comma-separated, RFC 4180)', () => {
    const rows: Cell[][] = HOSTILE.map((h, i) => [i, -i, h, `${h};${h}`, `${h}\t${h}`, null]);
    const csv = toCsv(['=header', 'n', 'text', 'semicolon', 'tab', 'empty'], rows);
    expect(csv.startsWith('\ufeff')).toBe(true);
    const parsed = parseCsv(csv, ',');
    // The table round-trips, the apostrophe added only where the cell starts like a formula.
    expect(parsed).toHaveLength(HOSTILE.length + 1);
    expect(parsed[0]).toEqual(["'=header", 'n', 'text', 'semicolon', 'tab', 'empty']);
    HOSTILE.forEach((h, i) => expect(parsed[i + 1]).toEqual([String(i), String(-i), neutralise(h), neutralise(`${h};${h}`), neutralise(`${h}\t${h}`), '']));
    for (const row of parsed) for (const field of row) expect(NUMERIC.test(field) || !isFormulaLike(field), JSON.stringify(field)).toBe(true);
  });

  it('quotes every cell holding a separator of any locale (, ; TAB) or a line break', () => {
    for (const s of ['a,b', 'a;b', 'a\tb', 'a\nb', 'a\rb', 'a"b']) expect(csvCell(s), JSON.stringify(s)).toMatch(/^".*"$/s);
    expect(csvCell('plain 文本')).toBe('plain 文本');
    // Documented limit (RELIABILITY.md): a spreadsheet that splits THIS comma file on ';' or TAB
    // (a locale whose list separator is ';', opened by double-click) reads `x;=1` mid-row as a new
    // unquoted field; the XLSX export has no such reading and is the one to use there.
  });

  it('XLSX: hostile text is an inline string with the apostrophe, numbers are numeric cells', () => {
    const x = sheetOf(toXlsx('messages', ['text', 'n'], HOSTILE.map((h, i) => [h, -i])));
    expect(x).not.toMatch(/<f>|<f\s/);
    const cells = cellsOf(x);
    expect(cells[0]).toEqual([{ t: 's', v: 'text' }, { t: 's', v: 'n' }]);
    HOSTILE.forEach((h, i) => {
      const [text, n] = cells[i + 1]!;
      expect(text).toEqual({ t: 's', v: xmlClean(neutralise(h)) });
      expect(n).toEqual({ t: 'n', v: String(-i) });
    });
  });
});

const sheetOf = (xlsx: Uint8Array) => strFromU8(unzipSync(xlsx)['xl/worksheets/sheet1.xml']!);
const unXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
/** What XML 1.0 can carry: the exporter drops C0 controls other than TAB/LF/CR. */
const xmlClean = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

/** Rows of cells of a sheet: inline strings (t: 's') and numbers (t: 'n'). */
function cellsOf(sheet: string): { t: 's' | 'n'; v: string }[][] {
  return [...sheet.matchAll(/<row r="\d+">([\s\S]*?)<\/row>/g)].map((r) =>
    [...r[1]!.matchAll(/<c r="[A-Z]+\d+"( t="inlineStr")?>(?:<is><t xml:space="preserve">([\s\S]*?)<\/t><\/is>|<v>([^<]*)<\/v>)<\/c>/g)].map((c) =>
      c[1] ? { t: 's' as const, v: unXml(c[2]!) } : { t: 'n' as const, v: c[3]! },
    ),
  );
}

/** Whether `s` is text XML 1.0 accepts (after escaping): no forbidden characters, tags balanced. */
function xmlTextOk(s: string): boolean {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s)) return false;
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) return false;
  return !/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(s);
}

describe('hostile chat text in exports shows as text', () => {
  const big = '长'.repeat(50_000) + 'x'.repeat(50_000); // 100 000 characters, ~200 kB of UTF-8
  const texts = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '</t></is></c><c><f>1+1</f></c>',
    ']]><!--',
    '\u202Eevil.exe\u202C and \u2066isolated\u2069 \u200F',
    'nul\u0000 bell\u0007 esc\u001b del\u007f ff\u000c',
    'lone \ud800 surrogate and \udc00 too; pair 😀 ok',
    'tab\tnewline\ncr\rcrlf\r\n',
    '\ufeffBOM inside',
    big,
  ];

  it('CSV keeps every character, quoted where needed (100 kB messages included)', () => {
    const csv = toCsv(['who', 'text'], texts.map((t) => ['Mallory\u202E', t]));
    const rows = parseCsv(csv, ',');
    expect(rows.slice(1).map((r) => r[1])).toEqual(texts.map((t) => neutralise(t)));
    expect(rows.slice(1).every((r) => r[0] === 'Mallory\u202E')).toBe(true);
    expect(rows[texts.length]![1]).toHaveLength(100_000);
  });

  it('XLSX stays well-formed: markup escaped, forbidden characters dropped, long cells cut to Excel\'s limit', () => {
    const sheet = sheetOf(toXlsx('messages', ['who', 'text'], texts.map((t) => ['Mallory\u202E', t])));
    expect(sheet).not.toContain('<script');
    expect(sheet).not.toContain('<f>');
    expect(sheet).not.toContain('<img');
    const inner = [...sheet.matchAll(/<t xml:space="preserve">([\s\S]*?)<\/t>/g)].map((m) => m[1]!);
    expect(inner).toHaveLength(2 * (texts.length + 1));
    for (const t of inner) expect(xmlTextOk(t), t.slice(0, 40)).toBe(true);
    const cells = cellsOf(sheet).slice(1).map((r) => r[1]!.v);
    expect(cells[0]).toBe('<script>alert(1)</script>');
    expect(cells[2]).toBe('</t></is></c><c><f>1+1</f></c>');
    expect(cells[4]).toBe('\u202Eevil.exe\u202C and \u2066isolated\u2069 \u200F');
    expect(cells[5]).toBe('nul bell esc del\u007f ff');
    expect(cells[6]).toBe('lone  surrogate and  too; pair 😀 ok');
    expect(cells[7]).toBe('tab\tnewline\ncr\rcrlf\r\n');
    expect(cells[9]).toHaveLength(XLSX_MAX_CELL);
    expect(cells[9]!.endsWith('…')).toBe(true);
    expect(cells[9]!.startsWith('长'.repeat(100))).toBe(true);
  });

  it('XLSX cut never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(20_000); // 40 000 UTF-16 units
    const v = cellsOf(sheetOf(toXlsx('s', ['t'], [[emoji]])))[1]![0]!.v;
    expect(v.length).toBeLessThanOrEqual(XLSX_MAX_CELL);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(v)).toBe(false);
  });

  it('XLSX sheet names are valid whatever the caller passes', () => {
    const wb = strFromU8(unzipSync(toXlsx("'a/b:c*?[d]<e>&\"f'", ['x'], []))['xl/workbook.xml']!);
    const name = /<sheet name="([^"]*)"/.exec(wb)![1]!;
    expect(unXml(name)).toBe('a b c   d <e>&"f');
    expect(unXml(name).length).toBeLessThanOrEqual(31);
  });
});
