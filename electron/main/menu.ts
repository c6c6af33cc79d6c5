import type { MenuItemConstructorOptions } from 'electron';

export type MenuLang = 'zh' | 'en';

const T = {
  zh: { file: '文件', open: '打开导出文件…', quit: '退出', view: '视图', reload: '重新加载', lang: '语言', help: '帮助', about: '关于群析' },
  en: { file: 'File', open: 'Open exports…', quit: 'Quit', view: 'View', reload: 'Reload', lang: 'Language', help: 'Help', about: 'About Qunxi' },
} as const;

/** Native menu in the chosen language; actions are callbacks so tests can check the wiring. */
export function buildMenuTemplate(
  lang: MenuLang,
  act: { open(): unknown; setLang(l: MenuLang): void; quit(): void },
): MenuItemConstructorOptions[] {
  const t = T[lang];
  return [
    {
      label: t.file,
      submenu: [
        { label: t.open, accelerator: 'CmdOrCtrl+O', click: () => void act.open() },
        { type: 'separator' },
        { label: t.quit, accelerator: 'CmdOrCtrl+Q', click: () => act.quit() },
      ],
    },
    {
      label: t.view,
      submenu: [
        { label: t.reload, role: 'reload' },
        { type: 'separator' },
        { label: t.lang, submenu: [
          { label: '简体中文', type: 'radio', checked: lang === 'zh', click: () => act.setLang('zh') },
          { label: 'English', type: 'radio', checked: lang === 'en', click: () => act.setLang('en') },
        ] },
      ],
    },
    { label: t.help, submenu: [{ label: t.about, role: 'about' }] },
  ];
}
