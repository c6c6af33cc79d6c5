import { useCallback, useMemo, useState } from 'react';
import type { ECElementEvent, EChartsOption } from 'echarts';
import { activitySeriesOption, calendarHeight, calendarOption, heatmapOption, WEEKDAYS } from '../../../../shared/charts/options';
import { fill, fmtNum, fmtPct, perMemberOption, roomyHeatmap, sortMark, sortRows, sparkPath, toggleSort, type SortState } from '../../../../shared/charts/analysis';
import type { ActivityView, Granularity } from '../../api/analysis-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';
import { Conversations } from './Conversations';
import './activity.css';

const GRANS: Granularity[] = ['day', 'week', 'month'];

/**
 * Data within one year: the calendar covers the months with data only, with square cells, so a
 * four-month export is not lost in an empty year.
 */
function compactCalendar(o: EChartsOption, days: ActivityView['calendar']): EChartsOption {
  const first = days[0]?.day;
  const last = days.at(-1)?.day;
  if (!first || !last || first.slice(0, 4) !== last.slice(0, 4) || !Array.isArray(o.calendar)) return o;
  const end = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const weeks = (Date.parse(end) - Date.parse(`${first.slice(0, 7)}-01`)) / (7 * 86_400_000);
  return { ...o, calendar: [{ ...o.calendar[0], range: [`${first.slice(0, 7)}-01`, end], top: 44, left: 64, right: 16, cellSize: ['auto', weeks <= 30 ? 26 : 16] }] };
}

/** Activity: volume and active members over time, weekly rhythm, calendar, who carries it, and conversations. */
export function ActivityPage() {
  const { filters, groupId, go } = useApp();
  const { t, lang } = useI18n();
  const [gran, setGran] = useState<Granularity>('day');
  const f = filtersFor(filters, groupId);
  const on = groupId !== null;
  const act = useMetric<ActivityView>('activity', f, { granularity: gran, topMembers: 10 }, on);
  const a = act.data;

  const seriesOpt = useMemo(() => a && activitySeriesOption(a.series, { messages: t('common.messages'), members: t('overview.active') }), [a, t]);
  const heatOpt = useMemo(() => a && roomyHeatmap(heatmapOption(a.heatmap, { weekdays: WEEKDAYS[lang], messages: t('common.messages') })), [a, lang, t]);
  const years = useMemo(() => new Set((a?.calendar ?? []).map((d) => d.day.slice(0, 4))).size, [a]);
  const calOpt = useMemo(() => a && compactCalendar(calendarOption(a.calendar, { messages: t('common.messages'), lang }), a.calendar), [a, lang, t]);
  const periods = useMemo(() => (a?.series ?? []).map((p) => p.period), [a]);
  const memberOpt = useMemo(() => a && perMemberOption(periods, a.perMember), [a, periods]);

  const onPeriod = useCallback((p: ECElementEvent) => gran === 'day' && p.name && go('messages', { day: p.name }), [go, gran]);
  const onCell = useCallback((p: ECElementEvent) => {
    const d = p.data as [number, number, number];
    go('messages', { weekday: d[1], hour: d[0] });
  }, [go]);
  const onDay = useCallback((p: ECElementEvent) => {
    const d = p.data as [string, number];
    go('messages', { day: d[0] });
  }, [go]);
  const onMember = useCallback((p: ECElementEvent) => {
    const m = a?.perMember[p.seriesIndex ?? -1];
    if (m) go('messages', { memberId: m.memberId, memberName: m.name });
  }, [a, go]);

  if (!on) return <div><h1>{t('activity.title')}</h1><div className="banner">{t('an.noGroup')}</div></div>;
  const gName = lang === 'en' ? t(`common.${gran}`).toLowerCase() : t(`common.${gran}`);

  return (
    <div className="activity" data-testid="activity-page">
      <h1>{t('activity.title')}</h1>
      <p className="muted an-intro">{t('activity.intro')}</p>
      <div className="toolbar">
        <span className="muted">{t('activity.granularity')}</span>
        <div className="an-seg" role="group" aria-label={t('activity.granularity')}>
          {GRANS.map((g) => (
            <button key={g} type="button" className={g === gran ? 'active' : ''} aria-pressed={g === gran} data-gran={g} onClick={() => setGran(g)}>{t(`common.${g}`)}</button>
          ))}
        </div>
      </div>
      <Load state={act} empty={(x) => x.series.length === 0}>
        {(x) => (
          <>
            <Kpis a={x} gName={gName} />
            <EChart title={gran === 'day' ? t('activity.seriesDay') : `${t('activity.series')} · ${gName}`} option={seriesOpt!} height={320} onClick={onPeriod} testId="activity-series"
              data={{ header: ['period', 'messages', 'active members'], rows: x.series.map((p) => [p.period, p.messages, p.members]) }} />
            <div className="grid2">
              <EChart title={t('activity.heatmap')} option={heatOpt!} height={300} onClick={onCell} testId="activity-heatmap"
                data={{ header: ['weekday', ...Array.from({ length: 24 }, (_, h) => String(h))], rows: x.heatmap.map((r, wd) => [WEEKDAYS[lang][wd]!, ...r]) }} />
              <EChart title={t('activity.calendar')} option={calOpt!} height={Math.max(300, calendarHeight(years))} onClick={onDay} testId="activity-calendar"
                data={{ header: ['day', 'messages'], rows: x.calendar.map((d) => [d.day, d.messages]) }} />
            </div>
            <EChart title={t('activity.perMember')} option={memberOpt!} height={340} onClick={onMember} testId="activity-members-chart"
              data={{ header: ['member', ...periods], rows: x.perMember.map((m) => [m.name, ...m.counts]) }} />
            <MemberTable a={x} />
          </>
        )}
      </Load>
      <Conversations />
    </div>
  );
}

function Kpis({ a, gName }: { a: ActivityView; gName: string }) {
  const { t, lang } = useI18n();
  const peak = a.series.reduce((b, p) => (p.messages > b.messages ? p : b), a.series[0]!);
  const avgMembers = a.series.reduce((s, p) => s + p.members, 0) / Math.max(1, a.series.length);
  let best = { wd: 0, h: 0, n: -1 };
  a.heatmap.forEach((row, wd) => row.forEach((n, h) => n > best.n && (best = { wd, h, n })));
  const first = a.calendar[0]?.day;
  const last = a.calendar.at(-1)?.day;
  const span = first && last ? Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000) + 1 : 0;
  const cards: Array<[string, string, string]> = [
    [t('activity.peak'), a.granularity === 'month' ? peak.period.slice(0, 7) : peak.period, fill(t('activity.peakSub'), { n: fmtNum(peak.messages) })],
    [t('activity.avgMembers'), fmtNum(avgMembers, 1), fill(t('activity.avgMembersSub'), { g: gName })],
    [t('activity.busiest'), `${WEEKDAYS[lang][best.wd]} ${best.h}:00`, fill(t('activity.busiestSub'), { n: fmtNum(best.n) })],
    [t('activity.activeDays'), fmtNum(a.calendar.length), fill(t('activity.activeDaysSub'), { n: fmtNum(span), p: fmtPct(span ? a.calendar.length / span : null) })],
  ];
  return (
    <div className="cards" data-testid="activity-kpis">
      {cards.map(([label, value, sub]) => (
        <div className="card" key={label}><div className="label">{label}</div><div className="value">{value}</div><div className="sub">{sub}</div></div>
      ))}
    </div>
  );
}

type MemberKey = 'name' | 'messages' | 'share' | 'peak';

/** Top members with a sparkline of their own series; sortable; a click opens their messages. */
function MemberTable({ a }: { a: ActivityView }) {
  const { t } = useI18n();
  const { go } = useApp();
  const [sort, setSort] = useState<SortState<MemberKey>>({ key: 'messages', dir: 'desc' });
  const total = a.series.reduce((s, p) => s + p.messages, 0);
  const rows = useMemo(() => a.perMember.map((m) => {
    const i = m.counts.reduce((b, v, j) => (v > m.counts[b]! ? j : b), 0);
    return { ...m, share: total ? m.messages / total : 0, peak: a.series[i]?.period ?? '', peakN: m.counts[i] ?? 0 };
  }), [a, total]);
  const sorted = sortRows(rows, sort, (r, k) => r[k as MemberKey]);
  const th = (k: MemberKey, label: string, num = false) => (
    <th className={num ? 'num sortable' : 'sortable'} onClick={() => setSort(toggleSort(sort, k))} aria-sort={sort.key === k ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>{label}{sortMark(sort, k)}</th>
  );
  if (rows.length === 0) return null;
  return (
    <>
      <h2>{t('activity.memberTable')}</h2>
      <table className="grid" data-testid="activity-member-table">
        <thead>
          <tr>{th('name', t('an.member'))}{th('messages', t('common.messages'), true)}{th('share', t('an.share'), true)}{th('peak', t('activity.peak'))}<th>{t('activity.trend')}</th></tr>
        </thead>
        <tbody>
          {sorted.map((m) => (
            <tr key={m.memberId} className="clickable" onClick={() => go('messages', { memberId: m.memberId, memberName: m.name })}>
              <td>{m.name}</td>
              <td className="num">{fmtNum(m.messages)}</td>
              <td className="num">{fmtPct(m.share)}</td>
              <td>{m.peak} <span className="muted">({fmtNum(m.peakN)})</span></td>
              <td className="spark"><svg width="220" height="26" viewBox="0 0 220 26" aria-hidden="true"><path d={sparkPath(m.counts, 220, 26)} /></svg></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
