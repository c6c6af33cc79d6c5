import { useState } from 'react';
import { filtersFor, useApp } from '../state/app-state';
import { useI18n } from '../i18n/use-i18n';
import { download, safeFileName } from '../export/csv';

/** Exports the analysis issue's self-contained HTML report for the current group and filters. */
export function ReportButton() {
  const { engine, filters, groupId, groups } = useApp();
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [pseudo, setPseudo] = useState(false);
  const name = groups.find((g) => g.id === groupId)?.name ?? 'qunxi';
  const run = async () => {
    setBusy(true);
    try {
      const { html } = await engine.call('report', { filters: filtersFor(filters, groupId), pseudonymize: pseudo, lang });
      download(`${safeFileName(name)}-report.html`, new Blob([html], { type: 'text/html;charset=utf-8' }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="report-button">
      <label className="muted">
        <input type="checkbox" checked={pseudo} onChange={(e) => setPseudo(e.target.checked)} /> {t('export.pseudonymize')}
      </label>
      <button type="button" data-action="report" disabled={busy || groupId === null} onClick={() => void run()}>
        {busy ? t('common.loading') : t('export.report')}
      </button>
    </span>
  );
}
