import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLES = join(ROOT, 'sample-data');

interface Expected {
  format: string;
  group: string;
  messages: number;
  distinctSenders: number;
  events: Record<string, number>;
  firstMessageTime: string;
  lastMessageTime: string;
  replies: number;
}

/**
 * Every committed sample imports through the CLI with exactly the counts the generator tallied
 * while writing it (sample-data/expected.json — computed by the simulation, not by a parser).
 */
describe('sample-data imports with the generator\'s counts', () => {
  const expected = JSON.parse(readFileSync(join(SAMPLES, 'expected.json'), 'utf8')).files as Record<string, Expected>;
  const files = Object.keys(expected).map((f) => join(SAMPLES, f));
  const db = join(mkdtempSync(join(tmpdir(), 'qunxi-samples-')), 'lib.duckdb');
  const out = execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['electron/cli/main.ts', 'import', ...files, '--db', db, '--json'], {
    cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  });
  const got = JSON.parse(out) as { groups: Record<string, unknown>[]; errors: unknown[] };

  it('imports every sample without an error', () => {
    expect(got.errors).toEqual([]);
    expect(got.groups).toHaveLength(files.length);
  });

  it.each(Object.entries(expected))('%s', (file, e) => {
    const g = got.groups.find((x) => x['file'] === join(SAMPLES, file))!;
    const events = Object.fromEntries(Object.entries(e.events).filter(([, n]) => n > 0));
    expect(g).toEqual({
      file: join(SAMPLES, file), format: e.format, group: e.group, messages: e.messages, senders: e.distinctSenders, events,
      rejected: 0, from: e.firstMessageTime, to: e.lastMessageTime,
    });
  });

  it('resolves the replies and quotes each export carries', () => {
    const sql = (q: string) => JSON.parse(execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['electron/cli/main.ts', 'sql', '--db', db, q], { cwd: ROOT, encoding: 'utf8' }));
    const rows = sql(`SELECT g.platform, count(m.reply_to) AS replies FROM messages m JOIN groups g ON g.id = m.group_id WHERE g.name = '私域运营交流群' GROUP BY 1 ORDER BY 1`);
    const byPlatform = Object.fromEntries(rows.map((r: { platform: string; replies: number }) => [r.platform, r.replies]));
    expect(byPlatform['telegram']).toBe(expected['telegram/result.json']!.replies);
    expect(byPlatform['wechat']).toBe(expected['wechat/私域运营交流群_utf8.csv']!.replies);
  });

  it('analyze --db gives the same figures per group, with consistent heatmaps, members and cohorts', () => {
    const outFile = join(mkdtempSync(join(tmpdir(), 'qunxi-an-')), 'out.json');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['electron/cli/main.ts', 'analyze', '--db', db, '--json', outFile], { cwd: ROOT, stdio: 'ignore' });
    const doc = JSON.parse(readFileSync(outFile, 'utf8')) as { groups: any[] };
    expect(doc.groups).toHaveLength(6);
    for (const [file, e] of Object.entries(expected)) {
      const g = doc.groups.find((x) => x.name === e.group && x.platform === e.format.split('-')[0])!;
      expect(g, file).toBeDefined();
      expect(g.overview.messages).toBe(e.messages);
      expect(g.overview.senders).toBe(e.distinctSenders);
      expect(g.heatmap.flat().reduce((a: number, b: number) => a + b, 0)).toBe(e.messages);
      expect(g.members.reduce((a: number, m: { messages: number }) => a + m.messages, 0)).toBe(e.messages);
      expect(g.events).toEqual(Object.fromEntries(Object.entries(e.events).filter(([, n]) => n > 0)));
      // Every member with a message is counted once across cohorts at most.
      expect(g.cohorts.reduce((a: number, c: { size: number }) => a + c.size, 0)).toBeLessThanOrEqual(g.members.length);
      expect(g.trending.every((t: { week: string }) => /^\d{4}-\d{2}-\d{2}$/.test(t.week) && new Date(t.week + 'T00:00:00Z').getUTCDay() === 1)).toBe(true);
      expect(g.kol.length).toBeGreaterThan(0);
    }
  });
});
