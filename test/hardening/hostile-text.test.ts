/**
 * Hostile chat text in the HTML report (electron/engine/report) and the table exports: markup,
 * script, SVG-breaking text, control characters, bidi overrides (U+202E) and a 100 kB message
 * show as text, run nothing and break no structure. The UI side is test/e2e/hostile.e2e.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '../../electron/engine/db/database.js';
import { importSource } from '../../electron/engine/ingest/import-file.js';
import { bufferSource } from '../../electron/engine/ingest/input.js';
import { PARSERS } from '../../electron/engine/ingest/parsers/index.js';
import { Segmenter } from '../../electron/engine/text/segmenter.js';
import { analyze, type AnalysisDocument } from '../../electron/engine/analyze.js';
import { renderReport } from '../../electron/engine/report/html.js';
import { pseudonymize } from '../../electron/engine/report/pseudonymize.js';
import { cells } from './renderer-export.js';
import { ROOT } from './built.js';

const RLO = '\u202E';
const BIG = 'A'.repeat(60_000) + '长'.repeat(20_000) + ' 怎么办?'; // 100 kB of UTF-8, a question
const NAMES = {
  script: 'Mallory<script>alert(1)</script>',
  svg: 'Bob</text><script>alert(2)</script><text>',
  rtl: `${RLO}gpj.exe Eve`,
  amp: 'Ann &amp; &#60;b&#62;',
  quote: `Q"uo'te onmouseover=alert(3)`,
};
const TEXTS = [
  '<img src=x onerror=alert(1)> 视频号 直播',
  '<svg onload=alert(4)></svg> 视频号 直播 复盘',
  `${RLO}txt.exe 视频号 直播?`,
  'control \u0001\u0007\u001b\u007f chars 视频号 复盘',
  '</td></tr></table><h1>broken</h1> 视频号',
  '<!-- comment --> <style>body{display:none}</style> 视频号 直播 复盘',
  'javascript:alert(5) 视频号 直播',
  '\u2028line sep\u2029para sep 视频号',
  BIG,
];

/** A WhatsApp export in which every hostile name sends every hostile text, minutes apart. */
function chat(): string {
  const names = Object.values(NAMES);
  const lines = [`01/03/2024, 08:00 - ${NAMES.script} created group "<b>Hostile</b> ${RLO}group"`];
  let minute = 0;
  for (let day = 1; day <= 12; day++) {
    for (const [i, t] of TEXTS.entries()) {
      if (t === BIG && day > 1) continue;
      const n = names[(i + day) % names.length]!;
      const m = minute++ % 50;
      lines.push(`${String(day).padStart(2, '0')}/03/2024, 09:${String(m).padStart(2, '0')} - ${n}: ${t}`);
    }
  }
  return lines.join('\n') + '\n';
}

let doc: AnalysisDocument;
let html: string;
let htmlEn: string;

beforeAll(async () => {
  const db = await Database.open(':memory:');
  await importSource(bufferSource('WhatsApp Chat with Hostile.txt', chat()), { db, segmenter: new Segmenter(), parsers: PARSERS, fallbackName: 'hostile' });
  doc = await analyze(db);
  db.close();
  const t0 = performance.now();
  html = renderReport(doc, { lang: 'zh' });
  htmlEn = renderReport(pseudonymize(doc, 'en'), { lang: 'en', pseudonymized: true });
  // Kept for a look in a browser (test-results/ is not committed).
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'hostile-report.html'), html);
  expect(performance.now() - t0).toBeLessThan(20_000);
}, 120_000);

/** Tag names that appear as markup in the document. */
const tags = (s: string) => new Set([...s.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));

describe('HTML report with hostile chat text', () => {
  it('the data really carries the hostile strings (names, group, the 100 kB message)', () => {
    const g = doc.groups[0]!;
    expect(g.name).toBe(`<b>Hostile</b> ${RLO}group`);
    const names = g.members.map((m) => m.name);
    // Ingest drops bidi and zero-width controls from member NAMES (identity.ts); texts keep them.
    for (const n of Object.values(NAMES)) expect(names).toContain(n.replace(RLO, ''));
    expect(g.overview.messages).toBe(TEXTS.length + 11 * (TEXTS.length - 1));
  });

  it('runs nothing: no script, no event handler, no active URL, only the report\'s own tags', () => {
    for (const h of [html, htmlEn]) {
      expect(h).not.toMatch(/<script/i);
      expect(h).not.toMatch(/<(img|iframe|object|embed|link|base|form|input|style\s+[^>]*>body)/i);
      for (const tag of h.match(/<[a-zA-Z][^>]*>/g) ?? []) {
        expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
        expect(tag).not.toMatch(/(href|src)\s*=\s*["']?\s*javascript:/i);
      }
      expect(h.match(/<style>/g)).toHaveLength(1);
      expect(h).toContain("default-src 'none'");
      const allowed = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'main', 'h1', 'h2', 'h3', 'small', 'p', 'br', 'section', 'div', 'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'dl', 'dt', 'dd', 'bdi',
        // inline SVG charts
        'svg', 'g', 'path', 'rect', 'text', 'tspan', 'line', 'circle', 'polyline', 'polygon', 'defs', 'clippath', 'lineargradient', 'stop', 'pattern', 'image', 'title']);
      const unexpected = [...tags(h)].filter((t) => !allowed.has(t));
      expect(unexpected).toEqual([]);
    }
  });

  it('shows markup as escaped text in tables, headings and chart labels', () => {
    expect(html).toContain(`&lt;b&gt;Hostile&lt;/b&gt; ${RLO}group`);
    expect(html).toContain('Mallory&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Bob&lt;/text&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;text&gt;');
    expect(html).toContain('Ann &amp;amp; &amp;#60;b&amp;#62;');
    expect(html).toContain('Q&quot;uo&#39;te onmouseover=alert(3)');
    // A name inside the SVG chart is text too: the <text> element is not closed by it.
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs.length).toBeGreaterThanOrEqual(3);
    for (const s of svgs) {
      expect(s).not.toContain('</text><script>');
      expect((s.match(/<text\b/g) ?? []).length).toBe((s.match(/<\/text>/g) ?? []).length);
    }
    // The table structure survives a message that tries to close it.
    expect(html).not.toContain('</td></tr></table><h1>broken</h1>');
    expect((html.match(/<table/g) ?? []).length).toBe((html.match(/<\/table>/g) ?? []).length);
    expect((html.match(/<tr>/g) ?? []).length).toBe((html.match(/<\/tr>/g) ?? []).length);
  });

  it('keeps bidi overrides as text characters (they cannot become markup)', () => {
    expect(html).toContain(`&lt;b&gt;Hostile&lt;/b&gt; ${RLO}group`);
    expect(html).toContain('gpj.exe Eve');
    // Every override sits in text content, never inside a tag or attribute.
    for (const m of html.matchAll(/<[^>]*>/g)) expect(m[0]).not.toContain(RLO);
  });

  // The group name is written inline (<h2>name <small>platform · dates</small>, and the period
  // line): a U+202E in it would reverse the dates after it on screen unless isolated in <bdi>.
  // A table cell is its own bidi paragraph and contains an override.
  it('isolates every bidi override: each sits in a <bdi> or a table cell', () => {
    const rest = html.replace(/<bdi>[^<]*<\/bdi>/g, '').replace(/<td[^>]*>[^<]*<\/td>/g, '');
    expect(rest).not.toMatch(/[\u202a-\u202e\u2066-\u2068]/);
  });

  it('bounds a 100 kB message: the question list shows its first 200 characters', () => {
    expect(html.length).toBeLessThan(2_000_000);
    expect(html).not.toContain('A'.repeat(201));
    if (html.includes('A'.repeat(200))) expect(html).toContain('A'.repeat(200) + '…');
  });

  it('pseudonymized report has none of the hostile names', () => {
    for (const n of Object.values(NAMES)) {
      expect(htmlEn).not.toContain(n);
      expect(htmlEn).not.toContain(n.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }
  });
});

describe('CSV export of the same rows', () => {
  it('keeps every hostile text and name exactly (formula cells neutralised, nothing dropped)', () => {
    const rows = TEXTS.map((t, i) => ['2024-03-01 09:00:00', Object.values(NAMES)[i % 5]!, 'text', t]);
    const csv = cells.toCsv(['time', 'member', 'kind', 'text'], rows);
    expect(csv).toContain(BIG);
    expect(csv).toContain(`${RLO}txt.exe`);
    expect(csv).toContain('"Q""uo\'te onmouseover=alert(3)"');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(100_000);
  });
});
