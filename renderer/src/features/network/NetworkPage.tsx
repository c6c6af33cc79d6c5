import { useCallback, useMemo, useState } from 'react';
import type { ECElementEvent } from 'echarts';
import { drawnEdgeCap, fill, fmtNum, memberNetworkOption, strongestEdges, sortMark, sortRows, toggleSort, type SortState } from '../../../../shared/charts/analysis';
import type { EdgeTypeView, GraphNodeView, GraphView } from '../../api/analysis-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';
import { CommunityChip, MemberPanel } from './MemberPanel';
import './network.css';

const TYPES: EdgeTypeView[] = ['reply', 'mention', 'adjacent'];
const TABLE_ROWS = 20;
const MIN_WEIGHTS = [1, 2, 5, 10];

/** Network: who talks to whom — interactive graph, member details, bridges and the PageRank ranking. */
export function NetworkPage() {
  const { filters, groupId } = useApp();
  const { t } = useI18n();
  const [types, setTypes] = useState<EdgeTypeView[]>(TYPES);
  const [selected, setSelected] = useState<number | null>(null);
  const [minWeight, setMinWeight] = useState(1);
  const on = groupId !== null && types.length > 0;
  const g = useMetric<GraphView>('graph', filtersFor(filters, groupId), { types, minWeight }, on);
  const data = g.data;

  const edges = useMemo(() => data && strongestEdges(data.edges, drawnEdgeCap(data.nodes.length)), [data]);
  const option = useMemo(() => data && edges && memberNetworkOption(data.nodes, edges, {
    communityLabel: t('network.community'),
    tipNode: (n) => fill(t('network.nodeTip'), { name: n.name, pr: n.pagerank.toFixed(4), c: n.community + 1, m: fmtNum(n.messages), reach: fmtNum(n.reach) }),
    tipEdge: (from, to, e) => fill(t('network.edgeTip'), { from, to, r: e.replies, m: e.mentions, a: e.adjacent, w: fmtNum(e.weight, 1) }),
  }), [data, edges, t]);
  const onClick = useCallback((p: ECElementEvent) => {
    if (p.dataType === 'node') setSelected(Number((p.data as { id: string }).id));
  }, []);
  const toggle = (ty: EdgeTypeView) => setTypes((cur) => (cur.includes(ty) ? cur.filter((x) => x !== ty) : TYPES.filter((x) => x === ty || cur.includes(x))));
  const w = data?.weights ?? { reply: 3, mention: 2, adjacent: 0.5 };

  if (groupId === null) return <div><h1>{t('network.title')}</h1><div className="banner">{t('an.noGroup')}</div></div>;

  return (
    <div className="network" data-testid="network-page">
      <h1>{t('network.title')}</h1>
      <p className="muted an-intro">{fill(t('network.intro'), { r: w.reply, m: w.mention, a: w.adjacent })}</p>
      <div className="toolbar" role="group" aria-label={t('network.types')}>
        <span className="muted">{t('network.types')}</span>
        {TYPES.map((ty) => (
          <label key={ty} className={types.includes(ty) ? 'nw-toggle on' : 'nw-toggle'}>
            <input type="checkbox" checked={types.includes(ty)} data-edge={ty} onChange={() => toggle(ty)} />
            {t(`network.${ty}`)} <span className="muted">×{w[ty]}</span>
          </label>
        ))}
        <label className="nw-min" title={t('network.minWeightTip')}>
          <span className="muted">{t('network.minWeight')}</span>
          <select value={minWeight} data-testid="network-min-weight" onChange={(e) => setMinWeight(Number(e.target.value))}>
            {MIN_WEIGHTS.map((m) => <option key={m} value={m}>≥ {m}</option>)}
          </select>
        </label>
        {data && <span className="muted nw-shown">{fill(t('network.shown'), { n: data.nodes.length, tn: data.totalNodes, e: edges?.length ?? 0, te: data.totalEdges, c: data.communities })}</span>}
      </div>
      {types.length === 0 ? <div className="state empty">{t('network.noneSelected')}</div> : (
        <Load state={g} empty={(x) => x.nodes.length === 0}>
          {(x) => (
            <>
              <div className="nw-main">
                <div className="nw-graph">
                  <EChart title={t('network.graph')} option={option!} height={620} onClick={onClick} testId="network-graph"
                    data={{ header: ['source', 'target', 'weight', 'replies', 'mentions', 'adjacent'], rows: x.edges.map((e) => [name(x, e.source), name(x, e.target), e.weight, e.replies, e.mentions, e.adjacent]) }} />
                </div>
                <MemberPanel graph={x} selected={selected} onSelect={setSelected} />
              </div>
              <Bridges g={x} />
              <TopMembers g={x} />
            </>
          )}
        </Load>
      )}
    </div>
  );
}

const name = (g: GraphView, id: number) => g.nodes.find((n) => n.id === id)?.name ?? String(id);

function Bridges({ g }: { g: GraphView }) {
  const { t } = useI18n();
  const { go } = useApp();
  return (
    <figure className="chart" data-testid="network-bridges">
      <figcaption><span className="chart-title">{t('network.bridges')}</span></figcaption>
      <p className="muted small">{t('network.bridgesIntro')}</p>
      {g.bridges.length === 0 ? <div className="state empty">{t('network.noBridges')}</div> : (
        <table className="grid">
          <thead><tr><th>{t('an.member')}</th><th>{t('network.community')}</th><th className="num">{t('network.betweenness')}</th><th>{t('network.reaches')}</th></tr></thead>
          <tbody>
            {g.bridges.map((b) => (
              <tr key={b.id} className="clickable" onClick={() => go('messages', { memberId: b.id, memberName: b.name })}>
                <td>{b.name}</td><td><CommunityChip c={b.community} /></td><td className="num">{b.betweenness.toFixed(3)}</td>
                <td>{b.reaches.map((c) => <CommunityChip key={c} c={c} />)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}

type Col = 'name' | 'pagerank' | 'betweenness' | 'community' | 'inDegree' | 'outDegree' | 'reach' | 'messages';

function TopMembers({ g }: { g: GraphView }) {
  const { t } = useI18n();
  const { go } = useApp();
  const [sort, setSort] = useState<SortState<Col>>({ key: 'pagerank', dir: 'desc' });
  const [all, setAll] = useState(false);
  const rank = useMemo(() => new Map([...g.nodes].sort((a, b) => b.pagerank - a.pagerank).map((n, i) => [n.id, i + 1])), [g]);
  const rows = sortRows(g.nodes, sort, (r: GraphNodeView, k) => r[k as Col]);
  const shown = all ? rows : rows.slice(0, TABLE_ROWS);
  const th = (k: Col, label: string, num = true) => (
    <th className={num ? 'num sortable' : 'sortable'} onClick={() => setSort(toggleSort(sort, k))}>{label}{sortMark(sort, k)}</th>
  );
  return (
    <figure className="chart" data-testid="network-top">
      <figcaption><span className="chart-title">{t('network.top')}</span></figcaption>
      <table className="grid">
        <thead>
          <tr>
            <th className="num">{t('an.rank')}</th>{th('name', t('an.member'), false)}{th('community', t('network.community'), false)}{th('pagerank', t('network.pagerank'))}
            {th('betweenness', t('network.betweenness'))}{th('inDegree', t('network.inDegree'))}{th('outDegree', t('network.outDegree'))}{th('reach', t('network.reach'))}{th('messages', t('common.messages'))}
          </tr>
        </thead>
        <tbody>
          {shown.map((n) => (
            <tr key={n.id} className="clickable" onClick={() => go('messages', { memberId: n.id, memberName: n.name })}>
              <td className="num muted">{rank.get(n.id)}</td><td>{n.name}</td><td><CommunityChip c={n.community} /></td>
              <td className="num">{n.pagerank.toFixed(4)}</td><td className="num">{n.betweenness.toFixed(3)}</td><td className="num">{n.inDegree}</td>
              <td className="num">{n.outDegree}</td><td className="num">{n.reach}</td><td className="num">{fmtNum(n.messages)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > TABLE_ROWS && (
        <button type="button" className="an-more" onClick={() => setAll(!all)}>{all ? t('an.showLess') : `${t('an.showMore')} (${rows.length - TABLE_ROWS})`}</button>
      )}
    </figure>
  );
}
