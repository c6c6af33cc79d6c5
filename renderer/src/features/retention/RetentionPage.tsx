import { useMemo, useState } from 'react';
import { cohortMatrixOption, survivalMedianOption } from '../../../../shared/charts/retention';
import type { RetentionView } from '../../api/retention-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';
import { ChurnSection } from './ChurnSection';
import { OnboardingSection } from './OnboardingSection';
import { Kpi, day, num, pct, pooledRetention } from './table';
import './retention.css';

const DEFAULT_DAYS = 30;

/**
 * Retention and churn: join-month cohorts, the survival curve with its median, churned and
 * at-risk members (with the inactivity rule as a setting) and the newcomer onboarding funnel.
 */
export function RetentionPage() {
  const { filters, groupId } = useApp();
  const { t } = useI18n();
  const [days, setDays] = useState(DEFAULT_DAYS);
  const [draft, setDraft] = useState(String(DEFAULT_DAYS));
  const f = filtersFor(filters, groupId);
  const ret = useMetric<RetentionView>('retention', f, { inactivityDays: days }, groupId !== null);

  const edit = (v: string) => {
    setDraft(v);
    const n = Number(v);
    if (Number.isInteger(n) && n >= 1 && n <= 3650) setDays(n);
  };

  return (
    <div className="rt-page" data-testid="retention-page">
      <h1>{t('retention.title')}</h1>
      <p className="muted rt-intro">{t('retention.intro')}</p>
      {groupId === null ? (
        <div className="state empty">{t('rt.noGroup')}</div>
      ) : (
        <>
          <div className="toolbar rt-setting">
            <label>
              {t('retention.inactivity')}{' '}
              <input type="number" min={1} max={3650} step={1} value={draft} data-testid="inactivity-days" onChange={(e) => edit(e.target.value)} onBlur={() => setDraft(String(days))} />{' '}
              {t('retention.inactivityHint')}
            </label>
            {ret.data?.dataEnd && <span className="muted">{t('retention.dataEnd')}: {day(ret.data.dataEnd)}</span>}
          </div>
          <Load state={ret}>{(r) => <RetentionBody r={r} />}</Load>
          <OnboardingSection />
        </>
      )}
    </div>
  );
}

function RetentionBody({ r }: { r: RetentionView }) {
  const { t } = useI18n();
  const m1 = pooledRetention(r.cohorts, 1);
  const churned = r.churned.length;
  const cohortChart = useMemo(() => {
    const width = Math.max(1, ...r.cohorts.map((c) => c.retention.length));
    return {
      option: cohortMatrixOption(r.cohorts, { monthsAfter: t('retention.cohort.monthsAfter'), cohort: t('retention.cohort.cohort') }),
      data: {
        header: [t('retention.cohort.cohort'), t('retention.cohort.size'), ...Array.from({ length: width }, (_, k) => `+${k}`)],
        rows: r.cohorts.map((c) => [c.cohort, c.size, ...c.retention.map((v) => Math.round(v * 1000) / 10)]),
      },
      height: Math.max(220, r.cohorts.length * 34 + 120),
    };
  }, [r, t]);
  const survival = useMemo(
    () => ({
      option: survivalMedianOption(r.survival.curve, r.survival.medianDays, {
        days: t('retention.survival.days'),
        survival: t('retention.survival.share'),
        median: t('retention.survival.median'),
        day: t('retention.survival.day'),
      }),
      data: {
        header: ['t', 'survival', 'atRisk', 'events', 'censored'],
        rows: r.survival.curve.map((p) => [p.t, Math.round(p.survival * 10000) / 10000, p.atRisk, p.events, p.censored]),
      },
    }),
    [r, t],
  );

  return (
    <>
      <div className="cards" data-testid="retention-kpis">
        <Kpi label={t('retention.kpi.cohortMembers')} value={num(r.survival.subjects)} sub={`${r.cohorts.length} ${t('retention.kpi.cohorts')}`} />
        <Kpi label={t('retention.kpi.month1')} value={pct(m1)} sub={t('retention.kpi.month1Sub')} />
        <Kpi
          label={t('retention.kpi.churned')}
          value={num(churned)}
          sub={`${t('retention.reason.inactive')} ${r.churnCounts.inactive} · ${t('retention.reason.left')} ${r.churnCounts.left} · ${t('retention.reason.removed')} ${r.churnCounts.removed}`}
        />
        <Kpi label={t('retention.kpi.atRisk')} value={num(r.atRisk.length)} sub={t('retention.kpi.atRiskSub')} />
        <Kpi
          label={t('retention.kpi.median')}
          value={r.survival.medianDays === null ? t('retention.kpi.medianNone') : `${num(r.survival.medianDays)} ${t('rt.unit.days')}`}
          sub={`${t('retention.kpi.medianSub')} (${r.survival.events}/${r.survival.subjects})`}
        />
      </div>
      <div className="grid2">
        {r.cohorts.length > 0 ? (
          <EChart title={t('retention.cohort.title')} option={cohortChart.option} data={cohortChart.data} height={cohortChart.height} testId="cohort-chart" />
        ) : (
          <div className="chart"><div className="state empty">{t('common.empty')}</div></div>
        )}
        <div>
          <EChart title={t('retention.survival.title')} option={survival.option} data={survival.data} height={Math.max(260, cohortChart.height - 56)} testId="survival-chart" />
          <p className="muted rt-note">{t('retention.survival.note')}</p>
        </div>
      </div>
      <ChurnSection r={r} />
    </>
  );
}
