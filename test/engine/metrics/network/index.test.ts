import { describe, expect, it } from 'vitest';
import { networkMetrics } from '../../../../electron/engine/metrics/network/index.js';
import { getMetric } from '../../../../electron/engine/metrics/registry.js';

describe('networkMetrics', () => {
  it('registers every topic, graph and KOL metric under its own key', () => {
    expect(Object.keys(networkMetrics)).toEqual(['keywords', 'topTermsByPeriod', 'trending', 'cooccurrence', 'termMessages', 'graph', 'kol']);
    for (const [k, m] of Object.entries(networkMetrics)) {
      expect(m.key).toBe(k);
      expect(getMetric(k)).toBe(m);
      expect(m.title.zh.length).toBeGreaterThan(0);
      expect(m.title.en.length).toBeGreaterThan(0);
    }
  });

  it('has defaults for every argument except the drill-down term', () => {
    for (const [k, m] of Object.entries(networkMetrics)) {
      if (k === 'termMessages') {
        expect(m.args.safeParse({}).success).toBe(false);
        expect(m.args.safeParse({ term: '私域' }).success).toBe(true);
      } else expect(m.args.safeParse({}).success).toBe(true);
    }
    expect(networkMetrics.graph.args.safeParse({ topN: 1 }).success).toBe(false);
    expect(networkMetrics.kol.args.parse({}).weights).toEqual({ drawnIn: 0.35, pagerank: 0.25, repliesPerMessage: 0.2, conversationsDrawing: 0.2 });
    expect(networkMetrics.graph.args.parse({ weights: { reply: 4 } }).weights).toEqual({ reply: 4, mention: 2, adjacent: 0.5 });
  });
});
