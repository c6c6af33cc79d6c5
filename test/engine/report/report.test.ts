import { describe, expect, it } from 'vitest';
import { Database } from '../../../electron/engine/db/database.js';
import { importSource } from '../../../electron/engine/ingest/import-file.js';
import { bufferSource } from '../../../electron/engine/ingest/input.js';
import { PARSERS } from '../../../electron/engine/ingest/parsers/index.js';
import { Segmenter } from '../../../electron/engine/text/segmenter.js';
import { analyze } from '../../../electron/engine/analyze.js';
import { renderReport } from '../../../electron/engine/report/html.js';
import { pseudonymize } from '../../../electron/engine/report/pseudonymize.js';

// A small WhatsApp group whose text and names carry HTML, script and a formula-looking cell.
const CHAT = [
  '01/03/2024, 09:00 - Alice created group "Hostile <b>group</b>"',
  '01/03/2024, 09:05 - Alice: 大家好 <img src=x onerror=alert(1)> 有人用过视频号吗？',
  '01/03/2024, 09:06 - Bob<script>: <script>alert("x")</script> 用过，视频号直播效果不错',
  '02/03/2024, 21:00 - Carol: =HYPERLINK("http://evil") 视频号 直播 复盘',
  '04/03/2024, 21:30 - Alice: @Carol 视频号直播怎么复盘？',
  '13/03/2024, 08:00 - Bob<script>: 视频号 直播 复盘 打卡',
  '',
].join('\n');

async function doc() {
  const db = await Database.open(':memory:');
  await importSource(bufferSource('chat.txt', CHAT), { db, segmenter: new Segmenter(), parsers: PARSERS, fallbackName: 'chat' });
  const d = await analyze(db);
  db.close();
  return d;
}

describe('analyze document', () => {
  it('has the documented headline fields, with a heatmap that sums to the message count', async () => {
    const d = await doc();
    expect(d.schema).toBe('qunxi-analyze/1');
    expect(d.groups).toHaveLength(1);
    const g = d.groups[0]!;
    expect(g.name).toBe('Hostile <b>group</b>');
    expect(g.platform).toBe('whatsapp');
    expect(g.overview.messages).toBe(5);
    expect(g.overview.senders).toBe(3);
    expect(g.heatmap).toHaveLength(7);
    expect(g.heatmap.every((r) => r.length === 24)).toBe(true);
    // 01/03/2024 is a Friday (weekday 4): 09:00 holds 2 messages; 02/03 Saturday 21:00; 04/03 Monday 21:00; 13/03 Wednesday 08:00.
    expect(g.heatmap[4]![9]).toBe(2);
    expect(g.heatmap[5]![21]).toBe(1);
    expect(g.heatmap[0]![21]).toBe(1);
    expect(g.heatmap[2]![8]).toBe(1);
    expect(g.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(5);
    expect(g.events).toEqual({ create: 1 });
    expect(g.members.map((m) => [m.name, m.messages]).sort()).toEqual([['Alice', 2], ['Bob<script>', 2], ['Carol', 1]]);
    expect(g.churn.inactivityDays).toBe(30);
    expect(g.cohorts.reduce((s, c) => s + c.size, 0)).toBe(3);
  });
});

describe('HTML report', () => {
  it('is self-contained: no script, no external resource, charts as inline SVG', async () => {
    const html = renderReport(await doc(), { lang: 'zh' });
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain("default-src 'none'");
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });

  it('escapes chat text and names: markup shows as text and runs nothing', async () => {
    const html = renderReport(await doc(), { lang: 'en' });
    expect(html).toContain('Hostile &lt;b&gt;group&lt;/b&gt;');
    expect(html).toContain('Bob&lt;script&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('onerror=alert(1)>');
    expect(html).not.toContain('<b>group</b>');
  });

  it('pseudonymizes every member name with stable aliases, in tables, charts and text', async () => {
    const d = await doc();
    const p = pseudonymize(d, 'en');
    const html = renderReport(p, { lang: 'en', pseudonymized: true });
    for (const name of ['Alice', 'Carol', 'Bob&lt;script&gt;']) expect(html).not.toContain(name);
    expect(html).toContain('Member 001');
    expect(p.groups[0]!.members.map((m) => m.name).sort()).toEqual(['Member 001', 'Member 002', 'Member 003']);
    // Same input, same aliases.
    expect(pseudonymize(d, 'en').groups[0]!.members).toEqual(p.groups[0]!.members);
    // Names inside chat text are replaced too (the @Carol in a question).
    expect(JSON.stringify(p)).not.toContain('Carol');
  });
});
