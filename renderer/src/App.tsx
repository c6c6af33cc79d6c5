import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Filters } from '../../shared/filters';
import type { GroupInfo } from '../../shared/api';
import type { EngineClient } from './api/client';
import { I18nContext, makeT } from './i18n/use-i18n';
import type { Lang } from './i18n/strings';
import { AppContext, PAGES, type AppState, type MessageDrill, type PageKey } from './state/app-state';
import { ThemeContext, type Theme } from './state/theme';
import { FilterBar } from './components/FilterBar';
import { PAGE_COMPONENTS } from './features/pages';

const saved = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
  const v = localStorage.getItem(key);
  return (allowed as readonly string[]).includes(v ?? '') ? (v as T) : fallback;
};

export function App({ engine }: { engine: EngineClient }) {
  const [lang, setLangState] = useState<Lang>(() => saved('qunxi.lang', ['zh', 'en'] as const, 'zh'));
  const [theme, setThemeState] = useState<Theme>(() => saved('qunxi.theme', ['light', 'dark'] as const, 'light'));
  const [groups, setGroups] = useState<GroupInfo[]>([]);
  const [groupId, setGroupId] = useState<number | null>(null);
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState<PageKey>(() => (location.hash.match(/page=(\w+)/)?.[1] as PageKey) ?? 'overview');
  const [drill, setDrill] = useState<MessageDrill | null>(null);
  const [crashed, setCrashed] = useState(false);

  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    localStorage.setItem('qunxi.lang', l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    void window.qunxiDesktop?.setLanguage(l);
  }, []);
  const setTheme = useCallback((th: Theme) => {
    setThemeState(th);
    localStorage.setItem('qunxi.theme', th);
  }, []);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  useEffect(() => {
    window.qunxiDesktop?.onMenuLanguage((l) => setLangState(l));
    window.qunxiDesktop?.onEngineCrashed(() => setCrashed(true));
  }, []);

  const [dataVersion, setDataVersion] = useState(0);
  const refreshGroups = useCallback(async () => {
    const gs = await engine.call('listGroups', {});
    setGroups(gs);
    setDataVersion((v) => v + 1);
    setGroupId((cur) => (cur !== null && gs.some((g) => g.id === cur) ? cur : ([...gs].sort((a, b) => b.messages - a.messages)[0]?.id ?? null)));
  }, [engine]);
  useEffect(() => {
    void refreshGroups();
  }, [refreshGroups]);

  const go = useCallback((p: PageKey, d?: MessageDrill) => {
    setDrill(d ?? null);
    setPage(p);
  }, []);

  const i18n = useMemo(() => ({ lang, t: makeT(lang), setLang }), [lang, setLang]);
  const state: AppState = { engine, groups, refreshGroups, dataVersion, groupId, setGroupId, filters, setFilters, page, go, drill };
  const t = i18n.t;
  const Page = PAGE_COMPONENTS[page];

  return (
    <I18nContext.Provider value={i18n}>
      <ThemeContext.Provider value={{ theme, setTheme }}>
        <AppContext.Provider value={state}>
          <div className="app">
            <nav className="sidebar">
              <div className="brand">
                <span className="brand-mark">群析</span>
                <span className="brand-sub">{t('appTagline')}</span>
              </div>
              {PAGES.map((p) => (
                <button key={p} type="button" className={p === page ? 'nav active' : 'nav'} data-page={p} onClick={() => go(p)}>
                  {t(`nav.${p}`)}
                </button>
              ))}
              <div className="sidebar-foot">
                <button type="button" data-action="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('lang.switch')}</button>
                <button type="button" data-action="theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
                  {theme === 'dark' ? t('theme.light') : t('theme.dark')}
                </button>
              </div>
            </nav>
            <main className="content">
              {crashed && <div className="banner warn" role="alert">{t('engine.crashed')}</div>}
              {page !== 'library' && page !== 'compare' && <FilterBar />}
              <Shell page={page}>{Page ? <Page /> : null}</Shell>
            </main>
          </div>
        </AppContext.Provider>
      </ThemeContext.Provider>
    </I18nContext.Provider>
  );
}

function Shell({ page, children }: { page: PageKey; children: ReactNode }) {
  return (
    <section className="page" data-page-content={page}>
      {children}
    </section>
  );
}
