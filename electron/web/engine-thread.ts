/**
 * Browser mode's engine host: a worker thread that owns the database and serves the Engine API
 * on every MessagePort the server hands it (one per browser connection). The server's thread
 * only relays frames, so a long import never stalls HTTP or WebSocket traffic.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { engineHandlers } from '../engine/host/handlers.js';
import { openLibrary } from '../engine/host/library.js';
import { serve, type PortLike } from '../../shared/rpc.js';

interface Data {
  dbPath?: string;
  dataDir: string;
  version: string;
}

const nodePort = (p: MessagePort): PortLike => ({
  post: (msg, transfer) => p.postMessage(msg, transfer ?? []),
  listen(cb) {
    p.on('message', cb);
    return () => p.off('message', cb);
  },
});

async function main(): Promise<void> {
  const d = workerData as Data;
  const { engine, demo } = await openLibrary({ dbPath: d.dbPath, dataDir: d.dataDir });
  const handlers = engineHandlers(engine, { version: d.version, demo });
  parentPort!.on('message', (m: { type: string; port?: MessagePort }) => {
    if (m.type === 'connect' && m.port) serve(nodePort(m.port), handlers);
    if (m.type === 'close') {
      engine.close();
      process.exit(0);
    }
  });
  parentPort!.postMessage({ type: 'ready', dbPath: engine.db.path, demo });
}

main().catch((e: Error) => {
  parentPort!.postMessage({ type: 'fatal', message: e.message });
});
