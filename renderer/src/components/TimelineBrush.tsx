import { useCallback, useMemo, useRef } from 'react';
import type * as echarts from 'echarts';
import { brushRange, timelineBrushOption } from '../../../shared/charts/options';
import { EChart } from '../charts/EChart';
import { useApp } from '../state/app-state';
import { useMetric } from '../state/use-metric';
import { useI18n } from '../i18n/use-i18n';

interface Daily {
  calendar: { day: string; messages: number }[];
}

/**
 * The date-range brush of the global filters: drag the window over the group's whole history and
 * every page follows. Its data ignore the date filter (the whole history is always shown).
 */
export function TimelineBrush() {
  const { groupId, filters, setFilters } = useApp();
  const { t } = useI18n();
  const state = useMetric<Daily>('activity', { groups: groupId === null ? [] : [groupId] }, { granularity: 'day', topMembers: 0 }, groupId !== null);
  const days = useMemo(() => state.data?.calendar ?? [], [state.data]);
  const labels = useMemo(() => days.map((d) => d.day), [days]);
  const option = useMemo(() => timelineBrushOption(days, { from: filters.from, to: filters.to }), [days, filters.from, filters.to]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(filters);
  latest.current = filters;
  const onZoom = useCallback(
    (chart: echarts.ECharts) => {
      const dz = (chart.getOption() as { dataZoom?: { startValue?: number; endValue?: number }[] }).dataZoom?.[0];
      if (!dz || dz.startValue === undefined || dz.endValue === undefined) return;
      const r = brushRange(labels, dz.startValue, dz.endValue);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => setFilters({ ...latest.current, from: r.from, to: r.to }), 300);
    },
    [labels, setFilters],
  );
  if (days.length < 2) return null;
  return (
    <div className="timeline-brush" title={t('filters.brush')}>
      <EChart bare option={option} title={t('filters.brush')} height={64} onZoom={onZoom} testId="timeline-brush" />
    </div>
  );
}
