import { useCallback, useMemo, useState } from 'react';
import type { ECElementEvent } from 'echarts';
import { fill, fmtNum, termHeatmapOption, termMatrix } from '../../../../shared/charts/analysis';
import type { TopTermsByPeriodView, TrendingView } from '../../api/analysis-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';

const MAX_TERMS = 20;
const MAX_PERIODS = 12;

/** Emerging terms by ISO week (what is rising this week) and the top terms of each period. */
export function Trending() {
  const { filters, groupId, go } = useApp();
  const { t } = useI18n();
  const f = filtersFor(filters, groupId);
  const tr = useMetric<TrendingView>('trending', f, {}, groupId !== null);
  const rows = useMemo(() => tr.data ?? [], [tr.data]);
  const latest = useMemo(() => rows.reduce((m, r) => (r.week > m ? r.week : m), ''), [rows]);
  const rising = useMemo(() => rows.filter((r) => r.week === latest).sort((a, b) => b.score - a.score), [rows, latest]);
  const matrix = useMemo(() => termMatrix(rows.map((r) => ({ term: r.term, period: r.week, value: Math.round(r.score * 10) / 10 })), MAX_TERMS, rising.map((r) => r.term)), [rows, rising]);
  const byKey = useMemo(() => new Map(rows.map((r) => [`${r.term}\u0000${r.week}`, r])), [rows]);
  const opt = useMemo(() => termHeatmapOption(matrix, {
    value: t('topics.lift'),
    highlight: latest,
    tip: (term, week) => {
      const r = byKey.get(`${term}\u0000${week}`);
      return r ? `${fill(t('topics.trendTip'), { term, week, score: r.score.toFixed(1) })} · ${t('topics.count')} ${r.count} · ${t('topics.baseline')} ${fmtNum(r.baseline, 1)}` : term;
    },
  }), [matrix, latest, byKey, t]);
  const onCell = useCallback((p: ECElementEvent) => {
    const term = matrix.terms[(p.value as number[])[1]!];
    if (term) go('messages', { term });
  }, [matrix, go]);

  if (groupId === null) return null;
  return (
    <section data-testid="topics-trending">
      <h2>{t('topics.emerging')}</h2>
      <Load state={tr}>
        {() => (
          <>
            <figure className="chart" data-testid="topics-rising">
              <figcaption><span className="chart-title">{latest ? fill(t('topics.rising'), { week: latest }) : t('topics.emerging')}</span></figcaption>
              {rising.length === 0 ? <div className="state empty">{t('topics.risingEmpty')}</div> : (
                <div className="tp-rising">
                  {rising.map((r) => (
                    <button type="button" key={r.term} className="tp-chip" onClick={() => go('messages', { term: r.term })}>
                      <span className="tp-term">{r.term}</span>
                      <span className="tp-lift">×{r.score.toFixed(1)}</span>
                      <span className="tp-sub">{t('topics.count')} {r.count} · {t('topics.baseline')} {fmtNum(r.baseline, 1)}</span>
                    </button>
                  ))}
                </div>
              )}
            </figure>
            {matrix.cells.length > 0 && (
              <EChart title={t('topics.trending')} option={opt} height={matrix.terms.length * 24 + 110} onClick={onCell} testId="topics-trending-heatmap"
                data={{ header: ['week', 'term', 'lift', 'count', 'baseline', 'baseline weeks'], rows: rows.map((r) => [r.week, r.term, Math.round(r.score * 100) / 100, r.count, Math.round(r.baseline * 100) / 100, r.baselineWeeks]) }} />
            )}
          </>
        )}
      </Load>
      <PeriodTerms />
    </section>
  );
}

/** The K most frequent terms of each week or month, latest period first; a click opens the term's messages. */
function PeriodTerms() {
  const { filters, groupId, go } = useApp();
  const { t } = useI18n();
  const [period, setPeriod] = useState<'week' | 'month'>('month');
  const pt = useMetric<TopTermsByPeriodView>('topTermsByPeriod', filtersFor(filters, groupId), { period, k: 10 }, groupId !== null);
  return (
    <figure className="chart" data-testid="topics-by-period">
      <figcaption>
        <span className="chart-title">{t('topics.byPeriod')}</span>
        <span className="an-seg" role="group" aria-label={t('topics.periodKind')}>
          {(['week', 'month'] as const).map((p) => (
            <button key={p} type="button" className={p === period ? 'active' : ''} aria-pressed={p === period} onClick={() => setPeriod(p)}>{t(`common.${p}`)}</button>
          ))}
        </span>
      </figcaption>
      <Load state={pt} empty={(x) => x.length === 0}>
        {(x) => {
          const cols = [...x].reverse().slice(0, MAX_PERIODS);
          const depth = Math.max(...cols.map((c) => c.terms.length));
          return (
            <div className="tp-periods">
              <table className="grid">
                <thead>
                  <tr><th className="tp-rank">#</th>{cols.map((c, i) => <th key={c.period} className={i === 0 ? 'tp-latest' : undefined}>{c.period}{i === 0 ? ` · ${t('topics.latest')}` : ''}</th>)}</tr>
                </thead>
                <tbody>
                  {Array.from({ length: depth }, (_, r) => (
                    <tr key={r}>
                      <td className="num muted tp-rank">{r + 1}</td>
                      {cols.map((c) => {
                        const term = c.terms[r];
                        return term ? (
                          <td key={c.period} className="tp-cell" onClick={() => go('messages', { term: term.term })}>{term.term} <span className="muted">{term.count}</span></td>
                        ) : <td key={c.period} />;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Load>
    </figure>
  );
}
