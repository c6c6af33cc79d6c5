import type { ReactNode } from 'react';
import { useI18n } from '../i18n/use-i18n';
import type { Loaded } from '../state/use-metric';

/** Loading / error / empty states for anything loaded from the engine. */
export function Load<T>({ state, empty, children }: { state: Loaded<T>; empty?: (d: T) => boolean; children: (d: T) => ReactNode }) {
  const { t } = useI18n();
  if (state.error) return <div className="state error" role="alert">{t('common.error')}: {state.error}</div>;
  if (state.data === null) return <div className="state loading">{t('common.loading')}</div>;
  if (empty?.(state.data)) return <div className="state empty">{t('common.empty')}</div>;
  return <div className={state.loading ? 'stale' : undefined}>{children(state.data)}</div>;
}
