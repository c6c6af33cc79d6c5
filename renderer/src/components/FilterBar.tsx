import { useApp } from '../state/app-state';
import { useI18n } from '../i18n/use-i18n';
import { ReportButton } from './ReportButton';
import { TimelineBrush } from './TimelineBrush';

/** Global filters: the group, a date range and excluded members; every analysis page follows them. */
export function FilterBar() {
  const { groups, groupId, setGroupId, filters, setFilters } = useApp();
  const { t } = useI18n();
  const g = groups.find((x) => x.id === groupId);
  if (groups.length === 0) return <div className="banner">{t('filters.noGroup')}</div>;
  const min = g?.from?.slice(0, 10);
  const max = g?.to?.slice(0, 10);
  return (
    <div className="filterbar" role="toolbar">
      <label>
        {t('filters.group')}
        <select data-testid="group-select" value={groupId ?? ''} onChange={(e) => setGroupId(Number(e.target.value))}>
          {groups.map((x) => (
            <option key={x.id} value={x.id}>
              {plainText(x.name)} · {x.platform} · {x.messages.toLocaleString()}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('filters.from')}
        <input type="date" data-testid="filter-from" min={min} max={max} value={filters.from ?? ''} onChange={(e) => setFilters({ ...filters, from: e.target.value || undefined })} />
      </label>
      <label>
        {t('filters.to')}
        <input type="date" data-testid="filter-to" min={min} max={max} value={filters.to ?? ''} onChange={(e) => setFilters({ ...filters, to: e.target.value || undefined })} />
      </label>
      {(filters.from || filters.to || filters.exclude?.length || filters.members?.length) && (
        <button type="button" onClick={() => setFilters({})}>{t('filters.reset')}</button>
      )}
      {filters.exclude && filters.exclude.length > 0 && <span className="muted">{t('filters.exclude')}: {filters.exclude.length}</span>}
      <span style={{ marginLeft: 'auto' }} />
      <ReportButton />
      <TimelineBrush />
    </div>
  );
}

/** An <option> holds plain text only and cannot isolate bidi: drop direction controls so a name cannot reverse the text after it. */
const plainText = (s: string): string => s.replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, '');
