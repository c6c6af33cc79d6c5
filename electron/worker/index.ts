/**
 * Engine host inside Electron's utilityProcess. Receives a MessagePort from main (whose other end
 * is in the renderer) and serves the Engine API on it: data never flows through main.
 * Only Node APIs and process.parentPort here; the engine itself never imports 'electron'.
 */
import { Engine } from '../engine/engine.js';
import { engineHandlers } from '../engine/host/handlers.js';
import { openLibrary } from '../engine/host/library.js';
import { serve, type PortLike, type RpcMessage } from '../../shared/rpc.js';

interface PortMainLike {
  on(ev: 'message', cb: (e: { data: unknown }) => void): void;
  off?(ev: 'message', cb: (e: { data: unknown }) => void): void;
  postMessage(msg: unknown): void;
  start(): void;
}

interface ParentPort {
  on(ev: 'message', cb: (e: { data: unknown; ports: PortMainLike[] }) => void): void;
  postMessage(msg: unknown): void;
}

export function portMainAdapter(port: PortMainLike): PortLike {
  return {
    post: (msg: RpcMessage) => port.postMessage(msg),
    listen(cb) {
      const h = (e: { data: unknown }) => cb(e.data);
      port.on('message', h);
      port.start();
      return () => port.off?.('message', h);
    },
  };
}

async function start(): Promise<void> {
  const parent = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!parent) throw new Error('engine host must run inside an Electron utility process');
  const args = process.argv.slice(2);
  const dbArg = args.find((a) => a.startsWith('--db='))?.slice(5);
  const dataDir = args.find((a) => a.startsWith('--data-dir='))?.slice(11) ?? process.cwd();
  const { engine, demo } = await openLibrary({ dbPath: dbArg, dataDir });
  parent.on('message', (e) => {
    const port = e.ports[0];
    if (!port) return;
    serve(portMainAdapter(port), engineHandlers(engine, { version: process.env['QUNXI_VERSION'] ?? 'dev', demo }));
  });
  parent.postMessage({ type: 'ready', dbPath: engine.db.path });
  process.on('exit', () => engine.close());
}

void start().catch((e: Error) => {
  (process as unknown as { parentPort?: ParentPort }).parentPort?.postMessage({ type: 'fatal', message: e.message });
  process.exit(1);
});

export type { Engine };
