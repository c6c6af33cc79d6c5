import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ECElementEvent } from 'echarts';
import { rankedBarHeight, rankedBarOption } from '../../../../shared/charts/options';
import { cooccurrenceOption, fill, fmtNum, layoutWordCloud, sortMark, sortRows, toggleSort, wordCloudOption, type SortState } from '../../../../shared/charts/analysis';
import type { CooccurrenceView, KeywordsView } from '../../api/analysis-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';
import { Trending } from './Trending';
import './topics.css';

const KW_ARGS = { limit: 60 };
const COOC_ARGS = { topN: 30 };
const TABLE_ROWS = 15;
const CLOUD_H = 280;

/** Width of an element, following resizes (rounded so small jitters do not re-layout). */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [w, setW] = useState(0);
  useEffect(() => {
    if (!ref.current) return;
    const ro = new ResizeObserver(([e]) => setW(Math.round((e?.contentRect.width ?? 0) / 10) * 10));
    ro.observe(ref.current);
    return () => ro.disconnect();
  }, []);
  return [ref, w];
}

/** Topics: what the group talks about (TF-IDF), what is rising this week, per period, and which words go together. */
export function TopicsPage() {
  const { filters, groupId, go } = useApp();
  const { t } = useI18n();
  const f = filtersFor(filters, groupId);
  const on = groupId !== null;
  const kw = useMetric<KeywordsView>('keywords', f, KW_ARGS, on);
  const co = useMetric<CooccurrenceView>('cooccurrence', f, COOC_ARGS, on);
  const [cloudRef, cloudW] = useWidth<HTMLDivElement>();

  const words = kw.data?.keywords ?? [];
  const barItems = useMemo(() => words.slice(0, 30).map((k) => ({ label: k.term, value: Math.round(k.score * 10) / 10 })), [words]);
  const barOpt = useMemo(() => rankedBarOption(barItems, { value: '' }, '#ff8800'), [barItems]);
  // The chart canvas is the figure minus its padding and border.
  const canvasW = Math.max(300, cloudW - 26);
  const placed = useMemo(() => layoutWordCloud(words.map((k) => ({ text: k.term, weight: k.score })), canvasW, CLOUD_H, { minFont: 14, maxFont: 56 }), [words, canvasW]);
  const cloudOpt = useMemo(() => wordCloudOption(placed, canvasW, CLOUD_H, { value: t('topics.score') }), [placed, canvasW, t]);
  const coOpt = useMemo(() => co.data && cooccurrenceOption(co.data.terms, co.data.pairs, { messages: t('common.messages'), together: t('topics.together') }), [co.data, t]);

  const onTerm = useCallback((p: ECElementEvent) => p.name && go('messages', { term: p.name }), [go]);
  const onNode = useCallback((p: ECElementEvent) => p.dataType === 'node' && p.name && go('messages', { term: p.name }), [go]);

  if (!on) return <div><h1>{t('topics.title')}</h1><div className="banner">{t('an.noGroup')}</div></div>;

  return (
    <div className="topics" data-testid="topics-page">
      <h1>{t('topics.title')}</h1>
      <p className="muted an-intro">{t('topics.intro')}</p>
      <div ref={cloudRef}>
        <Load state={kw} empty={(k) => k.keywords.length === 0}>
          {() => cloudW > 0 && (
            <EChart title={t('topics.cloud')} option={cloudOpt} height={CLOUD_H} onClick={onTerm} testId="topics-cloud"
              data={{ header: ['term', 'score'], rows: placed.map((p) => [p.text, Math.round(p.weight * 10) / 10]) }} />
          )}
        </Load>
      </div>
      <Load state={kw} empty={(k) => k.keywords.length === 0}>
        {(k) => (
          <div className="grid2">
            <EChart title={t('topics.keywords')} option={barOpt} height={rankedBarHeight(barItems.length)} onClick={onTerm} testId="topics-keywords"
              data={{ header: ['term', 'score'], rows: barItems.map((b) => [b.label, b.value]) }} />
            <KeywordTable k={k} />
          </div>
        )}
      </Load>
      <Trending />
      <Load state={co} empty={(c) => c.terms.length < 2}>
        {(c) => (
          <EChart title={t('topics.cooc')} option={coOpt!} height={560} onClick={onNode} testId="topics-cooccurrence"
            data={{ header: ['term a', 'term b', 'messages with both'], rows: c.pairs.map((p) => [p.a, p.b, p.count]) }} />
        )}
      </Load>
    </div>
  );
}

type KwKey = 'term' | 'count' | 'days' | 'idf' | 'score';

function KeywordTable({ k }: { k: KeywordsView }) {
  const { t } = useI18n();
  const { go } = useApp();
  const [sort, setSort] = useState<SortState<KwKey>>({ key: 'score', dir: 'desc' });
  const [all, setAll] = useState(false);
  const rows = sortRows(k.keywords, sort, (r, key) => r[key as KwKey]);
  const shown = all ? rows : rows.slice(0, TABLE_ROWS);
  const th = (key: KwKey, label: string, num = true) => (
    <th className={num ? 'num sortable' : 'sortable'} onClick={() => setSort(toggleSort(sort, key))}>{label}{sortMark(sort, key)}</th>
  );
  return (
    <figure className="chart" data-testid="topics-keyword-table">
      <figcaption><span className="chart-title">{t('topics.table')}</span></figcaption>
      <table className="grid">
        <thead><tr><th>#</th>{th('term', t('topics.term'), false)}{th('count', t('topics.messages'))}{th('days', t('topics.days'))}{th('idf', t('topics.idf'))}{th('score', t('topics.score'))}</tr></thead>
        <tbody>
          {shown.map((r, i) => (
            <tr key={r.term} className="clickable" onClick={() => go('messages', { term: r.term })}>
              <td className="num muted">{i + 1}</td><td>{r.term}</td><td className="num">{fmtNum(r.count)}</td>
              <td className="num">{fmtNum(r.days)}</td><td className="num">{r.idf.toFixed(2)}</td><td className="num">{fmtNum(r.score, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > TABLE_ROWS && (
        <button type="button" className="an-more" onClick={() => setAll(!all)}>
          {all ? t('an.showLess') : `${t('an.showMore')} (${rows.length - TABLE_ROWS})`}
        </button>
      )}
      <p className="muted small">{fill(t('topics.docs'), { n: fmtNum(k.documents) })}</p>
    </figure>
  );
}
