import { useCallback, useMemo } from 'react';
import type { ECElementEvent } from 'echarts';
import { EVENT_KINDS, MESSAGE_KINDS } from '../../../../shared/model';
import { activitySeriesOption, donutOption, heatmapOption, rankedBarHeight, rankedBarOption, WEEKDAYS } from '../../../../shared/charts/options';
import { fill, fmtNum, fmtPct, roomyHeatmap } from '../../../../shared/charts/analysis';
import type { ActivityView, KeywordsView, OverviewView, StructureArgsView, StructureView } from '../../api/analysis-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import type { StringKey } from '../../i18n/strings';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';
import './overview.css';

/** The structure rule's thresholds, passed explicitly so the page can state the rule in either language. */
const STRUCTURE_ARGS: StructureArgsView = { coreShare: 0.8, regularShare: 0.95, topFraction: 0.1, topShareThreshold: 0.5, giniThreshold: 0.6 };
/** A threshold as a whole percentage (10%, 50%). */
const pct0 = (x: number) => `${Math.round(x * 1000) / 10}%`;
const DAY_ARGS = { granularity: 'day', topMembers: 0 };
const KW_ARGS = { limit: 15 };

/** Group dashboard: how does this group live? KPIs, rhythm, content mix, topics, structure, membership changes. */
export function OverviewPage() {
  const { filters, groupId, go } = useApp();
  const { t, lang } = useI18n();
  const f = filtersFor(filters, groupId);
  const on = groupId !== null;
  const ov = useMetric<OverviewView>('overview', f, {}, on);
  const act = useMetric<ActivityView>('activity', f, DAY_ARGS, on);
  const st = useMetric<StructureView>('structure', f, { ...STRUCTURE_ARGS }, on);
  const kw = useMetric<KeywordsView>('keywords', f, KW_ARGS, on);

  const seriesOpt = useMemo(() => act.data && activitySeriesOption(act.data.series, { messages: t('common.messages'), members: t('overview.active') }), [act.data, t]);
  const heatOpt = useMemo(() => act.data && roomyHeatmap(heatmapOption(act.data.heatmap, { weekdays: WEEKDAYS[lang], messages: t('common.messages') })), [act.data, lang, t]);
  const kindItems = useMemo(() => (ov.data ? MESSAGE_KINDS.map((k) => ({ label: t(`kind.${k}` as StringKey), value: ov.data!.byKind[k] })) : []), [ov.data, t]);
  // Slices under ~1% keep their legend entry and tooltip but no crowded outside label.
  const kindOpt = useMemo(() => { const o = donutOption(kindItems); return { ...o, series: (o.series as object[]).map((x) => ({ ...x, minShowLabelAngle: 4 })) }; }, [kindItems]);
  const kwItems = useMemo(() => (kw.data?.keywords ?? []).map((k) => ({ label: k.term, value: Math.round(k.score * 10) / 10 })), [kw.data]);
  const kwOpt = useMemo(() => rankedBarOption(kwItems, { value: '' }, '#ff8800'), [kwItems]);

  const onDay = useCallback((p: ECElementEvent) => p.name && go('messages', { day: p.name }), [go]);
  const onCell = useCallback((p: ECElementEvent) => {
    const d = p.data as [number, number, number];
    go('messages', { weekday: d[1], hour: d[0] });
  }, [go]);
  const onTerm = useCallback((p: ECElementEvent) => p.name && go('messages', { term: p.name }), [go]);

  if (!on) return <div><h1>{t('overview.title')}</h1><div className="banner">{t('an.noGroup')}</div></div>;

  return (
    <div className="overview" data-testid="overview-page">
      <h1>{t('overview.title')}</h1>
      <p className="muted an-intro">{t('overview.intro')} {t('an.clickHint')}</p>
      <Load state={ov}>{(o) => <Kpis o={o} />}</Load>

      <Load state={act} empty={(a) => a.series.length === 0}>
        {(a) => (
          <>
            <EChart title={t('overview.daily')} option={seriesOpt!} height={300} onClick={onDay} testId="overview-daily"
              data={{ header: ['day', 'messages', 'active members'], rows: a.series.map((p) => [p.period, p.messages, p.members]) }} />
            <div className="grid2">
              <EChart title={t('overview.heatmap')} option={heatOpt!} height={300} onClick={onCell} testId="overview-heatmap"
                data={{ header: ['weekday', ...Array.from({ length: 24 }, (_, h) => String(h))], rows: a.heatmap.map((r, wd) => [WEEKDAYS[lang][wd]!, ...r]) }} />
              <EChart title={t('overview.kinds')} option={kindOpt} height={300} testId="overview-kinds"
                data={{ header: ['kind', 'messages'], rows: kindItems.map((k) => [k.label, k.value]) }} />
            </div>
          </>
        )}
      </Load>

      <div className="grid2">
        <Load state={kw} empty={(k) => k.keywords.length === 0}>
          {() => (
            <EChart title={t('overview.keywords')} option={kwOpt} height={rankedBarHeight(kwItems.length) + 24} onClick={onTerm} testId="overview-keywords"
              data={{ header: ['term', 'score'], rows: kwItems.map((k) => [k.label, k.value]) }} />
          )}
        </Load>
        <Load state={st}>{(s) => <Verdict s={s} />}</Load>
      </div>

      <Load state={ov}>{(o) => <Events o={o} />}</Load>
    </div>
  );
}

function Kpis({ o }: { o: OverviewView }) {
  const { t } = useI18n();
  const ofKnown = (n: number) => fill(t('overview.ofKnown'), { p: fmtPct(o.membersKnown ? n / o.membersKnown : null) });
  const cards: Array<[string, string, string]> = [
    [t('overview.messages'), fmtNum(o.messages), fill(t('overview.messagesSub'), { n: fmtNum(o.messagesPerDay, 1) })],
    [t('overview.known'), fmtNum(o.membersKnown), fill(t('overview.knownSub'), { n: fmtNum(o.senders) })],
    [t('overview.active'), fmtNum(o.activeMembers), ofKnown(o.activeMembers)],
    [t('overview.silent'), fmtNum(o.silentMembers), ofKnown(o.silentMembers)],
    [t('overview.span'), fill(t('overview.spanValue'), { n: fmtNum(o.daysSpanned) }), o.firstTs ? `${o.firstTs.slice(0, 10)} → ${o.lastTs?.slice(0, 10) ?? ''}` : '—'],
    [t('overview.textShare'), fmtPct(o.share.text), fill(t('overview.mixSub'), { m: fmtPct(o.share.media), l: fmtPct(o.share.link) })],
  ];
  return (
    <div className="cards" data-testid="overview-kpis">
      {cards.map(([label, value, sub]) => (
        <div className="card" key={label}>
          <div className="label">{label}</div>
          <div className="value">{value}</div>
          <div className="sub">{sub}</div>
        </div>
      ))}
    </div>
  );
}

/** Pyramid or ring, with the rule stated and the numbers that decided it. */
function Verdict({ s }: { s: StructureView }) {
  const { t } = useI18n();
  const a = STRUCTURE_ARGS;
  const rule = fill(t('structure.rule'), { top: pct0(a.topFraction), share: pct0(a.topShareThreshold), gini: a.giniThreshold });
  const known = Math.max(1, s.membersKnown);
  const segs = [
    ...s.layers.map((l) => ({ key: l.layer, members: l.members, share: l.share })),
    { key: 'silent' as const, members: s.silentMembers, share: 0 },
  ];
  return (
    <figure className="chart ov-verdict" data-testid="structure-verdict">
      <figcaption><span className="chart-title">{t('structure.title')}</span></figcaption>
      <div className="ov-shape">
        <span className={`ov-badge ${s.shape ?? 'none'}`}>{s.shape ? t(`structure.${s.shape}`) : t('structure.none')}</span>
        {s.shape && <span>{t(s.shape === 'pyramid' ? 'structure.pyramidMeaning' : 'structure.ringMeaning')}</span>}
      </div>
      {s.shape && <div className="ov-factors">
        <div className={s.decidedBy.byTopShare ? 'ov-factor fired' : 'ov-factor'}>
          <div className="label">{fill(t('structure.topShare'), { n: s.decidedBy.topSenders })}</div>
          <div className="value">{fmtPct(s.decidedBy.topShare)}</div>
          <div className="sub">{fill(t('structure.threshold'), { v: `≥ ${pct0(a.topShareThreshold)}` })}</div>
        </div>
        <div className={s.decidedBy.byGini ? 'ov-factor fired' : 'ov-factor'}>
          <div className="label">{t('structure.gini')}</div>
          <div className="value">{s.giniSenders.toFixed(2)}</div>
          <div className="sub">{fill(t('structure.threshold'), { v: `≥ ${a.giniThreshold}` })} · {fill(t('structure.giniSub'), { v: s.giniAll.toFixed(2) })}</div>
        </div>
        <div className="ov-factor">
          <div className="label">{t('structure.absence')}</div>
          <div className="value">{fmtNum(s.absenceFactor)}</div>
          <div className="sub">{t('structure.absenceSub')}</div>
        </div>
      </div>}
      <div className="label muted">{t('structure.layers')}</div>
      <div className="ov-onion" role="img" aria-label={t('structure.layers')}>
        {segs.filter((x) => x.members > 0).map((x) => (
          <div key={x.key} className={`seg ${x.key}`} style={{ flexGrow: x.members / known }}
            title={fill(t('structure.layerTip'), { layer: t(`layer.${x.key}`), n: x.members, p: fmtPct(x.share) })}>
            <span>{t(`layer.${x.key}`)} {x.members}</span>
          </div>
        ))}
      </div>
      <p className="muted ov-rule">{rule}</p>
    </figure>
  );
}

function Events({ o }: { o: OverviewView }) {
  const { t } = useI18n();
  const e = o.eventsByKind;
  const joined = e.join + e.invite;
  const left = e.leave + e.remove;
  const kinds = EVENT_KINDS.filter((k) => e[k] > 0);
  return (
    <figure className="chart" data-testid="overview-events">
      <figcaption><span className="chart-title">{t('overview.events')}</span></figcaption>
      {kinds.length === 0 ? (
        <div className="state empty">{t('overview.noEvents')}</div>
      ) : (
        <div className="ov-events">
          <div className="card ov-net">
            <div className="label">{t('overview.netChange')}</div>
            <div className="value">{joined - left > 0 ? '+' : ''}{fmtNum(joined - left)}</div>
            <div className="sub">{fill(t('overview.netSub'), { j: joined, l: left })}</div>
          </div>
          {kinds.map((k) => (
            <div className="card" key={k}>
              <div className="label">{t(`event.${k}` as StringKey)}</div>
              <div className="value">{fmtNum(e[k])}</div>
            </div>
          ))}
        </div>
      )}
    </figure>
  );
}
