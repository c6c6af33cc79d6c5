import { describe, expect, it, vi } from 'vitest';
import { startMain, type ElectronModule } from '../../../electron/main/app.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security.js';
import { buildMenuTemplate } from '../../../electron/main/menu.js';
import { exposeDesktopApi } from '../../../electron/preload/bridge.js';

type Listener = (...a: any[]) => unknown;

/** A fake of the parts of `electron` main uses, recording what main does with them. */
function fakeElectron() {
  const rec = {
    windows: [] as any[],
    forks: [] as any[],
    channels: [] as any[],
    menus: [] as any[],
    ipcHandles: new Map<string, Listener>(),
    appEvents: new Map<string, Listener>(),
    permissionHandler: null as null | Listener,
    permissionCheck: null as null | Listener,
    beforeRequest: null as null | Listener,
    headersReceived: null as null | Listener,
  };
  const emitter = () => {
    const on = new Map<string, Listener[]>();
    return {
      on: vi.fn((ev: string, cb: Listener) => void on.set(ev, [...(on.get(ev) ?? []), cb])),
      once: vi.fn((ev: string, cb: Listener) => void on.set(ev, [...(on.get(ev) ?? []), cb])),
      emit: (ev: string, ...a: unknown[]) => (on.get(ev) ?? []).map((cb) => cb(...a)),
    };
  };
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  class BrowserWindow {
    wc = { ...emitter(), setWindowOpenHandler: vi.fn(), postMessage: vi.fn(), send: vi.fn() };
    ev = emitter();
    constructor(readonly opts: any) {
      rec.windows.push(this);
    }
    get webContents() {
      return this.wc;
    }
    once = (e: string, cb: Listener) => this.ev.once(e, cb);
    loadFile = vi.fn(async () => undefined);
    isDestroyed = () => false;
    show = vi.fn();
  }
  const electron = {
    app: {
      whenReady: () => whenReady,
      on: (ev: string, cb: Listener) => void rec.appEvents.set(ev, cb),
      getPath: () => '/tmp/userdata',
      quit: vi.fn(),
    },
    BrowserWindow,
    utilityProcess: {
      fork: vi.fn((path: string, args: string[], opts: unknown) => {
        const child = { path, args, opts, ...emitter(), postMessage: vi.fn(), kill: vi.fn() };
        rec.forks.push(child);
        return child;
      }),
    },
    MessageChannelMain: class {
      port1 = { name: 'port1' };
      port2 = { name: 'port2' };
      constructor() {
        rec.channels.push(this);
      }
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => rec.menus.push(m) },
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: false, filePaths: ['/x/chat.txt'] })) },
    ipcMain: { handle: (ch: string, fn: Listener) => void rec.ipcHandles.set(ch, fn) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => void (rec.permissionHandler = h),
        setPermissionCheckHandler: (h: Listener) => void (rec.permissionCheck = h),
        webRequest: {
          onHeadersReceived: (h: Listener) => void (rec.headersReceived = h),
          onBeforeRequest: (h: Listener) => void (rec.beforeRequest = h),
        },
      },
    },
    shell: {},
  };
  return { electron: electron as unknown as ElectronModule, rec, ready: async () => (ready(), await whenReady, await new Promise((r) => setTimeout(r, 0))) };
}

describe('electron main', () => {
  it('creates a sandboxed, isolated window that blocks navigation and new windows', async () => {
    const { electron, rec, ready } = fakeElectron();
    startMain(electron, { outDir: '/app/out' });
    await ready();
    const win = rec.windows[0];
    expect(win.opts.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(win.opts.webPreferences.preload).toBe('/app/out/preload/index.cjs');
    expect(win.wc.setWindowOpenHandler.mock.calls[0][0]()).toEqual({ action: 'deny' });
    const e = { preventDefault: vi.fn() };
    win.wc.emit('will-navigate', e);
    expect(e.preventDefault).toHaveBeenCalled();
    expect(win.loadFile).toHaveBeenCalledWith('/app/out/renderer/index.html');
  });

  it('denies permissions, sets the CSP and blocks every remote request', async () => {
    const { electron, rec, ready } = fakeElectron();
    startMain(electron, { outDir: '/app/out' });
    await ready();
    const cb = vi.fn();
    rec.permissionHandler!(null, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(rec.permissionCheck!()).toBe(false);
    const headers = vi.fn();
    rec.headersReceived!({ responseHeaders: {} }, headers);
    expect((headers.mock.calls[0] as any[])[0].responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    for (const [url, cancel] of [['https://example.com/x', true], ['http://127.0.0.1:9/', true], ['ws://x', true], ['file:///app/out/renderer/index.html', false]] as const) {
      const r = vi.fn();
      rec.beforeRequest!({ url }, r);
      expect(r).toHaveBeenCalledWith({ cancel });
    }
  });

  it('spawns the engine in a utility process and hands the renderer a MessagePort to it', async () => {
    const { electron, rec, ready } = fakeElectron();
    startMain(electron, { outDir: '/app/out', dbPath: '/data/my.duckdb' });
    await ready();
    const win = rec.windows[0];
    win.wc.emit('did-finish-load');
    const child = rec.forks[0];
    expect(child.path).toBe('/app/out/main/worker.js');
    expect(child.args).toEqual(['--data-dir=/tmp/userdata', '--db=/data/my.duckdb']);
    const ch = rec.channels[0];
    expect(child.postMessage).toHaveBeenCalledWith({ type: 'port' }, [ch.port1]);
    expect(win.wc.postMessage).toHaveBeenCalledWith('engine-port', null, [ch.port2]);
  });

  it('restarts a crashed engine and tells the UI', async () => {
    const { electron, rec, ready } = fakeElectron();
    startMain(electron, { outDir: '/app/out' });
    await ready();
    const win = rec.windows[0];
    win.wc.emit('did-finish-load');
    rec.forks[0].emit('exit', 9);
    expect(win.wc.send).toHaveBeenCalledWith('engine-crashed', { code: 9 });
    expect(rec.forks).toHaveLength(2);
    expect(win.wc.postMessage).toHaveBeenCalledTimes(2);
  });

  it('registers only the named IPC channels and validates their arguments', async () => {
    const { electron, rec, ready } = fakeElectron();
    startMain(electron, { outDir: '/app/out' });
    await ready();
    expect([...rec.ipcHandles.keys()].sort()).toEqual(['app:set-lang', 'dialog:open']);
    const before = rec.menus.length;
    await rec.ipcHandles.get('app:set-lang')!({}, 'fr');
    expect(rec.menus.length).toBe(before);
    await rec.ipcHandles.get('app:set-lang')!({}, 'en');
    expect(rec.menus.at(-1)[0].label).toBe('File');
  });
});

describe('menu', () => {
  it('speaks Chinese by default and English when switched', () => {
    const act = { open: vi.fn(), setLang: vi.fn(), quit: vi.fn() };
    expect(buildMenuTemplate('zh', act).map((m) => m.label)).toEqual(['文件', '视图', '帮助']);
    expect(buildMenuTemplate('en', act).map((m) => m.label)).toEqual(['File', 'View', 'Help']);
  });
});

describe('preload', () => {
  it('exposes named functions only and forwards the engine port to the page', async () => {
    let exposed: Record<string, unknown> = {};
    const listeners = new Map<string, Listener>();
    const invoke = vi.fn(async () => []);
    const post = vi.fn();
    exposeDesktopApi(
      { exposeInMainWorld: (k: string, v: unknown) => void (exposed = { [k]: v }) } as never,
      { invoke, on: (ch: string, cb: Listener) => (listeners.set(ch, cb), undefined as never) } as never,
      { postMessage: post },
    );
    const api = exposed['qunxiDesktop'] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['onEngineCrashed', 'onFilesChosen', 'onMenuLanguage', 'openFiles', 'pathForFile', 'setLanguage']);
    for (const v of Object.values(api)) expect(typeof v).toBe('function');
    expect(JSON.stringify(api)).not.toContain('ipcRenderer');
    await (api['openFiles'] as () => Promise<unknown>)();
    expect(invoke).toHaveBeenCalledWith('dialog:open');
    await (api['setLanguage'] as (l: string) => Promise<void>)('<script>');
    expect(invoke).toHaveBeenCalledTimes(1);
    listeners.get('engine-port')!({ ports: ['P'] });
    expect(post).toHaveBeenCalledWith('qunxi:engine-port', '*', ['P']);
  });

  it('gives dropped files their path through webUtils, and nothing when it fails', () => {
    let exposed: Record<string, any> = {};
    const bridge = { exposeInMainWorld: (_k: string, v: any) => void (exposed = v) } as never;
    const ipc = { invoke: vi.fn(), on: vi.fn() } as never;
    exposeDesktopApi(bridge, ipc, { postMessage: vi.fn() }, { getPathForFile: (f: never) => `/home/me/${String(f)}` });
    expect(exposed['pathForFile']('chat.txt')).toBe('/home/me/chat.txt');
    exposeDesktopApi(bridge, ipc, { postMessage: vi.fn() }, { getPathForFile: () => { throw new Error('not a File'); } });
    expect(exposed['pathForFile']({})).toBe('');
  });
});
