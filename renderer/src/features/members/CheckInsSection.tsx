import { useCallback, useMemo } from 'react';
import type { ECElementEvent } from 'echarts';
import { dailyBarOption, fillDays } from '../../../../shared/charts/retention';
import type { MembersView } from '../../api/retention-types';
import { EChart } from '../../charts/EChart';
import { useI18n } from '../../i18n/use-i18n';
import { useApp } from '../../state/app-state';
import { CsvButton, Kpi, SortTh, num, useCapped, useSort } from '../retention/table';

/** Check-ins (打卡/签到): who checks in, their streaks, and members checking in per day. */
export function CheckInsSection({ r }: { r: MembersView }) {
  const { t } = useI18n();
  const { go } = useApp();
  const rows = r.checkIns;
  const daily = useMemo(() => r.checkInDaily.map((d) => ({ day: d.day, value: d.members })), [r.checkInDaily]);
  const chart = useMemo(() => {
    const filled = fillDays(daily);
    return {
      option: dailyBarOption(daily, { value: t('members.ci.perDay') }),
      data: { header: [t('common.date'), t('members.ci.perDay')], rows: filled.map((d) => [d.day, d.value]) },
      days: filled.map((d) => d.day),
    };
  }, [daily, t]);
  const onClick = useCallback(
    (p: ECElementEvent) => {
      const d = chart.days[p.dataIndex];
      if (d) go('messages', { day: d });
    },
    [chart, go],
  );
  const { sorted, sort, toggle } = useSort(
    rows,
    { name: (x) => x.name, days: (x) => x.days, messages: (x) => x.messages, longest: (x) => x.longestStreak, current: (x) => x.currentStreak, last: (x) => x.lastDay },
    { key: 'days', dir: 'desc' },
  );
  const { shown, more } = useCapped(sorted, t);
  const best = rows.reduce<(typeof rows)[number] | null>((b, x) => (b === null || x.longestStreak > b.longestStreak ? x : b), null);

  return (
    <section data-testid="check-ins">
      <h2>{t('members.ci.title')}</h2>
      <p className="muted rt-note">{t('members.ci.note')}</p>
      {rows.length === 0 ? (
        <div className="state empty">{t('members.ci.none')}</div>
      ) : (
        <>
          <div className="cards">
            <Kpi label={t('members.ci.members')} value={num(rows.length)} />
            <Kpi label={t('members.ci.days')} value={num(rows.reduce((s, x) => s + x.days, 0))} />
            <Kpi label={t('members.ci.longest')} value={best ? `${num(best.longestStreak)} ${t('rt.unit.days')}` : '—'} sub={best?.name} />
            <Kpi label={t('members.ci.ongoing')} value={num(rows.filter((x) => x.currentStreak > 0).length)} />
          </div>
          <EChart title={t('members.ci.daily')} option={chart.option} data={chart.data} height={280} onClick={onClick} testId="checkin-chart" />
          <div className="rt-block">
            <div className="toolbar">
              <h3 className="rt-h3">{t('members.ci.table')}</h3>
              <span className="rt-spacer" />
              <CsvButton
                name="check-ins"
                header={[t('common.name'), t('members.ci.col.days'), t('members.ci.col.messages'), t('members.ci.col.longest'), t('members.ci.col.current'), t('members.ci.col.lastDay')]}
                rows={sorted.map((x) => [x.name, x.days, x.messages, x.longestStreak, x.currentStreak, x.lastDay])}
              />
            </div>
            <table className="grid rt-table" data-testid="checkin-table">
              <thead>
                <tr>
                  <SortTh k="name" sort={sort} toggle={toggle}>{t('common.name')}</SortTh>
                  <SortTh k="days" sort={sort} toggle={toggle} num>{t('members.ci.col.days')}</SortTh>
                  <SortTh k="messages" sort={sort} toggle={toggle} num>{t('members.ci.col.messages')}</SortTh>
                  <SortTh k="longest" sort={sort} toggle={toggle} num>{t('members.ci.col.longest')}</SortTh>
                  <SortTh k="current" sort={sort} toggle={toggle} num>{t('members.ci.col.current')}</SortTh>
                  <SortTh k="last" sort={sort} toggle={toggle}>{t('members.ci.col.lastDay')}</SortTh>
                </tr>
              </thead>
              <tbody>
                {shown.map((x) => (
                  <tr key={x.memberId} className="clickable" onClick={() => go('messages', { memberId: x.memberId, memberName: x.name })}>
                    <td className="rt-name">{x.name}</td>
                    <td className="num">{num(x.days)}</td>
                    <td className="num">{num(x.messages)}</td>
                    <td className="num">{num(x.longestStreak)}</td>
                    <td className="num">{x.currentStreak > 0 ? <strong className="rt-ok">{num(x.currentStreak)}</strong> : 0}</td>
                    <td>{x.lastDay}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {more}
          </div>
        </>
      )}
    </section>
  );
}
