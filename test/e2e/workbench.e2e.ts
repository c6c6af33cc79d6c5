import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generate } from '../../sample-data/generate.js';
import { drawnCharts as charts, shot, startE2E, SHOTS, type E2E } from './harness.js';

let e: E2E;
let page: Page;
const dialogs: string[] = [];
const work = mkdtempSync(join(tmpdir(), 'qunxi-e2e-files-'));

async function openPage(key: string): Promise<void> {
  await page.click(`[data-page=${key}]`);
  await page.waitForSelector(`[data-page-content=${key}]`);
  // Wait until nothing is loading any more.
  await page.waitForFunction(() => document.querySelectorAll('.state.loading').length === 0, null, { timeout: 60_000 });
  await page.waitForTimeout(800);
}

beforeAll(async () => {
  e = await startE2E();
  page = e.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.waitForSelector('[data-page=overview]');
  console.log(`screenshots: ${SHOTS}`);
});
afterAll(async () => {
  await e?.close();
});

describe('Qunxi workbench in Chromium (browser mode)', () => {
  it('imports an uploaded export and shows its progress to the end', async () => {
    await generate({ out: work, messages: 30_000, formats: ['whatsapp'], seed: 'e2e-upload' });
    await openPage('library');
    const file = join(work, 'whatsapp', '_chat.txt');
    await page.setInputFiles('[data-testid=file-input]', file);
    await page.waitForSelector('[data-testid=import-progress]', { timeout: 30_000 });
    const done = await page.waitForSelector('[data-testid=import-done]', { timeout: 120_000 });
    expect(await done.textContent()).toMatch(/whatsapp-txt/);
    await page.waitForSelector('[data-testid=groups-table] tbody tr');
    await shot(page, 'library');
  });

  it.each(['overview', 'activity', 'topics', 'network', 'kol', 'retention', 'members', 'messages'])('page %s renders with every chart drawn', async (key) => {
    await openPage(key);
    expect(await page.$$('.state.error')).toHaveLength(0);
    const cs = await charts(page);
    expect(cs.filter((c) => !c.drawn)).toEqual([]);
    if (!['members', 'messages'].includes(key)) expect(cs.length).toBeGreaterThan(0);
    await shot(page, key);
  });

  it('clicking a heatmap cell lands on the messages of that weekday and hour', async () => {
    await openPage('activity');
    const target = await page.evaluate(() => {
      const el = document.querySelector('[data-testid=activity-heatmap] .chart-canvas') as (HTMLElement & { __qunxiChart?: any }) | null;
      const chart = el?.__qunxiChart;
      if (!el || !chart) return null;
      const data = chart.getOption().series[0].data as [number, number, number][];
      const best = data.reduce((a, b) => (b[2] > a[2] ? b : a));
      const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [best[0], best[1]]);
      const r = el.getBoundingClientRect();
      return { x: r.left + x, y: r.top + y, hour: best[0], weekday: best[1], count: best[2] };
    });
    expect(target).not.toBeNull();
    await page.mouse.click(target!.x, target!.y);
    await page.waitForSelector('[data-page-content=messages]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=message-total]')?.textContent?.startsWith(n.toLocaleString()), target!.count);
    const times = await page.$$eval('.msg .meta', (ms) => ms.slice(0, 20).map((m) => m.textContent!.slice(0, 19)));
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) {
      const d = new Date(t.replace(' ', 'T') + 'Z');
      expect((d.getUTCDay() + 6) % 7).toBe(target!.weekday);
      expect(d.getUTCHours()).toBe(target!.hour);
    }
    await shot(page, 'messages-drill');
  });

  it('exports a chart as PNG and its data as CSV', async () => {
    await openPage('overview');
    const fig = page.locator('[data-testid=overview-heatmap]');
    const [png] = await Promise.all([page.waitForEvent('download'), fig.locator('[data-action=png]').click()]);
    const pngPath = join(work, 'chart.png');
    await png.saveAs(pngPath);
    expect(readFileSync(pngPath).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const [csv] = await Promise.all([page.waitForEvent('download'), fig.locator('[data-action=csv]').click()]);
    const csvPath = join(work, 'chart.csv');
    await csv.saveAs(csvPath);
    const text = readFileSync(csvPath, 'utf8').replace(/^\ufeff/, '');
    expect(text.split('\r\n').length).toBeGreaterThan(2);
  });

  it('the timeline brush sets the global date range', async () => {
    await openPage('overview');
    await page.waitForSelector('[data-testid=timeline-brush] canvas');
    await page.evaluate(() => {
      const el = document.querySelector('[data-testid=timeline-brush] .chart-canvas') as (HTMLElement & { __qunxiChart?: any }) | null;
      el!.__qunxiChart.dispatchAction({ type: 'dataZoom', startValue: 10, endValue: 40 });
    });
    await page.waitForFunction(() => (document.querySelector('[data-testid=filter-from]') as HTMLInputElement | null)?.value !== '');
    const from = await page.inputValue('[data-testid=filter-from]');
    const to = await page.inputValue('[data-testid=filter-to]');
    expect(from < to).toBe(true);
    await shot(page, 'overview-brushed');
    await page.click('text=' + '重置筛选');
    await page.waitForFunction(() => (document.querySelector('[data-testid=filter-from]') as HTMLInputElement | null)?.value === '');
  });

  it('compares two groups side by side', async () => {
    await openPage('compare');
    const boxes = page.locator('[data-page-content=compare] input[type=checkbox]');
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 2; i++) if (!(await boxes.nth(i).isChecked())) await boxes.nth(i).check();
    await page.waitForFunction(() => document.querySelectorAll('.state.loading').length === 0, null, { timeout: 60_000 });
    await page.waitForTimeout(1000);
    const cs = await charts(page);
    expect(cs.length).toBeGreaterThan(0);
    expect(cs.filter((c) => !c.drawn)).toEqual([]);
    await shot(page, 'compare');
  });

  it('switches to English and back', async () => {
    await page.click('[data-action=lang]');
    expect(await page.textContent('[data-page=overview]')).toBe('Overview');
    await openPage('overview');
    await shot(page, 'overview-en');
    await page.click('[data-action=lang]');
    expect(await page.textContent('[data-page=overview]')).toBe('概览');
  });

  it('shows hostile chat text literally and runs nothing', async () => {
    const hostile = join(work, 'WhatsApp Chat with XSS.txt');
    writeFileSync(hostile, [
      '01/03/2024, 09:00 - Mallory: <img src=x onerror=alert(1)>',
      '01/03/2024, 09:01 - Mallory: <script>alert(2)</script>',
      '02/03/2024, 10:00 - Eve<b>: =cmd|"/c calc"!A1',
      '',
    ].join('\n'));
    await openPage('library');
    await page.fill('[data-testid=path-input]', hostile);
    await page.click('[data-testid=import-path]');
    await page.waitForSelector('[data-testid=import-done]');
    await page.locator('[data-testid=groups-table] tr', { hasText: 'XSS' }).click();
    await openPage('messages');
    await page.waitForSelector('.msg');
    const texts = await page.$$eval('.msg .text', (ts) => ts.map((t) => t.textContent));
    expect(texts).toContain('<img src=x onerror=alert(1)>');
    expect(texts).toContain('<script>alert(2)</script>');
    expect(await page.$$('.msg .text img, .msg .text script')).toHaveLength(0);
    expect(dialogs).toEqual([]);
    await shot(page, 'messages-hostile');
  });

  it('made no network request outside the app', () => {
    expect(e.foreignRequests).toEqual([]);
  });
});
