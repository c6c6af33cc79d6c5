import type { ReactNode } from 'react';
import type { StringKey } from '../../i18n/strings';
import { useI18n } from '../../i18n/use-i18n';
import { CsvButton, dec, num, pct, pooledRetention } from '../retention/table';
import type { CompareData, Side } from './ComparePage';

interface Row {
  key: StringKey;
  /** The number behind the cell (for CSV and for marking the highest), or null. */
  value: (g: number) => number | null;
  show: (v: number) => ReactNode;
  /** Mark the highest value of the row. */
  best?: boolean;
  text?: (g: number) => string | null;
}

/** The key figures of every group in one table: raw, per member, structure and retention. */
export function CompareKpis({ sides, activity, structure, retention }: { sides: Side[] } & CompareData) {
  const { t } = useI18n();
  const norm = new Map(activity.groups.map((g) => [g.groupId, g.normalised]));
  const str = new Map(structure.groups.map((g) => [g.groupId, g.result]));
  const ret = new Map(retention.groups.map((g) => [g.groupId, g.result]));
  const n = (g: number) => norm.get(g);
  const rows: Row[] = [
    { key: 'compare.k.messages', value: (g) => n(g)?.messages ?? null, show: num },
    { key: 'compare.k.known', value: (g) => n(g)?.membersKnown ?? null, show: num },
    { key: 'compare.k.active', value: (g) => n(g)?.activeMembers ?? null, show: num },
    { key: 'compare.k.activeShare', value: (g) => n(g)?.activeShare ?? null, show: pct, best: true },
    { key: 'compare.k.perMember', value: (g) => n(g)?.messagesPerMember ?? null, show: (v) => dec(v), best: true },
    { key: 'compare.k.perActive', value: (g) => n(g)?.messagesPerActiveMember ?? null, show: (v) => dec(v), best: true },
    { key: 'compare.k.perDay', value: (g) => n(g)?.messagesPerDay ?? null, show: (v) => dec(v), best: true },
    { key: 'compare.k.giniSenders', value: (g) => str.get(g)?.giniSenders ?? null, show: (v) => dec(v, 3) },
    { key: 'compare.k.giniAll', value: (g) => str.get(g)?.giniAll ?? null, show: (v) => dec(v, 3) },
    { key: 'compare.k.absence', value: (g) => str.get(g)?.absenceFactor ?? null, show: num },
    { key: 'compare.k.topShare', value: (g) => str.get(g)?.decidedBy.topShare ?? null, show: pct },
    {
      key: 'compare.k.shape',
      value: () => null,
      show: () => null,
      text: (g) => {
        const s = str.get(g)?.shape;
        return s ? t(`compare.shape.${s}`) : null;
      },
    },
    { key: 'compare.k.month1', value: (g) => pooledRetention(ret.get(g)?.cohorts ?? [], 1), show: pct, best: true },
    { key: 'compare.k.month2', value: (g) => pooledRetention(ret.get(g)?.cohorts ?? [], 2), show: pct, best: true },
    { key: 'compare.k.month3', value: (g) => pooledRetention(ret.get(g)?.cohorts ?? [], 3), show: pct, best: true },
    { key: 'compare.k.churned', value: (g) => ret.get(g)?.churned.length ?? null, show: num },
    {
      key: 'compare.k.medianDays',
      value: (g) => ret.get(g)?.survival.medianDays ?? null,
      show: num,
      // null with members followed means the curve never fell to 50%, not "unknown".
      text: (g) => {
        const s = ret.get(g)?.survival;
        if (!s) return null;
        return s.medianDays !== null ? num(s.medianDays) : s.subjects > 0 ? t('retention.kpi.medianNone') : null;
      },
    },
  ];
  const cell = (r: Row, g: number): string | number | null => (r.text ? r.text(g) : r.value(g));
  return (
    <div className="rt-block">
      <div className="toolbar">
        <span className="rt-spacer" />
        <CsvButton name="compare-kpis" header={[t('compare.metric'), ...sides.map((s) => s.label)]} rows={rows.map((r) => [t(r.key), ...sides.map((s) => cell(r, s.groupId))])} />
      </div>
      <div className="cp-scroll">
        <table className="grid rt-table cp-kpis" data-testid="compare-kpis">
          <thead>
            <tr>
              <th>{t('compare.metric')}</th>
              {sides.map((s) => <th key={s.groupId} className="rt-num cp-side">{s.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const vals = sides.map((s) => r.value(s.groupId));
              const max = r.best ? Math.max(...vals.map((v) => v ?? -Infinity)) : null;
              const marks = vals.filter((v) => v === max).length;
              return (
                <tr key={r.key}>
                  <td>{t(r.key)}</td>
                  {sides.map((s, i) => {
                    const v = vals[i] ?? null;
                    const txt = r.text?.(s.groupId);
                    const top = max !== null && v === max && marks < sides.length;
                    return (
                      <td key={s.groupId} className={top ? 'num cp-best' : 'num'}>
                        {r.text ? (txt ?? '—') : v === null ? '—' : r.show(v)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
