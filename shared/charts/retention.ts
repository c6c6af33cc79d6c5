import type { EChartsOption } from 'echarts';
import { cohortLabel, cohortOption, funnelOption, groupedBarOption, PALETTE, survivalOption } from './options.js';

/**
 * Option builders of the Retention, Members and Compare pages (pure: data → EChartsOption).
 * ECharts tooltips render HTML, so every string that may come from chat data (member and group
 * names) goes through `esc` inside tooltip formatters.
 */

import { escapeHtml as esc } from '../escape.js';

export { esc };

const pct1 = (x: number): string => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

/** Kaplan–Meier curve with the 50% line and, when reached, a marker at the median. */
export function survivalMedianOption(
  curve: readonly { t: number; survival: number }[],
  medianDays: number | null,
  l: { days: string; survival: string; median: string; day: string },
): EChartsOption {
  const base = survivalOption(curve, l) as EChartsOption & { series: Array<Record<string, unknown>> };
  const lines: Array<Record<string, unknown>> = [{ yAxis: 0.5, label: { formatter: '50%', position: 'insideEndTop' } }];
  if (medianDays !== null) lines.push({ xAxis: medianDays, label: { formatter: `${l.median} ${medianDays}`, position: 'insideEndTop' } });
  return {
    ...base,
    grid: { left: 56, right: 24, top: 36, bottom: 40, containLabel: true },
    // Axis names centred under / beside the axis: at the end they are clipped in narrow charts.
    xAxis: { type: 'value', name: l.days, min: 0, nameLocation: 'middle', nameGap: 26 },
    tooltip: {
      trigger: 'axis',
      formatter: (p: unknown) => {
        const d = (Array.isArray(p) ? p[0] : p) as { data: [number, number] } | undefined;
        return d ? `${esc(l.day)} ${d.data[0]}: ${pct1(d.data[1])}` : '';
      },
    },
    series: [{ ...base.series[0], markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: PALETTE[3] }, data: lines } }] as EChartsOption['series'],
  };
}

/**
 * Cohort matrix (cohortOption) with one decimal on every cell (whole percents, then none, when
 * many months make the cells narrow: cohortLabel) and the axis names where they do not collide
 * with the labels: rows already read "2024-03 (49)".
 */
export function cohortMatrixOption(
  cohorts: readonly { cohort: string; size: number; retention: readonly number[] }[],
  l: { monthsAfter: string; cohort: string },
): EChartsOption {
  const months = Math.max(1, ...cohorts.map((c) => c.retention.length));
  const base = cohortOption(cohorts, l) as EChartsOption & { series: Array<Record<string, unknown>>; xAxis: Record<string, unknown>; yAxis: Record<string, unknown> };
  return {
    ...base,
    xAxis: { ...base.xAxis, nameLocation: 'middle', nameGap: 24 },
    yAxis: { ...base.yAxis, name: undefined },
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    series: [{ ...base.series[0], label: months <= 8 ? { show: true, fontSize: 11, formatter: (p: unknown) => `${(p as { data: number[] }).data[2]!.toFixed(1)}%` } : cohortLabel(months) }] as EChartsOption['series'],
  };
}

/** Onboarding funnel with each stage's count and its conversion from the previous stage. */
export function funnelRatesOption(
  steps: readonly { label: string; count: number; fromPrevious: number; fromJoined: number }[],
  l: { fromPrevious: string; fromJoined: string },
): EChartsOption {
  const base = funnelOption(steps) as EChartsOption & { series: Array<Record<string, unknown>> };
  const by = new Map(steps.map((s) => [s.label, s]));
  return {
    ...base,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const s = by.get((p as { name: string }).name);
        return s ? `${esc(s.label)}: ${s.count.toLocaleString()}<br/>${esc(l.fromPrevious)} ${pct1(s.fromPrevious)} · ${esc(l.fromJoined)} ${pct1(s.fromJoined)}` : '';
      },
    },
    series: [
      {
        ...base.series[0],
        left: '2%',
        width: '56%',
        labelLine: { show: true, length: 16 },
        label: {
          show: true,
          position: 'right',
          formatter: (p: unknown) => {
            const s = by.get((p as { name: string }).name);
            return s ? `${s.label}  ${s.count.toLocaleString()} (${pct1(s.fromJoined)})` : '';
          },
        },
      },
    ] as EChartsOption['series'],
  };
}

/** At-risk members: their earlier and recent message rates side by side, biggest drop first. */
export function atRiskOption(
  rows: readonly { name: string; earlierRate: number; recentRate: number }[],
  l: { earlier: string; recent: string; perDay: string },
): EChartsOption {
  const shown = rows.slice(0, 30);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    color: [PALETTE[9]!, PALETTE[3]!],
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (p: unknown) => {
        const ps = p as Array<{ dataIndex: number }>;
        const r = shown[ps[0]?.dataIndex ?? -1];
        return r ? `${esc(r.name)}<br/>${esc(l.earlier)}: ${r2(r.earlierRate)} ${esc(l.perDay)}<br/>${esc(l.recent)}: ${r2(r.recentRate)} ${esc(l.perDay)}` : '';
      },
    },
    grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: shown.map((r) => r.name), axisLabel: { width: 150, overflow: 'truncate' } },
    series: [
      { type: 'bar', name: l.earlier, data: shown.map((r) => r2(r.earlierRate)), barMaxWidth: 12 },
      { type: 'bar', name: l.recent, data: shown.map((r) => r2(r.recentRate)), barMaxWidth: 12 },
    ],
  };
}

/** Height for the at-risk chart of n members. */
export const atRiskHeight = (n: number): number => Math.max(180, Math.min(30, n) * 34 + 50);

const addDay = (d: string): string => {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
};

/** Every day from the first to the last given day, missing ones as 0 (an honest time axis). */
export function fillDays(days: readonly { day: string; value: number }[]): { day: string; value: number }[] {
  if (days.length === 0) return [];
  const by = new Map(days.map((d) => [d.day, d.value]));
  const sorted = [...by.keys()].sort();
  const out: { day: string; value: number }[] = [];
  for (let d = sorted[0]!, n = 0; d <= sorted[sorted.length - 1]! && n < 20_000; d = addDay(d), n++) out.push({ day: d, value: by.get(d) ?? 0 });
  return out;
}

/** Bars per day (e.g. members who checked in), empty days included, with a zoom slider. */
export function dailyBarOption(days: readonly { day: string; value: number }[], l: { value: string }): EChartsOption {
  const filled = fillDays(days);
  return {
    color: [PALETTE[1]!],
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 24, top: 36, bottom: 64, containLabel: true },
    xAxis: { type: 'category', data: filled.map((d) => d.day) },
    yAxis: { type: 'value', name: l.value, minInterval: 1 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', bottom: 8, height: 18 }],
    series: [{ type: 'bar', name: l.value, data: filled.map((d) => d.value), barMaxWidth: 14 }],
  };
}

/** Grouped bars of shares (0–1 in, shown as %), one bar per group, on a shared 0–100% axis. */
export function groupedPercentOption(categories: readonly string[], groups: readonly { name: string; values: readonly number[] }[]): EChartsOption {
  const base = groupedBarOption(categories, groups.map((g) => ({ name: g.name, values: g.values.map((v) => Math.round(v * 1000) / 10) })));
  return {
    ...base,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (p: unknown) => {
        const ps = p as Array<{ axisValue: string; seriesName: string; value: number }>;
        return [esc(ps[0]?.axisValue ?? ''), ...ps.map((x) => `${esc(x.seriesName)}: ${x.value.toFixed(1)}%`)].join('<br/>');
      },
    },
    // Category names wrap instead of running into each other.
    xAxis: { type: 'category', data: [...categories], axisLabel: { interval: 0, width: 96, overflow: 'break' } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
  };
}

/** Member overlap between groups: a symmetric matrix of Jaccard indexes, labelled with shared counts. */
export function overlapOption(
  names: readonly string[],
  pairs: readonly { i: number; j: number; shared: number; jaccard: number }[],
  l: { shared: string; jaccard: string },
): EChartsOption {
  const data: Array<{ value: [number, number, number]; shared: number }> = [];
  for (const p of pairs) {
    const v = Math.round(p.jaccard * 1000) / 10;
    data.push({ value: [p.i, p.j, v], shared: p.shared }, { value: [p.j, p.i, v], shared: p.shared });
  }
  return {
    tooltip: {
      formatter: (p: unknown) => {
        const d = (p as { data: { value: [number, number, number]; shared: number } }).data;
        return `${esc(names[d.value[0]] ?? '')} ∩ ${esc(names[d.value[1]] ?? '')}<br/>${esc(l.shared)}: ${d.shared.toLocaleString()}<br/>${esc(l.jaccard)}: ${d.value[2].toFixed(1)}%`;
      },
    },
    grid: { left: 8, right: 16, top: 16, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: [...names], axisLabel: { interval: 0, width: 120, overflow: 'truncate' }, splitArea: { show: true } },
    yAxis: { type: 'category', data: [...names], inverse: true, axisLabel: { width: 140, overflow: 'truncate' }, splitArea: { show: true } },
    visualMap: { min: 0, max: 100, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 140, text: ['100%', '0%'], inRange: { color: ['#f2f6ff', '#9cb9ff', '#3370ff', '#1d3fa8'] } },
    series: [
      {
        type: 'heatmap',
        data,
        label: { show: true, formatter: (p: unknown) => { const d = (p as { data: { value: number[]; shared: number } }).data; return `${d.shared} · ${d.value[2]!.toFixed(1)}%`; } },
      },
    ],
  };
}
