/**
 * No user text reaches SQL as code. Two layers:
 *  1. Dynamic: hostile strings (quotes, comments, statement breaks, LIKE wildcards, escapes,
 *     placeholders, unicode quotes, NUL) go through every free-text input of the Engine API on a
 *     small imported database — full-text search, term search, the termMessages metric, the
 *     topic metrics' excludeTerms, and the structured fields (filters, day, metric key, enums),
 *     which must be refused by validation before any SQL runs. Results must be the literal
 *     matches computed here in JavaScript, and every table must be intact afterwards.
 *  2. Static: a lint of the engine's SQL template literals: every `${…}` must be a SQL fragment
 *     or identifier on the allow-list below (documented, reviewed), never a value.
 * The members page's name search filters rows already loaded in the renderer (String.includes):
 * it sends no text to the engine, so it has no SQL to test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine.js';
import { engineHandlers } from '../../electron/engine/host/handlers.js';
import type { Handler } from '../../shared/rpc.js';
import type { EngineMethod, MessagePage } from '../../shared/api.js';
import { ROOT } from './built.js';
import { sqlConcatenations, sqlInterpolations, templates, isSql } from './sql-lint.js';

process.env['QUNXI_SEGMENT_THREAD'] = '0';

/** The strings an attacker (or an unlucky user) types. */
const HOSTILE = [
  "'", '"', '--', '/*', '*/', ';DROP TABLE messages;--', "'; DROP TABLE messages; --", "' OR '1'='1", '%', '_', '\\', '\\%', '%_%', 'a_b',
  '$1', '$q_search', '?', ':name', '\u2019', '\u201c', '\uff07', '`', ')', "')) OR 1=1 --", '\u0000', '\u202e', '[', '.*', '^$',
];

/** Message texts of the test chat: each hostile string appears literally somewhere, with decoys. */
const TEXTS = [
  "It's fine",
  'He said "hi" today',
  '-- not a comment',
  '/* not a comment */',
  'x;DROP TABLE messages;--',
  "' OR '1'='1",
  '100% sure',
  'snake_case name',
  'back\\slash path',
  'price $1 only',
  '\u2018curly\u2019 \u201cquotes\u201d',
  'fullwidth \uff07quote',
  'axb plain decoy',
  'plain words only',
  'regex .* chars [x] ^$ and `tick` :name ?',
];
const NAMES = ["O'Brien", "Robert'); DROP TABLE members;--", 'Eve "the" %_', 'Plain'];

let dir: string;
let engine: Engine;
let h: Record<EngineMethod, Handler>;
const ctx = () => ({ signal: new AbortController().signal, progress: () => undefined });
const call = (m: EngineMethod, p: unknown) => h[m](p, ctx());

/** Row counts of every table, and the list of tables: what "intact" means. */
async function snapshot(): Promise<Record<string, number>> {
  const tables = await engine.db.all<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1`);
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    expect(name).toMatch(/^\w+$/);
    out[name] = (await engine.db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM "${name}"`))!.n;
  }
  return out;
}
let before: Record<string, number>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qunxi-sqli-'));
  // A WhatsApp export whose FILE NAME is hostile too (it is stored in sources.path).
  const file = join(dir, "WhatsApp Chat with x';DROP TABLE sources;--.txt");
  const lines = TEXTS.map((t, i) => `0${1 + (i % 9)}/03/2024, 1${i % 10}:0${i % 6} - ${NAMES[i % NAMES.length]}: ${t}`);
  lines.push(`10/03/2024, 10:00 - Plain: @O'Brien thanks`);
  writeFileSync(file, lines.join('\n') + '\n');
  engine = await Engine.open(join(dir, 'db.duckdb'));
  h = engineHandlers(engine, { version: 'test', demo: false });
  const r = (await call('importFiles', { paths: [file] })) as { results: { messages: number }[]; errors: unknown[] };
  expect(r.errors).toEqual([]);
  expect(r.results[0]!.messages).toBe(TEXTS.length + 1);
  before = await snapshot();
  expect(before['messages']).toBe(TEXTS.length + 1);
}, 60_000);

afterAll(() => {
  engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Texts stored, read back with a plain query (no user input). */
const stored = async () => (await engine.db.all<{ id: number; text: string; terms: string[] | null }>(`SELECT id, text, terms FROM messages ORDER BY id`));

describe('hostile text is stored literally', () => {
  it('message texts, member names and the file name come back byte for byte', async () => {
    const texts = (await stored()).map((r) => r.text);
    for (const t of TEXTS) expect(texts).toContain(t);
    const names = (await call('runMetric', { key: 'members', args: {} })) as { members?: { name: string }[] } | { name: string }[];
    const list = JSON.stringify(names);
    for (const n of NAMES) expect(list).toContain(JSON.stringify(n).slice(1, -1));
    const src = (await call('listSources', {})) as { path: string }[];
    expect(src[0]!.path.endsWith("x';DROP TABLE sources;--.txt")).toBe(true);
  });
});

describe('full-text search (messages.search) matches literally', () => {
  it.each(HOSTILE)('search %j', async (q) => {
    const all = await stored();
    const want = all.filter((r) => r.text.toLowerCase().includes(q.toLowerCase())).map((r) => r.id).sort((a, b) => a - b);
    const page = (await call('messages', { search: q, limit: 2000 })) as MessagePage;
    expect(page.total).toBe(want.length);
    expect(page.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(want);
  });

  it('most hostile strings do occur in the chat (the literal-match checks above are not all empty)', async () => {
    const all = await stored();
    const hits = HOSTILE.filter((q) => all.some((r) => r.text.toLowerCase().includes(q.toLowerCase())));
    expect(hits.length).toBeGreaterThanOrEqual(20);
  });

  it('wildcards are literal: % finds only the message with a percent sign, _ only underscores', async () => {
    expect(((await call('messages', { search: '%' })) as MessagePage).rows.map((r) => r.text)).toEqual(['100% sure']);
    expect(((await call('messages', { search: 'a_b' })) as MessagePage).total).toBe(0);
    expect(((await call('messages', { search: '_' })) as MessagePage).rows.map((r) => r.text)).toEqual(['snake_case name']);
    expect(((await call('messages', { search: '\\' })) as MessagePage).rows.map((r) => r.text)).toEqual(['back\\slash path']);
  });
});

describe('term search (messages.term and the termMessages metric) matches literally', () => {
  it.each(HOSTILE)('term %j', async (q) => {
    const all = await stored();
    const want = all.filter((r) => (r.terms ?? []).includes(q.toLowerCase())).length;
    expect(((await call('messages', { term: q })) as MessagePage).total).toBe(want);
    if (q.trim() === '') return; // termMessages trims and needs a non-empty term (validation).
    const tm = (await call('runMetric', { key: 'termMessages', args: { term: q } })) as { total: number; term: string };
    expect(tm.total).toBe(all.filter((r) => (r.terms ?? []).includes(q.trim().toLowerCase())).length);
  });

  it('a real term still works next to hostile ones', async () => {
    const all = await stored();
    const term = all.flatMap((r) => r.terms ?? []).find((t) => /^[a-z]{4,}$/.test(t));
    expect(term).toBeTruthy();
    expect(((await call('messages', { term })) as MessagePage).total).toBeGreaterThan(0);
  });
});

describe('topic metrics take hostile excludeTerms as values', () => {
  it.each(['keywords', 'trending', 'topTermsByPeriod', 'cooccurrence'])('%s', async (key) => {
    const r = await call('runMetric', { key, args: { excludeTerms: HOSTILE.filter((s) => s.length > 0), minCount: 1 } });
    expect(r).toBeTruthy();
    for (const s of HOSTILE) expect(JSON.stringify(r)).not.toContain(`"term":${JSON.stringify(s)}`);
  });
});

describe('structured fields refuse text before any SQL runs', () => {
  const invalid = async (m: EngineMethod, p: unknown) => {
    const e = await call(m, p).then(() => null, (x: Error) => x);
    expect(e, JSON.stringify(p)).toBeInstanceOf(Error);
    expect(e!.name, JSON.stringify(p)).toBe('ValidationError');
  };
  it.each(HOSTILE)('filters, day and ids with %j', async (q) => {
    await invalid('messages', { filters: { from: q } });
    await invalid('messages', { filters: { to: `2024-01-01${q}` } });
    await invalid('messages', { filters: { groups: [q] } });
    await invalid('messages', { filters: { members: [q] } });
    await invalid('messages', { filters: { exclude: [q] } });
    await invalid('messages', { filters: { [q]: 1 } });
    await invalid('messages', { day: `2024-03-01${q}` });
    await invalid('messages', { memberId: q });
    await invalid('messages', { limit: q });
    await invalid('runMetric', { key: q });
    await invalid('runMetric', { key: 'overview', filters: { from: q } });
    await invalid('runMetric', { key: 'activity', args: { granularity: q } });
    await invalid('runMetric', { key: 'topTermsByPeriod', args: { period: q } });
    await invalid('runMetric', { key: 'kol', args: { normalisation: q } });
    await invalid('runMetric', { key: 'graph', args: { types: [q] } });
    await invalid('report', { filters: { to: q } });
    await invalid('listRejects', { limit: q });
    await invalid('identity', { action: q });
    await invalid('identity', { action: 'merge', members: [q, 1] });
    await invalid('identity', { action: 'split', member: q });
    await invalid('previewFile', { path: 'x.csv', delimiter: q });
  });

  it('identity decisions still list after all of it (ids only, no text)', async () => {
    await expect(call('identity', { action: 'list' })).resolves.toBeTruthy();
  });

  it('compare refuses an unknown inner metric key', async () => {
    await expect(call('runMetric', { key: 'compare', args: { key: "overview'; DROP TABLE messages;--" } })).rejects.toThrow(/unknown metric/);
  });

  it('a path that does not exist is an import error, not SQL', async () => {
    const r = (await call('importFiles', { paths: [join(dir, "nope'; DROP TABLE messages;--.txt")] })) as { errors: { reason: string }[] };
    expect(r.errors).toHaveLength(1);
  });
});

describe('after all of it', () => {
  it('every table is still there with the same row counts', async () => {
    expect(await snapshot()).toEqual(before);
  });
});

/**
 * `${…}` allowed inside engine SQL, beyond the general rules (a `x.sql` fragment of a builder
 * that is itself linted; an UPPER_CASE constant, constant-returning helper or lookup keyed by a
 * zod enum). Each is an internal identifier or a fragment built from literals in the same
 * function; none carries a value. A new entry needs review: values go in $named parameters.
 */
const ALLOWED: Record<string, string[]> = {
  'electron/engine/derive-extra.ts': ['t'], // a name from the literal list of its own tables
  'electron/engine/db/database.ts': ['want', 'restore'], // integers from memoryBytes() (SET cannot bind a parameter)
  'electron/engine/ingest/merge.ts': [
    'table', // staging table name passed by the same file ('stg_people')
    'who', // a JOIN clause literal passed by the same file
    'col', // 'actor' | 'subject' (typed union), a column prefix
    "person('actor')",
    "person('subject')",
    "all ? '' : 'AND members.group_id IN (SELECT group_id FROM stg_gmap)'",
  ],
  'electron/engine/ingest/stage.ts': ['t'], // an entry of STAGING_TABLES
  'electron/engine/metrics/core/activity.ts': ['t.part', 't.step'], // TRUNC[granularity], zod enum
  'electron/engine/metrics/core/common.ts': ['alias', 'who', 'col', "conds.join(' AND ')"], // table aliases, column names, literal conditions
  'electron/engine/metrics/core/conversations.ts': ['inp', 'sel', 'convs'], // literal conditions / CTEs
  'electron/engine/metrics/core/members-checkins.ts': ['w'], // a messageWhere(...).sql fragment
  'electron/engine/metrics/core/onboarding-sql.ts': ['reply', "sc('o')", "sc('r')", "sc('x')", "sc('w')"], // literal interval, streamScope(...).sql
  'electron/engine/metrics/filter-sql.ts': ['a', 'memberCol'], // table alias and member column (code-chosen)
  'electron/engine/metrics/network/interactions.ts': ["arms.join('\\n UNION ALL ')"], // literal clauses chosen by edge types (zod enum)
  'electron/engine/metrics/network/term-guard.ts': ['col'], // column name chosen by the caller's code
  'electron/engine/metrics/network/trending.ts': ['from', 'inCount', 'readCond'], // literal expressions over $t_from
  'electron/engine/query/messages.ts': ['where'], // buildMessageQuery(...).where: literal conditions, values bound
};

const GENERAL = [
  /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*\.sql$/, // SqlPart fragment
  /^[A-Z][A-Z0-9_]*$/, // SQL constant
  /^[A-Z][A-Z0-9_]*\([\w.]*\)$/, // constant-building helper over a fragment
  /^[A-Z][A-Z0-9_]*\[[\w.]+\]\.\w+$/, // fixed lookup keyed by an enum
];

const allowed = (file: string, expr: string) => GENERAL.some((re) => re.test(expr)) || (ALLOWED[file] ?? []).includes(expr);

describe('static lint: no value interpolated into engine SQL', () => {
  it('every ${…} in a SQL template literal is an allow-listed fragment or identifier', () => {
    const found = sqlInterpolations(ROOT);
    expect(found.length).toBeGreaterThan(50); // the scan sees the engine's SQL at all
    const bad = found.filter((i) => !allowed(i.file, i.expr)).map((i) => `${i.file}:${i.line}  \${${i.expr}}`);
    expect(bad).toEqual([]);
  });

  it('no SQL string is glued to a value with +', () => {
    expect(sqlConcatenations(ROOT)).toEqual([]);
  });

  it('the allow-list has no stale entries (each is still used where it says)', () => {
    const found = sqlInterpolations(ROOT);
    const stale = Object.entries(ALLOWED).flatMap(([file, exprs]) => exprs.filter((e) => !found.some((f) => f.file === file && f.expr === e)).map((e) => `${file}: ${e}`));
    expect(stale).toEqual([]);
  });

  it('the lint itself catches a value in SQL', () => {
    const src = "const q = `SELECT * FROM messages WHERE text = '${userText}' AND id = ${args.id}`;\nconst ok = `hello ${name}`;";
    const t = templates(src);
    expect(t.map((x) => isSql(x.text))).toEqual([true, false]);
    const exprs = t[0]!.exprs.map((e) => e.expr);
    expect(exprs).toEqual(['userText', 'args.id']);
    expect(exprs.some((e) => allowed('electron/engine/query/messages.ts', e))).toBe(false);
    const nested = templates('db.all(`SELECT ${cond ? `x = ${v}` : "TRUE"} FROM t`)');
    expect(nested.flatMap((x) => x.exprs.map((e) => e.expr))).toEqual(['v', 'cond ? `x = ${v}` : "TRUE"']);
  });
});
