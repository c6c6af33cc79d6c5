import { Fragment, useCallback, useMemo, useState } from 'react';
import type { ECElementEvent } from 'echarts';
import { fill, fmtNum, kolContribOption, kolScatterOption, sortMark, sortRows, toggleSort, type SortState } from '../../../../shared/charts/analysis';
import { KOL_COMPONENTS, type KolCandidateView, type KolComponentView, type KolView } from '../../api/analysis-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';
import './kol.css';

const MIN_MESSAGES = 3;
const TOP_CHART = 15;
const TABLE_ROWS = 15;

/** A component's raw value, in its own unit. */
const rawText = (c: KolCandidateView, k: KolComponentView): string =>
  k === 'pagerank' ? c.raw.pagerank.toFixed(4) : k === 'repliesPerMessage' ? c.raw.repliesPerMessage.toFixed(2) : fmtNum(c.raw[k]);

/** KOL candidates: an explainable score — every component shown, weights from the result, reasons in words. */
export function KolPage() {
  const { filters, groupId, go } = useApp();
  const { t } = useI18n();
  const [norm, setNorm] = useState<'max' | 'rank'>('max');
  const k = useMetric<KolView>('kol', filtersFor(filters, groupId), { normalisation: norm, minMessages: MIN_MESSAGES, limit: 300 }, groupId !== null);
  const labels = useMemo(() => Object.fromEntries(KOL_COMPONENTS.map((c) => [c, t(`comp.${c}`)])), [t]);
  const top = useMemo(() => (k.data?.candidates ?? []).slice(0, TOP_CHART), [k.data]);
  const contribOpt = useMemo(() => k.data && kolContribOption(top, k.data.weights, KOL_COMPONENTS, labels), [k.data, top, labels]);
  const scatterOpt = useMemo(() => k.data && kolScatterOption(k.data.candidates.map((c) => ({ id: c.id, name: c.name, score: c.score, messages: c.raw.messages, drawnIn: c.raw.drawnIn })),
    { messages: t('kol.messages'), score: t('kol.score'), drawnIn: t('comp.drawnIn') }), [k.data, t]);
  const onBar = useCallback((p: ECElementEvent) => {
    const c = top[p.dataIndex];
    if (c) go('messages', { memberId: c.id, memberName: c.name });
  }, [top, go]);
  const onDot = useCallback((p: ECElementEvent) => {
    const d = p.data as { id: string; name: string };
    go('messages', { memberId: Number(d.id), memberName: d.name });
  }, [go]);

  if (groupId === null) return <div><h1>{t('kol.title')}</h1><div className="banner">{t('an.noGroup')}</div></div>;

  return (
    <div className="kol" data-testid="kol-page">
      <h1>{t('kol.title')}</h1>
      <p className="muted an-intro">{fill(t('kol.intro'), { min: MIN_MESSAGES })}</p>
      <div className="banner kol-volume" role="note">{t('kol.volume')}</div>
      <div className="toolbar">
        <span className="muted">{t('kol.norm')}</span>
        <div className="an-seg" role="group" aria-label={t('kol.norm')}>
          {(['max', 'rank'] as const).map((n) => (
            <button key={n} type="button" className={n === norm ? 'active' : ''} aria-pressed={n === norm} onClick={() => setNorm(n)}>{t(n === 'max' ? 'kol.normMax' : 'kol.normRank')}</button>
          ))}
        </div>
      </div>
      <Load state={k} empty={(x) => x.candidates.length === 0}>
        {(x) => (
          <>
            <div className="cards kol-comps">
              {KOL_COMPONENTS.map((c, i) => (
                <div className={`card kol-comp c${i}`} key={c}>
                  <div className="label">{fill(t('kol.weight'), { w: x.weights[c] })}</div>
                  <div className="kol-comp-name">{t(`comp.${c}`)}</div>
                  <div className="sub">{t(`comp.${c}Desc`)}</div>
                </div>
              ))}
            </div>
            <p className="muted small">{t('kol.chartsNote')}</p>
            <div className="grid2">
              <EChart title={t('kol.contrib')} option={contribOpt!} height={Math.max(260, top.length * 26 + 60)} onClick={onBar} testId="kol-contrib"
                data={{ header: ['member', 'score', ...KOL_COMPONENTS], rows: top.map((c) => [c.name, round3(c.score), ...KOL_COMPONENTS.map((m) => round3(c.components[m]))]) }} />
              <EChart title={t('kol.scatter')} option={scatterOpt!} height={Math.max(260, top.length * 26 + 60)} onClick={onDot} testId="kol-scatter"
                data={{ header: ['member', 'messages', 'score', 'members drawn in'], rows: x.candidates.map((c) => [c.name, c.raw.messages, round3(c.score), c.raw.drawnIn]) }} />
            </div>
            <Candidates k={x} />
            <Newcomers k={x} />
          </>
        )}
      </Load>
    </div>
  );
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
type Col = 'score' | 'messages' | KolComponentView;

function Candidates({ k }: { k: KolView }) {
  const { t, lang } = useI18n();
  const { go } = useApp();
  const [sort, setSort] = useState<SortState<Col>>({ key: 'score', dir: 'desc' });
  const [all, setAll] = useState(false);
  const rank = new Map(k.candidates.map((c, i) => [c.id, i + 1]));
  const rows = sortRows(k.candidates, sort, (c, key) => (key === 'score' ? c.score : key === 'messages' ? c.raw.messages : c.components[key as KolComponentView]));
  const shown = all ? rows : rows.slice(0, TABLE_ROWS);
  const th = (key: Col, label: string, sub?: string, num = false) => (
    <th className={num ? 'num sortable' : 'sortable'} onClick={() => setSort(toggleSort(sort, key))}>{label}{sortMark(sort, key)}{sub && <div className="kol-th-sub">{sub}</div>}</th>
  );
  return (
    <figure className="chart" data-testid="kol-table">
      <figcaption><span className="chart-title">{t('kol.table')}</span><span className="muted">{fill(t('kol.candidates'), { n: k.candidates.length })}</span></figcaption>
      <div className="kol-scroll">
        <table className="grid kol-grid">
          <thead>
            <tr>
              <th className="num">#</th><th>{t('an.member')}</th>{th('score', t('kol.score'))}
              {KOL_COMPONENTS.map((c) => th(c, t(`comp.${c}`), fill(t('kol.weight'), { w: k.weights[c] })))}
              {th('messages', t('kol.messages'), undefined, true)}
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => {
              const open = () => go('messages', { memberId: c.id, memberName: c.name });
              return (
                <Fragment key={c.id}>
                  <tr className="clickable kol-main" onClick={open}>
                    <td className="num muted">{rank.get(c.id)}</td>
                    <td className="kol-name">{c.name}</td>
                    <td><Bar v={c.score} cls="score" text={c.score.toFixed(3)} /></td>
                    {KOL_COMPONENTS.map((m, i) => <td key={m}><Bar v={c.components[m]} cls={`c${i}`} text={rawText(c, m)} /></td>)}
                    <td className="num">{fmtNum(c.raw.messages)}</td>
                  </tr>
                  <tr className="clickable kol-why" onClick={open}>
                    <td />
                    <td colSpan={KOL_COMPONENTS.length + 3}><span className="kol-why-label">{t('kol.reasons')}{lang === 'zh' ? '：' : ': '}</span>{c.reasons.map((r) => r[lang]).join(lang === 'zh' ? '；' : '; ')}</td>
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length > TABLE_ROWS && (
        <button type="button" className="an-more" onClick={() => setAll(!all)}>{all ? t('an.showLess') : `${t('an.showMore')} (${rows.length - TABLE_ROWS})`}</button>
      )}
    </figure>
  );
}

/** A normalised value 0..1 as a small bar, with the raw value beside it. */
function Bar({ v, cls, text }: { v: number; cls: string; text: string }) {
  return (
    <div className="kol-bar" title={v.toFixed(3)}>
      <div className="track"><div className={`fill ${cls}`} style={{ width: `${Math.round(v * 100)}%` }} /></div>
      <span>{text}</span>
    </div>
  );
}

type NewKey = 'name' | 'firstSeen' | 'drawnIn' | 'repliesReceived' | 'messages';

function Newcomers({ k }: { k: KolView }) {
  const { t } = useI18n();
  const { go } = useApp();
  const [sort, setSort] = useState<SortState<NewKey>>({ key: 'drawnIn', dir: 'desc' });
  const rows = sortRows(k.risingNewcomers, sort, (n, key) => n[key as NewKey]);
  const th = (key: NewKey, label: string, num = true) => (
    <th className={num ? 'num sortable' : 'sortable'} onClick={() => setSort(toggleSort(sort, key))}>{label}{sortMark(sort, key)}</th>
  );
  return (
    <figure className="chart" data-testid="kol-newcomers">
      <figcaption><span className="chart-title">{t('kol.newcomers')}</span></figcaption>
      <p className="muted small">{t('kol.newcomersIntro')}</p>
      {k.risingNewcomers.length === 0 ? <div className="state empty">{t('kol.noNewcomers')}</div> : (
        <table className="grid">
          <thead><tr>{th('name', t('an.member'), false)}{th('firstSeen', t('kol.firstSeen'), false)}{th('drawnIn', t('comp.drawnIn'))}{th('repliesReceived', t('kol.repliesReceived'))}{th('messages', t('kol.messages'))}</tr></thead>
          <tbody>
            {rows.map((n) => (
              <tr key={n.id} className="clickable" onClick={() => go('messages', { memberId: n.id, memberName: n.name })}>
                <td>{n.name}</td><td>{n.firstSeen.slice(0, 16)}</td><td className="num">{fmtNum(n.drawnIn)}</td><td className="num">{fmtNum(n.repliesReceived)}</td><td className="num">{fmtNum(n.messages)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
