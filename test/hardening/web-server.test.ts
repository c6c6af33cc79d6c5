/**
 * Browser mode's server (electron/web/server.ts), beyond test/electron/web/server.test.ts:
 * path traversal in every spelling (dot segments, percent-encoded, double-encoded, encoded
 * slashes and backslashes, overlong UTF-8, NUL), nothing served but the renderer's own files
 * (uploads are never readable over HTTP), every API route refused without the token or from a
 * foreign Origin/Host, and the security headers on every answer, errors included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { connect } from 'node:net';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { serveHandlers, startWebServer, type WebServer } from '../../electron/web/server.js';

let srv: WebServer;
const dir = mkdtempSync(join(tmpdir(), 'qunxi-web-hard-'));
const SECRET = 'TOP-SECRET-OUTSIDE';
const calls: string[] = [];

interface Resp {
  status: number;
  body: string;
  headers: Record<string, unknown>;
}

/** A request with the path sent exactly as given (no client-side normalising). */
function raw(path: string, o: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Resp> {
  return new Promise((res, rej) => {
    const r = request({ host: '127.0.0.1', port: srv.port, path, method: o.method ?? 'GET', headers: { host: `127.0.0.1:${srv.port}`, ...o.headers } }, (resp) => {
      const chunks: Buffer[] = [];
      resp.on('data', (c) => chunks.push(c));
      resp.on('end', () => res({ status: resp.statusCode!, body: Buffer.concat(chunks).toString(), headers: resp.headers }));
    });
    r.on('error', rej);
    r.end(o.body);
  });
}

/** The request line written by hand on a socket, for paths http.request would refuse to send. */
function rawLine(target: string): Promise<{ status: number; text: string }> {
  return new Promise((res, rej) => {
    const s = connect(srv.port, '127.0.0.1', () => s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`));
    let text = '';
    s.on('data', (d) => (text += d.toString('latin1')));
    s.on('end', () => res({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    s.on('error', rej);
  });
}

function upgrade(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((res) => {
    const s = new WebSocket(`ws://127.0.0.1:${srv.port}${path}`, { headers: { host: `127.0.0.1:${srv.port}`, ...headers } });
    s.once('open', () => (s.close(), res(101)));
    s.once('unexpected-response', (_r, resp) => res(resp.statusCode ?? 0));
    s.once('error', () => res(-1));
  });
}

beforeAll(async () => {
  // dir/secret.txt, dir/static/{index.html, assets/app.js}, dir/up (uploads).
  mkdirSync(join(dir, 'static', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'static', 'index.html'), '<h1>qunxi</h1>');
  // A symbolic link inside the assets folder that leads outside it.
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'static', 'assets', 'link.txt'));
  writeFileSync(join(dir, 'static', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'static-evil.txt'), SECRET); // shares the static folder's name as a prefix
  srv = await startWebServer({
    staticDir: join(dir, 'static'),
    uploadDir: join(dir, 'up'),
    attach: serveHandlers({ ping: async () => (calls.push('ping'), 'pong') }),
  });
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

const TRAVERSALS = [
  '/../secret.txt',
  '/../../secret.txt',
  '/assets/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/secret.txt',
  '/.%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/..%2fsecret.txt',
  '/assets%2f..%2f..%2fsecret.txt',
  '/..%5csecret.txt',
  '/..\\secret.txt',
  '/%5c..%5csecret.txt',
  '/%252e%252e/secret.txt',
  '/%252e%252e%252fsecret.txt',
  '/%c0%ae%c0%ae/secret.txt',
  '/%c0%af..%c0%afsecret.txt',
  '/..%00/secret.txt',
  '/index.html%00.js',
  '/%00',
  '/%',
  '/%zz',
  '//secret.txt',
  '/' + join(dir, 'secret.txt'),
  '/' + encodeURIComponent(join(dir, 'secret.txt')),
  '/../static-evil.txt',
  '/%2e%2e/static-evil.txt',
  '/..%2fstatic-evil.txt',
  '/....//secret.txt',
  '/.../secret.txt',
  '/%2e/%2e%2e/secret.txt',
];

describe('static files: nothing outside the renderer folder', () => {
  it.each(TRAVERSALS)('GET %s serves no outside file', async (p) => {
    const r = await raw(p);
    // '//x' is a scheme-relative URL (host x, path /): it may only ever yield the app's index.
    if (r.status === 200) expect(r.body).toBe('<h1>qunxi</h1>');
    expect(r.body).not.toContain(SECRET);
    // Errors say little: no file-system path of this machine.
    expect(r.body).not.toContain(dir);
    expect(r.headers['content-security-policy']).toBeTruthy();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['/../secret.txt', '/a/../../secret.txt', '/%2e%2e/secret.txt', 'http://127.0.0.1/../secret.txt', '/..%2f..%2f..%2f..%2fetc%2fpasswd', '/../../../../../../etc/passwd'])(
    'raw request line %s serves no outside file',
    async (target) => {
      const r = await rawLine(target);
      expect(r.status).not.toBe(200);
      expect(r.text).not.toContain(SECRET);
      expect(r.text).not.toMatch(/root:x:0:0/);
    },
  );

  it('a symbolic link inside the assets folder leading outside it is refused', async () => {
    const r = await raw('/assets/link.txt');
    expect(r.status).toBe(403);
    expect(r.body).not.toContain(SECRET);
  });

  it('a malformed percent-encoding is a 400, not a server error', async () => {
    expect((await raw('/%')).status).toBe(400);
    expect((await raw('/%zz')).status).toBe(400);
  });

  it('serves the renderer files themselves', async () => {
    expect((await raw('/')).body).toBe('<h1>qunxi</h1>');
    const js = await raw('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await raw('/assets/./app.js')).status).toBe(200);
    expect((await raw('/assets/%61pp.js')).status).toBe(200);
  });

  it('never serves an upload over HTTP (uploads are for the engine only)', async () => {
    const up = await raw('/upload?name=note.txt', { method: 'POST', headers: { 'x-qunxi-token': srv.token }, body: Buffer.from(SECRET) });
    expect(up.status).toBe(200);
    const path = JSON.parse(up.body).path as string;
    const rel = relative(join(dir, 'static'), path).replace(/\\/g, '/'); // ../up/<hex>/note.txt
    const fromUp = relative(join(dir, 'up'), path).replace(/\\/g, '/'); // <hex>/note.txt
    for (const p of [`/${rel}`, `/${encodeURI(rel).replace(/\.\./g, '%2e%2e')}`, `/up/${fromUp}`, `/${fromUp}`, `/upload/${fromUp}`, `/uploads/${fromUp}`]) {
      const r = await raw(p);
      expect(r.status, p).not.toBe(200);
      expect(r.body, p).not.toContain(SECRET);
    }
  });

  it('answers only GET and HEAD for files', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT_X']) {
      const r = await raw('/index.html', { method: method === 'CONNECT_X' ? 'PROPFIND' : method });
      expect(r.status, method).toBe(405);
    }
    const head = await raw('/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

describe('API routes refuse requests without the token, or from a foreign page', () => {
  const origin = () => `http://127.0.0.1:${srv.port}`;

  it('/upload: token header required (not query), right Origin and Host, POST only', async () => {
    const body = Buffer.from('x');
    expect((await raw('/upload?name=a.txt', { method: 'POST', body })).status).toBe(401);
    expect((await raw('/upload?name=a.txt', { method: 'POST', body, headers: { 'x-qunxi-token': 'wrong' } })).status).toBe(401);
    expect((await raw('/upload?name=a.txt', { method: 'POST', body, headers: { 'x-qunxi-token': srv.token.slice(0, -1) } })).status).toBe(401);
    expect((await raw('/upload?name=a.txt', { method: 'POST', body, headers: { 'x-qunxi-token': srv.token + 'x' } })).status).toBe(401);
    expect((await raw(`/upload?name=a.txt&token=${srv.token}`, { method: 'POST', body })).status).toBe(401);
    expect((await raw('/upload?name=a.txt', { method: 'POST', body, headers: { authorization: `Bearer ${srv.token}` } })).status).toBe(401);
    expect((await raw('/upload?name=a.txt', { method: 'POST', body, headers: { 'x-qunxi-token': srv.token, origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw('/upload?name=a.txt', { method: 'POST', body, headers: { 'x-qunxi-token': srv.token, origin: 'null' } })).status).toBe(403);
    expect((await raw('/upload?name=a.txt', { method: 'POST', body, headers: { 'x-qunxi-token': srv.token, host: 'evil.example' } })).status).toBe(421);
    expect((await raw('/upload?name=a.txt', { method: 'GET', headers: { 'x-qunxi-token': srv.token } })).status).toBe(405);
    expect((await raw('/upload?name=a.txt', { method: 'POST', body, headers: { 'x-qunxi-token': srv.token, origin: origin() } })).status).toBe(200);
  });

  it('/rpc socket: token, Origin and Host all required; no other path upgrades', async () => {
    expect(await upgrade('/rpc')).toBe(403);
    expect(await upgrade('/rpc?token=')).toBe(403);
    expect(await upgrade(`/rpc?token=${srv.token.slice(1)}`)).toBe(403);
    expect(await upgrade('/rpc', { 'x-qunxi-token': srv.token })).toBe(403);
    expect(await upgrade(`/rpc?token=${srv.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(`/rpc?token=${srv.token}`, { origin: `http://127.0.0.1:${srv.port + 1}` })).toBe(403);
    expect(await upgrade(`/rpc?token=${srv.token}`, { host: 'evil.example' })).toBe(403);
    for (const p of ['/', '/upload', '/rpc/', '/RPC', '/rpcx', '/index.html']) expect(await upgrade(`${p}?token=${srv.token}`, { origin: origin() }), p).toBe(403);
    expect(calls).toEqual([]);
    expect(await upgrade(`/rpc?token=${srv.token}`, { origin: origin() })).toBe(101);
  });

  it('a plain HTTP request to /rpc reaches no API', async () => {
    for (const method of ['GET', 'POST']) {
      const r = await raw(`/rpc?token=${srv.token}`, { method, body: method === 'POST' ? Buffer.from('{"t":"req","id":1,"method":"ping","params":{}}') : undefined });
      expect(r.status, method).not.toBe(200);
    }
    expect(calls).toEqual([]);
  });

  it('every answer carries the security headers, errors included', async () => {
    for (const r of [await raw('/'), await raw('/nope'), await raw('/upload', { method: 'POST' }), await raw('/', { method: 'PUT' }), await raw('/', { headers: { host: 'evil.example' } })]) {
      expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(r.headers['content-security-policy']).not.toMatch(/unsafe-eval|https?:/);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });
});
