/** What the desktop preload exposes to the page as `window.qunxiDesktop`: named functions only. */
export interface DesktopApi {
  openFiles(): Promise<string[]>;
  setLanguage(lang: 'zh' | 'en'): Promise<void>;
  onFilesChosen(cb: (paths: string[]) => void): void;
  onEngineCrashed(cb: (info: { code: number }) => void): void;
  onMenuLanguage(cb: (lang: 'zh' | 'en') => void): void;
}
