/**
 * Stand-in for Electron's utilityProcess around the real engine host (electron/worker/index.ts),
 * so the desktop crash path can be tested without Electron: `process.parentPort` and the
 * MessagePorts main hands over are relayed on Node's child-process IPC channel. Like Electron's
 * MessagePortMain, a port queues what arrives until it is started.
 *
 * Messages on the IPC channel: { kind: 'parent', data, port? } (parentPort traffic, `port` naming
 * a transferred port) and { kind: 'port', port, data } (traffic on that port).
 */
type Listener = (e: { data: unknown; ports: unknown[] }) => void;

interface Relayed {
  kind: 'parent' | 'port';
  data: unknown;
  port?: string;
}

const send = (m: Relayed) => process.send!(m);

class RelayPort {
  private listeners: ((e: { data: unknown }) => void)[] = [];
  private queue: unknown[] = [];
  private started = false;
  constructor(readonly id: string) {}
  on(_ev: 'message', cb: (e: { data: unknown }) => void) {
    this.listeners.push(cb);
  }
  off(_ev: 'message', cb: (e: { data: unknown }) => void) {
    this.listeners = this.listeners.filter((l) => l !== cb);
  }
  start() {
    this.started = true;
    for (const d of this.queue.splice(0)) this.deliver(d);
  }
  postMessage(data: unknown) {
    send({ kind: 'port', port: this.id, data });
  }
  deliver(data: unknown) {
    if (!this.started) this.queue.push(data);
    else for (const l of this.listeners) l({ data });
  }
}

const ports = new Map<string, RelayPort>();
const parentListeners: Listener[] = [];
const parentQueue: { data: unknown; ports: unknown[] }[] = [];

process.on('message', (m: Relayed) => {
  if (m.kind === 'port') {
    ports.get(m.port!)?.deliver(m.data);
    return;
  }
  const handed: RelayPort[] = [];
  if (m.port) {
    const p = new RelayPort(m.port);
    ports.set(m.port, p);
    handed.push(p);
  }
  const ev = { data: m.data, ports: handed };
  if (parentListeners.length === 0) parentQueue.push(ev);
  else for (const l of parentListeners) l(ev);
});

(process as unknown as { parentPort: unknown }).parentPort = {
  on(_ev: 'message', cb: Listener) {
    parentListeners.push(cb);
    for (const ev of parentQueue.splice(0)) cb(ev);
  },
  postMessage(data: unknown) {
    send({ kind: 'parent', data });
  },
};

export {};

await import('../../electron/worker/index.js');
