import { describe, expect, it } from 'vitest';
import { svg } from '../../helpers/svg.js';
import {
  activitySeriesOption, calendarOption, cohortLabel, cohortOption, compareSeriesOption, donutOption, funnelOption, groupedBarOption, heatmapOption,
  networkOption, rankedBarOption, survivalOption, WEEKDAYS, timelineBrushOption, brushRange,
} from '../../../shared/charts/options.js';


describe('chart option builders', () => {
  it('heatmap: one cell per weekday × hour, Monday on the first row, scale up to the maximum', () => {
    const cells = Array.from({ length: 7 }, (_, wd) => Array.from({ length: 24 }, (_, h) => (wd === 0 && h === 9 ? 5 : wd === 6 && h === 23 ? 2 : 0)));
    const o = heatmapOption(cells, { weekdays: WEEKDAYS.zh, messages: '消息' }) as any;
    expect(o.series[0].data).toHaveLength(168);
    expect(o.series[0].data).toContainEqual([9, 0, 5]);
    expect(o.series[0].data).toContainEqual([23, 6, 2]);
    expect(o.yAxis.data[0]).toBe('周一');
    expect(o.visualMap.max).toBe(5);
    expect(svg(o)).toContain('周一');
  });

  it('activity series: bars for messages, a line for members on a second axis', () => {
    const o = activitySeriesOption([{ period: '2024-01-01', messages: 3, members: 2 }, { period: '2024-01-02', messages: 7, members: 4 }], { messages: 'M', members: 'A' }) as any;
    expect(o.series.map((s: any) => s.type)).toEqual(['bar', 'line']);
    expect(o.series[0].data).toEqual([3, 7]);
    expect(o.series[1].yAxisIndex).toBe(1);
    expect(svg(o)).toContain('2024-01-02');
  });

  it('calendar: one calendar per year present', () => {
    const o = calendarOption([{ day: '2023-12-31', messages: 1 }, { day: '2024-01-01', messages: 4 }], { messages: 'M', lang: 'en' }) as any;
    expect(o.calendar.map((c: any) => c.range)).toEqual(['2023', '2024']);
    expect(o.series[1].data).toEqual([['2024-01-01', 4]]);
    expect(svg(o, 900, 360).length).toBeGreaterThan(2000);
  });

  it('ranked bars keep order and cap at 40 items', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ label: `t${i}`, value: 50 - i }));
    const o = rankedBarOption(items, { value: 'n' }) as any;
    expect(o.yAxis.data).toHaveLength(40);
    expect(o.yAxis.data[0]).toBe('t0');
    expect(o.yAxis.inverse).toBe(true);
  });

  it('donut drops empty slices', () => {
    const o = donutOption([{ label: 'text', value: 3 }, { label: 'image', value: 0 }]) as any;
    expect(o.series[0].data).toEqual([{ name: 'text', value: 3 }]);
  });

  it('network: size grows with PageRank, labels only for the most central, a colour per community', () => {
    const nodes = [
      { id: 1, name: 'A', pagerank: 0.5, community: 0, messages: 10 },
      { id: 2, name: 'B', pagerank: 0.3, community: 0, messages: 5 },
      { id: 3, name: 'C', pagerank: 0.2, community: 1, messages: 1 },
    ];
    const o = networkOption(nodes, [{ source: 2, target: 1, weight: 3 }], { layout: 'circular', labelTop: 2, communityLabel: '社区' }) as any;
    const data = o.series[0].data;
    expect(data[0].symbolSize).toBeGreaterThan(data[1].symbolSize);
    expect(data.map((d: any) => d.label.show)).toEqual([true, true, false]);
    expect(data.map((d: any) => d.category)).toEqual([0, 0, 1]);
    expect(o.series[0].links).toEqual([expect.objectContaining({ source: '2', target: '1', value: 3 })]);
    expect(svg(o)).toContain('A');
  });

  it('cohort matrix in percent with one row per cohort', () => {
    const o = cohortOption([{ cohort: '2024-01', size: 4, retention: [1, 0.5] }, { cohort: '2024-02', size: 2, retention: [1] }], { monthsAfter: 'm', cohort: 'c' }) as any;
    expect(o.series[0].data).toEqual([[0, 0, 100], [1, 0, 50], [0, 1, 100]]);
    expect(o.yAxis.data).toEqual(['2024-01 (4)', '2024-02 (2)']);
    expect(svg(o)).toContain('50%');
  });

  it('cohort labels shrink with the months shown, and go at 37', () => {
    const cell = { data: [3, 1, 87.5] };
    expect(cohortLabel(8)).toMatchObject({ show: true, fontSize: 11 });
    expect(cohortLabel(8).formatter!(cell)).toBe('87.5%');
    expect(cohortLabel(17)).toMatchObject({ show: true, fontSize: 10 });
    expect(cohortLabel(17).formatter!(cell)).toBe('88');
    expect(cohortLabel(36)).toMatchObject({ show: true, fontSize: 9 });
    expect(cohortLabel(37)).toEqual({ show: false });
  });

  it('survival starts at 100% on day 0', () => {
    const o = survivalOption([{ t: 10, survival: 0.8 }], { days: 'd', survival: 's' }) as any;
    expect(o.series[0].data).toEqual([[0, 1], [10, 0.8]]);
  });

  it('funnel keeps stage order', () => {
    const o = funnelOption([{ label: 'joined', count: 10 }, { label: 'spoke', count: 6 }]) as any;
    expect(o.series[0].sort).toBe('none');
    expect(o.series[0].data.map((d: any) => d.name)).toEqual(['joined', 'spoke']);
  });

  it('compare series align groups on one shared period axis', () => {
    const o = compareSeriesOption([{ name: 'G1', points: [{ period: '2024-01', value: 1 }] }, { name: 'G2', points: [{ period: '2024-02', value: 2 }] }], { value: 'v' }) as any;
    expect(o.xAxis.data).toEqual(['2024-01', '2024-02']);
    expect(o.series.map((s: any) => s.data)).toEqual([[1, 0], [0, 2]]);
    const g = groupedBarOption(['a', 'b'], [{ name: 'G1', values: [1, 2] }]) as any;
    expect(g.series[0].data).toEqual([1, 2]);
  });

  it('timeline brush: the window sits on the filter range and maps back to days', () => {
    const days = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'].map((day, i) => ({ day, messages: i + 1 }));
    const o = timelineBrushOption(days, { from: '2024-01-02', to: '2024-01-04' }) as any;
    expect([o.dataZoom[0].startValue, o.dataZoom[0].endValue]).toEqual([1, 3]);
    const all = timelineBrushOption(days, {}) as any;
    expect([all.dataZoom[0].startValue, all.dataZoom[0].endValue]).toEqual([0, 4]);
    const labels = days.map((d) => d.day);
    expect(brushRange(labels, 1, 3)).toEqual({ from: '2024-01-02', to: '2024-01-04' });
    // The window touching either end of the history means "no bound" there.
    expect(brushRange(labels, 0, 4)).toEqual({ from: undefined, to: undefined });
    expect(brushRange(labels, 2.4, 9)).toEqual({ from: '2024-01-03', to: undefined });
  });
});
