import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MemberRowView, MembersView } from '../../api/retention-types';
import { Load } from '../../components/States';
import { download, safeFileName, toCsv } from '../../export/csv';
import { toXlsx } from '../../export/xlsx';
import { useI18n } from '../../i18n/use-i18n';
import type { StringKey } from '../../i18n/strings';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';
import { Kpi, day, num, useSort, type SortState } from '../retention/table';
import { CheckInsSection } from './CheckInsSection';
import { MonthlyTop } from './MonthlyTop';
import { IdentityLog, useIdentities } from './Identities';
import '../retention/retention.css';
import './members.css';

type Show = 'all' | 'active' | 'silent';
type Col = 'name' | 'other' | 'messages' | 'chars' | 'days' | 'first' | 'last' | 'joined' | 'left' | 'silent';

const COLS: Array<{ k: Col; label: StringKey; num?: boolean }> = [
  { k: 'name', label: 'members.col.name' },
  { k: 'other', label: 'members.col.otherNames' },
  { k: 'messages', label: 'members.col.messages', num: true },
  { k: 'chars', label: 'members.col.chars', num: true },
  { k: 'days', label: 'members.col.activeDays', num: true },
  { k: 'first', label: 'members.col.first' },
  { k: 'last', label: 'members.col.last' },
  { k: 'joined', label: 'members.col.joined' },
  { k: 'left', label: 'members.col.left' },
  { k: 'silent', label: 'members.col.silent' },
];

/** Names other than the current one, oldest first. */
const otherNames = (m: MemberRowView): string[] => [...new Set(m.names.map((n) => n.name).filter((n) => n !== m.name))];

/**
 * Every known member (silent ones included) in a sortable, searchable, virtualised table with
 * CSV/XLSX export and a per-member "exclude from analysis"; then the monthly top 3 and check-ins.
 */
export function MembersPage() {
  const { filters, groupId } = useApp();
  const { t } = useI18n();
  const f = filtersFor(filters, groupId);
  const res = useMetric<MembersView>('members', f, {}, groupId !== null);
  const ids = useIdentities();
  return (
    <div className="rt-page" data-testid="members-page">
      <h1>{t('members.title')}</h1>
      <p className="muted rt-intro">{t('members.intro')}</p>
      {groupId === null ? (
        <div className="state empty">{t('rt.noGroup')}</div>
      ) : (
        <>
          <Excluded />
          <Load state={res}>
            {(r) => (
              <>
                <MemberTable rows={r.members} ids={ids} />
                <IdentityLog ids={ids} />
                <MonthlyTop months={r.monthlyTop} />
                <CheckInsSection r={r} />
              </>
            )}
          </Load>
        </>
      )}
    </div>
  );
}

/** The members left out of every analysis, each with a way back. */
function Excluded() {
  const { filters, setFilters, groupId } = useApp();
  const { t } = useI18n();
  const ex = filters.exclude ?? [];
  // Names of the excluded members, over all time (they may not be known in the period).
  const names = useMetric<MembersView>('members', { groups: filtersFor(filters, groupId).groups, members: ex }, { topPerMonth: 1 }, ex.length > 0);
  if (ex.length === 0) return null;
  const restore = (id: number | null) => {
    const next = id === null ? [] : ex.filter((x) => x !== id);
    setFilters({ ...filters, exclude: next.length > 0 ? next : undefined });
  };
  const byId = new Map((names.data?.members ?? []).map((m) => [m.memberId, m.name]));
  return (
    <div className="banner mb-excluded" data-testid="excluded">
      <strong>{t('members.excluded')}:</strong>
      {ex.map((id) => (
        <span key={id} className="mb-chip">
          {byId.get(id) ?? `#${id}`}
          <button type="button" title={t('members.restore')} aria-label={t('members.restore')} onClick={() => restore(id)}>×</button>
        </span>
      ))}
      <button type="button" className="rt-small" onClick={() => restore(null)}>{t('members.restoreAll')}</button>
    </div>
  );
}

function MemberTable({ rows, ids }: { rows: MemberRowView[]; ids: ReturnType<typeof useIdentities> }) {
  const { filters, setFilters, go } = useApp();
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  // Members ticked for "merge into one person"; the first ticked stands for the others.
  const [picked, setPicked] = useState<number[]>([]);
  const pick = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const mergePicked = async () => {
    await ids.merge(picked);
    setPicked([]);
  };
  const [show, setShow] = useState<Show>('all');
  const parent = useRef<HTMLDivElement>(null);

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    return rows.filter((m) => {
      if (show === 'active' && m.isSilent) return false;
      if (show === 'silent' && !m.isSilent) return false;
      if (!q) return true;
      return m.name.toLowerCase().includes(q) || m.names.some((n) => n.name.toLowerCase().includes(q)) || (m.platformId ?? '').toLowerCase().includes(q);
    });
  }, [rows, query, show]);
  const { sorted, sort, toggle } = useSort(
    filtered,
    {
      name: (m) => m.name,
      other: (m) => otherNames(m).join(' / ') || null,
      messages: (m) => m.messages,
      chars: (m) => m.chars,
      days: (m) => m.activeDays,
      first: (m) => m.firstMessage,
      last: (m) => m.lastMessage,
      joined: (m) => m.joinedAt,
      left: (m) => m.leftAt,
      silent: (m) => m.isSilent,
    },
    { key: 'messages', dir: 'desc' },
  );
  const virt = useVirtualizer({ count: sorted.length, getScrollElement: () => parent.current, estimateSize: () => 36, overscan: 16 });

  const silent = rows.filter((m) => m.isSilent).length;
  const renamed = rows.filter((m) => otherNames(m).length > 0).length;
  const left = rows.filter((m) => m.leftAt !== null).length;
  const exclude = (m: MemberRowView) => setFilters({ ...filters, exclude: [...new Set([...(filters.exclude ?? []), m.memberId])] });

  const exportAs = (kind: 'csv' | 'xlsx') => {
    const header = [...COLS.map((c) => t(c.label)), t('members.col.platformId'), t('members.col.id')];
    const data = sorted.map((m) => [
      m.name, otherNames(m).join('; '), m.messages, m.chars, m.activeDays, m.firstMessage, m.lastMessage, m.joinedAt, m.leftAt,
      m.isSilent ? t('rt.yes') : t('rt.no'), m.platformId, m.memberId,
    ]);
    const name = safeFileName(`members-${new Date().toISOString().slice(0, 10)}`);
    if (kind === 'csv') download(`${name}.csv`, new Blob([toCsv(header, data)], { type: 'text/csv;charset=utf-8' }));
    else download(`${name}.xlsx`, new Blob([toXlsx('members', header, data) as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  };

  return (
    <>
      <div className="cards" data-testid="members-kpis">
        <Kpi label={t('members.kpi.known')} value={num(rows.length)} />
        <Kpi label={t('members.kpi.active')} value={num(rows.length - silent)} sub={rows.length ? `${((100 * (rows.length - silent)) / rows.length).toFixed(1)}%` : undefined} />
        <Kpi label={t('members.kpi.silent')} value={num(silent)} sub={rows.length ? `${((100 * silent) / rows.length).toFixed(1)}%` : undefined} />
        <Kpi label={t('members.kpi.renamed')} value={num(renamed)} />
        <Kpi label={t('members.kpi.left')} value={num(left)} />
      </div>
      <div className="toolbar">
        <input type="search" className="mb-search" data-testid="member-search" value={query} placeholder={t('members.search')} onChange={(e) => setQuery(e.target.value)} />
        <div className="rt-seg" role="group">
          {(['all', 'active', 'silent'] as const).map((s) => (
            <button key={s} type="button" className={show === s ? 'on' : ''} onClick={() => setShow(s)}>{t(`members.filter.${s}`)}</button>
          ))}
        </div>
        <span className="muted" data-testid="member-count">{t('rt.showing')} {num(sorted.length)} {t('rt.of')} {num(rows.length)}</span>
        <span className="rt-spacer" />
        <button
          type="button" data-action="merge" disabled={picked.length < 2 || ids.busy} title={t('members.ids.mergeTitle')}
          onClick={() => void mergePicked()}
        >
          {t('members.ids.merge')}{picked.length ? ` (${picked.length})` : ''}
        </button>
        <button type="button" data-action="csv" onClick={() => exportAs('csv')}>{t('export.csv')}</button>
        <button type="button" data-action="xlsx" onClick={() => exportAs('xlsx')}>{t('export.xlsx')}</button>
      </div>
      <div className="mb-table" role="table" aria-label={t('members.table')} data-testid="member-table">
        <div className="mb-row mb-head" role="row">
          <div role="columnheader" className="mb-cell mb-pick" title={t('members.ids.pickTitle')}>⧉</div>
          {COLS.map((c) => (
            <HeadCell key={c.k} col={c.k} label={t(c.label)} num={c.num} sort={sort} toggle={toggle} />
          ))}
          <div role="columnheader" className="mb-cell">{t('members.col.action')}</div>
        </div>
        <div ref={parent} className="mb-body">
          {sorted.length === 0 && <div className="state empty">{t('common.empty')}</div>}
          <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
            {virt.getVirtualItems().map((it) => {
              const m = sorted[it.index]!;
              const others = otherNames(m);
              return (
                <div
                  key={m.memberId}
                  role="row"
                  className={m.isSilent ? 'mb-row silent' : 'mb-row clickable'}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: it.size, transform: `translateY(${it.start}px)` }}
                  onClick={m.isSilent ? undefined : () => go('messages', { memberId: m.memberId, memberName: m.name })}
                >
                  <div role="cell" className="mb-cell mb-pick" onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox" aria-label={`${t('members.ids.pick')} ${m.name}`} data-action="pick"
                      checked={picked.includes(m.memberId)} onChange={() => pick(m.memberId)}
                    />
                  </div>
                  <div role="cell" className="mb-cell mb-name" title={m.name}>
                    {m.name}
                    {m.isBot && <span className="pill mb-bot">{t('members.botTag')}</span>}
                  </div>
                  <div role="cell" className="mb-cell muted" title={m.names.map((n) => `${n.name}  ${day(n.firstSeen)} → ${day(n.lastSeen)}  (${n.messages})`).join('\n')}>{others.join(' / ')}</div>
                  <div role="cell" className="mb-cell mb-num">{num(m.messages)}</div>
                  <div role="cell" className="mb-cell mb-num">{num(m.chars)}</div>
                  <div role="cell" className="mb-cell mb-num">{num(m.activeDays)}</div>
                  <div role="cell" className="mb-cell" title={m.firstMessage ?? ''}>{day(m.firstMessage)}</div>
                  <div role="cell" className="mb-cell" title={m.lastMessage ?? ''}>{day(m.lastMessage)}</div>
                  <div role="cell" className="mb-cell" title={m.joinedAt ?? ''}>{day(m.joinedAt)}</div>
                  <div role="cell" className="mb-cell" title={m.leftAt ?? ''}>{day(m.leftAt)}</div>
                  <div role="cell" className="mb-cell">{m.isSilent ? <span className="pill">{t('members.silentTag')}</span> : ''}</div>
                  <div role="cell" className="mb-cell">
                    <button type="button" className="rt-small" title={t('members.excludeTitle')} data-action="exclude" onClick={(e) => (e.stopPropagation(), exclude(m))}>
                      {t('members.exclude')}
                    </button>
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </>
  );
}

function HeadCell({ col, label, num: isNum, sort, toggle }: { col: Col; label: string; num?: boolean; sort: SortState<Col>; toggle: (k: Col) => void }) {
  const active = sort.key === col;
  return (
    <div role="columnheader" aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={isNum ? 'mb-cell mb-num' : 'mb-cell'}>
      <button type="button" className="rt-sort" onClick={() => toggle(col)}>
        {label}
        <span className="rt-arrow">{active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </div>
  );
}
