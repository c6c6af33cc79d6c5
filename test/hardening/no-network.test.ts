/**
 * No telemetry, no network: Qunxi talks to nothing but itself. Checked three ways:
 *  1. Source: every use of a network API in electron/, renderer/src/ and shared/ is on the
 *     allow-list below (the browser-mode server on 127.0.0.1 and the page's same-origin calls
 *     to it), and no source names a remote host except XML namespaces.
 *  2. Bundles: the built main, engine, preload and renderer code makes no request to an
 *     absolute URL, and the engine bundle loads no network module.
 *  3. Run: DuckDB cannot download extensions, and a whole import → every metric → report cycle
 *     in this process opens no socket, resolves no name and calls no fetch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import dns from 'node:dns';
import dgram from 'node:dgram';
import http from 'node:http';
import https from 'node:https';
import { ROOT, OUT, ensureBuilt, read } from './built.js';
import { Database } from '../../electron/engine/db/database.js';
import { Engine } from '../../electron/engine/engine.js';
import { engineHandlers } from '../../electron/engine/host/handlers.js';
import { metricKeys } from '../../electron/engine/metrics/registry.js';

process.env['QUNXI_SEGMENT_THREAD'] = '0';

function files(dir: string, exts: RegExp): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...files(p, exts));
    else if (exts.test(p)) out.push(p);
  }
  return out;
}
const SOURCES = () => [...files(join(ROOT, 'electron'), /\.(ts|mts|mjs|js)$/), ...files(join(ROOT, 'renderer', 'src'), /\.(ts|tsx)$/), ...files(join(ROOT, 'shared'), /\.ts$/)];
const stripComments = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/** Network APIs and what they look like in source. */
const NETWORK_APIS: [string, RegExp][] = [
  ['fetch', /(?<![.\w])fetch\s*\(/],
  ['XMLHttpRequest', /\bXMLHttpRequest\b/],
  ['WebSocket client', /new\s+WebSocket\s*\(/],
  ['EventSource', /\bEventSource\b/],
  ['sendBeacon', /\bsendBeacon\b/],
  ['importScripts', /\bimportScripts\b/],
  ['electron net', /\bnet\.(request|fetch)\b|from ['"]electron['"][^;]*\bnet\b/],
  ['node network module', /from\s+['"](node:)?(http|https|http2|net|tls|dgram|dns)['"]|require\(\s*['"](node:)?(http|https|http2|net|tls|dgram|dns)['"]\s*\)/],
  ['undici', /['"]undici['"]/],
  ['ws', /from\s+['"]ws['"]/],
  ['updater / crash reporter', /\b(autoUpdater|crashReporter)\b/],
  ['open external URL', /\bopenExternal\b/],
  ['DuckDB extension install', /\b(INSTALL|LOAD)\s+\w+|\bautoinstall_known_extensions\s*:\s*['"]?true|\bautoload_known_extensions\s*:\s*['"]?true/],
];

/** file → API names allowed there, and why. */
const ALLOWED: Record<string, string[]> = {
  // The browser-mode server: node:http + ws, listening on 127.0.0.1 only (tested in web-server tests).
  'electron/web/server.ts': ['node network module', 'ws'],
  // The page's same-origin calls to that server: POST /upload (relative URL) and the /rpc socket on location.host.
  'renderer/src/api/client.ts': ['fetch'],
  'renderer/src/api/transport.ts': ['WebSocket client'],
};

/** Hosts a source may name: XML namespaces (not fetched) and loopback. */
const HOSTS_OK = /^(127\.0\.0\.1|localhost|\[::1\]|www\.w3\.org|schemas\.openxmlformats\.org|schemas\.microsoft\.com|purl\.org)$/;

describe('sources use the network only where allowed', () => {
  it('every network API use is on the allow-list', () => {
    const found: string[] = [];
    for (const f of SOURCES()) {
      const rel = relative(ROOT, f).replace(/\\/g, '/');
      const code = stripComments(readFileSync(f, 'utf8'));
      for (const [name, re] of NETWORK_APIS) if (re.test(code) && !(ALLOWED[rel] ?? []).includes(name)) found.push(`${rel}: ${name}`);
    }
    expect(found).toEqual([]);
  });

  it('the allowed uses stay same-origin', () => {
    const client = stripComments(readFileSync(join(ROOT, 'renderer/src/api/client.ts'), 'utf8'));
    const fetches = [...client.matchAll(/(?<![.\w])fetch\s*\(\s*([^,)]*)/g)].map((m) => m[1]!.trim());
    expect(fetches.length).toBeGreaterThan(0);
    for (const a of fetches) expect(a).toMatch(/^[`'"]\//); // a path on this origin
    const transport = stripComments(readFileSync(join(ROOT, 'renderer/src/api/transport.ts'), 'utf8'));
    expect(transport.match(/new\s+WebSocket\s*\(/g)).toHaveLength(1);
    expect(client).toMatch(/\$\{location\.host\}\/rpc/);
    const server = readFileSync(join(ROOT, 'electron/web/server.ts'), 'utf8');
    expect(server).toMatch(/listen\([^)]*'127\.0\.0\.1'/);
    expect(server).not.toMatch(/\b(request|get)\s*\(\s*['"`]https?:/);
  });

  it('no source names a remote host', () => {
    const found: string[] = [];
    for (const f of SOURCES()) {
      const code = stripComments(readFileSync(f, 'utf8'));
      for (const m of code.matchAll(/\b(?:https?|wss?|ftp):\/\/([^/'"`\s:)]+)/g)) {
        if (!HOSTS_OK.test(m[1]!) && !m[1]!.startsWith('${')) found.push(`${relative(ROOT, f)}: ${m[0]}`);
      }
    }
    expect(found).toEqual([]);
  });
});

describe('built bundles make no outside request', () => {
  beforeAll(() => ensureBuilt(), 20 * 60_000);

  it('main, engine, segmenter and preload bundles load no network module and call no network API', () => {
    const bundles = [...files(join(OUT, 'main'), /\.js$/), ...files(join(OUT, 'preload'), /\.c?js$/)];
    expect(bundles.length).toBeGreaterThanOrEqual(4);
    for (const b of bundles) {
      const code = read(b);
      for (const [name, re] of NETWORK_APIS) if (name !== 'DuckDB extension install') expect(re.test(code), `${relative(ROOT, b)}: ${name}`).toBe(false);
    }
  });

  it('the renderer bundle fetches no absolute URL and opens one WebSocket', () => {
    const assets = files(join(OUT, 'renderer', 'assets'), /\.js$/);
    expect(assets.length).toBeGreaterThan(0);
    let sockets = 0;
    let relative = 0;
    for (const a of assets) {
      const code = stripComments(read(a));
      // (Libraries have local functions named fetch, e.g. ECharts' fetch(seriesModel…): calls with
      // a literal URL are the ones that can reach a host.)
      expect(code, a).not.toMatch(/(?<![.\w$])fetch\s*\(\s*[`'"]\s*(https?:|wss?:|\/\/)/);
      relative += (code.match(/(?<![.\w$])fetch\s*\(\s*[`'"]\/(?!\/)/g) ?? []).length;
      sockets += (code.match(/new\s+WebSocket\s*\(/g) ?? []).length;
      for (const api of [/\bXMLHttpRequest\b/, /\bsendBeacon\b/, /\bnew\s+EventSource\b/, /\bimportScripts\s*\(/, /\bnew\s+Image\s*\(\s*\)\s*\.src\s*=\s*['"`]https?:/]) expect(api.test(code), `${a}: ${api}`).toBe(false);
    }
    expect(sockets).toBe(1);
    expect(relative).toBeGreaterThanOrEqual(1); // POST /upload
  });
});

describe('at run time', () => {
  it('DuckDB will not download or load extensions', async () => {
    const db = await Database.open(':memory:');
    try {
      const s = await db.all<{ name: string; value: string }>(
        `SELECT name, value FROM duckdb_settings() WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions') ORDER BY name`,
      );
      expect(s).toEqual([
        { name: 'autoinstall_known_extensions', value: 'false' },
        { name: 'autoload_known_extensions', value: 'false' },
      ]);
      // A remote read needs httpfs, which may not be fetched: it fails at once, without traffic
      // (the URL is loopback's discard port, so even a regression would stay on this machine).
      await expect(db.all(`SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')`)).rejects.toThrow();
    } finally {
      db.close();
    }
  });

  describe('import, every metric and the report open no connection', () => {
    const seen: string[] = [];
    const restore: (() => void)[] = [];
    let dir: string;
    const trap = <T extends object>(obj: T, key: keyof T & string, label: string) => {
      const orig = obj[key] as unknown as (...a: unknown[]) => unknown;
      (obj as Record<string, unknown>)[key] = function (this: unknown, ...a: unknown[]) {
        seen.push(`${label}(${String(a[0] && typeof a[0] === 'object' ? JSON.stringify(a[0]).slice(0, 60) : a[0])})`);
        return orig.apply(this, a);
      };
      restore.push(() => ((obj as Record<string, unknown>)[key] = orig));
    };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'qunxi-nonet-'));
      trap(net.Socket.prototype, 'connect', 'net.Socket.connect');
      trap(net, 'connect', 'net.connect');
      trap(net, 'createConnection', 'net.createConnection');
      trap(tls, 'connect', 'tls.connect');
      trap(dns, 'lookup', 'dns.lookup');
      trap(dns, 'resolve', 'dns.resolve');
      trap(dns.promises, 'lookup', 'dns.promises.lookup');
      trap(dgram, 'createSocket', 'dgram.createSocket');
      trap(http, 'request', 'http.request');
      trap(https, 'request', 'https.request');
      trap(globalThis as unknown as Record<string, unknown>, 'fetch' as never, 'fetch');
    });
    afterAll(() => {
      for (const r of restore) r();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the traps see a network call (self-check)', async () => {
      await new Promise((r) => dns.lookup('localhost', () => r(null)));
      expect(seen.some((s) => s.startsWith('dns.lookup(localhost'))).toBe(true);
      seen.length = 0;
    });

    it('runs the whole cycle with zero network calls', async () => {
      const chat = join(dir, 'WhatsApp Chat with Net.txt');
      const lines: string[] = [];
      for (let d = 1; d <= 28; d++) {
        for (const [i, who] of ['Ann', 'Bob', 'Cat', 'Dan'].entries()) lines.push(`${String(d).padStart(2, '0')}/02/2024, 1${i}:0${d % 10} - ${who}: 视频号 直播 复盘 https://example.com/p${d} @Ann 怎么做?`);
      }
      writeFileSync(chat, lines.join('\n') + '\n');
      const engine = await Engine.open(join(dir, 'db.duckdb'));
      try {
        const h = engineHandlers(engine, { version: 'test', demo: false });
        const ctx = { signal: new AbortController().signal, progress: () => undefined };
        const r = (await h.importFiles({ paths: [chat] }, ctx)) as { results: { messages: number }[] };
        expect(r.results[0]!.messages).toBe(112);
        for (const key of metricKeys()) await h.runMetric({ key, args: key === 'termMessages' ? { term: '直播' } : {} }, ctx);
        await h.messages({ search: 'example.com' }, ctx);
        const rep = (await h.report({}, ctx)) as { html: string };
        expect(rep.html).toContain('<svg');
      } finally {
        engine.close();
      }
      expect(seen).toEqual([]);
    }, 120_000);
  });
});
