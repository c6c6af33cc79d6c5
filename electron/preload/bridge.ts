import type { ContextBridge, IpcRenderer } from 'electron';
import type { DesktopApi } from '../../shared/desktop.js';

export type { DesktopApi };

/** The page's window as seen from the preload (typed here: preload is built without DOM types). */
export interface PageWindow {
  postMessage(message: unknown, targetOrigin: string, transfer?: unknown[]): void;
}

/**
 * Exposes the desktop API and forwards the engine's MessagePort to the page with
 * window.postMessage (ports cannot cross contextBridge directly).
 */
export function exposeDesktopApi(
  bridge: Pick<ContextBridge, 'exposeInMainWorld'>,
  ipc: Pick<IpcRenderer, 'invoke' | 'on'>,
  win: PageWindow,
  paths: { getPathForFile(file: never): string } = { getPathForFile: () => '' },
): void {
  const api: DesktopApi = {
    openFiles: () => ipc.invoke('dialog:open') as Promise<string[]>,
    pathForFile: (file) => {
      try {
        return paths.getPathForFile(file as never) ?? '';
      } catch {
        return '';
      }
    },
    setLanguage: async (lang) => {
      if (lang === 'zh' || lang === 'en') await ipc.invoke('app:set-lang', lang);
    },
    onFilesChosen: (cb) => void ipc.on('files-chosen', (_e, paths: unknown) => Array.isArray(paths) && cb(paths.map(String))),
    onEngineCrashed: (cb) => void ipc.on('engine-crashed', (_e, info: unknown) => cb({ code: Number((info as { code?: unknown })?.code ?? -1) })),
    onMenuLanguage: (cb) => void ipc.on('menu-lang', (_e, l: unknown) => (l === 'zh' || l === 'en') && cb(l)),
  };
  bridge.exposeInMainWorld('qunxiDesktop', api);
  ipc.on('engine-port', (e) => {
    const ports = (e as unknown as { ports: unknown[] }).ports;
    win.postMessage('qunxi:engine-port', '*', ports);
  });
}
