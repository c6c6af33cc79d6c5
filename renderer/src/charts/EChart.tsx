import { useEffect, useRef, useState } from 'react';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { download, safeFileName, toCsv, type Cell } from '../export/csv';
import { useI18n } from '../i18n/use-i18n';
import { useTheme } from '../state/theme';

export interface ChartData {
  header: string[];
  rows: Cell[][];
}

export interface EChartProps {
  option: EChartsOption;
  /** Table behind the chart, for CSV export and copy. */
  data?: ChartData;
  title: string;
  height?: number;
  onClick?: (params: echarts.ECElementEvent) => void;
  /** Called when the user moves a dataZoom window, with the chart to read the new window from. */
  onZoom?: (chart: echarts.ECharts) => void;
  /** Hide the export toolbar (small inline charts such as the timeline brush). */
  bare?: boolean;
  /** Used by e2e tests to find the chart. */
  testId?: string;
}

/**
 * The only place that touches the ECharts lifecycle (init / setOption / resize / dispose /
 * export). Pages pass a pure option object (charts/options/*) and the data behind it.
 */
export function EChart({ option, data, title, height = 320, onClick, onZoom, bare, testId }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { t } = useI18n();
  const { theme } = useTheme();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = c;
    // End-to-end tests find a chart's instance here to click a given data point.
    (el.current as HTMLDivElement & { __qunxiChart?: echarts.ECharts }).__qunxiChart = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, { notMerge: true });
  }, [option, theme]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    c.on('click', onClick);
    return () => void c.off('click', onClick);
  }, [onClick, theme]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onZoom) return;
    const h = () => onZoom(c);
    c.on('datazoom', h);
    return () => void c.off('datazoom', h);
  }, [onZoom, theme]);

  const file = safeFileName(title);
  const savePng = () => {
    const url = chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: theme === 'dark' ? '#1b1e24' : '#ffffff' });
    if (url) download(`${file}.png`, dataUrlToBlob(url));
  };
  const saveSvg = () => {
    const w = el.current?.clientWidth ?? 800;
    const svgChart = echarts.init(null, theme === 'dark' ? 'dark' : undefined, { renderer: 'svg', ssr: true, width: w, height });
    svgChart.setOption({ ...option, animation: false });
    const svg = svgChart.renderToSVGString();
    svgChart.dispose();
    download(`${file}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
  };
  const saveCsv = () => data && download(`${file}.csv`, new Blob([toCsv(data.header, data.rows)], { type: 'text/csv;charset=utf-8' }));
  const copy = async () => {
    if (!data) return;
    const tsv = [data.header, ...data.rows].map((r) => r.map((v) => String(v ?? '')).join('\t')).join('\n');
    await navigator.clipboard?.writeText(tsv).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  if (bare) {
    return (
      <figure className="chart bare" data-testid={testId} aria-label={title}>
        <div ref={el} className="chart-canvas" style={{ height }} />
      </figure>
    );
  }

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="chart-tools">
          <button type="button" onClick={savePng} data-action="png">{t('export.png')}</button>
          <button type="button" onClick={saveSvg} data-action="svg">{t('export.svg')}</button>
          {data && <button type="button" onClick={saveCsv} data-action="csv">{t('export.csv')}</button>}
          {data && <button type="button" onClick={copy} data-action="copy">{copied ? t('export.copied') : t('export.copy')}</button>}
        </span>
      </figcaption>
      <div ref={el} className="chart-canvas" style={{ height }} />
    </figure>
  );
}

/** A data: URL as a Blob, decoded here: the CSP (connect-src 'self') rightly refuses fetch('data:…'). */
function dataUrlToBlob(url: string): Blob {
  const [head, b64 = ''] = url.split(',', 2);
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type: /^data:([^;,]+)/.exec(head ?? '')?.[1] ?? 'application/octet-stream' });
}
