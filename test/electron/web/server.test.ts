import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { serveHandlers, startWebServer, type WebServer } from '../../../electron/web/server.js';

let srv: WebServer;
const dir = mkdtempSync(join(tmpdir(), 'qunxi-web-'));

function get(path: string, headers: Record<string, string> = {}, method = 'GET', body?: Buffer): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((res, rej) => {
    const r = request({ host: '127.0.0.1', port: srv.port, path, method, headers: { host: `127.0.0.1:${srv.port}`, ...headers } }, (resp) => {
      const chunks: Buffer[] = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => res({ status: resp.statusCode!, body: Buffer.concat(chunks).toString(), headers: resp.headers }));
    });
    r.on('error', rej);
    r.end(body);
  });
}

function ws(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((res, rej) => {
    const s = new WebSocket(url, { headers });
    s.once('open', () => res(s));
    s.once('error', rej);
    s.once('unexpected-response', (_r, resp) => rej(new Error(`status ${resp.statusCode}`)));
  });
}

beforeAll(async () => {
  mkdirSync(join(dir, 'static'));
  writeFileSync(join(dir, 'static', 'index.html'), '<h1>qunxi</h1>');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  srv = await startWebServer({ staticDir: join(dir, 'static'), uploadDir: join(dir, 'up'), attach: serveHandlers({ ping: async () => 'pong' }) });
});
afterAll(() => srv.close());

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only, with a random token in the URL fragment', () => {
    expect(srv.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(srv.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${srv.port}/#token=[A-Za-z0-9_-]{32}$`));
  });

  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toBe('<h1>qunxi</h1>');
    expect(String(r.headers['content-security-policy'])).toContain("default-src 'self'");
    expect((await get('/../secret.txt')).status).not.toBe(200);
    expect((await get('/%2e%2e/secret.txt')).body).not.toBe('outside');
    // An encoded slash survives URL parsing; the path check must still refuse it.
    expect((await get('/..%2fsecret.txt')).status).toBe(403);
    expect((await get('/nope.js')).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });

  it('needs the token, the right Origin and Host for the RPC socket', async () => {
    const base = `ws://127.0.0.1:${srv.port}/rpc`;
    await expect(ws(base)).rejects.toThrow('403');
    await expect(ws(`${base}?token=wrong`)).rejects.toThrow('403');
    await expect(ws(`${base}?token=${srv.token}`, { origin: 'http://evil.example' })).rejects.toThrow('403');
    const s = await ws(`${base}?token=${srv.token}`, { origin: `http://127.0.0.1:${srv.port}` });
    const reply = new Promise((res) => s.once('message', (d) => res(JSON.parse(String(d)))));
    s.send(JSON.stringify({ t: 'req', id: 1, method: 'ping', params: {} }));
    expect(await reply).toEqual({ t: 'res', id: 1, ok: true, result: 'pong' });
    s.close();
  });

  it('accepts uploads only with the token, under a sanitised name', async () => {
    expect((await get('/upload?name=a.txt', {}, 'POST', Buffer.from('x'))).status).toBe(401);
    const r = await get('/upload?name=../../evil.txt', { 'x-qunxi-token': srv.token }, 'POST', Buffer.from('hello'));
    expect(r.status).toBe(200);
    const { path, bytes } = JSON.parse(r.body);
    expect(bytes).toBe(5);
    expect(path.startsWith(join(dir, 'up'))).toBe(true);
    expect(path.endsWith('evil.txt')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('hello');
  });
});
