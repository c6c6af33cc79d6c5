import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MessageChannel, Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import type { PortLike, RpcMessage } from '../../shared/rpc.js';
import { startWebServer, type WebServer } from './server.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The user's data folder (XDG / macOS / Windows conventions), where databases live. */
export function userDataDir(): string {
  if (process.env['QUNXI_DATA_DIR']) return process.env['QUNXI_DATA_DIR'];
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Qunxi');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Qunxi');
  return join(process.env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'qunxi');
}

export interface BrowserMode {
  server: WebServer;
  dbPath: string;
  stop(): Promise<void>;
}

/** Starts the engine thread and the 127.0.0.1 server; each WebSocket gets its own port to the engine. */
export async function startBrowserMode(o: { dbPath?: string; port?: number; dataDir?: string; token?: string }): Promise<BrowserMode> {
  const dataDir = o.dataDir ?? userDataDir();
  // Run from TypeScript sources (npm run web, tests): the thread needs tsx's loader too.
  const fromSource = import.meta.url.endsWith('.ts');
  const worker = new Worker(new URL(fromSource ? './engine-thread-boot.mjs' : './engine-thread.js', import.meta.url), {
    workerData: { dbPath: o.dbPath, dataDir, version: process.env['npm_package_version'] ?? 'dev' },
  });
  const ready = await new Promise<{ dbPath: string }>((res, rej) => {
    worker.once('error', rej);
    worker.on('message', (m: { type: string; dbPath?: string; message?: string }) => {
      if (m.type === 'ready') res({ dbPath: m.dbPath! });
      if (m.type === 'fatal') rej(new Error(m.message));
    });
  });
  // The server relays each connection to the engine thread through a fresh MessageChannel.
  const attach = (conn: PortLike) => {
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ type: 'connect', port: port2 }, [port2]);
    port1.on('message', (m: RpcMessage) => conn.post(m));
    const stop = conn.listen((m) => port1.postMessage(m));
    return () => {
      stop();
      port1.close();
    };
  };
  const server = await startWebServer({
    staticDir: join(root, 'out', 'renderer'),
    uploadDir: join(dataDir, 'uploads'),
    attach,
    port: o.port,
    token: o.token,
  });
  return {
    server,
    dbPath: ready.dbPath,
    async stop() {
      await server.close();
      worker.postMessage({ type: 'close' });
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

function ensureBuilt(): void {
  if (existsSync(join(root, 'out', 'renderer', 'index.html'))) return;
  process.stderr.write('building the renderer (first run)…\n');
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
}

if (process.argv[1] && /web[\\/]main\.[cm]?[jt]s$/.test(process.argv[1])) {
  const { values } = parseArgs({ options: { db: { type: 'string' }, port: { type: 'string' }, 'no-build': { type: 'boolean' } } });
  if (!values['no-build']) ensureBuilt();
  startBrowserMode({ dbPath: values.db, port: values.port ? Number(values.port) : undefined }).then(
    (bm) => {
      process.stdout.write(`Qunxi browser mode — database ${bm.dbPath}\nOpen ${bm.server.url}\n`);
      const bye = () => void bm.stop().then(() => process.exit(0));
      process.on('SIGINT', bye);
      process.on('SIGTERM', bye);
    },
    (e: Error) => {
      process.stderr.write(`qunxi web: ${e.message}\n`);
      process.exit(1);
    },
  );
}
