import { zipSync, strToU8 } from 'fflate';
import { neutralise, type Cell } from './cells';

/** Excel refuses (and "repairs") a workbook with a cell longer than this. */
export const XLSX_MAX_CELL = 32_767;

/**
 * Text for XML 1.0: markup escaped, and the characters XML forbids dropped (C0 controls other
 * than TAB/LF/CR, U+FFFE/U+FFFF, unpaired surrogates), or the workbook would not open.
 */
const xmlEsc = (s: string) =>
  s
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');

/** Cell text within Excel's limit, cut on a code-point boundary with a visible mark. */
function fit(s: string): string {
  if (s.length <= XLSX_MAX_CELL) return s;
  let end = XLSX_MAX_CELL - 1;
  if (/[\ud800-\udbff]/.test(s[end - 1]!)) end--;
  return s.slice(0, end) + '…';
}

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A minimal, valid .xlsx (one sheet, inline strings, numbers as numbers), built with fflate. */
export function toXlsx(sheetName: string, header: readonly string[], rows: readonly (readonly Cell[])[]): Uint8Array {
  const rowXml = (cells: readonly Cell[], r: number) =>
    `<row r="${r}">` +
    cells
      .map((v, c) => {
        const ref = `${colName(c)}${r}`;
        if (typeof v === 'number' && Number.isFinite(v)) return `<c r="${ref}"><v>${v}</v></c>`;
        return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEsc(fit(neutralise(v)))}</t></is></c>`;
      })
      .join('') +
    '</row>';
  const sheet =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    [header, ...rows].map((r, i) => rowXml(r, i + 1)).join('') +
    '</sheetData></worksheet>';
  // Sheet names: no \ / ? * [ ] :, no leading or trailing apostrophe, at most 31 characters.
  const name = xmlEsc(sheetName.replace(/[\\/?*[\]:]/g, ' ').replace(/^'+|'+$/g, '').slice(0, 31) || 'Sheet1');
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        `<sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
  });
}
