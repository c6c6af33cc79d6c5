/** What the desktop preload exposes to the page as `window.qunxiDesktop`: named functions only. */
export interface DesktopApi {
  openFiles(): Promise<string[]>;
  /** The file-system path of a file dropped on the page (Electron's webUtils; '' when it has none). */
  pathForFile(file: unknown): string;
  setLanguage(lang: 'zh' | 'en'): Promise<void>;
  onFilesChosen(cb: (paths: string[]) => void): void;
  onEngineCrashed(cb: (info: { code: number }) => void): void;
  onMenuLanguage(cb: (lang: 'zh' | 'en') => void): void;
}
