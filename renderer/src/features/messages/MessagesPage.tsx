import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MessageRow } from '../../../../shared/api';
import { filtersFor, useApp, type MessageDrill } from '../../state/app-state';
import { useI18n } from '../../i18n/use-i18n';
import { download, safeFileName, toCsv } from '../../export/csv';
import { toXlsx } from '../../export/xlsx';

const PAGE = 500;
const WEEKDAYS_ZH = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const WEEKDAYS_EN = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * Message browser: every drill-down lands here. Full-text search and the global filters; rows are
 * virtualised and fetched page by page, so a million messages scroll smoothly. Text is rendered as
 * text (React escapes it), never as HTML.
 */
export function MessagesPage() {
  const { engine, filters, groupId, drill, go } = useApp();
  const { t, lang } = useI18n();
  const [search, setSearch] = useState(drill?.search ?? '');
  const [query, setQuery] = useState(drill?.search ?? '');
  const [rows, setRows] = useState<MessageRow[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const parent = useRef<HTMLDivElement>(null);
  const loading = useRef(false);
  const f = filtersFor(filters, groupId);
  const d: MessageDrill = drill ?? {};
  const base = { filters: f, search: query || undefined, term: d.term, memberId: d.memberId, weekday: d.weekday, hour: d.hour, day: d.day };
  const key = JSON.stringify(base);

  useEffect(() => {
    const ac = new AbortController();
    setRows([]);
    setTotal(null);
    setError(null);
    engine
      .call('messages', { ...base, offset: 0, limit: PAGE }, { signal: ac.signal })
      .then((p) => {
        if (ac.signal.aborted) return;
        setRows(p.rows);
        setTotal(p.total);
      })
      .catch((e: Error) => !ac.signal.aborted && setError(e.message));
    return () => ac.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const virt = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => 58, overscan: 12 });
  const items = virt.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (total === null || rows.length >= total || loading.current || lastIndex < rows.length - 50) return;
    loading.current = true;
    void engine
      .call('messages', { ...base, offset: rows.length, limit: PAGE })
      .then((p) => setRows((r) => [...r, ...p.rows]))
      .finally(() => (loading.current = false));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastIndex, total, rows.length]);

  const wd = lang === 'zh' ? WEEKDAYS_ZH : WEEKDAYS_EN;
  const chips: string[] = [];
  if (d.term) chips.push(`#${d.term}`);
  if (d.memberName) chips.push(`@${d.memberName}`);
  if (d.weekday !== undefined) chips.push(wd[d.weekday]!);
  if (d.hour !== undefined) chips.push(`${d.hour}:00–${d.hour}:59`);
  if (d.day) chips.push(d.day);

  const exportRows = (kind: 'csv' | 'xlsx') => {
    const header = ['time', 'member', 'kind', 'text'];
    const data = rows.map((r) => [r.ts, r.name, r.kind, r.text]);
    const name = safeFileName(`messages-${chips.join('-') || 'all'}`);
    if (kind === 'csv') download(`${name}.csv`, new Blob([toCsv(header, data)], { type: 'text/csv;charset=utf-8' }));
    else download(`${name}.xlsx`, new Blob([toXlsx('messages', header, data) as BlobPart], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  };

  return (
    <div>
      <h1>{t('nav.messages')}</h1>
      <form className="toolbar" onSubmit={(e) => (e.preventDefault(), setQuery(search.trim()))}>
        <input data-testid="message-search" value={search} placeholder={t('common.search')} onChange={(e) => setSearch(e.target.value)} style={{ minWidth: 280 }} />
        <button type="submit">{t('common.search')}</button>
        {chips.map((c) => (
          <span key={c} className="pill">{c}</span>
        ))}
        {chips.length > 0 && (
          <button type="button" onClick={() => go('messages')}>{t('filters.reset')}</button>
        )}
        <span className="muted" data-testid="message-total">{total === null ? t('common.loading') : `${total.toLocaleString()} ${t('common.messages')}`}</span>
        <span style={{ marginLeft: 'auto' }} />
        <button type="button" data-action="csv" onClick={() => exportRows('csv')}>{t('export.csv')}</button>
        <button type="button" data-action="xlsx" onClick={() => exportRows('xlsx')}>{t('export.xlsx')}</button>
      </form>
      {error && <div className="state error" role="alert">{error}</div>}
      {total === 0 && <div className="state empty">{t('common.empty')}</div>}
      <div ref={parent} className="vlist" data-testid="message-list">
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const r = rows[it.index]!;
            return (
              <div key={r.id} ref={virt.measureElement} data-index={it.index} className="msg" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${it.start}px)` }}>
                <div className="meta">
                  {r.ts} · <strong>{r.name}</strong>
                  {r.kind !== 'text' && <span className="pill">{r.kind}</span>}
                  {r.replyTo !== null && <span className="pill">↩︎ #{r.replyTo}</span>}
                </div>
                <div className="text">{r.text}</div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
