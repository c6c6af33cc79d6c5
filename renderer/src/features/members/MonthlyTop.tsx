import { useCallback, useMemo } from 'react';
import type { ECElementEvent } from 'echarts';
import { rankedBarHeight, rankedBarOption } from '../../../../shared/charts/options';
import type { MembersView } from '../../api/retention-types';
import { EChart } from '../../charts/EChart';
import { useI18n } from '../../i18n/use-i18n';
import { useApp } from '../../state/app-state';
import { CsvButton, num } from '../retention/table';

const RANKS = ['members.top.rank1', 'members.top.rank2', 'members.top.rank3'] as const;

/** Monthly top 3 by messages (reward mechanisms), and how often each member made it. */
export function MonthlyTop({ months }: { months: MembersView['monthlyTop'] }) {
  const { t } = useI18n();
  const { go } = useApp();
  const times = useMemo(() => {
    const by = new Map<number, { memberId: number; name: string; n: number; messages: number }>();
    for (const m of months)
      for (const e of m.top.slice(0, 3)) {
        const x = by.get(e.memberId) ?? { memberId: e.memberId, name: e.name, n: 0, messages: 0 };
        x.n++;
        x.messages += e.messages;
        by.set(e.memberId, x);
      }
    return [...by.values()].sort((a, b) => b.n - a.n || b.messages - a.messages || a.memberId - b.memberId);
  }, [months]);
  const option = useMemo(() => {
    const o = rankedBarOption(times.map((x) => ({ label: x.name, value: x.n })), { value: t('members.top.times') }, '#ffc60a');
    // The title names the axis; a name at the axis end would be clipped.
    return { ...o, xAxis: { type: 'value' as const, minInterval: 1 } };
  }, [times, t]);
  const onClick = useCallback(
    (p: ECElementEvent) => {
      const x = times[p.dataIndex];
      if (x) go('messages', { memberId: x.memberId, memberName: x.name });
    },
    [times, go],
  );
  if (months.length === 0) return null;
  const header = [t('members.top.month'), ...RANKS.flatMap((r) => [t(r), `${t(r)} ${t('common.messages')}`])];
  const rows = months.map((m) => [m.month, ...[0, 1, 2].flatMap((i) => [m.top[i]?.name ?? null, m.top[i]?.messages ?? null])]);
  return (
    <section data-testid="monthly-top">
      <h2>{t('members.top.title')}</h2>
      <p className="muted rt-note">{t('members.top.note')}</p>
      <div className="mb-topgrid">
        <div className="rt-block">
          <div className="toolbar">
            <h3 className="rt-h3">{t('members.top.byMonth')}</h3>
            <span className="rt-spacer" />
            <CsvButton name="monthly-top3" header={header} rows={rows} />
          </div>
          <table className="grid rt-table mb-top">
            <thead>
              <tr>
                <th>{t('members.top.month')}</th>
                {RANKS.map((r) => <th key={r}>{t(r)}</th>)}
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <td>{m.month}</td>
                  {[0, 1, 2].map((i) => {
                    const e = m.top[i];
                    return (
                      <td key={i} className={`mb-rank r${i + 1}`}>
                        {e && (
                          <button type="button" className="mb-link" onClick={() => go('messages', { memberId: e.memberId, memberName: e.name })}>
                            <span className="mb-medal">{i + 1}</span>
                            <span className="mb-link-name">{e.name}</span>
                            <span className="muted"> {num(e.messages)}</span>
                          </button>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <EChart
          title={t('members.top.times')}
          option={option}
          data={{ header: [t('common.name'), t('members.top.times'), t('common.messages')], rows: times.map((x) => [x.name, x.n, x.messages]) }}
          height={rankedBarHeight(times.length)}
          onClick={onClick}
          testId="top-times-chart"
        />
      </div>
    </section>
  );
}
