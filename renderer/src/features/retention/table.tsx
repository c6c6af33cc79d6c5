import { useMemo, useState, type ReactNode } from 'react';
import type { StringKey } from '../../i18n/strings';
import { useI18n } from '../../i18n/use-i18n';
import { download, safeFileName, toCsv, type Cell } from '../../export/csv';

/** Small table and format helpers shared by the Retention, Members and Compare pages. */

export type SortVal = string | number | boolean | null;
export type SortDir = 'asc' | 'desc';
export interface SortState<K extends string> {
  key: K;
  dir: SortDir;
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Compares two values; nulls always sort last, whatever the direction. */
export function compareVals(a: SortVal, b: SortVal, dir: SortDir): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const m = dir === 'asc' ? 1 : -1;
  if (typeof a === 'string' && typeof b === 'string') return m * collator.compare(a, b);
  return m * (Number(a) - Number(b));
}

/**
 * Sorted copy of `rows` by one of the `get` columns. The first click on a text column sorts A→Z,
 * on a number column largest first; clicking again flips.
 */
export function useSort<T, K extends string>(rows: readonly T[], get: Record<K, (r: T) => SortVal>, initial: SortState<NoInfer<K>>) {
  const [sort, setSort] = useState<SortState<K>>(initial);
  const sorted = useMemo(
    () => [...rows].sort((a, b) => compareVals(get[sort.key](a), get[sort.key](b), sort.dir)),
    // `get` is a fresh literal each render; the column key decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rows, sort],
  );
  const toggle = (key: K) =>
    setSort((s) => {
      if (s.key === key) return { key, dir: s.dir === 'asc' ? 'desc' : 'asc' };
      const first = rows.length > 0 ? get[key](rows[0]!) : null;
      return { key, dir: typeof first === 'string' ? 'asc' : 'desc' };
    });
  return { sorted, sort, toggle };
}

/** A sortable column header (a button, so it works from the keyboard). */
export function SortTh<K extends string>({ k, sort, toggle, children, num }: { k: K; sort: SortState<K>; toggle: (k: K) => void; children: ReactNode; num?: boolean }) {
  const active = sort.key === k;
  return (
    <th aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={num ? 'rt-num' : undefined}>
      <button type="button" className="rt-sort" onClick={() => toggle(k)}>
        {children}
        <span className="rt-arrow">{active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}

/** Rows shown so far, with a "show more" / "show less" control for long tables. */
export function useCapped<T>(rows: readonly T[], t: (k: StringKey) => string, step = 15) {
  const [limit, setLimit] = useState(step);
  const shown = rows.slice(0, limit);
  const more =
    rows.length <= step ? null : (
      <div className="rt-more">
        <span className="muted">{t('rt.showing')} {shown.length.toLocaleString()} {t('rt.of')} {rows.length.toLocaleString()}</span>
        {limit < rows.length && <button type="button" onClick={() => setLimit((l) => l + step * 3)}>{t('rt.showMore')}</button>}
        {limit > step && <button type="button" onClick={() => setLimit(step)}>{t('rt.showLess')}</button>}
      </div>
    );
  return { shown, more };
}

/** A KPI card. */
export function Kpi({ label, value, sub, testId }: { label: string; value: ReactNode; sub?: ReactNode; testId?: string }) {
  return (
    <div className="card" data-testid={testId}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {sub !== undefined && <div className="sub">{sub}</div>}
    </div>
  );
}

/** CSV download of a table that is not behind a chart. */
export function CsvButton({ name, header, rows }: { name: string; header: string[]; rows: Cell[][] }) {
  const { t } = useI18n();
  const save = () => download(`${safeFileName(name)}.csv`, new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }));
  return (
    <button type="button" className="rt-small" data-action="csv" onClick={save}>{t('export.csv')}</button>
  );
}

export const num = (n: number): string => n.toLocaleString();
export const pct = (x: number | null): string => (x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`);
export const dec = (x: number, digits = 1): string => x.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits });
/** `YYYY-MM-DD HH:MM` of an engine timestamp, or a dash. */
export const ts = (s: string | null): string => (s ? s.slice(0, 16) : '—');
export const day = (s: string | null): string => (s ? s.slice(0, 10) : '—');

/** Hours as minutes, hours or days, whichever reads best. */
export function duration(h: number | null, t: (k: StringKey) => string): string {
  if (h === null) return '—';
  if (h < 1) return `${Math.max(1, Math.round(h * 60))} ${t('rt.unit.min')}`;
  if (h < 48) return `${dec(h)} ${t('rt.unit.hour')}`;
  return `${dec(h / 24)} ${t('rt.unit.day')}`;
}

/**
 * Pooled month-k retention over cohorts: Σ active[k] / Σ size over the cohorts whose month k is
 * inside the data (null when none is).
 */
export function pooledRetention(cohorts: readonly { size: number; active: readonly number[] }[], k: number): number | null {
  let n = 0;
  let d = 0;
  for (const c of cohorts) {
    if (c.active.length <= k) continue;
    n += c.active[k]!;
    d += c.size;
  }
  return d === 0 ? null : n / d;
}
