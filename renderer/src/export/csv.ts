/**
 * CSV and XLSX export of tables. Cells that a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR) are neutralised with a leading apostrophe: chat text is data, never code.
 */
export type Cell = string | number | boolean | null | undefined;

export function neutralise(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const esc = (v: Cell) => {
    const s = neutralise(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  // BOM so Excel opens UTF-8 Chinese text correctly.
  return '\ufeff' + [header, ...rows].map((r) => r.map(esc).join(',')).join('\r\n') + '\r\n';
}

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

export const safeFileName = (s: string): string => s.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80) || 'qunxi';
