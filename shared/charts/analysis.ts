import type { EChartsOption } from 'echarts';
import { networkOption, PALETTE, type NetEdge, type NetNode } from './options';

/**
 * Pure helpers and chart option builders of the analysis pages (overview, activity, topics,
 * network, KOL). Chat-derived strings (names, terms) reach the charts as data; wherever a
 * tooltip is built by a function they pass through escapeHtml, since ECharts tooltips are HTML.
 */

import { escapeHtml } from '../escape.js';

export { escapeHtml };

/** Replaces `{name}` placeholders of a UI string. */
export const fill = (tpl: string, vars: Record<string, string | number>): string =>
  tpl.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

/** A share 0..1 as a percentage with one decimal; '—' when unknown. */
export const fmtPct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`);

/** A number with locale grouping and at most `digits` decimals; '—' when unknown. */
export const fmtNum = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString(undefined, { maximumFractionDigits: digits });

/** A duration in seconds in the largest readable unit. */
export function fmtDuration(seconds: number | null | undefined, lang: 'zh' | 'en'): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const u = lang === 'zh' ? { s: ' 秒', m: ' 分钟', h: ' 小时', d: ' 天' } : { s: ' s', m: ' min', h: ' h', d: ' d' };
  if (seconds < 60) return `${Math.round(seconds)}${u.s}`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)}${u.m}`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)}${u.h}`;
  return `${(seconds / 86400).toFixed(1)}${u.d}`;
}

/** Sort state of a table: column key and direction. */
export interface SortState<K extends string = string> {
  key: K;
  dir: 'asc' | 'desc';
}
/** Clicking a column: the same column flips direction, a new one starts descending. */
export const toggleSort = <K extends string>(s: SortState<K>, key: K): SortState<K> => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'desc' });
export const sortMark = (s: SortState, key: string): string => (s.key !== key ? '' : s.dir === 'asc' ? ' ▲' : ' ▼');
/** Stable sort by a column's value (numbers numerically, text by locale). */
export function sortRows<T>(rows: readonly T[], s: SortState, value: (r: T, key: string) => number | string): T[] {
  const sign = s.dir === 'asc' ? 1 : -1;
  return rows
    .map((r, i) => ({ r, i, v: value(r, s.key) }))
    .sort((a, b) => {
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.r);
}

/** SVG path of a sparkline over `values` in a w × h box (baseline at the bottom). */
export function sparkPath(values: readonly number[], w: number, h: number): string {
  if (values.length === 0) return '';
  const max = Math.max(1e-9, ...values);
  const dx = values.length > 1 ? w / (values.length - 1) : 0;
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(i * dx).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`).join(' ');
}

/** The weekday × hour heatmap with more room below, so the scale's handle labels clear the hour labels. */
export const roomyHeatmap = (o: EChartsOption): EChartsOption => ({ ...o, grid: { ...(o.grid as object), bottom: 84 } });

const axisTip = (title: string, rows: Array<{ marker?: string; name: string; value: string }>): string =>
  `<b>${escapeHtml(title)}</b><br/>` + rows.map((r) => `${r.marker ?? ''}${escapeHtml(r.name)}: <b>${escapeHtml(r.value)}</b>`).join('<br/>');

type TipParam = { axisValueLabel?: string; name?: string; marker?: string; seriesName?: string; value?: unknown; data?: unknown; dataIndex?: number; dataType?: string };

/** Top members' messages per period as stacked areas (who carries the group over time). */
export function perMemberOption(periods: readonly string[], members: readonly { name: string; counts: readonly number[] }[]): EChartsOption {
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: (ps: unknown) => {
        const list = (ps as TipParam[]).filter((p) => Number(p.value) > 0);
        return axisTip((ps as TipParam[])[0]?.axisValueLabel ?? '', list.map((p) => ({ marker: p.marker, name: p.seriesName ?? '', value: Number(p.value).toLocaleString() })));
      },
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 24, top: 40, bottom: 56, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: [...periods] },
    // No axis name: the legend sits where it would go, and the title says what is counted.
    yAxis: { type: 'value', minInterval: 1 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 6, height: 16 }],
    // triggerLineEvent: a click on a member's band (not only on a point) reports that series.
    series: members.map((m) => ({ type: 'line' as const, name: m.name, stack: 'all', areaStyle: { opacity: 0.55 }, showSymbol: false, triggerLineEvent: true, lineStyle: { width: 1 }, data: [...m.counts] })),
  };
}

export interface TermMatrix {
  /** Rows (terms), best first. */
  terms: string[];
  /** Columns (periods), oldest first. */
  periods: string[];
  /** [column, row, value] for the cells that exist. */
  cells: Array<[number, number, number]>;
}

/**
 * Rows × periods matrix: the `pinned` terms first (e.g. this week's risers), then the terms with
 * the best value, up to `maxTerms`; cells only where the term was listed in that period.
 */
export function termMatrix(rows: readonly { term: string; period: string; value: number }[], maxTerms: number, pinned: readonly string[] = []): TermMatrix {
  const best = new Map<string, number>();
  for (const r of rows) best.set(r.term, Math.max(best.get(r.term) ?? 0, r.value));
  const pin = pinned.filter((t) => best.has(t)).slice(0, maxTerms);
  const rest = [...best.entries()].filter(([t]) => !pin.includes(t)).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  const terms = [...pin, ...rest].slice(0, maxTerms);
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const ti = new Map(terms.map((t, i) => [t, i]));
  const pi = new Map(periods.map((p, i) => [p, i]));
  const cells: Array<[number, number, number]> = [];
  for (const r of rows) {
    const y = ti.get(r.term);
    if (y !== undefined) cells.push([pi.get(r.period)!, y, r.value]);
  }
  return { terms, periods, cells };
}

/** Heatmap of a term matrix; the `highlight` period (the latest week) is outlined and its label marked. */
export function termHeatmapOption(m: TermMatrix, l: { value: string; highlight?: string; tip: (term: string, period: string, value: number) => string }): EChartsOption {
  const max = Math.max(1, ...m.cells.map((c) => c[2]));
  const hl = l.highlight === undefined ? -1 : m.periods.indexOf(l.highlight);
  return {
    tooltip: { formatter: (p: unknown) => { const d = (p as { data: { value: [number, number, number] } }).data.value; return escapeHtml(l.tip(m.terms[d[1]]!, m.periods[d[0]]!, d[2])); } },
    grid: { left: 8, right: 16, top: 12, bottom: 64, containLabel: true },
    xAxis: {
      type: 'category',
      data: m.periods.map((p) => p.slice(5)),
      splitArea: { show: true },
      axisLabel: { formatter: (v: string, i: number) => (i === hl ? `{hl|${v}}` : v), rich: { hl: { color: '#f54a45', fontWeight: 'bold' } } },
    },
    yAxis: { type: 'category', inverse: true, data: [...m.terms], axisLabel: { width: 96, overflow: 'truncate' } },
    visualMap: { min: 0, max, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 140, text: [`${Math.round(max * 10) / 10}  ${l.value}`, '0'], inRange: { color: ['#fff4e5', '#ffb65c', '#ff8800', '#b35900'] } },
    series: [
      {
        type: 'heatmap',
        name: l.value,
        data: m.cells.map((c) => ({ value: c, itemStyle: c[0] === hl ? { borderColor: '#f54a45', borderWidth: 1.5 } : undefined })),
        emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } },
      },
    ],
  };
}

/** Terms as a force graph: size by messages containing the term, edge width by shared messages. */
export function cooccurrenceOption(terms: readonly { term: string; messages: number }[], pairs: readonly { a: string; b: string; count: number }[], l: { messages: string; together: string }): EChartsOption {
  const maxM = Math.max(1, ...terms.map((t) => t.messages));
  const maxP = Math.max(1, ...pairs.map((p) => p.count));
  const linked = new Set(pairs.flatMap((p) => [p.a, p.b]));
  return {
    color: PALETTE,
    tooltip: {
      confine: true,
      formatter: (p: unknown) => {
        const x = p as TipParam & { data: { name?: string; value: number; source?: string; target?: string } };
        return x.dataType === 'edge'
          ? `${escapeHtml(x.data.source ?? '')} + ${escapeHtml(x.data.target ?? '')}: ${escapeHtml(l.together)} <b>${x.data.value}</b>`
          : `<b>${escapeHtml(x.data.name ?? '')}</b>: ${x.data.value} ${escapeHtml(l.messages)}`;
      },
    },
    series: [
      {
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        top: 16,
        bottom: 16,
        force: { repulsion: 450, edgeLength: [60, 170], gravity: 0.11, friction: 0.15 },
        data: terms.map((t, i) => ({
          name: t.term,
          value: t.messages,
          symbolSize: 12 + 34 * Math.sqrt(t.messages / maxM),
          itemStyle: { color: linked.has(t.term) ? PALETTE[i % PALETTE.length] : '#c2c6cc' },
          label: { show: true, position: 'right' as const, fontSize: 12 },
        })),
        links: pairs.map((p) => ({ source: p.a, target: p.b, value: p.count, lineStyle: { width: 0.5 + 5 * (p.count / maxP), opacity: 0.35 + 0.4 * (p.count / maxP) } })),
        lineStyle: { color: '#8f959e', curveness: 0.1 },
        emphasis: { focus: 'adjacency', lineStyle: { opacity: 0.9 } },
        labelLayout: { hideOverlap: true },
      },
    ],
  };
}

export interface PlacedWord {
  text: string;
  weight: number;
  x: number;
  y: number;
  w: number;
  h: number;
  fontSize: number;
}

/** Rough text box: CJK characters are one em wide, others about 0.6 em. */
export const textWidth = (s: string, fontSize: number): number => [...s].reduce((w, ch) => w + (ch.codePointAt(0)! >= 0x2e80 ? 1 : 0.62) * fontSize, 0);

/**
 * Word cloud layout on an Archimedean spiral from the centre: biggest words first, each at the
 * first spot where its box overlaps no earlier one and stays inside w × h; words that find no
 * spot are left out. Deterministic, so a cloud looks the same on every render and in the report.
 */
export function layoutWordCloud(words: readonly { text: string; weight: number }[], width: number, height: number, o: { minFont?: number; maxFont?: number } = {}): PlacedWord[] {
  const minF = o.minFont ?? 12;
  const maxF = Math.min(o.maxFont ?? 44, height / 4);
  const sorted = [...words].filter((w) => w.weight > 0).sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text));
  if (sorted.length === 0) return [];
  const hi = sorted[0]!.weight;
  const lo = sorted[sorted.length - 1]!.weight;
  const placed: PlacedWord[] = [];
  const pad = 2;
  const overlaps = (x: number, y: number, w: number, h: number) =>
    placed.some((p) => x < p.x + p.w / 2 + w / 2 + pad && x > p.x - p.w / 2 - w / 2 - pad && y < p.y + p.h / 2 + h / 2 + pad && y > p.y - p.h / 2 - h / 2 - pad);
  const aspect = width / height;
  for (const word of sorted) {
    const fontSize = Math.round(minF + (maxF - minF) * (hi === lo ? 1 : Math.sqrt((word.weight - lo) / (hi - lo))));
    const w = textWidth(word.text, fontSize);
    const h = fontSize * 1.2;
    for (let t = 0; t < 600; t += 0.08) {
      const r = 2.2 * t;
      const x = width / 2 + r * Math.cos(t) * aspect;
      const y = height / 2 + r * Math.sin(t);
      if (x - w / 2 < 0 || x + w / 2 > width || y - h / 2 < 0 || y + h / 2 > height) {
        if (r > Math.max(width, height)) break;
        continue;
      }
      if (!overlaps(x, y, w, h)) {
        placed.push({ text: word.text, weight: word.weight, x, y, w, h, fontSize });
        break;
      }
    }
  }
  return placed;
}

/** A laid-out word cloud as a scatter on hidden pixel axes (click a word like any data item). */
export function wordCloudOption(placed: readonly PlacedWord[], width: number, height: number, l: { value: string }): EChartsOption {
  return {
    tooltip: { formatter: (p: unknown) => { const d = (p as { data: { name: string; weight: number } }).data; return `<b>${escapeHtml(d.name)}</b>: ${escapeHtml(l.value)} ${fmtNum(d.weight, 1)}`; } },
    grid: { left: 0, right: 0, top: 0, bottom: 0 },
    xAxis: { type: 'value', min: 0, max: width, show: false },
    yAxis: { type: 'value', min: 0, max: height, inverse: true, show: false },
    series: [
      {
        type: 'scatter',
        symbol: 'rect',
        data: placed.map((p, i) => ({
          name: p.text,
          weight: p.weight,
          value: [p.x, p.y],
          symbolSize: [p.w, p.h],
          itemStyle: { color: 'rgba(0,0,0,0)' },
          label: { show: true, position: 'inside' as const, formatter: '{b}', fontSize: p.fontSize, fontWeight: i < 5 ? ('bold' as const) : ('normal' as const), color: PALETTE[i % 7] },
        })),
        emphasis: { scale: false, itemStyle: { color: 'rgba(51,112,255,0.08)' } },
      },
    ],
  };
}

/**
 * The ties worth drawing among the members shown: at most `max`, strongest first, plus each
 * member's strongest tie so no one shown floats alone. A force layout over tens of thousands of
 * ties (18k among 150 members at 1M messages) blocked the page for over a second and drew a
 * grey disc; the strongest few hundred show the structure. Ties of equal weight keep their order.
 */
export function strongestEdges<E extends NetEdge>(edges: readonly E[], max: number): E[] {
  if (edges.length <= max) return [...edges];
  const order = edges.map((e, i) => [e, i] as const).sort((a, b) => b[0].weight - a[0].weight || a[1] - b[1]);
  const linked = new Set<number>();
  const out: E[] = [];
  for (const [e] of order) {
    if (out.length < max || !linked.has(e.source) || !linked.has(e.target)) {
      out.push(e);
      linked.add(e.source);
      linked.add(e.target);
    }
  }
  return out;
}

/** Ties drawn for `nodes` members shown (see strongestEdges). */
export const drawnEdgeCap = (nodes: number): number => Math.max(300, 4 * nodes);

/**
 * The interactive member network: networkOption plus readable tooltips, truncated labels, a
 * force strength that keeps a graph of any size inside the view, and click-to-select (ECharts
 * keeps the selection itself, so selecting a member does not restart the layout).
 */
export function memberNetworkOption(
  nodes: readonly (NetNode & { reach: number })[],
  edges: readonly (NetEdge & { replies: number; mentions: number; adjacent: number })[],
  o: { communityLabel: string; tipNode: (n: NetNode & { reach: number }) => string; tipEdge: (from: string, to: string, e: { replies: number; mentions: number; adjacent: number; weight: number }) => string },
): EChartsOption {
  const n = Math.max(1, nodes.length);
  const base = networkOption(nodes, edges, { layout: 'force', labelTop: n > 60 ? 14 : 20, communityLabel: o.communityLabel });
  const s = (base.series as Record<string, unknown>[])[0]!;
  const r = Math.round(Math.max(50, Math.min(160, 7000 / n)));
  const names = new Map(nodes.map((x) => [String(x.id), x.name]));
  const byId = new Map(nodes.map((x) => [String(x.id), x]));
  const data = (s['data'] as Array<{ label: Record<string, unknown> }>).map((d) => ({ ...d, label: { ...d.label, width: 120, overflow: 'truncate' } }));
  // Dense graphs: fainter edges, so the structure shows through the hairball.
  const fade = edges.length > 300 ? 0.16 : edges.length > 100 ? 0.3 : 0.45;
  const links = (s['links'] as Array<{ lineStyle: Record<string, unknown> }>).map((l) => ({ ...l, lineStyle: { ...l.lineStyle, opacity: fade } }));
  return {
    ...base,
    tooltip: {
      confine: true,
      formatter: (p: unknown) => {
        const x = p as TipParam & { data: { id?: string }; dataIndex: number };
        if (x.dataType === 'edge') {
          const e = edges[x.dataIndex]!;
          return escapeHtml(o.tipEdge(names.get(String(e.source)) ?? '', names.get(String(e.target)) ?? '', e)).replace(/\n/g, '<br/>');
        }
        const node = byId.get(x.data.id ?? '');
        return node ? escapeHtml(o.tipNode(node)).replace(/\n/g, '<br/>') : '';
      },
    },
    series: [
      {
        ...s,
        data,
        links,
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        emphasis: { focus: 'adjacency', label: { show: true }, lineStyle: { opacity: 0.8 } },
        selectedMode: 'single',
        select: { itemStyle: { borderColor: '#1f2329', borderWidth: 3, shadowBlur: 10, shadowColor: 'rgba(0,0,0,.35)' }, label: { show: true, fontWeight: 'bold' } },
        // Stronger repulsion for small graphs, more gravity for big ones: both stay inside the view.
        // Repulsion grows with PageRank (the node value), so the hubs spread apart and their labels stay readable.
        force: { repulsion: [r, Math.round(r * (n > 60 ? 4 : 2.5))], edgeLength: n > 60 ? [100, 150] : [50, 140], gravity: 0.2, friction: 0.15, layoutAnimation: true },
      },
    ],
  };
}

/** Stacked horizontal bars: each candidate's score split into its weighted components. */
export function kolContribOption(
  cands: readonly { name: string; components: Record<string, number> }[],
  weights: Record<string, number>,
  comps: readonly string[],
  labels: Record<string, string>,
): EChartsOption {
  const wsum = comps.reduce((s, c) => s + (weights[c] ?? 0), 0) || 1;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    color: PALETTE,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (ps: unknown) => {
        const list = ps as TipParam[];
        const total = list.reduce((s, p) => s + Number(p.value), 0);
        return axisTip(`${list[0]?.name ?? ''} · ${total.toFixed(3)}`, list.map((p) => ({ marker: p.marker, name: p.seriesName ?? '', value: Number(p.value).toFixed(3) })));
      },
    },
    legend: { top: 0, itemGap: 8, itemWidth: 14 },
    // Room for a legend wrapped on two lines in a half-width panel.
    grid: { left: 8, right: 40, top: 52, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 1 },
    yAxis: { type: 'category', inverse: true, data: cands.map((c) => c.name), axisLabel: { width: 150, overflow: 'truncate' } },
    series: comps.map((c) => ({ type: 'bar' as const, name: labels[c] ?? c, stack: 'score', barMaxWidth: 16, data: cands.map((x) => round(((weights[c] ?? 0) * (x.components[c] ?? 0)) / wsum)) })),
  };
}

/** Messages sent (x, log scale) against KOL score (y): shows that volume alone does not rank. Top five by score in blue, the loudest of the rest in orange. */
export function kolScatterOption(cands: readonly { id: number; name: string; score: number; messages: number; drawnIn: number }[], l: { messages: string; score: string; drawnIn: string }): EChartsOption {
  const top = new Set([...cands].sort((a, b) => b.score - a.score).slice(0, 5).map((c) => c.id));
  // The loudest members outside the top five: where volume without engagement lands.
  const loud = new Set([...cands].sort((a, b) => b.messages - a.messages).filter((c) => !top.has(c.id)).slice(0, 3).map((c) => c.id));
  const maxD = Math.max(1, ...cands.map((c) => c.drawnIn));
  return {
    color: [PALETTE[0]!],
    tooltip: {
      confine: true,
      formatter: (p: unknown) => {
        const d = (p as { data: { name: string; value: [number, number]; drawnIn: number } }).data;
        return `<b>${escapeHtml(d.name)}</b><br/>${escapeHtml(l.messages)}: ${d.value[0]}<br/>${escapeHtml(l.score)}: ${d.value[1].toFixed(3)}<br/>${escapeHtml(l.drawnIn)}: ${d.drawnIn}`;
      },
    },
    grid: { left: 8, right: 24, top: 28, bottom: 28, containLabel: true },
    xAxis: { type: 'log', name: l.messages, nameLocation: 'middle', nameGap: 26, min: 1 },
    yAxis: { type: 'value', name: l.score, min: 0, max: 1 },
    series: [
      {
        type: 'scatter',
        data: cands.map((c) => ({
          id: String(c.id),
          name: c.name,
          drawnIn: c.drawnIn,
          value: [Math.max(1, c.messages), c.score],
          symbolSize: 6 + 16 * Math.sqrt(c.drawnIn / maxD),
          itemStyle: { opacity: 0.75, color: top.has(c.id) ? PALETTE[0] : loud.has(c.id) ? PALETTE[2] : '#9cb0d9' },
          label: { show: top.has(c.id) || loud.has(c.id), position: 'left' as const, formatter: '{b}', fontSize: 11, width: 110, overflow: 'truncate' as const },
        })),
        labelLayout: { hideOverlap: true },
      },
    ],
  };
}
