import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './built.js';

/**
 * The renderer's export code (renderer/src/export), loaded at run time: it belongs to the web
 * TypeScript project, which the Node test project may not pull in, so its types are restated here.
 */
export type Cell = string | number | boolean | null | undefined;
export interface CellsModule {
  neutralise(v: Cell): string;
  isFormulaLike(s: string): boolean;
  csvCell(v: Cell): string;
  toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string;
}
export interface XlsxModule {
  XLSX_MAX_CELL: number;
  toXlsx(sheetName: string, header: readonly string[], rows: readonly (readonly Cell[])[]): Uint8Array;
}

const load = async <T>(file: string): Promise<T> => (await import(/* @vite-ignore */ pathToFileURL(join(ROOT, 'renderer', 'src', 'export', file)).href)) as T;

export const cells = await load<CellsModule>('cells.ts');
export const xlsx = await load<XlsxModule>('xlsx.ts');
