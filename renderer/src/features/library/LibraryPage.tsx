import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { ColumnMapping, ImportProgressInfo, ImportReportInfo, RejectInfo, SourceInfo, EngineInfo } from '../../../../shared/api';
import { useApp } from '../../state/app-state';
import { useI18n } from '../../i18n/use-i18n';
import { GenericImportDialog } from './GenericImportDialog';

const MB = 1024 * 1024;
const fmtBytes = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${(n / 1024).toFixed(0)} KB`);

/** Library: import exports (dialog, drag-and-drop, path or upload), watch progress, see what is stored and what was rejected. */
export function LibraryPage() {
  const { engine, groups, refreshGroups, setGroupId, go } = useApp();
  const { t } = useI18n();
  const [info, setInfo] = useState<EngineInfo | null>(null);
  const [sources, setSources] = useState<SourceInfo[]>([]);
  const [rejects, setRejects] = useState<RejectInfo[]>([]);
  const [progress, setProgress] = useState<ImportProgressInfo | null>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReportInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [hover, setHover] = useState(false);
  /** The file the column-mapping dialog is open for (generic CSV / JSONL). */
  const [custom, setCustom] = useState<{ path: string; name: string } | null>(null);
  const abort = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    const [i, s, r] = await Promise.all([engine.call('info', {}), engine.call('listSources', {}), engine.call('listRejects', { limit: 500 })]);
    setInfo(i);
    setSources(s);
    setRejects(r);
    await refreshGroups();
  }, [engine, refreshGroups]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const runImport = useCallback(
    async (paths: string[], mapping?: ColumnMapping) => {
      if (paths.length === 0) return;
      const ac = new AbortController();
      abort.current = ac;
      setError(null);
      setReport(null);
      try {
        const r = await engine.call('importFiles', mapping ? { paths, mapping } : { paths }, { signal: ac.signal, onProgress: (p) => setProgress(p as ImportProgressInfo) });
        setReport(r);
        await refresh();
      } catch (e) {
        setError((e as Error).message);
      } finally {
        abort.current = null;
        setProgress(null);
      }
    },
    [engine, refresh],
  );

  useEffect(() => window.qunxiDesktop?.onFilesChosen((p) => void runImport(p)), [runImport]);

  const uploadAndImport = async (files: File[]) => {
    if (!engine.upload) return;
    const paths: string[] = [];
    for (const f of files) {
      setUploading(f.name);
      try {
        paths.push(await engine.upload(f));
      } catch (e) {
        setError((e as Error).message);
      }
    }
    setUploading(null);
    await runImport(paths);
  };

  // Generic CSV / JSONL: desktop reads the file where it is, browser mode uploads it; then the mapping dialog.
  const chooseCustom = async (f: File | undefined) => {
    if (!f) return;
    setError(null);
    const desktop = window.qunxiDesktop;
    const local = desktop ? desktop.pathForFile(f) : '';
    if (local) return setCustom({ path: local, name: f.name });
    if (!engine.upload) return;
    setUploading(f.name);
    try {
      setCustom({ path: await engine.upload(f), name: f.name });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setUploading(null);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setHover(false);
    const files = [...e.dataTransfer.files];
    // Desktop: the engine reads dropped files where they are; browser mode uploads them.
    const desktop = window.qunxiDesktop;
    if (desktop) void runImport(files.map((f) => desktop.pathForFile(f)).filter(Boolean));
    else void uploadAndImport(files);
  };

  const pct = progress && progress.totalBytes > 0 ? Math.min(100, (100 * progress.bytesRead) / progress.totalBytes) : 0;
  const rate = progress && progress.elapsedMs > 0 ? progress.bytesRead / MB / (progress.elapsedMs / 1000) : 0;
  const left = progress && rate > 0 ? (progress.totalBytes - progress.bytesRead) / MB / rate : 0;

  return (
    <div className="library">
      <h1>{t('library.title')}</h1>
      {info?.demo && <p className="muted">{t('library.demo')}</p>}
      <div
        className={hover ? 'dropzone hover' : 'dropzone'}
        data-testid="dropzone"
        onDragOver={(e) => (e.preventDefault(), setHover(true))}
        onDragLeave={() => setHover(false)}
        onDrop={onDrop}
      >
        <p>{t('library.drop')}</p>
        <div className="row">
          {window.qunxiDesktop ? (
            <button type="button" className="primary" onClick={() => void window.qunxiDesktop?.openFiles().then(runImport)}>{t('library.open')}</button>
          ) : (
            <label className="button primary">
              {t('library.open')}
              <input type="file" multiple hidden data-testid="file-input" accept=".txt,.json,.csv,.zip" onChange={(e) => void uploadAndImport([...(e.target.files ?? [])])} />
            </label>
          )}
          <input className="path" data-testid="path-input" placeholder={t('library.pathPlaceholder')} value={path} onChange={(e) => setPath(e.target.value)} />
          <button type="button" data-testid="import-path" disabled={!path.trim() || progress !== null} onClick={() => void runImport(path.split('\n').map((s) => s.trim()).filter(Boolean))}>
            {t('library.importPath')}
          </button>
        </div>
        <div className="row generic-row">
          <label className="button" data-action="generic-import">
            {t('generic.open')}
            <input
              type="file" hidden data-testid="generic-file-input" accept=".csv,.tsv,.jsonl,.ndjson,.txt,.json"
              onChange={(e) => {
                void chooseCustom(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </label>
        </div>
      </div>
      {custom && (
        <GenericImportDialog
          engine={engine} path={custom.path} name={custom.name} onCancel={() => setCustom(null)}
          onImport={(mapping) => {
            setCustom(null);
            void runImport([custom.path], mapping);
          }}
        />
      )}

      {(progress || uploading) && (
        <div className="progress" data-testid="import-progress" role="status">
          <div className="progress-head">
            <strong>{t('library.importing')}</strong> {uploading ?? progress?.file}
            {progress && <button type="button" onClick={() => abort.current?.abort()}>{t('common.cancel')}</button>}
          </div>
          <div className="bar"><div style={{ width: `${pct}%` }} /></div>
          {progress && (
            <div className="muted">
              {t(`library.phase.${progress.phase}`)} · {pct.toFixed(0)}% · {fmtBytes(progress.bytesRead)} / {fmtBytes(progress.totalBytes)} · {progress.records.toLocaleString()} {t('library.records')} · {t('library.elapsed')} {Math.floor(progress.elapsedMs / 1000)} s
              {progress.phase === 'parse' && <> · {t('library.rate')} {rate.toFixed(1)} MB/s · {t('library.left')} {left.toFixed(0)} s</>}
            </div>
          )}
        </div>
      )}
      {error && <div className="state error" role="alert">{error}</div>}
      {report && (
        <div className="banner ok" data-testid="import-done">
          {t('library.done')}: {report.results.map((r) => `${r.file.split(/[\\/]/).pop()} (${r.format}, ${r.newMessages.toLocaleString()} ${t('library.newMessages')})`).join('; ')}
          {report.errors.length > 0 && (
            <ul className="errors">
              {report.errors.map((e, i) => (
                <li key={i}>{e.file}{e.line !== null ? `:${e.line}` : ''} — {e.reason}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <h2>{t('library.groups')}</h2>
      <table className="grid" data-testid="groups-table">
        <thead>
          <tr><th>{t('common.name')}</th><th>{t('library.platform')}</th><th>{t('common.messages')}</th><th>{t('common.members')}</th><th>{t('library.period')}</th></tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.id} className="clickable" onClick={() => (setGroupId(g.id), go('overview'))}>
              <td>{g.name}</td><td>{g.platform}</td><td className="num">{g.messages.toLocaleString()}</td><td className="num">{g.members.toLocaleString()}</td>
              <td>{g.from?.slice(0, 10)} → {g.to?.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('library.sources')}</h2>
      <table className="grid" data-testid="sources-table">
        <thead>
          <tr><th>{t('library.file')}</th><th>{t('library.format')}</th><th>{t('library.encoding')}</th><th>{t('library.bytes')}</th><th>{t('common.messages')}</th><th>{t('library.newMessages')}</th><th>{t('library.rejected')}</th></tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.id}>
              <td title={s.path}>{s.path.split(/[\\/]/).pop()}</td><td>{s.format}</td><td>{s.encoding}</td><td className="num">{fmtBytes(s.bytes)}</td>
              <td className="num">{s.messages.toLocaleString()}</td><td className="num">{s.newMessages.toLocaleString()}</td><td className="num">{s.rejected}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('library.quality')}</h2>
      <p className="muted">{t('library.tz')}</p>
      <h3>{t('library.rejects')} ({rejects.length})</h3>
      {rejects.length === 0 ? (
        <p className="muted">{t('library.noRejects')}</p>
      ) : (
        <table className="grid" data-testid="rejects-table">
          <thead><tr><th>{t('library.file')}</th><th>{t('library.line')}</th><th>{t('library.reason')}</th><th>{t('library.raw')}</th></tr></thead>
          <tbody>
            {rejects.map((r, i) => (
              <tr key={i}><td>{r.file.split(/[\\/]/).pop()}</td><td className="num">{r.line}</td><td>{r.reason}</td><td className="raw">{r.raw}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
