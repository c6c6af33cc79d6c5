import { useMemo } from 'react';
import { funnelRatesOption } from '../../../../shared/charts/retention';
import type { FunnelStage, NewcomerView, OnboardingView } from '../../api/retention-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';
import { CsvButton, Kpi, SortTh, duration, num, pct, ts, useCapped, useSort } from './table';

/** Onboarding: joined → spoke → introduced → got a reply → active after 30 / 90 days, and every newcomer. */
export function OnboardingSection() {
  const { filters, groupId } = useApp();
  const { t } = useI18n();
  const onb = useMetric<OnboardingView>('onboarding', filtersFor(filters, groupId), {}, groupId !== null);
  return (
    <section data-testid="onboarding">
      <h2>{t('onb.title')}</h2>
      <p className="muted rt-note">{t('onb.intro')}</p>
      <Load state={onb}>{(o) => (o.newcomers.length === 0 ? <div className="state empty">{t('onb.none')}</div> : <Onboarding o={o} />)}</Load>
    </section>
  );
}

function Onboarding({ o }: { o: OnboardingView }) {
  const { t } = useI18n();
  const step = (s: FunnelStage) => o.funnel.find((x) => x.stage === s);
  const latency: Partial<Record<FunnelStage, number | null>> = { spoke: o.medianHours.spoke, introduced: o.medianHours.introduced, gotReply: o.medianHours.gotReply };
  const chart = useMemo(() => {
    const steps = o.funnel.map((s) => ({ label: t(`onb.stage.${s.stage}`), count: s.count, fromPrevious: s.fromPrevious, fromJoined: s.fromJoined }));
    return {
      option: funnelRatesOption(steps, { fromPrevious: t('onb.fromPrevious'), fromJoined: t('onb.fromJoined') }),
      data: {
        header: [t('onb.col.stage'), t('onb.col.count'), t('onb.col.fromPrevious'), t('onb.col.fromJoined'), t('onb.col.reached')],
        rows: o.funnel.map((s) => [t(`onb.stage.${s.stage}`), s.count, pct(s.fromPrevious), pct(s.fromJoined), s.reached]),
      },
    };
  }, [o, t]);
  const joined = step('joined')?.count ?? 0;
  const reached = (s: FunnelStage) => step(s)?.reached ?? 0;
  const share = (n: number) => (joined === 0 ? null : n / joined);

  return (
    <>
      <div className="cards" data-testid="onboarding-kpis">
        <Kpi label={t('onb.kpi.newcomers')} value={num(joined)} />
        <Kpi label={t('onb.kpi.spoke')} value={pct(share(reached('spoke')))} sub={`${num(reached('spoke'))} ${t('rt.unit.people')}`} />
        <Kpi label={t('onb.kpi.introduced')} value={pct(share(reached('introduced')))} sub={`${num(reached('introduced'))} ${t('rt.unit.people')}`} />
        <Kpi label={t('onb.kpi.gotReply')} value={pct(share(reached('gotReply')))} sub={`${num(reached('gotReply'))} ${t('rt.unit.people')}`} />
        <Kpi label={t('onb.kpi.latencySpoke')} value={duration(o.medianHours.spoke, t)} />
        <Kpi label={t('onb.kpi.latencyReply')} value={duration(o.medianHours.gotReply, t)} />
      </div>
      <div className="grid2">
        <EChart title={t('onb.funnel')} option={chart.option} data={chart.data} height={340} testId="funnel-chart" />
        <div className="rt-block">
          <h3 className="rt-h3">{t('onb.steps')}</h3>
          <table className="grid rt-table" data-testid="funnel-table">
            <thead>
              <tr>
                <th>{t('onb.col.stage')}</th>
                <th className="rt-num">{t('onb.col.count')}</th>
                <th className="rt-num">{t('onb.col.fromPrevious')}</th>
                <th className="rt-num">{t('onb.col.fromJoined')}</th>
                <th className="rt-num">{t('onb.col.reached')}</th>
                <th className="rt-num">{t('onb.col.latency')}</th>
              </tr>
            </thead>
            <tbody>
              {o.funnel.map((s) => (
                <tr key={s.stage}>
                  <td>{t(`onb.stage.${s.stage}`)}</td>
                  <td className="num">{num(s.count)}</td>
                  <td className="num">{s.stage === 'joined' ? '—' : pct(s.fromPrevious)}</td>
                  <td className="num">{pct(s.fromJoined)}</td>
                  <td className="num">{num(s.reached)}</td>
                  <td className="num">{s.stage in latency ? duration(latency[s.stage] ?? null, t) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted rt-note">
            {t('onb.eligible').replace('{a}', num(o.eligible.activeAfter)).replace('{b}', num(o.eligible.activeAfterLong))}
          </p>
        </div>
      </div>
      <Newcomers rows={o.newcomers} />
    </>
  );
}

function Newcomers({ rows }: { rows: NewcomerView[] }) {
  const { t } = useI18n();
  const { go } = useApp();
  const flag = (ok: boolean, eligible: boolean): number => (ok ? 1 : eligible ? 0 : -1);
  const { sorted, sort, toggle } = useSort(
    rows,
    {
      name: (x) => x.name,
      joined: (x) => x.joinedAt,
      first: (x) => x.firstMessageAt,
      after: (x) => x.spokeAfterHours,
      intro: (x) => x.introducedAt,
      reply: (x) => x.repliedAt,
      a30: (x) => flag(x.activeAfter, x.eligibleAfter),
      a90: (x) => flag(x.activeAfterLong, x.eligibleAfterLong),
    },
    { key: 'joined', dir: 'desc' },
  );
  const { shown, more } = useCapped(sorted, t);
  const mark = (ok: boolean, eligible = true) =>
    ok ? <span className="rt-ok">✓</span> : eligible ? <span className="rt-no">✗</span> : <span className="muted" title={t('onb.notObservable')}>—</span>;
  const yn = (ok: boolean, eligible: boolean) => (ok ? t('rt.yes') : eligible ? t('rt.no') : '');
  return (
    <div className="rt-block">
      <div className="toolbar">
        <h3 className="rt-h3">{t('onb.newcomers')}</h3>
        <span className="rt-spacer" />
        <CsvButton
          name="newcomers"
          header={[t('common.name'), t('onb.col.joined'), t('onb.col.firstMessage'), `${t('onb.col.after')} (h)`, t('onb.col.introduced'), t('onb.col.replied'), t('onb.col.active30'), t('onb.col.active90')]}
          rows={sorted.map((x) => [
            x.name, x.joinedAt, x.firstMessageAt, x.spokeAfterHours === null ? null : Math.round(x.spokeAfterHours * 100) / 100, x.introducedAt, x.repliedAt,
            yn(x.activeAfter, x.eligibleAfter), yn(x.activeAfterLong, x.eligibleAfterLong),
          ])}
        />
      </div>
      <table className="grid rt-table" data-testid="newcomers-table">
        <thead>
          <tr>
            <SortTh k="name" sort={sort} toggle={toggle}>{t('common.name')}</SortTh>
            <SortTh k="joined" sort={sort} toggle={toggle}>{t('onb.col.joined')}</SortTh>
            <SortTh k="first" sort={sort} toggle={toggle}>{t('onb.col.firstMessage')}</SortTh>
            <SortTh k="after" sort={sort} toggle={toggle} num>{t('onb.col.after')}</SortTh>
            <SortTh k="intro" sort={sort} toggle={toggle}>{t('onb.col.introduced')}</SortTh>
            <SortTh k="reply" sort={sort} toggle={toggle}>{t('onb.col.replied')}</SortTh>
            <SortTh k="a30" sort={sort} toggle={toggle}>{t('onb.col.active30')}</SortTh>
            <SortTh k="a90" sort={sort} toggle={toggle}>{t('onb.col.active90')}</SortTh>
          </tr>
        </thead>
        <tbody>
          {shown.map((x) => (
            <tr key={`${x.groupId}-${x.memberId}`} className="clickable" onClick={() => go('messages', { memberId: x.memberId, memberName: x.name })}>
              <td className="rt-name">{x.name}</td>
              <td>{ts(x.joinedAt)}</td>
              <td>{x.firstMessageAt ? ts(x.firstMessageAt) : mark(false)}</td>
              <td className="num">{duration(x.spokeAfterHours, t)}</td>
              <td>{x.introducedAt ? ts(x.introducedAt) : mark(false)}</td>
              <td>{x.repliedAt ? ts(x.repliedAt) : mark(false)}</td>
              <td>{mark(x.activeAfter, x.eligibleAfter)}</td>
              <td>{mark(x.activeAfterLong, x.eligibleAfterLong)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
    </div>
  );
}
