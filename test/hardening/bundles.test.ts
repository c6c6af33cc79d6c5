/**
 * The Electron hardening as it SHIPS: the bundles in out/ (built here when missing or stale) and
 * the sources they come from. The bundle of main is run against a fake `electron` to see what it
 * really does; the sandboxed preload bundle is run with a fake `require`. Text checks use strings
 * that survive minification (property names, channel names, CSP directives).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLES, ROOT, cspProblems, ensureBuilt, read, rendererAssets } from './built.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security.js';

type Fn = (...a: any[]) => any;

/** What the fake electron saw main do. */
const rec = {
  windows: [] as { opts: any; handlers: Map<string, Fn[]>; openHandler: Fn | null; loaded: string | null }[],
  appEvents: new Map<string, Fn>(),
  ipcHandle: new Map<string, Fn>(),
  ipcOn: [] as string[],
  switches: [] as string[],
  permissionRequest: null as Fn | null,
  permissionCheck: null as Fn | null,
  headers: null as Fn | null,
  beforeRequest: null as Fn | null,
  menus: 0,
  sent: [] as unknown[][],
  dialogs: [] as unknown[],
  openExternal: [] as unknown[],
};

vi.mock('electron', () => {
  const handlerMap = () => new Map<string, Fn[]>();
  class BrowserWindow {
    entry: (typeof rec.windows)[number];
    webContents: any;
    constructor(opts: any) {
      this.entry = { opts, handlers: handlerMap(), openHandler: null, loaded: null };
      rec.windows.push(this.entry);
      const e = this.entry;
      this.webContents = {
        on: (ev: string, cb: Fn) => void e.handlers.set(ev, [...(e.handlers.get(ev) ?? []), cb]),
        once: (ev: string, cb: Fn) => void e.handlers.set(ev, [...(e.handlers.get(ev) ?? []), cb]),
        setWindowOpenHandler: (h: Fn) => void (e.openHandler = h),
        send: (...a: unknown[]) => void rec.sent.push(a),
        postMessage: () => undefined,
      };
    }
    once() {}
    on() {}
    show() {}
    isDestroyed() {
      return false;
    }
    async loadFile(p: string) {
      this.entry.loaded = p;
    }
    async loadURL(u: string) {
      this.entry.loaded = u;
    }
  }
  const app = {
    whenReady: () => Promise.resolve(),
    on: (ev: string, cb: Fn) => void rec.appEvents.set(ev, cb),
    getPath: () => '/tmp/qunxi-fake-userdata',
    quit: () => undefined,
    commandLine: { appendSwitch: (s: string) => void rec.switches.push(s) },
  };
  return {
    app,
    BrowserWindow,
    utilityProcess: { fork: () => ({ on() {}, postMessage() {}, kill() {} }) },
    MessageChannelMain: class {
      port1 = {};
      port2 = {};
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => void rec.menus++ },
    dialog: { showOpenDialog: async (...a: unknown[]) => (rec.dialogs.push(a), { canceled: true, filePaths: [] }) },
    ipcMain: {
      handle: (ch: string, fn: Fn) => void rec.ipcHandle.set(ch, fn),
      on: (ch: string) => void rec.ipcOn.push(ch),
      once: (ch: string) => void rec.ipcOn.push(ch),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Fn) => void (rec.permissionRequest = h),
        setPermissionCheckHandler: (h: Fn) => void (rec.permissionCheck = h),
        webRequest: { onHeadersReceived: (h: Fn) => void (rec.headers = h), onBeforeRequest: (h: Fn) => void (rec.beforeRequest = h) },
      },
    },
    shell: { openExternal: async (u: unknown) => void rec.openExternal.push(u) },
  };
});

const emit = (h: Map<string, Fn[]>, ev: string, ...a: unknown[]) => (h.get(ev) ?? []).map((cb) => cb(...a));
const src = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => ({ file: `${dir}/${f}`, text: readFileSync(join(ROOT, dir, f), 'utf8') }));

/** Settings that turn off a protection, as written in source or in a bundle (minified or not). */
const WEAKENING: [string, RegExp][] = [
  ['sandbox off', /\bsandbox\s*:\s*(false|!1|0)\b/],
  ['contextIsolation off', /\bcontextIsolation\s*:\s*(false|!1|0)\b/],
  ['nodeIntegration on', /\bnodeIntegration\s*:\s*(true|!0|1)\b/],
  ['nodeIntegrationInSubFrames on', /\bnodeIntegrationInSubFrames\s*:\s*(true|!0|1)\b/],
  ['nodeIntegrationInWorker on', /\bnodeIntegrationInWorker\s*:\s*(true|!0|1)\b/],
  ['webSecurity off', /\bwebSecurity\s*:\s*(false|!1|0)\b/],
  ['allowRunningInsecureContent on', /\ballowRunningInsecureContent\s*:\s*(true|!0|1)\b/],
  ['webviewTag on', /\bwebviewTag\s*:\s*(true|!0|1)\b/],
  ['enableRemoteModule on', /\benableRemoteModule\b/],
  ['web security disabled by switch', /disable-web-security|disable-site-isolation|ignore-certificate-errors|allow-file-access-from-files/],
];

beforeAll(async () => {
  ensureBuilt();
  // Importing the bundle runs main (index.js calls startMain at load) against the fake electron.
  await import(/* @vite-ignore */ pathToFileURL(BUNDLES.main).href);
  await new Promise((r) => setTimeout(r, 20));
}, 20 * 60_000);

describe('built main bundle (out/main/index.js), run against a fake electron', () => {
  it('opens exactly one window: sandboxed, context-isolated, no Node, web security on', () => {
    expect(rec.windows).toHaveLength(1);
    const wp = rec.windows[0]!.opts.webPreferences;
    expect(wp.sandbox).toBe(true);
    expect(wp.contextIsolation).toBe(true);
    expect(wp.nodeIntegration === false || wp.nodeIntegration === undefined).toBe(true);
    expect(wp.nodeIntegrationInSubFrames ?? false).toBe(false);
    expect(wp.nodeIntegrationInWorker ?? false).toBe(false);
    expect(wp.webSecurity === true || wp.webSecurity === undefined).toBe(true);
    expect(wp.allowRunningInsecureContent ?? false).toBe(false);
    expect(wp.webviewTag ?? false).toBe(false);
    expect(String(wp.preload)).toMatch(/[\\/]preload[\\/]index\.cjs$/);
    // The app's own page from disk, never a URL.
    expect(rec.windows[0]!.loaded).toMatch(/[\\/]renderer[\\/]index\.html$/);
    expect(rec.switches).toEqual([]);
  });

  it('blocks navigation and redirects, denies new windows and webviews, for every web contents', () => {
    const w = rec.windows[0]!;
    for (const ev of ['will-navigate', 'will-redirect']) {
      const e = { preventDefault: vi.fn() };
      emit(w.handlers, ev, e, 'https://evil.example/');
      expect(e.preventDefault, ev).toHaveBeenCalled();
    }
    expect(w.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    // Any other web contents (devtools, a future webview) gets the same handlers.
    const created = rec.appEvents.get('web-contents-created');
    expect(created).toBeTypeOf('function');
    const h = new Map<string, Fn[]>();
    let open: Fn | null = null;
    created!({}, { on: (ev: string, cb: Fn) => void h.set(ev, [...(h.get(ev) ?? []), cb]), setWindowOpenHandler: (f: Fn) => void (open = f) });
    expect(open!({ url: 'https://x' })).toEqual({ action: 'deny' });
    for (const ev of ['will-navigate', 'will-attach-webview']) {
      const e = { preventDefault: vi.fn() };
      emit(h, ev, e, {}, {});
      expect(e.preventDefault, ev).toHaveBeenCalled();
    }
  });

  it('denies every permission request and check', () => {
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      rec.permissionRequest!({}, perm, cb, {});
      expect(cb, perm).toHaveBeenCalledWith(false);
      expect(rec.permissionCheck!({}, perm, 'file://', {})).toBe(false);
    }
  });

  it('sets a strict CSP on every response and cancels every non-local request', () => {
    const cb = vi.fn();
    rec.headers!({ url: 'file:///x', responseHeaders: { 'Content-Security-Policy': ["default-src *"] } }, cb);
    const csp = cb.mock.calls[0]![0].responseHeaders['Content-Security-Policy'];
    expect(csp).toHaveLength(1);
    expect(cspProblems(csp[0])).toEqual([]);
    for (const [url, cancel] of [
      ['https://telemetry.example/collect', true], ['http://127.0.0.1:8080/', true], ['ws://127.0.0.1:1/', true], ['wss://x.example/', true],
      ['ftp://x/', true], ['file:///app/out/renderer/index.html', false], ['data:image/png;base64,AA==', false], ['blob:file:///1', false],
    ] as const) {
      const r = vi.fn();
      rec.beforeRequest!({ url }, r);
      expect(r, url).toHaveBeenCalledWith({ cancel });
    }
  });

  it('serves a fixed list of named IPC channels, each validating its arguments', async () => {
    expect([...rec.ipcHandle.keys()].sort()).toEqual(['app:set-lang', 'dialog:open']);
    expect(rec.ipcOn).toEqual([]);
    // app:set-lang accepts exactly 'zh' | 'en' (an enum check, as z.enum would): anything else changes nothing.
    const menus = rec.menus;
    for (const bad of ['fr', '', 'zh; rm -rf /', { toString: () => 'en' }, ['en'], null, undefined, 42, '__proto__']) {
      await rec.ipcHandle.get('app:set-lang')!({}, bad);
    }
    expect(rec.menus).toBe(menus);
    expect(rec.sent.filter((s) => s[0] === 'menu-lang')).toEqual([]);
    await rec.ipcHandle.get('app:set-lang')!({}, 'en');
    expect(rec.menus).toBe(menus + 1);
    expect(rec.sent).toContainEqual(['menu-lang', 'en']);
    // dialog:open takes no argument: whatever the page passes, the dialog's options are main's own.
    await rec.ipcHandle.get('dialog:open')!({}, { properties: ['openDirectory'], defaultPath: '/etc' });
    const opts = rec.dialogs.at(-1) as [unknown, { properties: string[]; defaultPath?: string }];
    expect(opts[1].properties).toEqual(['openFile', 'multiSelections']);
    expect(opts[1].defaultPath).toBeUndefined();
    expect(rec.openExternal).toEqual([]);
  });

  it('contains no setting or switch that weakens the sandbox (text check of the bundle)', () => {
    const text = read(BUNDLES.main);
    for (const [what, re] of WEAKENING) expect(re.test(text), what).toBe(false);
    expect(text).toMatch(/contextIsolation\s*:\s*(true|!0)/);
    expect(text).toMatch(/sandbox\s*:\s*(true|!0)/);
    expect(text).toContain("default-src 'self'");
    expect(text).toMatch(/will-navigate/);
    expect(text).toMatch(/action\s*:\s*["']deny["']/);
    expect(text).not.toMatch(/openExternal|loadURL\(/);
  });
});

describe('built preload bundle (out/preload/index.cjs), run with a fake require', () => {
  it('exposes only named functions through contextBridge: no ipcRenderer, no generic invoke', async () => {
    const code = read(BUNDLES.preload);
    const exposed: [string, any][] = [];
    const invoked: unknown[][] = [];
    const listened: string[] = [];
    const ipcRenderer = {
      invoke: vi.fn(async (...a: unknown[]) => (invoked.push(a), [])),
      on: (ch: string) => (listened.push(ch), ipcRenderer),
      send: vi.fn(),
      sendSync: vi.fn(),
      postMessage: vi.fn(),
    };
    const electron = { contextBridge: { exposeInMainWorld: (k: string, v: unknown) => void exposed.push([k, v]) }, ipcRenderer, webUtils: { getPathForFile: () => '/p' } };
    const requireFake = (id: string) => {
      if (id === 'electron') return electron;
      throw new Error(`the sandboxed preload may only require electron, not ${id}`);
    };
    const mod = { exports: {} };
    new Function('require', 'module', 'exports', 'globalThis', code)(requireFake, mod, mod.exports, { postMessage: () => undefined });

    expect(exposed.map(([k]) => k)).toEqual(['qunxiDesktop']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['onEngineCrashed', 'onFilesChosen', 'onMenuLanguage', 'openFiles', 'pathForFile', 'setLanguage']);
    for (const [k, v] of Object.entries(api)) {
      expect(typeof v, k).toBe('function');
      expect(v === ipcRenderer.invoke || v === ipcRenderer.on || v === ipcRenderer.send, k).toBe(false);
    }
    // Calling everything with hostile arguments reaches only the fixed channels, with checked values.
    const hostile = ['dialog:open', 'app:set-lang', '../../etc/passwd', { channel: 'x' }, () => 1];
    for (const [k, f] of Object.entries(api) as [string, Fn][]) for (const h of hostile) await f(h, h, h);
    await (api['setLanguage'] as Fn)('en');
    expect(new Set(invoked.map((a) => a[0]))).toEqual(new Set(['dialog:open', 'app:set-lang']));
    expect(invoked.filter((a) => a[0] === 'app:set-lang')).toEqual([['app:set-lang', 'en']]);
    expect(invoked.filter((a) => a[0] === 'dialog:open').every((a) => a.length === 1)).toBe(true);
    expect(ipcRenderer.send).not.toHaveBeenCalled();
    expect(ipcRenderer.sendSync).not.toHaveBeenCalled();
    expect(new Set(listened)).toEqual(new Set(['files-chosen', 'engine-crashed', 'menu-lang', 'engine-port']));
  });

  it('every invoke/on names its channel with a string literal (text check of bundle and source)', () => {
    for (const [name, text] of [['bundle', read(BUNDLES.preload)], ...src('electron/preload').map((s) => [s.file, s.text])] as [string, string][]) {
      const calls = [...text.matchAll(/\.(invoke|send|sendSync|on|once)\(\s*([^,)]*)/g)];
      for (const c of calls) expect(c[2], `${name}: ${c[0]}`).toMatch(/^["'][\w:-]+["']$/);
      expect(text, name).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    }
  });
});

describe('sources of main and preload', () => {
  it('name every ipcMain channel with a literal and weaken nothing', () => {
    const main = src('electron/main');
    const channels = main.flatMap((s) => [...s.text.matchAll(/ipcMain\.(handle|on|once|handleOnce)\(\s*([^,]+),/g)].map((m) => [m[1], m[2]!.trim()]));
    expect(channels.map(([, c]) => c).sort()).toEqual(["'app:set-lang'", "'dialog:open'"]);
    expect(channels.every(([k]) => k === 'handle')).toBe(true);
    for (const s of [...main, ...src('electron/preload')]) {
      const code = s.text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const [what, re] of WEAKENING) expect(re.test(code), `${s.file}: ${what}`).toBe(false);
    }
  });

  it('main CSP constant is strict', () => {
    expect(cspProblems(CONTENT_SECURITY_POLICY)).toEqual([]);
  });
});

describe('built renderer page (out/renderer/index.html)', () => {
  it('carries a strict CSP meta: self only, no eval, no inline script, no remote origin', () => {
    const html = read(BUNDLES.html);
    const metas = [...html.matchAll(/<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(?:"([^"]*)"|'([^']*)')/gi)];
    expect(metas).toHaveLength(1);
    // Browser mode talks to its own 127.0.0.1 server over WebSocket; loopback only.
    expect(cspProblems(metas[0]![1] ?? metas[0]![2]!, { 'connect-src': ['ws://127.0.0.1:*'] })).toEqual([]);
  });

  it('loads only its own relative assets and has no inline script', () => {
    const html = read(BUNDLES.html);
    for (const m of html.matchAll(/\s(?:src|href)=["']([^"']+)["']/g)) expect(m[1], m[0]).toMatch(/^\.\/assets\/[\w.-]+\.(js|css)$/);
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/\bsrc=/);
      expect(m[2]!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\bon[a-z]+\s*=/i);
  });

  it('renderer bundle reaches no remote origin (no http(s) URL used as a resource)', () => {
    const assets = rendererAssets();
    expect(assets.length).toBeGreaterThan(0);
    for (const a of assets) {
      const text = read(a);
      // fetch/WebSocket/import/url() of an absolute remote URL.
      expect(text, a).not.toMatch(/(fetch|new WebSocket|new EventSource|importScripts|sendBeacon)\(\s*["'`](https?|wss?):\/\//);
      expect(text, a).not.toMatch(/url\(\s*["']?https?:\/\//);
      expect(text, a).not.toMatch(/@import\s+["']?(url\()?\s*["']?https?:/);
    }
  });
});

describe('the checks themselves catch regressions', () => {
  it('flag weak CSPs', () => {
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; base-uri 'none'")).toEqual(["script-src allows 'self' 'unsafe-eval'", "script-src allows 'unsafe-eval'"]);
    expect(cspProblems("default-src 'self'; img-src https://cdn.example; object-src 'none'; base-uri 'none'")).toEqual(['img-src allows the origin https://cdn.example']);
    expect(cspProblems("default-src *; object-src 'none'; base-uri 'none'")).toContain('default-src is *');
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'").length).toBeGreaterThan(0);
    expect(cspProblems("default-src 'self'; connect-src ws://127.0.0.1:*; object-src 'none'; base-uri 'none'")).toEqual(['connect-src allows the origin ws://127.0.0.1:*']);
    expect(cspProblems("default-src 'self'")).toEqual(['object-src is not none', 'base-uri is not restricted']);
  });

  it('flag weakened webPreferences as written by hand or by a minifier', () => {
    const hits = (s: string) => WEAKENING.filter(([, re]) => re.test(s)).map(([w]) => w);
    expect(hits('webPreferences:{sandbox:!1,contextIsolation:!1,nodeIntegration:!0,webSecurity:!1}')).toEqual(['sandbox off', 'contextIsolation off', 'nodeIntegration on', 'webSecurity off']);
    expect(hits("app.commandLine.appendSwitch('disable-web-security')")).toEqual(['web security disabled by switch']);
    expect(hits('sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true')).toEqual([]);
  });
});
