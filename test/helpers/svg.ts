import * as echarts from 'echarts';

/** Renders an option to SVG on the server, as the report does; tests assert the chart is not empty. */
export function svg(option: echarts.EChartsOption, w = 800, h = 400): string {
  const c = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width: w, height: h });
  c.setOption({ ...option, animation: false });
  const s = c.renderToSVGString();
  c.dispose();
  return s;
}
