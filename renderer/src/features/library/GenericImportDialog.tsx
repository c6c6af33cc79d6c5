import { useEffect, useMemo, useRef, useState } from 'react';
import type { FilePreview } from '../../../../shared/api';
import {
  DELIMITERS,
  MAPPING_ROLES,
  REQUIRED_ROLES,
  mappingFromForm,
  type ColumnMapping,
  type Delimiter,
  type MappingFormat,
  type MappingRole,
} from '../../../../shared/column-mapping';
import type { EngineClient } from '../../api/client';
import { useI18n } from '../../i18n/use-i18n';
import type { StringKey } from '../../i18n/strings';
import './generic-import.css';

const DELIM_LABEL: Record<Delimiter, StringKey> = {
  ',': 'generic.delim.comma',
  ';': 'generic.delim.semicolon',
  '\t': 'generic.delim.tab',
  '|': 'generic.delim.pipe',
};
const TIME_FORMATS = ['auto', 'iso', 'epoch-s', 'epoch-ms', 'YYYY-MM-DD HH:mm:ss', 'YYYY/MM/DD HH:mm', 'DD/MM/YYYY HH:mm', 'MM/DD/YYYY HH:mm', 'DD.MM.YYYY HH:mm', 'M/D/YY, h:mm A'];

type Roles = Partial<Record<MappingRole, string>>;

const rolesOf = (s: FilePreview['suggested']): Roles => Object.fromEntries(MAPPING_ROLES.filter((r) => s[r]).map((r) => [r, s[r]!]));

/**
 * The column-mapping dialog: previews the first rows of a CSV / JSONL file (engine `previewFile`),
 * one select per role prefilled from the engine's suggestion, and hands back the chosen mapping.
 */
export function GenericImportDialog(props: {
  engine: EngineClient;
  /** Path the engine reads (the file itself on desktop, the uploaded copy in browser mode). */
  path: string;
  /** Name to show. */
  name: string;
  onCancel(): void;
  onImport(mapping: ColumnMapping): void;
}) {
  const { engine, path, name, onCancel, onImport } = props;
  const { t, lang } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [preview, setPreview] = useState<FilePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [format, setFormat] = useState<MappingFormat | undefined>(undefined);
  const [delimiter, setDelimiter] = useState<Delimiter | undefined>(undefined);
  const [roles, setRoles] = useState<Roles>({});
  const [timeFormat, setTimeFormat] = useState('auto');

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  // Re-read the head whenever the format or delimiter changes; keep choices whose column still exists.
  useEffect(() => {
    let live = true;
    setError(null);
    engine
      .call('previewFile', { path, ...(format ? { format } : {}), ...(delimiter && format !== 'jsonl' ? { delimiter } : {}) })
      .then((p) => {
        if (!live) return;
        setPreview(p);
        setRoles((old) => {
          const kept = Object.fromEntries(Object.entries(old).filter(([, c]) => c && p.columns.includes(c)));
          return Object.keys(kept).length > 0 ? { ...rolesOf(p.suggested), ...kept } : rolesOf(p.suggested);
        });
        setTimeFormat((old) => (old === 'auto' && p.suggested.timeFormat ? p.suggested.timeFormat : old));
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [engine, path, format, delimiter]);

  const fmt = format ?? preview?.format ?? 'csv';
  const delim = delimiter ?? preview?.delimiter ?? ',';
  const result = useMemo(() => mappingFromForm({ format: fmt, roles, timeFormat, delimiter: delim }), [fmt, roles, timeFormat, delim]);
  const byColumn = useMemo(() => {
    const m = new Map<string, MappingRole[]>();
    for (const r of MAPPING_ROLES) if (roles[r]) m.set(roles[r]!, [...(m.get(roles[r]!) ?? []), r]);
    return m;
  }, [roles]);

  const label = (r: MappingRole) => t(`generic.role.${r}` as StringKey) + (REQUIRED_ROLES.includes(r) ? ' *' : '');

  return (
    <dialog ref={ref} className="gi-dialog" data-testid="generic-dialog" onCancel={(e) => (e.preventDefault(), onCancel())}>
      <div className="gi-body">
        <h2 className="gi-title">
          {t('generic.title')} <span className="muted" title={path}>{name}</span>
        </h2>
        <p className="muted gi-hint">{t('generic.hint')}</p>

        <div className="gi-options">
          <label>
            {t('generic.format')}{' '}
            <select data-testid="generic-format" value={fmt} onChange={(e) => setFormat(e.target.value as MappingFormat)}>
              <option value="csv">CSV</option>
              <option value="jsonl">JSON Lines</option>
            </select>
          </label>
          {fmt === 'csv' && (
            <label>
              {t('generic.delimiter')}{' '}
              <select data-testid="generic-delimiter" value={delim} onChange={(e) => setDelimiter(e.target.value as Delimiter)}>
                {DELIMITERS.map((d) => (
                  <option key={d} value={d}>{t(DELIM_LABEL[d])}</option>
                ))}
              </select>
            </label>
          )}
          {preview && <span className="muted">{t('generic.encoding')}: {preview.encoding}</span>}
          <label className="gi-time">
            {t('generic.timeFormat')}{' '}
            <input data-testid="generic-time-format" list="gi-time-formats" value={timeFormat} onChange={(e) => setTimeFormat(e.target.value)} />
            <datalist id="gi-time-formats">
              {TIME_FORMATS.map((f) => <option key={f} value={f} />)}
            </datalist>
          </label>
        </div>
        <p className="muted gi-note">{t('generic.timeHint')}</p>

        <div className="gi-roles">
          {MAPPING_ROLES.map((r) => (
            <label key={r} className={REQUIRED_ROLES.includes(r) && !roles[r] ? 'gi-role missing' : 'gi-role'}>
              <span>{label(r)}</span>
              <select data-testid={`generic-role-${r}`} value={roles[r] ?? ''} onChange={(e) => setRoles((o) => ({ ...o, [r]: e.target.value || undefined }))}>
                <option value="">{t('generic.none')}</option>
                {(preview?.columns ?? []).map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </label>
          ))}
        </div>
        {!roles.group && <p className="muted gi-note">{t('generic.noGroup')}</p>}

        {error && <div className="state error" role="alert">{error}</div>}
        {!preview && !error && <p className="muted">{t('generic.loading')}</p>}
        {preview && preview.columns.length === 0 && <p className="muted">{t('generic.noColumns')}</p>}
        {preview && preview.columns.length > 0 && (
          <div className="gi-table" data-testid="generic-preview">
            <table className="grid">
              <thead>
                <tr>
                  {preview.columns.map((c) => (
                    <th key={c} className={byColumn.has(c) ? 'mapped' : undefined}>
                      <div>{c}</div>
                      {byColumn.get(c)?.map((r) => <span key={r} className="pill">{t(`generic.role.${r}` as StringKey)}</span>)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, i) => (
                  <tr key={i}>
                    {preview.columns.map((c, j) => (
                      <td key={c} className={byColumn.has(c) ? 'mapped' : undefined} title={row[j] ?? ''}>{row[j] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        <div className="gi-foot">
          <span className="gi-status" role="status">
            {'missing' in result && result.missing.length > 0 && `${t('generic.missing')} ${result.missing.map((r) => t(`generic.role.${r}` as StringKey)).join(lang === 'zh' ? '、' : ', ')}`}
            {'error' in result && result.error}
          </span>
          <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="button" className="primary" data-testid="generic-import" disabled={!('mapping' in result) || !preview} onClick={() => 'mapping' in result && onImport(result.mapping)}>
            {t('generic.import')}
          </button>
        </div>
      </div>
    </dialog>
  );
}
