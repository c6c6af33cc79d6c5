import { describe, expect, it } from 'vitest';
import type { ChildResult } from '../../bench/child.js';
import { MAIN_HEADERS, detailTable, latencyTable, mainRow, problems, renderReport, type Row } from '../../bench/report.js';

const MiB = 1024 * 1024;

function child(over: Partial<ChildResult> = {}): ChildResult {
  return {
    type: 'result', file: '/x/_chat.txt', format: 'whatsapp-txt', bytes: 80 * MiB, messages: 1_000_000, events: 5_000, rejected: 0,
    importMs: 4_000, importCores: 1.2, maxProgressGapMs: 300, analyzeMs: 6_000, peakRssAnalyze: 600 * MiB, peakRssEnd: 650 * MiB,
    metrics: [
      { key: 'overview', firstMs: 1_200, latencies: [10, 20, 30, 40], error: null },
      { key: 'graph', firstMs: 800, latencies: [100, 200, 300, 400], error: null },
    ],
    seg: { bytes: 40 * MiB, messages: 800_000, ms: 8_000, dictMs: 150 },
    duckdb: 'v1.5.6',
    ...over,
  };
}

const row = (over: Partial<Row> = {}): Row => ({
  size: 1_000_000, format: 'whatsapp', bytes: 80 * MiB, ours: child(), oursError: null, peakRss: 610 * MiB, dbBytes: 120 * MiB,
  peer: { ok: true, failure: null, wallS: 90, peakRssMB: 3050, messages: 1_000_100, detail: '' },
  ...over,
});

describe('main row', () => {
  it('derives every column from the measurements', () => {
    const cells = mainRow(row());
    expect(cells).toHaveLength(MAIN_HEADERS.length);
    const byHeader = Object.fromEntries(MAIN_HEADERS.map((h, i) => [h, cells[i]]));
    expect(byHeader).toEqual({
      size: '1m', format: 'whatsapp', messages: '1,000,000', MB: '80.0', 'import s': '4.00', 'MB/s': '20.0', 'msgs/s': '250,000',
      'seg MB/s': '5.00', 'analyze s': '6.00', 'peak RSS MB': '610', 'db MB': '120.0',
      // Pooled samples 10..40 and 100..400: nearest-rank p50 = 4th of 8 = 40, p95 = 8th = 400.
      'metric p50/p95 ms': '40 / 400',
      'peer s': '90.0', 'peer RSS MB': '3,050', 'speed ×': '15×', 'memory ×': '5.0×',
    });
  });

  it('a failed peer shows why and how long it ran; no ratios', () => {
    const cells = mainRow(row({ peer: { ok: false, failure: 'OOM', wallS: 74.4, peakRssMB: 4100, messages: null, detail: 'FATAL ERROR' } }));
    expect(cells.slice(-4)).toEqual(['OOM after 74 s', '4,100', '–', '–']);
  });

  it('an unsupported format shows just that', () => {
    const cells = mainRow(row({ format: 'qq', peer: { ok: false, failure: 'unsupported', wallS: null, peakRssMB: null, messages: null, detail: '' } }));
    expect(cells.slice(-4)).toEqual(['unsupported', '–', '–', '–']);
  });

  it('our failure keeps the row, with the reason and dashes', () => {
    const cells = mainRow(row({ ours: null, oursError: 'OOM: child exited 134\nmore', peakRss: null, dbBytes: null, peer: null }));
    expect(cells[2]).toBe('failed: OOM: child exited 134');
    expect(cells.slice(4)).toEqual(Array(12).fill('–'));
  });
});

describe('latency table and problems', () => {
  it('one line per metric plus the pooled line', () => {
    const t = latencyTable([row()]).split('\n');
    expect(t).toHaveLength(2 + 3);
    // Nearest rank of 4 samples: p50 = 2nd (20), p95 = 4th (40).
    expect(t[2]).toMatch(/^\| overview .*1,200 · 20 \/ 40 \(4\) \|$/);
    expect(t[3]).toMatch(/graph .*800 · 200 \/ 400 \(4\)/);
    expect(t[4]).toMatch(/\*\*all metrics\*\* .*2,000 · 40 \/ 400 \(8\)/);
  });

  it('details: cores, import peak, progress gap, metrics run, peer count', () => {
    const line = detailTable([row({ ours: child({ peakRssImport: 512 * MiB }) })]).split('\n')[2]!;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    expect(cells).toEqual(['1m', 'whatsapp', '5,000', '0', '1.20', '512', '300', '2/2', '40.0', '0.15', '1,000,100', '']);
  });

  it('lists metric errors and failed imports', () => {
    const r = row({ ours: child({ metrics: [{ key: 'kol', firstMs: null, latencies: [], error: 'boom' }] }) });
    expect(problems([r, row({ ours: null, oursError: 'import failed: x' })])).toEqual(['1m whatsapp: metric kol: boom', '1m whatsapp: import/analyze failed: import failed: x']);
  });

  it('the report names the machine, the command and the date', () => {
    const md = renderReport([row()], {
      cores: 2, cpu: 'AMD EPYC', memGB: 23.5, node: 'v20.20.2', os: 'Linux', duckdb: 'v1.5.6', date: '2026-01-02T03:04:05Z',
      command: 'npm run bench -- --sizes 1m', peer: 'chat-analytics@1.1.2', harnessPeakMB: 80,
    });
    expect(md).toContain('2026-01-02T03:04:05Z');
    expect(md).toContain('`npm run bench -- --sizes 1m`');
    expect(md).toContain('2 cores (AMD EPYC), 23.5 GB RAM');
    expect(md).toContain('| 1m   | whatsapp |');
  });
});
