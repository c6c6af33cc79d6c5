import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import {
  activitySeriesOption, calendarHeight, calendarOption, cohortOption, funnelOption, heatmapOption, networkOption, rankedBarHeight,
  rankedBarOption, survivalOption, WEEKDAYS,
} from '../../../shared/charts/options.js';
import type { AnalysisDocument, GroupAnalysis } from '../analyze.js';
import { escapeHtml } from '../../../shared/escape.js';
import { REPORT_STRINGS, type ReportLang } from './strings.js';

/** Escapes any value for HTML. Chat text is data, never markup. */
export const esc = (v: unknown): string => escapeHtml(String(v ?? ''));

/** Server-side ECharts → SVG string (no DOM, no network). */
export function svgChart(option: EChartsOption, width: number, height: number): string {
  const c = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width, height });
  try {
    // A printed chart has no zoom slider.
    c.setOption({ ...option, animation: false, dataZoom: [] });
    return c.renderToSVGString();
  } finally {
    c.dispose();
  }
}

const W = 1040;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number | null | undefined, d = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString('en', { maximumFractionDigits: d }));

type S = (typeof REPORT_STRINGS)[ReportLang];

function table(head: string[], rows: unknown[][], cls = ''): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td${typeof c === 'number' ? ' class="n"' : ''}>${typeof c === 'number' ? num(c, 2) : esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const figure = (title: string, svg: string) => `<figure><figcaption>${esc(title)}</figcaption>${svg}</figure>`;

function groupSection(g: GroupAnalysis, s: S, lang: ReportLang): string {
  const o = g.overview;
  const cards = [
    [s.messages, num(o.messages)], [s.membersKnown, num(o.membersKnown)], [s.activeMembers, num(o.activeMembers)],
    [s.silentMembers, num(o.silentMembers)], [s.senders, num(o.senders)], [s.perDay, num(o.messagesPerDay, 1)],
    [s.mediaShare, pct(o.share.media)], [s.linkShare, pct(o.share.link)],
  ].map(([k, v]) => `<div class="card"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div></div>`).join('');
  const parts: string[] = [];
  parts.push(`<section class="group"><h2><bdi>${esc(g.name)}</bdi> <small>${esc(s.platform)}: ${esc(g.platform)} · ${esc(o.firstTs ?? '—')} → ${esc(o.lastTs ?? '—')}</small></h2>`);
  parts.push(`<div class="cards">${cards}</div>`);
  const series = g.activity.series.map((p) => ({ period: p.period, messages: p.messages, members: p.members }));
  if (series.length) parts.push(figure(s.dailyActivity, svgChart(activitySeriesOption(series, { messages: s.messages, members: s.activeDaily }), W, 320)));
  parts.push(figure(s.heatmap, svgChart(heatmapOption(g.heatmap, { weekdays: WEEKDAYS[lang], messages: s.messages }), W, 300)));
  const years = new Set(g.activity.calendar.map((d) => d.day.slice(0, 4))).size;
  if (g.activity.calendar.length) parts.push(figure(s.calendar, svgChart(calendarOption(g.activity.calendar, { messages: s.messages, lang }), W, calendarHeight(years))));

  // Structure
  const st = g.structure;
  const shape = st.shape === 'pyramid' ? s.pyramid : st.shape === 'ring' ? s.ring : '—';
  parts.push(`<h3>${esc(s.structure)}</h3><p><strong>${esc(s.shape)}: ${esc(shape)}</strong> · ${esc(s.gini)} ${num(st.giniSenders, 3)} · ${esc(s.absence)} ${num(st.absenceFactor)}</p><p class="rule">${esc(st.rule)}</p>`);
  parts.push(table([s.layers, s.senders, s.messages, '%'], st.layers.map((l) => [l.layer, l.members, l.messages, pct(l.share)])));

  // Topics
  const kw = g.keywords.slice(0, 25);
  if (kw.length) parts.push(figure(s.keywords, svgChart(rankedBarOption(kw.map((k) => ({ label: k.term, value: Math.round(k.score * 10) / 10 })), { value: s.score }), W, rankedBarHeight(kw.length))));
  const latestWeeks = [...new Set(g.trending.map((t) => t.week))].sort().slice(-4);
  const trend = g.trending.filter((t) => latestWeeks.includes(t.week)).sort((a, b) => b.week.localeCompare(a.week) || b.score - a.score);
  if (trend.length) parts.push(`<h3>${esc(s.trending)}</h3>` + table([s.week, s.term, s.score, s.count, s.baseline], trend.slice(0, 40).map((t) => [t.week, t.term, t.score, t.count, t.baseline])));

  // Connections and KOL
  if (g.graph.nodes.length > 1) {
    const nodes = [...g.graph.nodes].sort((a, b) => b.pagerank - a.pagerank).slice(0, 60);
    const ids = new Set(nodes.map((n) => n.id));
    const edges = g.graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
    parts.push(figure(s.network, svgChart(networkOption(nodes, edges, { layout: 'circular', labelTop: 30, communityLabel: s.community }), W, 640)));
  }
  if (g.kol.length) {
    parts.push(`<h3>${esc(s.kol)}</h3>` + table(
      ['#', s.name, s.score, s.drawnIn, s.pagerank, s.repliesPerMessage, s.conversationsDrawing, s.reasons],
      g.kol.slice(0, 15).map((k, i) => [i + 1, k.name, k.score, k.components.drawnIn, k.components.pagerank, k.components.repliesPerMessage, k.components.conversationsDrawing, k.reasons.map((r) => r[lang]).join('；')]),
    ));
  }

  // Retention, churn, onboarding
  if (g.cohorts.length) parts.push(figure(s.cohorts, svgChart(cohortOption(g.cohorts, { monthsAfter: s.monthsAfter, cohort: s.cohort }), W, 90 + g.cohorts.length * 32)));
  if (g.retention.survival.curve.length) parts.push(figure(s.survival, svgChart(survivalOption(g.retention.survival.curve, { days: s.days, survival: s.survivalShare }), W, 300)));
  const funnel = g.onboarding.funnel.map((f) => ({ label: `${s.funnel[f.stage]} ${pct(f.fromJoined)}`, count: f.count }));
  if (funnel.length && funnel[0]!.count > 0) parts.push(figure(s.onboarding, svgChart(funnelOption(funnel), W, 320)));
  if (g.retention.churned.length) {
    parts.push(`<h3>${esc(s.churned)} (${g.retention.churned.length})</h3>` + table([s.name, s.reason, s.lastMessage], g.retention.churned.slice(0, 30).map((c) => [c.name, s.reasonsChurn[c.reason], c.lastMessage ?? '—'])));
  }
  if (g.retention.atRisk.length) {
    parts.push(`<h3>${esc(s.atRisk)} (${g.retention.atRisk.length})</h3>` + table([s.name, s.lastMessage, s.recentRate, s.earlierRate], g.retention.atRisk.slice(0, 30).map((a) => [a.name, a.lastMessage, a.recentRate, a.earlierRate])));
  }

  // Members and questions
  const top = [...g.members].sort((a, b) => b.messages - a.messages).slice(0, 20);
  parts.push(`<h3>${esc(s.topMembers)}</h3>` + table([s.name, s.messages, s.firstMessage, s.lastMessage, s.joined, s.left], top.map((m) => [m.name, m.messages, m.firstMessageAt ?? '—', m.lastMessageAt ?? '—', m.joinedAt ?? '—', m.leftAt ?? '—'])));
  if (g.monthlyTop.length) parts.push(`<h3>${esc(s.monthlyTop)}</h3>` + table([s.month, '1', '2', '3'], g.monthlyTop.map((m) => [m.month, ...[0, 1, 2].map((i) => (m.top[i] ? `${m.top[i]!.name} (${m.top[i]!.messages})` : '—'))])));
  const unanswered = g.conversations.unanswered.slice(0, 20);
  if (unanswered.length) parts.push(`<h3>${esc(s.unanswered)}</h3>` + table([s.time, s.name, s.text], unanswered.map((q) => [q.ts, q.name, q.text.length > 200 ? q.text.slice(0, 200) + '…' : q.text]), 'texts'));
  const ev = Object.entries(g.events);
  if (ev.length) parts.push(`<h3>${esc(s.events)}</h3>` + table([s.events, s.count], ev.map(([k, n]) => [k, n])));
  parts.push('</section>');
  return parts.join('\n');
}

export interface ReportOptions {
  lang?: ReportLang;
  pseudonymized?: boolean;
}

/** One self-contained HTML file: inline CSS, charts as inline SVG, no script, no network. */
export function renderReport(doc: AnalysisDocument, o: ReportOptions = {}): string {
  const lang = o.lang ?? 'zh';
  const s = REPORT_STRINGS[lang];
  const f = doc.filters;
  const filt = [f.from && `from ${f.from}`, f.to && `to ${f.to}`, f.exclude?.length && `exclude ${f.exclude.length}`].filter(Boolean).join(', ') || s.none;
  const periods = doc.groups.map((g) => `<bdi>${esc(g.name)}</bdi>: ${esc(g.overview.firstTs ?? '—')} → ${esc(g.overview.lastTs ?? '—')}`).join('<br>');
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(s.title)}</title>
<style>
body{font:14px/1.55 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif;color:#1f2329;background:#f5f6f8;margin:0}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 12px;border-bottom:2px solid #3370ff;padding-bottom:6px}h2 small{font-size:13px;color:#646a73;font-weight:normal}
h3{font-size:15px;margin:22px 0 8px}.meta{color:#646a73}.rule{color:#646a73;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:10px}.card{background:#fff;border:1px solid #e4e6eb;border-radius:8px;padding:10px 12px}.k{color:#646a73;font-size:12px}.v{font-size:20px;font-weight:600}
figure{background:#fff;border:1px solid #e4e6eb;border-radius:8px;margin:14px 0;padding:10px}figcaption{font-weight:600;margin-bottom:4px}figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e4e6eb;margin:6px 0 12px;font-size:13px}th,td{border-bottom:1px solid #e4e6eb;padding:5px 8px;text-align:left;vertical-align:top}th{background:#f5f6f8;color:#646a73}td.n{text-align:right;font-variant-numeric:tabular-nums}
table.texts td:last-child{white-space:pre-wrap;word-break:break-word}
dl{background:#fff;border:1px solid #e4e6eb;border-radius:8px;padding:12px 16px}dt{font-weight:600}dd{margin:0 0 8px}
</style></head><body><main>
<h1>${esc(s.title)}</h1>
<p class="meta">${esc(s.generated)}: ${esc(doc.generatedAt)} · ${esc(s.filters)}: ${esc(filt)}${o.pseudonymized ? ` · ${esc(s.pseudonymized)}` : ''}</p>
<p class="meta">${esc(s.period)}:<br>${periods}</p>
${doc.groups.map((g) => groupSection(g, s, lang)).join('\n')}
<h2>${esc(s.definitions)}</h2>
<dl>${s.defs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
</main></body></html>
`;
}
