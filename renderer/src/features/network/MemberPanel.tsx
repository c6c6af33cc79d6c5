import { useMemo } from 'react';
import { PALETTE } from '../../../../shared/charts/options';
import { fill, fmtNum } from '../../../../shared/charts/analysis';
import type { GraphView } from '../../api/analysis-types';
import { useI18n } from '../../i18n/use-i18n';
import { useApp } from '../../state/app-state';

/** A community's colour: the graph colours categories by community in PALETTE order. */
export const communityColor = (c: number): string => PALETTE[c % PALETTE.length]!;

export function CommunityChip({ c }: { c: number }) {
  const { t } = useI18n();
  return <span className="nw-chip" style={{ background: communityColor(c) }}>{t('network.community')} {c + 1}</span>;
}

/** Side panel: the clicked member's network figures, their strongest ties, and a way to their messages. */
export function MemberPanel({ graph, selected, onSelect }: { graph: GraphView; selected: number | null; onSelect: (id: number) => void }) {
  const { t } = useI18n();
  const { go } = useApp();
  const byRank = useMemo(() => [...graph.nodes].sort((a, b) => b.pagerank - a.pagerank), [graph]);
  const node = graph.nodes.find((n) => n.id === selected);
  const ties = useMemo(() => {
    if (!node) return [];
    const w = new Map<number, number>();
    for (const e of graph.edges) {
      if (e.source === node.id) w.set(e.target, (w.get(e.target) ?? 0) + e.weight);
      else if (e.target === node.id) w.set(e.source, (w.get(e.source) ?? 0) + e.weight);
    }
    return [...w.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([id, weight]) => ({ id, weight, name: graph.nodes.find((n) => n.id === id)?.name ?? String(id) }));
  }, [graph, node]);

  if (!node) {
    return (
      <aside className="nw-panel" data-testid="network-panel">
        <p className="muted">{t('network.pick')}</p>
        <p className="muted small">{t('network.quickPick')}</p>
        {byRank.slice(0, 5).map((n) => (
          <button key={n.id} type="button" className="nw-pick" onClick={() => onSelect(n.id)}>{n.name}</button>
        ))}
      </aside>
    );
  }
  const rank = byRank.findIndex((n) => n.id === node.id) + 1;
  const rows: Array<[string, string, string?]> = [
    [t('network.pagerank'), node.pagerank.toFixed(4), fill(t('network.prRank'), { k: rank, n: graph.totalNodes })],
    [t('network.betweenness'), node.betweenness.toFixed(3), t('network.betweennessSub')],
    [t('network.inDegree'), fmtNum(node.inDegree), t('network.inDegreeSub')],
    [t('network.outDegree'), fmtNum(node.outDegree), t('network.outDegreeSub')],
    [t('network.weighted'), `${fmtNum(node.weightedIn, 1)} / ${fmtNum(node.weightedOut, 1)}`],
    [t('network.reach'), fmtNum(node.reach), t('network.reachSub')],
    [t('common.messages'), fmtNum(node.messages)],
  ];
  return (
    <aside className="nw-panel" data-testid="network-panel">
      <h3 className="nw-name" title={node.name}>{node.name}</h3>
      <CommunityChip c={node.community} />
      <dl className="nw-metrics">
        {rows.map(([label, value, sub]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd><strong>{value}</strong>{sub && <span className="muted"> · {sub}</span>}</dd>
          </div>
        ))}
      </dl>
      {ties.length > 0 && (
        <>
          <div className="muted small">{t('network.ties')}</div>
          <ul className="nw-ties">
            {ties.map((x) => (
              <li key={x.id}><button type="button" className="linkish" onClick={() => onSelect(x.id)}>{x.name}</button> <span className="muted">{fmtNum(x.weight, 1)}</span></li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="primary" data-action="member-messages" onClick={() => go('messages', { memberId: node.id, memberName: node.name })}>{t('an.viewMessages')}</button>
    </aside>
  );
}
