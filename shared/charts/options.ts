import type { EChartsOption } from 'echarts';

/**
 * Pure chart option builders: (data, labels) → ECharts option. Shared by the renderer (canvas)
 * and the HTML report (server-side SVG), so a chart looks the same in both. No DOM, no Node.
 * Every builder turns chat-derived strings into chart labels only; ECharts renders them as text.
 */

export const PALETTE = ['#3370ff', '#34c724', '#ff8800', '#f54a45', '#7f3bf5', '#14c0ff', '#ffc60a', '#d136d1', '#2ea121', '#8f959e'];

export interface AxisLabels {
  weekdays: readonly string[];
  messages: string;
}

export const WEEKDAYS = { zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] } as const;

const grid = { left: 56, right: 24, top: 36, bottom: 48, containLabel: true };

/** Weekday × hour heatmap; rows Monday first, hours 0–23 wall clock. `cells[weekday][hour]`. */
export function heatmapOption(cells: readonly (readonly number[])[], l: AxisLabels): EChartsOption {
  const data: [number, number, number][] = [];
  let max = 0;
  cells.forEach((row, wd) =>
    row.forEach((v, h) => {
      data.push([h, wd, v]);
      if (v > max) max = v;
    }),
  );
  return {
    tooltip: { position: 'top' },
    grid: { ...grid, left: 48, bottom: 64 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: true } },
    yAxis: { type: 'category', data: [...l.weekdays], inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max: Math.max(1, max), calculable: true, orient: 'horizontal', left: 'center', bottom: 4, itemHeight: 140, inRange: { color: ['#f2f6ff', '#9cb9ff', '#3370ff', '#1d3fa8'] } },
    series: [{ type: 'heatmap', name: l.messages, data, label: { show: false }, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
  };
}

export interface SeriesPoint {
  period: string;
  messages: number;
  members?: number;
}

/** Messages (bars) and active members (line) per day/week/month, with a zoom brush. */
export function activitySeriesOption(points: readonly SeriesPoint[], l: { messages: string; members: string }): EChartsOption {
  const hasMembers = points.some((p) => p.members !== undefined);
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { ...grid, bottom: 64 },
    xAxis: { type: 'category', data: points.map((p) => p.period) },
    yAxis: hasMembers ? [{ type: 'value', name: l.messages }, { type: 'value', name: l.members, splitLine: { show: false } }] : [{ type: 'value', name: l.messages }],
    dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 8, height: 18 }],
    series: [
      { type: 'bar', name: l.messages, data: points.map((p) => p.messages), barMaxWidth: 18 },
      ...(hasMembers ? [{ type: 'line' as const, name: l.members, yAxisIndex: 1, smooth: true, showSymbol: false, data: points.map((p) => p.members ?? 0) }] : []),
    ],
  };
}

/** Calendar heatmap of messages per day; one calendar row per year in the data. */
export function calendarOption(days: readonly { day: string; messages: number }[], l: { messages: string; lang: 'zh' | 'en' }): EChartsOption {
  const years = [...new Set(days.map((d) => d.day.slice(0, 4)))].sort();
  const max = Math.max(1, ...days.map((d) => d.messages));
  return {
    tooltip: {},
    visualMap: { min: 0, max, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 140, inRange: { color: ['#ebf1ff', '#3370ff', '#1d3fa8'] } },
    calendar: years.map((y, i) => ({
      range: y,
      top: 30 + i * 150,
      left: 48,
      right: 16,
      cellSize: ['auto', 14],
      dayLabel: { firstDay: 1, nameMap: l.lang === 'zh' ? 'ZH' : 'EN' },
      monthLabel: { nameMap: l.lang === 'zh' ? 'ZH' : 'EN' },
      yearLabel: { show: true },
    })),
    series: years.map((y, i) => ({
      type: 'heatmap' as const,
      name: l.messages,
      coordinateSystem: 'calendar' as const,
      calendarIndex: i,
      data: days.filter((d) => d.day.startsWith(y)).map((d) => [d.day, d.messages]),
    })),
  };
}

/** Height a calendar chart needs for `years` rows. */
export const calendarHeight = (years: number): number => 60 + Math.max(1, years) * 150;

/** Horizontal bar chart of ranked items (keywords, members), best at the top. */
export function rankedBarOption(items: readonly { label: string; value: number }[], l: { value: string }, color = PALETTE[0]): EChartsOption {
  const shown = items.slice(0, 40);
  return {
    color: [color!],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', name: l.value },
    yAxis: { type: 'category', inverse: true, data: shown.map((i) => i.label), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{ type: 'bar', data: shown.map((i) => i.value), barMaxWidth: 16, label: { show: true, position: 'right' } }],
  };
}

/** Height for a ranked bar chart of n items. */
export const rankedBarHeight = (n: number): number => Math.max(160, Math.min(40, n) * 22 + 24);

/** Shares (pie/donut), e.g. message kinds. */
export function donutOption(items: readonly { label: string; value: number }[]): EChartsOption {
  return {
    color: PALETTE,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { orient: 'vertical', left: 0, top: 'middle' },
    series: [{ type: 'pie', radius: ['45%', '72%'], center: ['62%', '52%'], data: items.filter((i) => i.value > 0).map((i) => ({ name: i.label, value: i.value })), label: { formatter: '{b}\n{d}%' } }],
  };
}

export interface NetNode {
  id: number;
  name: string;
  pagerank: number;
  community: number;
  messages: number;
}
export interface NetEdge {
  source: number;
  target: number;
  weight: number;
}

/**
 * Interaction network: communities coloured, node size by PageRank, labels for the most central
 * nodes only (readable), force layout for interactive use or a circular layout for static SVG.
 */
export function networkOption(nodes: readonly NetNode[], edges: readonly NetEdge[], o: { layout: 'force' | 'circular'; labelTop?: number; communityLabel: string }): EChartsOption {
  const maxPr = Math.max(1e-9, ...nodes.map((n) => n.pagerank));
  const ranked = [...nodes].sort((a, b) => b.pagerank - a.pagerank);
  const labelled = new Set(ranked.slice(0, o.labelTop ?? 25).map((n) => n.id));
  const maxW = Math.max(1e-9, ...edges.map((e) => e.weight));
  const communities = [...new Set(nodes.map((n) => n.community))].sort((a, b) => a - b);
  return {
    color: PALETTE,
    tooltip: {},
    legend: communities.length > 1 ? { data: communities.map((c) => `${o.communityLabel} ${c + 1}`), top: 0, type: 'scroll' } : undefined,
    series: [
      {
        type: 'graph',
        layout: o.layout,
        roam: true,
        draggable: o.layout === 'force',
        // A circular layout writes labels outside the ring: leave room for them.
        ...(o.layout === 'circular' ? { top: 110, bottom: 110, left: 170, right: 170 } : { top: 40, bottom: 16 }),
        circular: { rotateLabel: true },
        force: { repulsion: 160, edgeLength: [40, 140], gravity: 0.08, friction: 0.2 },
        categories: communities.map((c) => ({ name: `${o.communityLabel} ${c + 1}` })),
        data: nodes.map((n) => ({
          id: String(n.id),
          name: n.name,
          value: n.pagerank,
          category: communities.indexOf(n.community),
          symbolSize: 8 + 34 * Math.sqrt(n.pagerank / maxPr),
          label: { show: labelled.has(n.id), position: 'right', fontSize: 11 },
        })),
        links: edges.map((e) => ({ source: String(e.source), target: String(e.target), value: e.weight, lineStyle: { width: 0.5 + 3.5 * (e.weight / maxW), opacity: 0.45, curveness: 0.15 } })),
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 5,
        emphasis: { focus: 'adjacency', label: { show: true } },
        labelLayout: { hideOverlap: true },
      },
    ],
  };
}

/** Cohort retention matrix: rows = join month, columns = months since joining, cells = share. */
export function cohortOption(cohorts: readonly { cohort: string; size: number; retention: readonly number[] }[], l: { monthsAfter: string; cohort: string }): EChartsOption {
  const width = Math.max(1, ...cohorts.map((c) => c.retention.length));
  const data: [number, number, number][] = [];
  cohorts.forEach((c, y) => c.retention.forEach((v, x) => data.push([x, y, Math.round(v * 1000) / 10])));
  return {
    tooltip: { formatter: (p: unknown) => { const d = (p as { data: [number, number, number] }).data; return `${cohorts[d[1]]!.cohort} +${d[0]}: ${d[2]}%`; } },
    grid: { left: 8, right: 16, top: 30, bottom: 56, containLabel: true },
    xAxis: { type: 'category', name: l.monthsAfter, data: Array.from({ length: width }, (_, i) => `+${i}`), splitArea: { show: true } },
    yAxis: { type: 'category', name: l.cohort, inverse: true, data: cohorts.map((c) => `${c.cohort} (${c.size})`), splitArea: { show: true } },
    visualMap: { min: 0, max: 100, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 140, text: ['100%', '0%'], inRange: { color: ['#fff4e5', '#ffb65c', '#ff8800', '#b35900'] } },
    series: [{ type: 'heatmap', data, label: cohortLabel(width) }],
  };
}

/**
 * Cell labels that fit their cells: "87.5%" for up to 8 months after joining; beyond, whole
 * percents in a smaller font (17 months of "87.5%" in a half-width chart ran into each other);
 * beyond 36 none (the colour and the tooltip carry the value).
 */
export function cohortLabel(months: number): { show: boolean; formatter?: (p: unknown) => string; fontSize?: number } {
  const v = (p: unknown) => (p as { data: number[] }).data[2]!;
  if (months <= 8) return { show: true, formatter: (p) => `${v(p)}%`, fontSize: 11 };
  if (months <= 36) return { show: true, formatter: (p) => String(Math.round(v(p))), fontSize: months <= 18 ? 10 : 9 };
  return { show: false };
}

/** Kaplan–Meier survival curve (share of members not yet churned by day). */
export function survivalOption(curve: readonly { t: number; survival: number }[], l: { days: string; survival: string }): EChartsOption {
  return {
    color: [PALETTE[4]!],
    tooltip: { trigger: 'axis' },
    grid,
    xAxis: { type: 'value', name: l.days, min: 0 },
    yAxis: { type: 'value', name: l.survival, min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    series: [{ type: 'line', step: 'end', showSymbol: false, areaStyle: { opacity: 0.12 }, data: [[0, 1], ...curve.map((p) => [p.t, p.survival])] }],
  };
}

/** Onboarding funnel, widest stage first. */
export function funnelOption(steps: readonly { label: string; count: number }[]): EChartsOption {
  const max = Math.max(1, ...steps.map((s) => s.count));
  return {
    color: PALETTE,
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [{ type: 'funnel', sort: 'none', left: '10%', width: '80%', top: 16, bottom: 16, min: 0, max, minSize: '8%', gap: 2, label: { show: true, position: 'inside', formatter: '{b}\n{c}' }, data: steps.map((s) => ({ name: s.label, value: s.count })) }],
  };
}

/** Several groups' series on shared axes (Compare page). */
export function compareSeriesOption(series: readonly { name: string; points: readonly { period: string; value: number }[] }[], l: { value: string }): EChartsOption {
  const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { ...grid, bottom: 64 },
    xAxis: { type: 'category', data: periods },
    yAxis: { type: 'value', name: l.value },
    dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 8, height: 18 }],
    series: series.map((s) => {
      const by = new Map(s.points.map((p) => [p.period, p.value]));
      return { type: 'line' as const, name: s.name, smooth: true, showSymbol: false, data: periods.map((p) => by.get(p) ?? 0) };
    }),
  };
}

/** Grouped bars: one category per metric, one bar per group (Compare page). */
export function groupedBarOption(categories: readonly string[], groups: readonly { name: string; values: readonly number[] }[]): EChartsOption {
  return {
    color: PALETTE,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    grid,
    xAxis: { type: 'category', data: [...categories], axisLabel: { interval: 0 } },
    yAxis: { type: 'value' },
    series: groups.map((g) => ({ type: 'bar' as const, name: g.name, data: [...g.values], barMaxWidth: 22 })),
  };
}

/**
 * The global date-range brush: a slim area chart of messages per day with a dataZoom window whose
 * ends are the filter's from/to (indices into `days`; the whole range when not set).
 */
export function timelineBrushOption(days: readonly { day: string; messages: number }[], range: { from?: string; to?: string }): EChartsOption {
  const labels = days.map((d) => d.day);
  const startValue = range.from ? Math.max(0, labels.findIndex((d) => d >= range.from!)) : 0;
  const endIdx = range.to ? labels.findIndex((d) => d > range.to!) : -1;
  const endValue = endIdx === -1 ? Math.max(0, labels.length - 1) : Math.max(startValue, endIdx - 1);
  return {
    color: [PALETTE[0]!],
    grid: { left: 8, right: 8, top: 4, bottom: 30 },
    xAxis: { type: 'category', data: labels, show: false, boundaryGap: false },
    yAxis: { type: 'value', show: false },
    tooltip: { trigger: 'axis' },
    dataZoom: [{ type: 'slider', startValue, endValue, bottom: 4, height: 22, brushSelect: true, labelFormatter: (_v: number, s: string) => s }],
    series: [{ type: 'line', data: days.map((d) => d.messages), showSymbol: false, areaStyle: { opacity: 0.25 }, lineStyle: { width: 1 } }],
  };
}

/** The from/to days a brush window [startValue, endValue] (category indices) stands for; undefined at the ends. */
export function brushRange(days: readonly string[], startValue: number, endValue: number): { from?: string; to?: string } {
  const last = days.length - 1;
  const s = Math.max(0, Math.min(last, Math.round(startValue)));
  const e = Math.max(s, Math.min(last, Math.round(endValue)));
  return { from: s > 0 ? days[s] : undefined, to: e < last ? days[e] : undefined };
}
