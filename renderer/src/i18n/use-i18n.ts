import { createContext, useContext } from 'react';
import { STRINGS, type Lang, type StringKey } from './strings';

export interface I18n {
  lang: Lang;
  t(key: StringKey): string;
  setLang(l: Lang): void;
}

export const makeT = (lang: Lang) => (key: StringKey): string => STRINGS[lang][key] ?? key;

export const I18nContext = createContext<I18n>({ lang: 'zh', t: makeT('zh'), setLang: () => undefined });
export const useI18n = (): I18n => useContext(I18nContext);
