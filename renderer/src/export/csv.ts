/**
 * CSV and XLSX export of tables. Cells that a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR) are neutralised with a leading apostrophe: chat text is data, never code.
 * The rules live in cells.ts (no DOM); this module adds the browser download.
 */
export { neutralise, toCsv, csvCell, isFormulaLike, type Cell } from './cells';

export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

/**
 * A file name from user text: no path or reserved characters, and no control or bidi-override
 * characters (U+202E would make `…exe.csv` display as `…vsc.exe`).
 */
export const safeFileName = (s: string): string =>
  s.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80) || 'qunxi';
