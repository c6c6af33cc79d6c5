/**
 * Spreadsheet cells without DOM: formula-injection neutralising and CSV text. Kept apart from
 * the download helper so the rules are testable under Node.
 *
 * Rule (OWASP "CSV injection"): a TEXT cell whose first character is = + - @ TAB or CR gets a
 * leading apostrophe, so Excel, LibreOffice and Sheets show it as text instead of running it.
 * NUMBER cells are values, not text: a numeric column's -3 stays the number -3 (the exporters
 * pass numbers as numbers). Text that merely looks numeric ("-1" typed in a chat) is text and is
 * neutralised like any other.
 */
export type Cell = string | number | boolean | null | undefined;

/** First characters that make a spreadsheet treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

export const isFormulaLike = (s: string): boolean => FORMULA_START.test(s);

export function neutralise(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return String(v);
  const s = String(v);
  return isFormulaLike(s) ? "'" + s : s;
}

/**
 * A cell is quoted when it holds a quote, a line break or ANY common separator (, ; TAB): a
 * spreadsheet in a locale that splits on ';' or TAB must not cut the cell into pieces whose own
 * first character (`a;=cmd…`) would escape the check above.
 */
const NEEDS_QUOTES = /[",;\t\n\r]/;

export function csvCell(v: Cell): string {
  const s = neutralise(v);
  return NEEDS_QUOTES.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** RFC 4180 CSV with CRLF rows and a BOM (so Excel reads UTF-8 Chinese text correctly). */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines: string[] = new Array(rows.length + 1);
  lines[0] = header.map(csvCell).join(',');
  for (let i = 0; i < rows.length; i++) lines[i + 1] = rows[i]!.map(csvCell).join(',');
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
