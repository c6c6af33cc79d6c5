import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBrowserMode, type BrowserMode } from '../../electron/web/main.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = resolve(ROOT, 'test-results', 'screenshots');

export interface E2E {
  bm: BrowserMode;
  browser: Browser;
  page: Page;
  /** Every request the page made that did not go to our own server. */
  foreignRequests: string[];
  dataDir: string;
  close(): Promise<void>;
}

/** Browser mode on a fresh data folder (demo library from sample-data/) driven by Debian's Chromium. */
export async function startE2E(opts: { dbPath?: string } = {}): Promise<E2E> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qunxi-e2e-'));
  mkdirSync(SHOTS, { recursive: true });
  const bm = await startBrowserMode({ dataDir, dbPath: opts.dbPath });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 }, acceptDownloads: true, locale: 'zh-CN' });
  const page = await context.newPage();
  const foreignRequests: string[] = [];
  const own = `127.0.0.1:${bm.server.port}`;
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!(u.host === own || u.protocol === 'data:' || u.protocol === 'blob:')) foreignRequests.push(r.url());
  });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(bm.server.url);
  return {
    bm, browser, page, foreignRequests, dataDir,
    async close() {
      await browser.close();
      await bm.stop();
    },
  };
}

/** Charts on the current page (the timeline brush included): title and whether the canvas has any drawn pixel. */
export async function drawnCharts(p: Page): Promise<{ title: string; drawn: boolean }[]> {
  return p.$$eval('figure.chart:has(.chart-canvas)', (figs) =>
    figs.map((f) => {
      const title = f.querySelector('.chart-title')?.textContent ?? '';
      const canvas = f.querySelector('canvas') as HTMLCanvasElement | null;
      if (!canvas || canvas.width === 0 || canvas.height === 0) return { title, drawn: false };
      const ctx = canvas.getContext('2d');
      if (!ctx) return { title, drawn: false };
      const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < d.length; i += 4 * 16) if (d[i]! > 0) painted++;
      return { title, drawn: painted > 20 };
    }),
  );
}

/** Screenshot of the whole page; the content pane scrolls on its own, so grow the viewport to fit it. */
export async function shot(page: Page, name: string): Promise<string> {
  const path = join(SHOTS, `${name}.png`);
  const size = page.viewportSize() ?? { width: 1440, height: 960 };
  const h = await page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): { scrollHeight: number } | null } }).document.querySelector('.content')?.scrollHeight ?? 0);
  if (h > size.height) {
    await page.setViewportSize({ width: size.width, height: Math.min(h + 20, 6000) });
    await page.waitForTimeout(400); // charts resize
  }
  await page.screenshot({ path, fullPage: true });
  if (h > size.height) await page.setViewportSize(size);
  return path;
}
