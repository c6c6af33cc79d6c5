import { useCallback, useMemo, useState } from 'react';
import type { ECElementEvent } from 'echarts';
import { atRiskHeight, atRiskOption } from '../../../../shared/charts/retention';
import type { AtRiskMemberView, ChurnReason, ChurnedMemberView, RetentionView } from '../../api/retention-types';
import { EChart } from '../../charts/EChart';
import { useI18n } from '../../i18n/use-i18n';
import { useApp } from '../../state/app-state';
import { CsvButton, SortTh, dec, num, pct, ts, useCapped, useSort } from './table';

const REASONS: ChurnReason[] = ['inactive', 'left', 'removed'];

/** Churned members (filterable by reason, sortable) and members at risk (chart + table). */
export function ChurnSection({ r }: { r: RetentionView }) {
  const { t } = useI18n();
  return (
    <>
      <h2>{t('retention.churned.title')}</h2>
      <p className="muted rt-note">{t('retention.churned.note')}</p>
      {r.churned.length === 0 ? <div className="state empty">{t('retention.churned.none')}</div> : <ChurnedTable rows={r.churned} counts={r.churnCounts} />}
      <h2>{t('retention.atRisk.title')}</h2>
      <p className="muted rt-note">{t('retention.atRisk.note')}</p>
      {r.atRisk.length === 0 ? <div className="state empty">{t('retention.atRisk.none')}</div> : <AtRisk rows={r.atRisk} />}
    </>
  );
}

function ChurnedTable({ rows, counts }: { rows: ChurnedMemberView[]; counts: Record<ChurnReason, number> }) {
  const { t } = useI18n();
  const { go } = useApp();
  const [reason, setReason] = useState<ChurnReason | null>(null);
  const filtered = useMemo(() => (reason ? rows.filter((x) => x.reason === reason) : rows), [rows, reason]);
  const { sorted, sort, toggle } = useSort(
    filtered,
    { name: (x) => x.name, reason: (x) => x.reason, last: (x) => x.lastMessage, churned: (x) => x.churnedAt, since: (x) => x.daysSince },
    { key: 'churned', dir: 'desc' },
  );
  const { shown, more } = useCapped(sorted, t);
  const label = (x: ChurnReason) => t(`retention.reason.${x}`);
  return (
    <div className="rt-block">
      <div className="toolbar">
        <div className="rt-seg" role="group">
          <button type="button" className={reason === null ? 'on' : ''} onClick={() => setReason(null)}>{t('retention.churned.all')} {rows.length}</button>
          {REASONS.map((x) => (
            <button key={x} type="button" className={reason === x ? 'on' : ''} disabled={counts[x] === 0} onClick={() => setReason(x)}>
              {label(x)} {counts[x]}
            </button>
          ))}
        </div>
        <span className="rt-spacer" />
        <CsvButton
          name="churned-members"
          header={[t('common.name'), t('retention.col.reason'), t('retention.col.lastMessage'), t('retention.col.churnedAt'), t('retention.col.daysSince')]}
          rows={sorted.map((x) => [x.name, label(x.reason), x.lastMessage, x.churnedAt, x.daysSince])}
        />
      </div>
      <table className="grid rt-table" data-testid="churned-table">
        <thead>
          <tr>
            <SortTh k="name" sort={sort} toggle={toggle}>{t('common.name')}</SortTh>
            <SortTh k="reason" sort={sort} toggle={toggle}>{t('retention.col.reason')}</SortTh>
            <SortTh k="last" sort={sort} toggle={toggle}>{t('retention.col.lastMessage')}</SortTh>
            <SortTh k="churned" sort={sort} toggle={toggle}>{t('retention.col.churnedAt')}</SortTh>
            <SortTh k="since" sort={sort} toggle={toggle} num>{t('retention.col.daysSince')}</SortTh>
          </tr>
        </thead>
        <tbody>
          {shown.map((x) => (
            <tr key={x.memberId} className="clickable" onClick={() => go('messages', { memberId: x.memberId, memberName: x.name })}>
              <td className="rt-name">{x.name}</td>
              <td><span className={`rt-reason ${x.reason}`}>{label(x.reason)}</span></td>
              <td>{ts(x.lastMessage)}</td>
              <td>{ts(x.churnedAt)}</td>
              <td className="num">{num(x.daysSince)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
    </div>
  );
}

function AtRisk({ rows }: { rows: AtRiskMemberView[] }) {
  const { t } = useI18n();
  const { go } = useApp();
  const drop = (x: AtRiskMemberView) => (x.earlierRate === 0 ? 0 : 1 - x.recentRate / x.earlierRate);
  const { sorted, sort, toggle } = useSort(
    rows,
    { name: (x) => x.name, last: (x) => x.lastMessage, earlier: (x) => x.earlierMessages, recent: (x) => x.recentMessages, drop },
    { key: 'drop', dir: 'desc' },
  );
  // A big group has hundreds at risk: as many rows as the chart has bars, the rest on demand.
  const { shown, more } = useCapped(sorted, t, 30);
  const chart = useMemo(() => {
    const l = { earlier: t('retention.atRisk.earlier'), recent: t('retention.atRisk.recent'), perDay: t('retention.atRisk.perDay') };
    return {
      option: atRiskOption(rows, l),
      data: {
        header: [t('common.name'), l.earlier, l.recent, t('retention.atRisk.earlierMsgs'), t('retention.atRisk.recentMsgs')],
        rows: rows.map((x) => [x.name, x.earlierRate, x.recentRate, x.earlierMessages, x.recentMessages]),
      },
    };
  }, [rows, t]);
  const onClick = useCallback(
    (p: ECElementEvent) => {
      const x = rows[p.dataIndex];
      if (x) go('messages', { memberId: x.memberId, memberName: x.name });
    },
    [rows, go],
  );
  return (
    <div className="grid2">
      <EChart title={t('retention.atRisk.chart')} option={chart.option} data={chart.data} height={atRiskHeight(rows.length)} onClick={onClick} testId="at-risk-chart" />
      <div>
        <table className="grid rt-table" data-testid="at-risk-table">
          <thead>
            <tr>
              <SortTh k="name" sort={sort} toggle={toggle}>{t('common.name')}</SortTh>
              <SortTh k="last" sort={sort} toggle={toggle}>{t('retention.col.lastMessage')}</SortTh>
              <SortTh k="earlier" sort={sort} toggle={toggle} num>{t('retention.atRisk.earlierMsgs')}</SortTh>
              <SortTh k="recent" sort={sort} toggle={toggle} num>{t('retention.atRisk.recentMsgs')}</SortTh>
              <SortTh k="drop" sort={sort} toggle={toggle} num>{t('retention.atRisk.drop')}</SortTh>
            </tr>
          </thead>
          <tbody>
            {shown.map((x) => (
              <tr key={x.memberId} className="clickable" onClick={() => go('messages', { memberId: x.memberId, memberName: x.name })}>
                <td className="rt-name">{x.name}</td>
                <td>{ts(x.lastMessage)}</td>
                <td className="num" title={`${dec(x.earlierRate, 2)} ${t('retention.atRisk.perDay')}`}>{num(x.earlierMessages)}</td>
                <td className="num" title={`${dec(x.recentRate, 2)} ${t('retention.atRisk.perDay')}`}>{num(x.recentMessages)}</td>
                <td className="num rt-bad">−{pct(drop(x))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {more}
      </div>
    </div>
  );
}
