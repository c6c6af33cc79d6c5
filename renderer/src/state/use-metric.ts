import { useEffect, useState } from 'react';
import type { Filters } from '../../../shared/filters';
import { useApp } from './app-state';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * Runs a metric in the engine and re-runs it when the filters or args change; a stale request is
 * cancelled (the engine interrupts DuckDB), so the latest filter always wins.
 */
export function useMetric<T>(key: string, filters: Filters, args: Record<string, unknown> = {}, enabled = true): Loaded<T> {
  const { engine, dataVersion } = useApp();
  const [state, setState] = useState<Loaded<T>>({ data: null, error: null, loading: true });
  const dep = JSON.stringify([key, filters, args, enabled, dataVersion]);
  useEffect(() => {
    if (!enabled) return;
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    engine
      .call('runMetric', { key, filters, args }, { signal: ac.signal })
      .then((data) => !ac.signal.aborted && setState({ data: data as T, error: null, loading: false }))
      .catch((e: Error) => !ac.signal.aborted && setState({ data: null, error: e.message, loading: false }));
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dep]);
  return state;
}
