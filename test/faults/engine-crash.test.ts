/**
 * Desktop engine crash, end to end without Electron: the real main-process code (startMain) with
 * a fake `electron` whose utilityProcess runs the REAL engine host (electron/worker/index.ts, via
 * utility-host.ts) in a child process. The engine is SIGKILLed in the middle of an import; main
 * must tell the UI, start a new engine and hand the renderer a new port, over which the library
 * answers with everything committed before the crash — and the interrupted import can be redone.
 * (test/electron/main/app.test.ts checks the same wiring with a fake engine.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMain, type ElectronModule } from '../../electron/main/app.js';
import { connect, type PortLike, type RpcMessage } from '../../shared/rpc.js';
import { FAULTS_DIR, REPO, sampleFiles } from './lib.js';

type Listener = (...a: any[]) => unknown;

const emitter = () => {
  const on = new Map<string, Listener[]>();
  return {
    on: (ev: string, cb: Listener) => void on.set(ev, [...(on.get(ev) ?? []), cb]),
    once: (ev: string, cb: Listener) => void on.set(ev, [...(on.get(ev) ?? []), cb]),
    emit: (ev: string, ...a: unknown[]) => (on.get(ev) ?? []).map((cb) => cb(...a)),
  };
};

/** One end of a fake MessageChannelMain: port1 goes to an engine child, port2 to the "renderer". */
class FakePort {
  static next = 0;
  id = `p${++FakePort.next}`;
  child: ChildProcess | null = null;
  listeners: ((m: unknown) => void)[] = [];
}

function fakeElectron() {
  const rec = { forks: [] as { cp: ChildProcess; ev: ReturnType<typeof emitter> }[], crashes: [] as unknown[], rendererPorts: [] as FakePort[] };
  let win: any = null;
  let destroyed = false;
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  class BrowserWindow {
    wc = {
      ...emitter(),
      setWindowOpenHandler: () => undefined,
      postMessage: (ch: string, _m: unknown, ports: FakePort[]) => {
        if (ch === 'engine-port') rec.rendererPorts.push(ports[0]!);
      },
      send: (ch: string, data: unknown) => {
        if (ch === 'engine-crashed') rec.crashes.push(data);
      },
    };
    ev = emitter();
    constructor() {
      win = this;
    }
    get webContents() {
      return this.wc;
    }
    once = (e: string, cb: Listener) => this.ev.once(e, cb);
    loadFile = async () => undefined;
    isDestroyed = () => destroyed;
    show = () => undefined;
  }
  const electron = {
    app: { whenReady: () => whenReady, on: () => undefined, getPath: () => join(tmpdir(), 'qunxi-crash-userdata'), quit: () => undefined },
    BrowserWindow,
    utilityProcess: {
      fork: (_path: string, args: string[]) => {
        const cp = fork(join(FAULTS_DIR, 'utility-host.ts'), args, {
          cwd: REPO,
          execArgv: ['--import', 'tsx'],
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        const ev = emitter();
        let byPort = new Map<string, FakePort>();
        cp.on('message', (m: { kind: string; port?: string; data: unknown }) => {
          if (m.kind === 'port') for (const l of byPort.get(m.port!)?.listeners ?? []) l(m.data);
        });
        cp.on('exit', (code, signal) => ev.emit('exit', code ?? (signal ? 128 + 9 : 0)));
        rec.forks.push({ cp, ev });
        return {
          ...ev,
          postMessage: (data: unknown, ports: FakePort[] = []) => {
            for (const p of ports) {
              p.child = cp;
              byPort = new Map([...byPort, [p.id, p]]);
            }
            cp.send({ kind: 'parent', data, port: ports[0]?.id });
          },
          kill: () => cp.kill(),
        };
      },
    },
    MessageChannelMain: class {
      port1 = new FakePort();
      port2: FakePort;
      constructor() {
        // Both ends share one id: the engine child relays port traffic by it.
        this.port2 = Object.assign(new FakePort(), { id: this.port1.id });
        this.port2.listeners = this.port1.listeners;
        Object.defineProperty(this.port2, 'child', { get: () => this.port1.child });
      }
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => undefined },
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    ipcMain: { handle: () => undefined },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => undefined,
        setPermissionCheckHandler: () => undefined,
        webRequest: { onHeadersReceived: () => undefined, onBeforeRequest: () => undefined },
      },
    },
    shell: {},
  };
  return {
    electron: electron as unknown as ElectronModule,
    rec,
    start: async () => {
      ready();
      await whenReady;
      await new Promise((r) => setTimeout(r, 0));
      win.wc.emit('did-finish-load');
    },
    /** Closes the window (no more restarts) and ends every engine child. */
    stop: () => {
      destroyed = true;
      for (const { cp } of rec.forks) if (cp.exitCode === null && cp.signalCode === null) cp.kill('SIGKILL');
    },
    /** The renderer's side of the latest engine port, as an RPC client. */
    client: () => {
      const p = rec.rendererPorts.at(-1)!;
      const port: PortLike = {
        post: (msg: RpcMessage) => p.child!.connected && p.child!.send({ kind: 'port', port: p.id, data: msg }),
        listen: (cb) => {
          p.listeners.push(cb);
          return () => p.listeners.splice(p.listeners.indexOf(cb), 1);
        },
      };
      return connect(port);
    },
  };
}

const work = mkdtempSync(join(tmpdir(), 'qunxi-crash-'));
let files: string[] = [];
beforeAll(async () => {
  files = await sampleFiles(join(work, 'data'), [
    { format: 'qq', seed: 'e1', messages: 2000 },
    { format: 'telegram', seed: 'e1', messages: 6000 },
  ]);
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('desktop: the engine process crashes', () => {
  it('main tells the UI and restarts it; the new engine reopens the library with everything committed', async () => {
    const db = join(work, 'library.duckdb');
    const f = fakeElectron();
    startMain(f.electron, { outDir: '/app/out', dbPath: db });
    await f.start();
    const ui1 = f.client();
    const first = (await ui1.call('importFiles', { paths: [files[0]!] })) as { results: { newMessages: number }[] };
    expect(first.results[0]!.newMessages).toBe(2000);

    // Crash in the middle of the next import, once it is parsing.
    const killed = new Promise<void>((r) => f.rec.forks[0]!.cp.once('exit', () => r()));
    const pending = ui1.call('importFiles', { paths: [files[1]!] }, {
      onProgress: (p) => {
        if ((p as { phase: string }).phase === 'parse') f.rec.forks[0]!.cp.kill('SIGKILL');
      },
    });
    await killed;
    // The renderer drops its calls on the dead port when told of the crash.
    ui1.close();
    await expect(pending).rejects.toMatchObject({ name: 'Disconnected' });

    expect(f.rec.crashes).toHaveLength(1);
    expect(f.rec.forks).toHaveLength(2);
    expect(f.rec.rendererPorts).toHaveLength(2);

    const ui2 = f.client();
    const sources = (await ui2.call('listSources', {})) as { path: string; messages: number }[];
    expect(sources.map((s) => [s.path, s.messages])).toEqual([[files[0], 2000]]);
    const groups = (await ui2.call('listGroups', {})) as { messages: number }[];
    expect(groups.map((g) => g.messages)).toEqual([2000]);
    const redo = (await ui2.call('importFiles', { paths: [files[1]!] })) as { results: { newMessages: number }[]; errors: unknown[] };
    expect(redo.errors).toEqual([]);
    expect(redo.results[0]!.newMessages).toBe(6000);
    ui2.close();
    f.stop();
  }, 60_000);

  // KNOWN BUG (reproducer; `it.fails` is green while it lasts): an engine that cannot start (here:
  // a damaged library file) posts {type:'fatal', message} and exits 1; main ignores 'fatal',
  // tells the UI only "engine crashed" ({code: 1}) and restarts it at once, which fails the same
  // way: a restart loop for as long as the window is open, and the user never learns why.
  it.fails('an engine that cannot start is not restarted blindly, and the UI is told why', async () => {
    const db = join(work, 'damaged.duckdb');
    writeFileSync(db, 'not a database'.repeat(500));
    const f = fakeElectron();
    startMain(f.electron, { outDir: '/app/out', dbPath: db });
    await f.start();
    await new Promise((r) => f.rec.forks[0]!.cp.once('exit', r));
    await new Promise((r) => setTimeout(r, 50));
    const forks = f.rec.forks.length;
    const told = f.rec.crashes[0];
    f.stop();
    expect(told).toMatchObject({ message: expect.stringMatching(/cannot open database/) });
    expect(forks).toBe(1);
  }, 30_000);
});
