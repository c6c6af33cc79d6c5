/**
 * Hostile chat text in the UI (browser mode, Chromium): markup and script in names and texts,
 * a right-to-left override (U+202E) and a 100 kB message. Table cells, message rows, chart
 * tooltips and title tooltips must show them as text, run nothing, and keep the override from
 * reordering the app's own text around it. Screenshots: test-results/screenshots/hostile-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './harness.js';

const RLO = '\u202E';
const BIG = 'A'.repeat(60_000) + '长'.repeat(20_000) + ' 怎么办?'; // ~120 kB of UTF-8
const NAMES = ['Mallory<script>alert(1)</script>', 'Bob<img src=x onerror=alert(2)>', `${RLO}gpj.exe Eve`, `Q"uo'te onmouseover=alert(3)`];
const TEXTS = [
  '<img src=x onerror=alert(11)> 视频号 直播',
  '<svg onload=alert(12)></svg> 视频号 直播 复盘',
  `${RLO}txt.exe 视频号 直播`,
  '</div><h1>broken</h1> 视频号 复盘',
  '@Mallory<script>alert(1)</script> 视频号 直播 复盘',
];

/** Telegram keeps message text as written (WhatsApp's parser drops bidi marks, which its exports add). */
const TG_TEXTS = [`${RLO}txt.exe 视频号 直播`, '<img src=x onerror=alert(21)> 视频号', BIG];
function telegram(): string {
  const messages = TG_TEXTS.map((text, i) => ({
    id: i + 1, type: 'message', date: `2024-04-0${i + 1}T09:00:00`, date_unixtime: String(1711962000 + i * 86400),
    from: NAMES[i % NAMES.length], from_id: `user${100 + (i % 2)}`, text, text_entities: [{ type: 'plain', text }],
  }));
  return JSON.stringify({ name: `TG ${RLO}group <i>x</i>`, type: 'private_supergroup', id: 4242, messages }, null, 1);
}

let e: E2E;
let page: Page;
const dialogs: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'qunxi-e2e-hostile-'));

async function openPage(key: string): Promise<void> {
  await page.click(`[data-page=${key}]`);
  await page.waitForSelector(`[data-page-content=${key}]`);
  await page.waitForFunction(() => document.querySelectorAll('.state.loading').length === 0, null, { timeout: 60_000 });
  await page.waitForTimeout(600);
}

/** Elements that hostile text could have created, anywhere in the page. */
const injected = () => page.evaluate(() => document.querySelectorAll('script:not([src]), img[src="x"], [onerror], [onload], [onmouseover], .msg h1, td b').length);

/**
 * Text nodes holding an unclosed bidi override whose effect reaches the app's own text: the
 * override is neither closed in its node, nor isolated (unicode-bidi isolate/plaintext), nor
 * the last text of a block of its own (where the paragraph ends it). <option> text is one
 * string, so any override in it reaches what follows.
 */
const bidiLeaks = () =>
  page.evaluate(() => {
    const open = /[\u202a-\u202e\u2066-\u2068]/g;
    const close = /[\u202c\u2069]/g;
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent ?? '';
      if ((t.match(open) ?? []).length <= (t.match(close) ?? []).length) continue;
      const el = n.parentElement!;
      if (el.closest('option')) {
        out.push(`option: ${JSON.stringify(el.closest('option')!.textContent)}`);
        continue;
      }
      const cs = getComputedStyle(el);
      if (/isolate|plaintext/.test(cs.unicodeBidi)) continue;
      const block = /^(block|table-cell|list-item|flex|grid|flow-root)$/.test(cs.display);
      let after = '';
      for (let s = n.nextSibling; s; s = s.nextSibling) after += s.textContent ?? '';
      if (block && after.trim() === '') continue;
      out.push(`<${el.tagName.toLowerCase()} class="${el.className}">: ${JSON.stringify(t.slice(0, 40))} then ${JSON.stringify(after.slice(0, 40))}`);
    }
    return out;
  });

beforeAll(async () => {
  const lines = [`01/03/2024, 08:00 - ${NAMES[0]} created group "<b>Hostile</b> ${RLO}group"`];
  let i = 0;
  for (let day = 1; day <= 6; day++) {
    for (const t of TEXTS) lines.push(`0${day}/03/2024, 09:${String(10 + i++).padStart(2, '0')} - ${NAMES[i % NAMES.length]}: ${t}`);
  }
  const file = join(work, 'WhatsApp Chat with Hostile.txt');
  writeFileSync(file, lines.join('\n') + '\n');
  const tg = join(work, 'result.json');
  writeFileSync(tg, telegram());
  // An empty database of its own (no demo library): the hostile group is the only one.
  e = await startE2E({ dbPath: join(work, 'hostile.duckdb') });
  page = e.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.waitForSelector('[data-page=library]');
  await openPage('library');
  for (const f of [tg, file]) {
    await page.fill('[data-testid=path-input]', f);
    await page.click('[data-testid=import-path]');
    await page.waitForFunction((name) => document.querySelector('[data-testid=import-done]')?.textContent?.includes(name), f.split('/').pop()!, { timeout: 120_000 });
  }
  await page.locator('[data-testid=groups-table] tr', { hasText: 'Hostile' }).click();
  await page.waitForSelector('[data-page-content=overview]');
});
afterAll(async () => {
  await e?.close();
});

describe('hostile chat text in the workbench', () => {
  it('library and filter bar show the group name as text', async () => {
    await openPage('library');
    const cell = await page.locator('[data-testid=groups-table] td', { hasText: 'Hostile' }).first().textContent();
    expect(cell).toBe(`<b>Hostile</b> ${RLO}group`);
    expect(await page.$$('[data-testid=groups-table] td b')).toHaveLength(0);
    await shot(page, 'hostile-library');
  });

  it('message rows show markup, the override and the 100 kB message as text', async () => {
    await openPage('messages');
    const tgId = await page.$$eval('[data-testid=group-select] option', (os) => os.find((o) => o.textContent!.startsWith('TG'))!.getAttribute('value')!);
    await page.selectOption('[data-testid=group-select]', tgId);
    await page.waitForFunction(() => document.querySelector('[data-testid=message-total]')?.textContent?.startsWith('3'));
    await page.waitForSelector('.msg');
    const all = await page.$$eval('.msg .text', (ts) => ts.map((t) => t.textContent ?? ''));
    // Newest first: the 100 kB message, the markup, the override, each whole and literal.
    expect(all).toEqual([...TG_TEXTS].reverse());
    const h = await page.$eval('.msg', (m) => m.getBoundingClientRect().height);
    expect(h).toBeGreaterThan(1000); // wrapped, not cut
    const overflow = await page.$eval('[data-testid=message-list]', (l) => l.scrollWidth - l.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    expect(await injected()).toBe(0);
    await shot(page, 'hostile-messages');
    // The override row on its own: its text is reversed inside its block, the meta line above is not.
    await page.fill('[data-testid=message-search]', 'txt.exe');
    await page.press('[data-testid=message-search]', 'Enter');
    await page.waitForFunction(() => document.querySelector('[data-testid=message-total]')?.textContent?.startsWith('1 '));
    expect(await page.$$eval('.msg .text', (ts) => ts.map((t) => t.textContent))).toEqual([TG_TEXTS[0]]);
    await shot(page, 'hostile-messages-rtl');
  });

  it('member table cells and their title tooltips hold the names as text', async () => {
    await openPage('members');
    const waId = await page.$$eval('[data-testid=group-select] option', (os) => os.find((o) => o.textContent!.includes('Hostile'))!.getAttribute('value')!);
    await page.selectOption('[data-testid=group-select]', waId);
    await page.waitForTimeout(500);
    await page.waitForSelector('[data-testid=member-table] .mb-name');
    const names = await page.$$eval('[data-testid=member-table] .mb-name', (cs) => cs.map((c) => [c.textContent, c.getAttribute('title')]));
    const shown = names.map(([t]) => t);
    // Ingest strips bidi controls from member names (identity.ts); the rest stays literal.
    for (const n of NAMES) expect(shown).toContain(n.replace(RLO, ''));
    for (const [t, title] of names) expect(title).toBe(t);
    expect(await injected()).toBe(0);
    await shot(page, 'hostile-members');
  });

  it('chart tooltips escape names and texts', async () => {
    const tips: string[] = [];
    for (const key of ['kol', 'network', 'activity', 'topics']) {
      await openPage(key);
      const html = await page.evaluate(async () => {
        const out: string[] = [];
        for (const el of document.querySelectorAll('.chart-canvas') as NodeListOf<HTMLElement & { __qunxiChart?: any }>) {
          const c = el.__qunxiChart;
          if (!c) continue;
          const series = (c.getOption().series ?? []) as { data?: unknown[] }[];
          for (let s = 0; s < series.length; s++) {
            const n = Math.min(series[s]?.data?.length ?? 0, 12);
            for (let i = 0; i < n; i++) {
              c.dispatchAction({ type: 'showTip', seriesIndex: s, dataIndex: i });
              await new Promise((r) => setTimeout(r, 30));
              const tip = [...el.querySelectorAll('div')].find((d) => d.style.position === 'absolute' && d.style.zIndex !== '' && d.innerHTML);
              if (tip) out.push(tip.innerHTML);
            }
            c.dispatchAction({ type: 'hideTip' });
          }
        }
        return out;
      });
      tips.push(...html);
      expect(await injected(), key).toBe(0);
    }
    expect(tips.length).toBeGreaterThan(0);
    const joined = tips.join('\n');
    expect(joined).toMatch(/Mallory&lt;script&gt;|Bob&lt;img/);
    // Markup in tooltips is only ECharts' own: no script or image tag, no event attribute.
    for (const tag of joined.match(/<[a-zA-Z][^>]*>/g) ?? []) {
      expect(tag).not.toMatch(/^<(script|img|svg|iframe|a)\b/i);
      expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    }
    await shot(page, 'hostile-tooltip');
  });

  // A group name's U+202E must not reach the filter bar's <option> ("name · platform · count"),
  // where it would reverse the text after it: options cannot isolate, so controls are dropped there.
  it('no bidi override reaches the app\'s own text', async () => {
    await openPage('messages');
    const leaks = await bidiLeaks();
    console.log('bidi leaks:', leaks);
    expect(leaks).toEqual([]);
  });

  it('ran no script and made no request outside the app', () => {
    expect(dialogs).toEqual([]);
    expect(e.foreignRequests).toEqual([]);
  });
});
