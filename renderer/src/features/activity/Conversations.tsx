import { useCallback, useMemo, useState } from 'react';
import type { ECElementEvent } from 'echarts';
import { rankedBarHeight, rankedBarOption } from '../../../../shared/charts/options';
import { fill, fmtDuration, fmtNum, fmtPct } from '../../../../shared/charts/analysis';
import type { ConversationsView } from '../../api/analysis-types';
import { EChart } from '../../charts/EChart';
import { Load } from '../../components/States';
import { useI18n } from '../../i18n/use-i18n';
import { filtersFor, useApp } from '../../state/app-state';
import { useMetric } from '../../state/use-metric';

const WINDOWS = [1, 4, 24];
const SHOWN = 10;

/** The first line of a message, short enough to find it again by search. */
const searchable = (text: string) => (text.split('\n').find((l) => l.trim()) ?? '').trim().slice(0, 60);

/** Conversations metric: how talk flows — conversations, response times, questions and the ones left hanging. */
export function Conversations() {
  const { filters, groupId, go } = useApp();
  const { t, lang } = useI18n();
  const [all, setAll] = useState(false);
  const [hours, setHours] = useState(24);
  const cv = useMetric<ConversationsView>('conversations', filtersFor(filters, groupId), { limit: 50, topStarters: 10, responseWindowHours: hours }, groupId !== null);
  const starters = useMemo(() => (cv.data?.starters ?? []).map((s) => ({ label: s.name, value: s.conversations })), [cv.data]);
  const startOpt = useMemo(() => rankedBarOption(starters, { value: '' }, '#7f3bf5'), [starters]);
  const onStarter = useCallback((p: ECElementEvent) => {
    const s = cv.data?.starters[p.dataIndex];
    if (s) go('messages', { memberId: s.memberId, memberName: s.name });
  }, [cv.data, go]);
  if (groupId === null) return null;

  return (
    <section data-testid="conversations">
      <h2>{t('conv.title')}</h2>
      <p className="muted an-intro">{fill(t('conv.intro'), { h: hours })}</p>
      <div className="toolbar">
        <span className="muted">{t('conv.window')}</span>
        <div className="an-seg" role="group" aria-label={t('conv.window')}>
          {WINDOWS.map((h) => (
            <button key={h} type="button" className={h === hours ? 'active' : ''} aria-pressed={h === hours} onClick={() => setHours(h)}>{fill(t('conv.hours'), { h })}</button>
          ))}
        </div>
      </div>
      <Load state={cv}>
        {(c) => {
          const q = c.questions;
          const cards: Array<[string, string, string]> = [
            [t('conv.count'), fmtNum(c.conversations.count), fill(t('conv.countSub'), { n: fmtNum(c.conversations.singles) })],
            [t('conv.length'), fill(t('conv.lengthValue'), { n: fmtNum(c.conversations.medianLength, 1) }),
              fill(t('conv.lengthSub'), { m: fmtNum(c.conversations.meanLength, 1), d: fmtDuration(c.conversations.medianMinutes === null ? null : c.conversations.medianMinutes * 60, lang) })],
            [t('conv.response'), fmtDuration(c.responseTime.medianSeconds, lang), fill(t('conv.responseSub'), { p: fmtDuration(c.responseTime.p90Seconds, lang), n: fmtNum(c.responseTime.count) })],
            [t('conv.questions'), fmtNum(q.count), fill(t('conv.questionsSub'), { a: fmtNum(q.answered), u: fmtNum(q.unanswered), p: fmtNum(q.pending) })],
            [t('conv.answerRate'), fmtPct(q.unansweredRate === null ? null : 1 - q.unansweredRate),
              fill(t('conv.answerRateSub'), { m: fmtDuration(q.medianResponseSeconds, lang), p: fmtDuration(q.p90ResponseSeconds, lang) })],
          ];
          const shown = all ? c.unanswered : c.unanswered.slice(0, SHOWN);
          return (
            <>
              <div className="cards" data-testid="conversation-kpis">
                {cards.map(([label, value, sub]) => (
                  <div className="card" key={label}><div className="label">{label}</div><div className="value">{value}</div><div className="sub">{sub}</div></div>
                ))}
              </div>
              <div className="grid2">
                {starters.length > 0 ? (
                  <EChart title={t('conv.starters')} option={startOpt} height={rankedBarHeight(starters.length)} onClick={onStarter} testId="conversation-starters"
                    data={{ header: ['member', 'conversations started'], rows: starters.map((s) => [s.label, s.value]) }} />
                ) : <div className="state empty">{t('common.empty')}</div>}
                <figure className="chart" data-testid="unanswered">
                  <figcaption><span className="chart-title">{c.unanswered.length > 0 ? fill(t('conv.unanswered'), { n: c.unanswered.length }) : t('conv.unansweredTitle')}</span></figcaption>
                  {c.unanswered.length === 0 ? (
                    <div className="state empty">{t('conv.noUnanswered')}</div>
                  ) : (
                    <>
                      <table className="grid act-questions">
                        <thead><tr><th>{t('conv.time')}</th><th>{t('an.member')}</th><th>{t('conv.text')}</th></tr></thead>
                        <tbody>
                          {shown.map((u) => (
                            <tr key={`${u.groupId}-${u.id}`} className="clickable" title={u.text}
                              onClick={() => go('messages', { search: searchable(u.text), memberId: u.memberId, memberName: u.name })}>
                              <td className="nowrap">{u.ts.slice(0, 16)}</td><td>{u.name}</td><td><div className="act-q">{u.text}</div></td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                      {c.unanswered.length > SHOWN && (
                        <button type="button" className="an-more" onClick={() => setAll(!all)}>{all ? t('an.showLess') : `${t('an.showMore')} (${c.unanswered.length - SHOWN})`}</button>
                      )}
                    </>
                  )}
                </figure>
              </div>
            </>
          );
        }}
      </Load>
    </section>
  );
}
