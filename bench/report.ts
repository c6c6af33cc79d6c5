/**
 * Turns the benchmark's measurements into the markdown it prints (and writes with --out).
 * Pure: no I/O, so the layout is tested apart.
 */
import type { ChildResult } from './child.js';
import type { BenchFormat } from './data.js';
import type { PeerRun } from './peer.js';
import { markdownTable, MiB, num, percentile, ratio, sizeLabel, type Align } from './lib.js';

export interface Row {
  size: number;
  format: BenchFormat;
  bytes: number;
  ours: ChildResult | null;
  /** Why `ours` is missing. */
  oursError: string | null;
  /** Peak RSS of our import + analyze, bytes: max of the child's VmHWM and the tree poll. */
  peakRss: number | null;
  /** Database file + WAL after the import, bytes. */
  dbBytes: number | null;
  peer: PeerRun | null;
}

export interface Machine {
  cores: number;
  cpu: string;
  memGB: number;
  node: string;
  os: string;
  duckdb: string;
  date: string;
  command: string;
  peer: string;
  harnessPeakMB: number | null;
  /** Commit measured (and whether engine sources were modified). */
  code?: string;
  /** 1-minute load average, e.g. '0.12 at start, 1.95 at end'. */
  load?: string;
}

export const MAIN_HEADERS = [
  'size', 'format', 'messages', 'MB', 'import s', 'MB/s', 'msgs/s', 'seg MB/s', 'analyze s', 'peak RSS MB', 'db MB',
  'metric p50/p95 ms', 'peer s', 'peer RSS MB', 'speed ×', 'memory ×',
];

/** Every latency sample of a row, all metrics pooled. */
export function pooledLatencies(r: ChildResult): number[] {
  return r.metrics.flatMap((m) => m.latencies);
}

export function mainRow(r: Row): string[] {
  const o = r.ours;
  const mb = r.bytes / MiB;
  const importS = o ? o.importMs / 1000 : null;
  const analyzeS = o ? o.analyzeMs / 1000 : null;
  const rssMB = r.peakRss !== null ? r.peakRss / MiB : null;
  const lat = o ? pooledLatencies(o) : [];
  const segRate = o?.seg ? o.seg.bytes / MiB / (o.seg.ms / 1000) : null;
  const p = r.peer;
  const peerS = p === null ? '–' : p.ok ? num(p.wallS, 1) : `${p.failure}${p.wallS !== null && p.failure !== 'unsupported' ? ` after ${num(p.wallS, 0)} s` : ''}`;
  return [
    sizeLabel(r.size),
    r.format,
    o ? o.messages.toLocaleString('en-US') : r.oursError ? `failed: ${r.oursError.split('\n')[0]!.slice(0, 60)}` : '–',
    num(mb, 1),
    num(importS, 2),
    importS ? num(mb / importS, 1) : '–',
    importS && o ? num(o.messages / importS, 0) : '–',
    num(segRate, 2),
    num(analyzeS, 2),
    num(rssMB, 0),
    num(r.dbBytes !== null ? r.dbBytes / MiB : null, 1),
    lat.length > 0 ? `${num(percentile(lat, 50), 0)} / ${num(percentile(lat, 95), 0)}` : '–',
    peerS,
    num(p?.peakRssMB, 0),
    p?.ok ? ratio(p.wallS, analyzeS) : '–',
    p?.ok ? ratio(p.peakRssMB, rssMB) : '–',
  ];
}

const MAIN_ALIGN: Align[] = ['l', 'l', ...Array<Align>(14).fill('r')];

export function mainTable(rows: readonly Row[]): string {
  return markdownTable(MAIN_HEADERS, rows.map(mainRow), MAIN_ALIGN);
}

/** Per-metric p50 / p95 (n runs) for every row; first-run time (part of analyze) alongside. */
export function latencyTable(rows: readonly Row[]): string {
  const done = rows.filter((r) => r.ours);
  const keys: string[] = [];
  for (const r of done) for (const m of r.ours!.metrics) if (!keys.includes(m.key)) keys.push(m.key);
  const headers = ['metric', ...done.map((r) => `${sizeLabel(r.size)} ${r.format}: first · p50 / p95 ms (n)`)];
  const body = keys.map((k) => [
    k,
    ...done.map((r) => {
      const m = r.ours!.metrics.find((x) => x.key === k);
      if (!m) return '–';
      if (m.latencies.length === 0) return m.error ? `error: ${m.error.slice(0, 50)}` : '–';
      const cell = `${num(m.firstMs, 0)} · ${num(percentile(m.latencies, 50), 0)} / ${num(percentile(m.latencies, 95), 0)} (${m.latencies.length})`;
      return m.error ? `${cell} ⚠` : cell;
    }),
  ]);
  body.push([
    '**all metrics**',
    ...done.map((r) => {
      const lat = pooledLatencies(r.ours!);
      return lat.length ? `${num(r.ours!.metrics.reduce((s, m) => s + (m.firstMs ?? 0), 0), 0)} · ${num(percentile(lat, 50), 0)} / ${num(percentile(lat, 95), 0)} (${lat.length})` : '–';
    }),
  ]);
  return markdownTable(headers, body, ['l', ...done.map((): Align => 'r')]);
}

/** Numbers that do not fit the main table but answer the issue's other targets. */
export function detailTable(rows: readonly Row[]): string {
  const headers = ['size', 'format', 'events', 'rejected', 'import cores used', 'import peak RSS MB', 'max progress gap ms', 'metrics run', 'seg sample MB', 'jieba dict s', 'peer messages', 'peer note'];
  return markdownTable(
    headers,
    rows.map((r) => {
      const o = r.ours;
      const ran = o ? o.metrics.filter((m) => m.firstMs !== null).length : 0;
      return [
        sizeLabel(r.size), r.format,
        o ? o.events.toLocaleString('en-US') : '–',
        o ? o.rejected.toLocaleString('en-US') : '–',
        o ? num(o.importCores, 2) : '–',
        o?.peakRssImport ? num(o.peakRssImport / MiB, 0) : '–',
        o ? num(o.maxProgressGapMs, 0) : '–',
        o ? `${ran}/${o.metrics.length}` : '–',
        o?.seg ? num(o.seg.bytes / MiB, 1) : '–',
        o?.seg ? num(o.seg.dictMs / 1000, 2) : '–',
        r.peer?.messages != null ? r.peer.messages.toLocaleString('en-US') : '–',
        r.peer && !r.peer.ok ? r.peer.detail.replace(/\|/g, '\\|').slice(0, 120) : '',
      ];
    }),
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

/** Metric failures, listed once so they are not lost in cells. */
export function problems(rows: readonly Row[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const at = `${sizeLabel(r.size)} ${r.format}`;
    if (r.oursError) out.push(`${at}: import/analyze failed: ${r.oursError.split('\n').slice(0, 3).join(' ')}`);
    for (const m of r.ours?.metrics ?? []) if (m.error) out.push(`${at}: metric ${m.key}: ${m.error}`);
  }
  return out;
}

export function renderReport(rows: readonly Row[], machine: Machine): string {
  const lines = [
    `## Qunxi benchmark — ${machine.date}`,
    '',
    `Command: \`${machine.command}\`${machine.code ? ` at ${machine.code}` : ''}  `,
    `Machine: ${machine.cores} cores (${machine.cpu}), ${num(machine.memGB, 1)} GB RAM, ${machine.os}; Node ${machine.node}; DuckDB ${machine.duckdb}; peer ${machine.peer}${machine.load ? `; load average ${machine.load}` : ''}`,
    '',
    mainTable(rows),
    '',
    'Speed × = peer wall time ÷ our analyze time; memory × = peer peak RSS ÷ our peak RSS (above 1 means Qunxi is faster / leaner). MB = 2^20 bytes.',
    '',
    '### Metric latency under changing filters',
    '',
    latencyTable(rows),
    '',
    '### Details',
    '',
    detailTable(rows),
  ];
  const p = problems(rows);
  if (p.length > 0) lines.push('', '### Problems', '', ...p.map((x) => `- ${x.replace(/\n/g, ' ')}`));
  if (machine.harnessPeakMB !== null) lines.push('', `Harness peak RSS: ${num(machine.harnessPeakMB, 0)} MB.`);
  return lines.join('\n') + '\n';
}
