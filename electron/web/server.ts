import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep, basename } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { serve, type Handler, type PortLike, type RpcMessage } from '../../shared/rpc.js';

/** Attach function that serves handlers in this thread (tests, small hosts). */
export const serveHandlers = (handlers: Record<string, Handler>) => (conn: PortLike) => serve(conn, handlers);

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export interface WebServerOptions {
  /** Built renderer (out/renderer). */
  staticDir: string;
  /** Where uploads are stored before import. */
  uploadDir: string;
  /** Serves one browser connection (a PortLike of RPC messages); returns a detach function. */
  attach: (conn: PortLike) => () => void;
  port?: number;
  token?: string;
  /** Largest accepted upload. */
  maxUploadBytes?: number;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * Browser mode: serves the renderer and the Engine API (RPC over WebSocket) on 127.0.0.1 only.
 * Every API request needs the session token; Host and Origin must name this server (DNS
 * rebinding); only the renderer's own files are served.
 */
export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(o.staticDir) + sep;
  const realStaticRoot = (await realpath(resolve(o.staticDir)).catch(() => resolve(o.staticDir))) + sep;
  await mkdir(o.uploadDir, { recursive: true });
  let port = 0;
  const hostOk = (h: string | undefined) => h === `127.0.0.1:${port}` || h === `localhost:${port}`;
  const originOk = (origin: string | undefined) => origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  const tokenOk = (t: string | null) => {
    if (!t) return false;
    const a = Buffer.from(t);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const deny = (res: ServerResponse, code: number, msg: string) => {
    res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(msg);
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (!hostOk(req.headers.host)) return deny(res, 421, 'bad host');
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname === '/upload') {
        if (req.method !== 'POST') return deny(res, 405, 'POST only');
        if (!originOk(req.headers.origin)) return deny(res, 403, 'bad origin');
        if (!tokenOk(req.headers['x-qunxi-token'] as string | undefined ?? null)) return deny(res, 401, 'token required');
        const name = basename(url.searchParams.get('name') ?? 'upload').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'upload';
        const dir = join(o.uploadDir, randomBytes(8).toString('hex'));
        await mkdir(dir, { recursive: true });
        const path = join(dir, name);
        const limit = o.maxUploadBytes ?? 8 * 1024 ** 3;
        let seen = 0;
        req.on('data', (c: Buffer) => {
          seen += c.length;
          if (seen > limit) req.destroy(new Error('upload too large'));
        });
        await pipeline(req, createWriteStream(path));
        res.writeHead(200, { 'Content-Type': 'application/json', ...SECURITY_HEADERS });
        return res.end(JSON.stringify({ path, bytes: seen }));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'method not allowed');
      let decoded: string;
      try {
        decoded = decodeURIComponent(url.pathname);
      } catch {
        return deny(res, 400, 'bad request');
      }
      const rel = url.pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
      const asked = normalize(join(staticRoot, rel));
      if (!asked.startsWith(staticRoot)) return deny(res, 403, 'forbidden');
      // A symbolic link inside the assets folder must not lead outside it.
      const file = await realpath(asked).catch(() => null);
      if (file === null) return deny(res, 404, 'not found');
      if (!file.startsWith(realStaticRoot)) return deny(res, 403, 'forbidden');
      const st = await stat(file).catch(() => null);
      if (!st?.isFile()) return deny(res, 404, 'not found');
      res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Length': st.size, ...SECURITY_HEADERS });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch (e) {
      if (!res.headersSent) deny(res, 500, (e as Error).message);
      else res.destroy();
    }
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 * 1024 * 1024,
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/rpc' || !hostOk(req.headers.host) || !originOk(req.headers.origin) || !tokenOk(url.searchParams.get('token'))) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const detach = o.attach(wsPort(ws));
      ws.on('close', detach);
    });
  });

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(o.port ?? 0, '127.0.0.1', () => res());
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((res) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => res());
        server.closeAllConnections();
      }),
  };
}

/** RPC messages as JSON text frames over a WebSocket. */
function wsPort(ws: WebSocket): PortLike {
  return {
    post: (msg: RpcMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    },
    listen(cb) {
      const h = (data: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        try {
          cb(JSON.parse(data.toString('utf8')));
        } catch {
          /* not JSON: ignored */
        }
      };
      ws.on('message', h);
      return () => ws.off('message', h);
    },
  };
}
