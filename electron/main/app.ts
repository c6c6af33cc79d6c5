import type * as Electron from 'electron';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, WEB_PREFERENCES } from './security.js';
import { buildMenuTemplate, type MenuLang } from './menu.js';

/** The parts of the `electron` module main uses; injected so tests can pass a fake. */
export type ElectronModule = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'utilityProcess' | 'MessageChannelMain' | 'Menu' | 'dialog' | 'ipcMain' | 'session' | 'shell'>;

export interface MainOptions {
  /** Folder holding out/ (main, preload, worker, renderer). */
  outDir: string;
  dbPath?: string;
  lang?: MenuLang;
}

/**
 * Desktop main process: a sandboxed window, native menus, file dialogs, and the engine in a
 * utilityProcess wired to the renderer by a MessagePort. Main never touches the data.
 */
export function startMain(electron: ElectronModule, o: MainOptions): void {
  const { app, BrowserWindow, utilityProcess, MessageChannelMain, Menu, dialog, ipcMain, session } = electron;
  let win: Electron.BrowserWindow | null = null;
  let engine: Electron.UtilityProcess | null = null;
  let lang: MenuLang = o.lang ?? 'zh';

  const spawnEngine = (): Electron.UtilityProcess => {
    const args = [`--data-dir=${app.getPath('userData')}`];
    if (o.dbPath) args.push(`--db=${o.dbPath}`);
    const child = utilityProcess.fork(join(o.outDir, 'main', 'worker.js'), args, { serviceName: 'qunxi-engine', stdio: 'inherit' });
    child.on('exit', (code) => {
      if (engine !== child) return;
      engine = null;
      // The engine crashed: tell the UI, start a new one, hand it a new port. Imports are atomic
      // per file, so what was stored before the crash is still there.
      win?.webContents.send('engine-crashed', { code });
      if (win && !win.isDestroyed()) connectEngine();
    });
    return child;
  };

  const connectEngine = (): void => {
    engine = spawnEngine();
    const { port1, port2 } = new MessageChannelMain();
    engine.postMessage({ type: 'port' }, [port1]);
    win?.webContents.postMessage('engine-port', null, [port2]);
  };

  const createWindow = (): void => {
    win = new BrowserWindow({
      width: 1400,
      height: 900,
      minWidth: 1000,
      minHeight: 640,
      show: false,
      title: '群析 Qunxi',
      webPreferences: { ...WEB_PREFERENCES, preload: join(o.outDir, 'preload', 'index.cjs') },
    });
    const wc = win.webContents;
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-navigate', (e) => e.preventDefault());
    wc.on('will-redirect', (e) => e.preventDefault());
    wc.on('did-finish-load', () => connectEngine());
    win.once('ready-to-show', () => win?.show());
    void win.loadFile(join(o.outDir, 'renderer', 'index.html'));
  };

  const setMenu = (): void => {
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(lang, { open: openFiles, setLang, quit: () => app.quit() })));
  };
  const setLang = (l: MenuLang): void => {
    lang = l;
    setMenu();
    win?.webContents.send('menu-lang', l);
  };
  const openFiles = async (): Promise<string[]> => {
    if (!win) return [];
    const r = await dialog.showOpenDialog(win, {
      properties: ['openFile', 'multiSelections'],
      filters: [{ name: lang === 'zh' ? '聊天记录导出' : 'Chat exports', extensions: ['txt', 'json', 'csv', 'zip'] }],
    });
    if (!r.canceled && r.filePaths.length) win.webContents.send('files-chosen', r.filePaths);
    return r.canceled ? [] : r.filePaths;
  };

  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
      cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    });
    // Only file:// app content is ever loaded; anything else (http, https, ws) is blocked.
    session.defaultSession.webRequest.onBeforeRequest((details, cb) => cb({ cancel: !/^(file|devtools|data|blob):/.test(details.url) }));
    ipcMain.handle('dialog:open', () => openFiles());
    ipcMain.handle('app:set-lang', (_e, l: unknown) => {
      if (l === 'zh' || l === 'en') setLang(l);
    });
    setMenu();
    createWindow();
  });
  app.on('window-all-closed', () => {
    engine?.kill();
    app.quit();
  });
}
