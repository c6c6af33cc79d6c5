import { describe, expect, it } from 'vitest';
import { svg } from '../../helpers/svg.js';
import {
  cooccurrenceOption, drawnEdgeCap, escapeHtml, fill, fmtDuration, fmtPct, kolContribOption, kolScatterOption, layoutWordCloud, memberNetworkOption,
  perMemberOption, sortRows, sparkPath, strongestEdges, termHeatmapOption, termMatrix, textWidth, toggleSort, wordCloudOption,
} from '../../../shared/charts/analysis.js';


/** Calls a tooltip formatter function as ECharts would. */
const tip = (o: any, params: unknown): string => o.tooltip.formatter(params);

describe('analysis helpers', () => {
  it('formats shares, durations and templates', () => {
    expect(fmtPct(0.12345)).toBe('12.3%');
    expect(fmtPct(null)).toBe('—');
    expect(fmtDuration(54, 'en')).toBe('54 s');
    expect(fmtDuration(647, 'zh')).toBe('10.8 分钟');
    expect(fmtDuration(7200, 'en')).toBe('2.0 h');
    expect(fmtDuration(3 * 86400, 'en')).toBe('3.0 d');
    expect(fill('{n} of {m}', { n: 1, m: 2 })).toBe('1 of 2');
    expect(escapeHtml('<img src=x onerror="a">&')).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;&amp;');
  });

  it('sorts stably, flips direction on the same column', () => {
    const rows = [{ n: 'b', v: 2 }, { n: 'a', v: 3 }, { n: 'c', v: 2 }];
    const s = toggleSort({ key: 'n', dir: 'desc' as const }, 'v');
    expect(s).toEqual({ key: 'v', dir: 'desc' });
    expect(sortRows(rows, s, (r, k) => (k === 'v' ? r.v : r.n)).map((r) => r.n)).toEqual(['a', 'b', 'c']);
    expect(sortRows(rows, toggleSort(s, 'v'), (r, k) => (k === 'v' ? r.v : r.n)).map((r) => r.n)).toEqual(['b', 'c', 'a']);
  });

  it('sparkline spans the box, the maximum at the top', () => {
    const d = sparkPath([0, 5, 10], 100, 20);
    expect(d.startsWith('M0.0,19.0')).toBe(true);
    expect(d).toContain('L100.0,1.0');
  });
});

describe('analysis chart builders', () => {
  it('per-member areas stack one series per member; tooltips escape names', () => {
    const o = perMemberOption(['2024-01-01', '2024-01-02'], [{ name: '<b>x</b>', counts: [1, 2] }, { name: 'B', counts: [0, 3] }]) as any;
    expect(o.series).toHaveLength(2);
    expect(o.series.every((s: any) => s.stack === 'all')).toBe(true);
    const html = tip(o, [{ axisValueLabel: 'd', seriesName: '<b>x</b>', value: 2, marker: '' }, { seriesName: 'B', value: 0 }]);
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('B:');
    expect(svg(o)).toContain('2024-01-02');
  });

  it('term matrix keeps the best terms, periods in order; heatmap outlines the latest period', () => {
    const rows = [
      { term: 'a', period: '2024-01-08', value: 2 },
      { term: 'b', period: '2024-01-01', value: 5 },
      { term: 'c', period: '2024-01-08', value: 1 },
    ];
    const m = termMatrix(rows, 2);
    expect(m.terms).toEqual(['b', 'a']);
    expect(m.periods).toEqual(['2024-01-01', '2024-01-08']);
    expect(m.cells).toEqual([[1, 1, 2], [0, 0, 5]]);
    expect(termMatrix(rows, 2, ['c', 'zz']).terms).toEqual(['c', 'b']);
    const o = termHeatmapOption(m, { value: 'lift', highlight: '2024-01-08', tip: (t, p, v) => `${t} ${p} ${v}` }) as any;
    expect(o.series[0].data[0].itemStyle.borderWidth).toBeGreaterThan(0);
    expect(o.series[0].data[1].itemStyle).toBeUndefined();
    expect(o.xAxis.axisLabel.formatter('01-08', 1)).toBe('{hl|01-08}');
    expect(tip(o, { data: { value: [0, 0, 5] } })).toBe('b 2024-01-01 5');
    expect(svg(o)).toContain('01-08');
  });

  it('co-occurrence graph: a node per term, a link per pair, unlinked terms greyed', () => {
    const o = cooccurrenceOption([{ term: '私域', messages: 10 }, { term: '裂变', messages: 5 }, { term: '孤', messages: 4 }], [{ a: '私域', b: '裂变', count: 3 }], { messages: 'msgs', together: 'both' }) as any;
    expect(o.series[0].data.map((d: any) => d.name)).toEqual(['私域', '裂变', '孤']);
    expect(o.series[0].data[0].symbolSize).toBeGreaterThan(o.series[0].data[1].symbolSize);
    expect(o.series[0].data[2].itemStyle.color).toBe('#c2c6cc');
    expect(o.series[0].links).toEqual([expect.objectContaining({ source: '私域', target: '裂变', value: 3 })]);
    expect(tip(o, { dataType: 'edge', data: { source: '<i>', target: 'b', value: 3 } })).toContain('&lt;i&gt;');
    expect(svg(o)).toContain('私域');
  });

  it('word cloud: words inside the box, none overlapping, biggest word largest', () => {
    const words = Array.from({ length: 40 }, (_, i) => ({ text: i % 3 === 0 ? `词语${i}` : `term${i}`, weight: 100 - i * 2 }));
    const placed = layoutWordCloud(words, 800, 300);
    expect(placed.length).toBeGreaterThan(25);
    expect(placed[0]!.text).toBe('词语0');
    expect(placed[0]!.fontSize).toBeGreaterThanOrEqual(Math.max(...placed.map((p) => p.fontSize)));
    for (const p of placed) {
      expect(p.x - p.w / 2).toBeGreaterThanOrEqual(0);
      expect(p.x + p.w / 2).toBeLessThanOrEqual(800);
      expect(p.y - p.h / 2).toBeGreaterThanOrEqual(0);
      expect(p.y + p.h / 2).toBeLessThanOrEqual(300);
    }
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i]!;
        const b = placed[j]!;
        const apart = Math.abs(a.x - b.x) >= (a.w + b.w) / 2 || Math.abs(a.y - b.y) >= (a.h + b.h) / 2;
        expect(apart, `${a.text} / ${b.text}`).toBe(true);
      }
    expect(textWidth('词a', 10)).toBeCloseTo(16.2);
    const o = wordCloudOption(placed, 800, 300, { value: 'score' }) as any;
    expect(o.series[0].data[0].label.fontSize).toBe(placed[0]!.fontSize);
    expect(svg(o, 800, 300)).toContain('词语0');
    expect(layoutWordCloud([], 100, 100)).toEqual([]);
  });

  it('member network: tooltips escape names and describe edges, a click selects one member', () => {
    const nodes = [
      { id: 1, name: '<A>', pagerank: 0.6, community: 0, messages: 9, reach: 1 },
      { id: 2, name: 'B', pagerank: 0.4, community: 1, messages: 3, reach: 1 },
    ];
    const edges = [{ source: 2, target: 1, weight: 3.5, replies: 1, mentions: 0, adjacent: 1 }];
    const o = memberNetworkOption(nodes, edges, {
      communityLabel: 'C',
      tipNode: (n) => `${n.name}\nPR ${n.pagerank}`,
      tipEdge: (f, t, e) => `${f} → ${t}: ${e.replies}/${e.adjacent}`,
    }) as any;
    expect(o.series[0].type).toBe('graph');
    expect(o.series[0].layout).toBe('force');
    expect(o.series[0].selectedMode).toBe('single');
    expect(o.series[0].select.itemStyle.borderWidth).toBe(3);
    expect(o.series[0].data[0].label.overflow).toBe('truncate');
    expect(tip(o, { dataType: 'node', data: { id: '1' } })).toBe('&lt;A&gt;<br/>PR 0.6');
    expect(tip(o, { dataType: 'edge', dataIndex: 0, data: {} })).toBe('B → &lt;A&gt;: 1/1');
    expect(svg(o)).toContain('B');
  });

  it('KOL contributions stack to the score; the scatter labels the top and the loudest', () => {
    const cands = [
      { id: 1, name: 'hub', score: 0.9, messages: 20, drawnIn: 8, components: { a: 1, b: 0.8 } },
      { id: 2, name: 'loud', score: 0.1, messages: 500, drawnIn: 0, components: { a: 0, b: 0.2 } },
    ];
    const o = kolContribOption(cands, { a: 0.5, b: 0.5 }, ['a', 'b'], { a: 'A', b: 'B' }) as any;
    expect(o.series.map((s: any) => s.name)).toEqual(['A', 'B']);
    expect(o.series[0].data[0] + o.series[1].data[0]).toBeCloseTo(0.9);
    expect(svg(o)).toContain('hub');
    const s = kolScatterOption(cands, { messages: 'M', score: 'S', drawnIn: 'D' }) as any;
    expect(s.xAxis.type).toBe('log');
    expect(s.series[0].data.map((d: any) => d.value)).toEqual([[20, 0.9], [500, 0.1]]);
    expect(tip(s, { data: { name: '<x>', value: [1, 0.5], drawnIn: 2 } })).toContain('&lt;x&gt;');
    expect(svg(s)).toContain('loud');
  });
});

describe('strongestEdges', () => {
  const e = (source: number, target: number, weight: number) => ({ source, target, weight });
  it('keeps every tie when there are no more than the cap', () => {
    const all = [e(1, 2, 1), e(2, 3, 5)];
    expect(strongestEdges(all, 2)).toEqual(all);
  });
  it('keeps the strongest ties, then the strongest tie of each member not linked yet', () => {
    // Cap 2: 1–2 (9) and 2–3 (7) first; 3–4 (1) is 4's strongest and 4 has none yet, so it stays;
    // 1–3 (5) links members already linked and goes; 4–5 (0.5) brings 5 in and stays.
    const all = [e(1, 3, 5), e(3, 4, 1), e(1, 2, 9), e(4, 5, 0.5), e(2, 3, 7)];
    expect(strongestEdges(all, 2)).toEqual([e(1, 2, 9), e(2, 3, 7), e(3, 4, 1), e(4, 5, 0.5)]);
  });
  it('breaks ties of equal weight by their order', () => {
    expect(strongestEdges([e(1, 2, 1), e(3, 4, 1), e(1, 3, 1), e(2, 4, 1)], 2)).toEqual([e(1, 2, 1), e(3, 4, 1)]);
  });
  it('caps a big graph at four ties per member shown, at least 300', () => {
    expect(drawnEdgeCap(150)).toBe(600);
    expect(drawnEdgeCap(20)).toBe(300);
  });
});
