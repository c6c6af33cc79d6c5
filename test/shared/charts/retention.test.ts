import { describe, expect, it } from 'vitest';
import { svg } from '../../helpers/svg.js';
import {
  atRiskHeight, atRiskOption, cohortMatrixOption, dailyBarOption, esc, fillDays, funnelRatesOption, groupedPercentOption, overlapOption, survivalMedianOption,
} from '../../../shared/charts/retention.js';


describe('retention chart builders', () => {
  it('esc neutralises HTML in names shown in tooltips', () => {
    expect(esc('<img src=x onerror="a">&\'')).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;');
  });

  it('survival: a dashed 50% line and a median marker when the median is reached', () => {
    const curve = [{ t: 0, survival: 1 }, { t: 10, survival: 0.6 }, { t: 20, survival: 0.4 }];
    const o = survivalMedianOption(curve, 20, { days: 'days', survival: 'S', median: 'median', day: 'day' }) as any;
    expect(o.series[0].step).toBe('end');
    expect(o.series[0].markLine.data).toEqual([expect.objectContaining({ yAxis: 0.5 }), expect.objectContaining({ xAxis: 20 })]);
    expect(o.tooltip.formatter([{ data: [10, 0.6] }])).toBe('day 10: 60.0%');
    expect(svg(o)).toContain('median 20');
    const none = survivalMedianOption(curve.slice(0, 2), null, { days: 'd', survival: 'S', median: 'm', day: 'day' }) as any;
    expect(none.series[0].markLine.data).toHaveLength(1);
  });

  it('cohort matrix: one decimal per cell, axis names clear of the labels', () => {
    const o = cohortMatrixOption([{ cohort: '2024-03', size: 4, retention: [1, 0.81] }], { monthsAfter: 'months', cohort: 'cohort' }) as any;
    expect(o.series[0].data).toEqual([[0, 0, 100], [1, 0, 81]]);
    expect(o.series[0].label.formatter({ data: [1, 0, 81] })).toBe('81.0%');
    expect(o.yAxis.name).toBeUndefined();
    expect(o.yAxis.data).toEqual(['2024-03 (4)']);
    expect(svg(o)).toContain('81.0%');
  });

  it('cohort matrix: 17 months after joining show whole percents in a smaller font', () => {
    const retention = Array.from({ length: 17 }, (_, i) => 1 - i * 0.025); // 100 %, 97.5 %, … 60 %
    const o = cohortMatrixOption([{ cohort: '2024-03', size: 40, retention }], { monthsAfter: 'months', cohort: 'cohort' }) as any;
    expect(o.series[0].label).toMatchObject({ show: true, fontSize: 10 });
    expect(o.series[0].label.formatter({ data: [1, 0, 97.5] })).toBe('98');
    expect(svg(o, 560, 400)).not.toContain('97.5%');
  });

  it('funnel: stages in order with counts and conversion in labels and tooltip', () => {
    const steps = [
      { label: 'joined', count: 48, fromPrevious: 1, fromJoined: 1 },
      { label: 'spoke', count: 35, fromPrevious: 35 / 48, fromJoined: 35 / 48 },
    ];
    const o = funnelRatesOption(steps, { fromPrevious: 'prev', fromJoined: 'all' }) as any;
    expect(o.series[0].data.map((d: any) => d.name)).toEqual(['joined', 'spoke']);
    expect(o.series[0].label.formatter({ name: 'spoke' })).toBe('spoke  35 (72.9%)');
    expect(o.tooltip.formatter({ name: 'spoke' })).toContain('prev 72.9%');
    expect(svg(o)).toContain('joined');
  });

  it('at risk: earlier and recent rates per member; names escaped in the tooltip', () => {
    const o = atRiskOption([{ name: '<b>A</b>', earlierRate: 1.234, recentRate: 0.1 }], { earlier: 'before', recent: 'now', perDay: '/day' }) as any;
    expect(o.series.map((s: any) => s.data)).toEqual([[1.23], [0.1]]);
    expect(o.tooltip.formatter([{ dataIndex: 0 }])).toContain('&lt;b&gt;A&lt;/b&gt;');
    expect(svg(o)).toContain('before');
    expect(atRiskHeight(100)).toBe(30 * 34 + 50);
  });

  it('daily bars fill missing days with 0', () => {
    expect(fillDays([{ day: '2024-02-28', value: 2 }, { day: '2024-03-01', value: 1 }])).toEqual([
      { day: '2024-02-28', value: 2 }, { day: '2024-02-29', value: 0 }, { day: '2024-03-01', value: 1 },
    ]);
    const o = dailyBarOption([{ day: '2024-01-01', value: 3 }, { day: '2024-01-03', value: 1 }], { value: 'members' }) as any;
    expect(o.xAxis.data).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
    expect(o.series[0].data).toEqual([3, 0, 1]);
    expect(svg(o)).toContain('2024-01-01');
    expect(fillDays([])).toEqual([]);
  });

  it('percent bars: shares become percentages on a 0–100 axis', () => {
    const o = groupedPercentOption(['M1', 'M2'], [{ name: 'G1', values: [0.5, 0.255] }, { name: 'G2', values: [0.1, 0] }]) as any;
    expect(o.series[0].data).toEqual([50, 25.5]);
    expect(o.yAxis.max).toBe(100);
    expect(o.tooltip.formatter([{ axisValue: 'M1', seriesName: '<G1>', value: 50 }])).toBe('M1<br/>&lt;G1&gt;: 50.0%');
    expect(svg(o)).toContain('M2');
  });

  it('overlap: a symmetric Jaccard matrix labelled with shared counts', () => {
    const o = overlapOption(['A', 'B', 'C'], [{ i: 0, j: 1, shared: 8, jaccard: 8 / 122 }], { shared: 'shared', jaccard: 'J' }) as any;
    expect(o.series[0].data).toEqual([{ value: [0, 1, 6.6], shared: 8 }, { value: [1, 0, 6.6], shared: 8 }]);
    expect(o.series[0].label.formatter({ data: o.series[0].data[0] })).toBe('8 · 6.6%');
    expect(o.tooltip.formatter({ data: o.series[0].data[0] })).toContain('A ∩ B');
    expect(svg(o, 600, 300)).toContain('8 · 6.6%');
  });
});
