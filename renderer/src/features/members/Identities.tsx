import { useCallback, useEffect, useState } from 'react';
import type { IdentityOp } from '../../../../shared/api';
import { useI18n } from '../../i18n/use-i18n';
import { useApp } from '../../state/app-state';

/** The identity decisions (merges, splits) and the calls that change them; every page refetches after a change. */
export function useIdentities() {
  const { engine, refreshGroups } = useApp();
  const [ops, setOps] = useState<IdentityOp[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const call = useCallback(
    async (params: Parameters<typeof engine.call<'identity'>>[1]) => {
      setBusy(true);
      setError(null);
      try {
        setOps(await engine.call('identity', params));
        if (params.action !== 'list') await refreshGroups();
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setBusy(false);
      }
    },
    [engine, refreshGroups],
  );
  useEffect(() => {
    void call({ action: 'list' });
  }, [call]);
  return {
    ops, error, busy,
    merge: (members: number[]) => call({ action: 'merge', members }),
    split: (member: number) => call({ action: 'split', member }),
    undo: () => call({ action: 'undo' }),
  };
}

/** The log of identity decisions, newest first: undo the latest, split a member out of a merge. */
export function IdentityLog({ ids }: { ids: ReturnType<typeof useIdentities> }) {
  const { t } = useI18n();
  const live = ids.ops.filter((o) => o.undoneAt === null);
  if (ids.ops.length === 0 && !ids.error) return null;
  return (
    <section className="panel mb-ids" data-testid="identity-log">
      <div className="mb-ids-head">
        <h2>{t('members.ids.title')}</h2>
        <span className="muted">{t('members.ids.note')}</span>
        <span className="rt-spacer" />
        <button type="button" data-action="identity-undo" disabled={ids.busy || live.length === 0} onClick={() => void ids.undo()}>
          {t('members.ids.undo')}
        </button>
      </div>
      {ids.error && <div className="state error">{ids.error}</div>}
      <ul className="mb-ids-list">
        {ids.ops.map((o) => (
          <li key={o.id} className={o.undoneAt ? 'undone' : ''} data-op={o.op}>
            <span className="pill">{t(o.op === 'merge' ? 'members.ids.merged' : 'members.ids.split')}</span>
            {o.members.map((m) => (
              <span key={m.id} className="mb-chip">
                {m.name}
                {m.group && <span className="muted"> · {m.group}</span>}
                {o.op === 'merge' && !o.undoneAt && (
                  <button type="button" title={t('members.ids.splitOut')} aria-label={t('members.ids.splitOut')} disabled={ids.busy} onClick={() => void ids.split(m.id)}>
                    ⤴
                  </button>
                )}
              </span>
            ))}
            <span className="muted mb-ids-time">{o.createdAt.slice(0, 16)}{o.undoneAt ? ` · ${t('members.ids.undone')}` : ''}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
