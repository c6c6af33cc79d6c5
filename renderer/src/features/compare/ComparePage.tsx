import { useEffect, useMemo, useState } from 'react';
import type { ActivitySeriesView, CompareView, RetentionView, StructureSummaryView } from '../../api/retention-types';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { useApp } from '../../state/app-state';
import { useMetric, type Loaded } from '../../state/use-metric';
import { CompareCharts, CompareSeries } from './CompareCharts';
import { CompareKpis } from './CompareKpis';
import '../retention/retention.css';
import './compare.css';

const MAX = 4;

/** Everything a comparison shows: one `compare` run per panel metric. */
export interface CompareData {
  activity: CompareView<ActivitySeriesView>;
  structure: CompareView<StructureSummaryView>;
  retention: CompareView<RetentionView>;
}

/** The three loads as one: the first error wins; data once all have arrived. */
function combine(s: { [K in keyof CompareData]: Loaded<CompareData[K]> }): Loaded<CompareData> {
  const parts = [s.activity, s.structure, s.retention];
  const error = parts.find((p) => p.error)?.error ?? null;
  const loading = parts.some((p) => p.loading);
  const { activity, structure, retention } = { activity: s.activity.data, structure: s.structure.data, retention: s.retention.data };
  return { error, loading, data: activity && structure && retention ? { activity, structure, retention } : null };
}

/** One compared group: its id and the label used on every chart (name · platform). */
export interface Side {
  groupId: number;
  label: string;
}

/**
 * Compare 2–4 groups side by side with the same panels and shared axes. Each panel runs the
 * `compare` metric, which runs one metric per group with the same filters.
 */
export function ComparePage() {
  const { groups, filters, setFilters } = useApp();
  const { t } = useI18n();
  const [picked, setPicked] = useState<number[]>([]);

  // Default: the two largest groups, preferring different names (the demo has the same group exported from several apps).
  useEffect(() => {
    if (picked.length > 0 || groups.length < 2) return;
    const bySize = [...groups].sort((a, b) => b.messages - a.messages);
    const first = bySize[0]!;
    const second = bySize.find((g) => g.id !== first.id && g.name !== first.name) ?? bySize[1]!;
    setPicked([first.id, second.id]);
  }, [groups, picked.length]);

  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : p.length >= MAX ? p : [...p, id]));
  const ids = useMemo(() => [...picked].sort((a, b) => a - b), [picked]);
  const ready = ids.length >= 2;
  const f = { ...filters, groups: ids };
  const activity = useMetric<CompareView<ActivitySeriesView>>('compare', f, { key: 'activity', args: { granularity: 'week', topMembers: 0 } }, ready);
  const structure = useMetric<CompareView<StructureSummaryView>>('compare', f, { key: 'structure', args: {} }, ready);
  const retention = useMetric<CompareView<RetentionView>>('compare', f, { key: 'retention', args: {} }, ready);

  const all = combine({ activity, structure, retention });

  return (
    <div className="rt-page" data-testid="compare-page">
      <h1>{t('compare.title')}</h1>
      <p className="muted rt-intro">{t('compare.intro')}</p>
      {groups.length === 0 ? (
        <div className="state empty">{t('rt.noGroup')}</div>
      ) : (
        <div className="cp-picker">
          <fieldset data-testid="compare-groups">
            <legend>{t('compare.pick')}</legend>
            {groups.map((g) => {
              const on = picked.includes(g.id);
              return (
                <label key={g.id} className={on ? 'cp-group on' : 'cp-group'}>
                  <input type="checkbox" checked={on} disabled={!on && picked.length >= MAX} onChange={() => toggle(g.id)} data-group={g.id} />
                  <span className="cp-gname">{g.name}</span>
                  <span className="muted"> · {g.platform} · {g.messages.toLocaleString()} {t('compare.msgs')}</span>
                </label>
              );
            })}
            <span className="muted cp-max">{t('compare.max')}</span>
          </fieldset>
          <div className="cp-dates">
            <span className="muted">{t('compare.dates')}</span>
            <label>
              {t('filters.from')}
              <input type="date" value={filters.from ?? ''} onChange={(e) => setFilters({ ...filters, from: e.target.value || undefined })} />
            </label>
            <label>
              {t('filters.to')}
              <input type="date" value={filters.to ?? ''} onChange={(e) => setFilters({ ...filters, to: e.target.value || undefined })} />
            </label>
          </div>
        </div>
      )}
      {groups.length > 0 && !ready && <div className="state empty">{t('compare.pickMore')}</div>}
      {ready && (
        <Load state={all}>
          {(d) => {
            // Sides come from the data itself, so a result still loading for a new selection never mislabels one.
            const sides: Side[] = d.activity.groups.map((g) => ({ groupId: g.groupId, label: `${g.name} · ${g.platform}` }));
            return (
            <>
              <CompareSeries sides={sides} activity={d.activity} />
              <h2>{t('compare.kpis')}</h2>
              <CompareKpis sides={sides} {...d} />
              <CompareCharts sides={sides} {...d} />
            </>
            );
          }}
        </Load>
      )}
    </div>
  );
}
