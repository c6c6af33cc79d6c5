import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { shot, startE2E, type E2E } from './harness.js';

/**
 * Issue 6 in the UI: the same person shown first as a phone number, later under a saved name, is
 * merged by hand on the Members page; every view counts them once; the merge can be undone.
 */
let e: E2E;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'qunxi-e2e-id-'));
const file = join(dir, 'WhatsApp Chat with 身份测试群.txt');
writeFileSync(
  file,
  [
    '12/01/2024, 09:00 - Ann: 早上好',
    '12/01/2024, 09:05 - \u202a+86 138 0013 8000\u202c: 大家好，我是新来的',
    '12/01/2024, 09:06 - Ann: 欢迎！',
    '13/01/2024, 10:00 - Lee Wei: 我存了号码，现在显示名字了',
    '13/01/2024, 10:01 - Lee Wei: 今天讨论什么',
    '13/01/2024, 10:02 - Ann: 运营',
  ].join('\n'),
);

const rows = () => page.$$eval('[data-testid=member-table] [role=row]:not(.mb-head)', (rs) => rs.map((r) => (r.querySelector('.mb-name')?.textContent ?? '').trim()));

beforeAll(async () => {
  e = await startE2E();
  page = e.page;
  await page.waitForSelector('[data-page=library]');
  await page.click('[data-page=library]');
  await page.fill('[data-testid=path-input]', file);
  await page.click('[data-testid=import-path]');
  await page.waitForSelector('[data-testid=import-done]', { timeout: 60_000 });
  // Look at the imported group.
  await page.click('[data-testid=groups-table] tbody tr:has-text("身份测试群")');
}, 180_000);
afterAll(async () => {
  await e?.close();
});

describe('identity merges on the Members page (browser mode)', () => {
  it('merges a phone number with a saved name, then undoes it', async () => {
    await page.click('[data-page=members]');
    await page.waitForSelector('[data-testid=member-table] [role=row]:not(.mb-head)');
    expect((await rows()).sort()).toEqual(['+86 138 0013 8000', 'Ann', 'Lee Wei']);

    // Tick Lee Wei first (stands for the merged member), then the number.
    await page.check('[data-testid=member-table] [role=row]:has(.mb-name:text-is("Lee Wei")) input[data-action=pick]');
    await page.check('[data-testid=member-table] [role=row]:has(.mb-name:text-is("+86 138 0013 8000")) input[data-action=pick]');
    await page.click('button[data-action=merge]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=member-table] [role=row]:not(.mb-head)').length === 2);
    expect((await rows()).sort()).toEqual(['Ann', 'Lee Wei']);
    const log = await page.waitForSelector('[data-testid=identity-log] li[data-op=merge]');
    expect(await log.textContent()).toContain('+86 138 0013 8000');
    // Former name shown beside the merged member; its 3 messages counted once.
    const lee = await page.textContent('[data-testid=member-table] [role=row]:has(.mb-name:text-is("Lee Wei"))');
    expect(lee).toContain('+86 138 0013 8000');
    await shot(page, 'members-merged');

    // Overview counts two active members now.
    await page.click('[data-page=overview]');
    await page.waitForFunction(() => document.querySelectorAll('.state.loading').length === 0);
    await page.click('[data-page=members]');
    await page.waitForSelector('[data-testid=identity-log]');
    await page.click('button[data-action=identity-undo]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=member-table] [role=row]:not(.mb-head)').length === 3);
    expect((await rows()).sort()).toEqual(['+86 138 0013 8000', 'Ann', 'Lee Wei']);
    await page.waitForSelector('[data-testid=identity-log] li.undone');
  });
});
