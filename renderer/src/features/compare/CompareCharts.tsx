import { useMemo } from 'react';
import { compareSeriesOption, groupedBarOption } from '../../../../shared/charts/options';
import { groupedPercentOption, overlapOption } from '../../../../shared/charts/retention';
import type { CompareView, ActivitySeriesView } from '../../api/retention-types';
import { EChart } from '../../charts/EChart';
import { useI18n } from '../../i18n/use-i18n';
import { CsvButton, dec, num, pct, pooledRetention } from '../retention/table';
import type { CompareData, Side } from './ComparePage';

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Messages and members writing per week, every group on one pair of axes. */
export function CompareSeries({ sides, activity }: { sides: Side[]; activity: CompareView<ActivitySeriesView> }) {
  const { t } = useI18n();
  const charts = useMemo(() => {
    const label = new Map(sides.map((s) => [s.groupId, s.label]));
    const of = (pick: (p: { messages: number; members: number }) => number) =>
      activity.groups.map((g) => ({ name: label.get(g.groupId) ?? g.name, points: g.result.series.map((p) => ({ period: p.period, value: pick(p) })) }));
    const table = (series: ReturnType<typeof of>) => {
      const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
      const by = series.map((s) => new Map(s.points.map((p) => [p.period, p.value])));
      return { header: [t('common.week'), ...series.map((s) => s.name)], rows: periods.map((p) => [p, ...by.map((m) => m.get(p) ?? 0)]) };
    };
    const msgs = of((p) => p.messages);
    const mems = of((p) => p.members);
    // The chart titles name the values; an axis name would collide with a legend of several groups.
    const opt = (series: typeof msgs) => ({ ...compareSeriesOption(series, { value: '' }), yAxis: { type: 'value' as const, minInterval: 1 } });
    return {
      messages: { option: opt(msgs), data: table(msgs) },
      members: { option: opt(mems), data: table(mems) },
    };
  }, [sides, activity, t]);
  return (
    <div className="grid2">
      <EChart title={t('compare.weekly')} option={charts.messages.option} data={charts.messages.data} height={320} testId="compare-weekly" />
      <EChart title={t('compare.weeklyMembers')} option={charts.members.option} data={charts.members.data} height={320} testId="compare-weekly-members" />
    </div>
  );
}

/** Per-member figures, concentration, newcomer retention and member overlap, side by side. */
export function CompareCharts({ sides, activity, structure, retention }: { sides: Side[] } & CompareData) {
  const { t } = useI18n();
  const c = useMemo(() => {
    const norm = new Map(activity.groups.map((g) => [g.groupId, g.normalised]));
    const str = new Map(structure.groups.map((g) => [g.groupId, g.result]));
    const ret = new Map(retention.groups.map((g) => [g.groupId, g.result]));
    const perCats = [t('compare.k.perMember'), t('compare.k.perActive'), t('compare.k.perDay')];
    const per = sides.map((s) => {
      const n = norm.get(s.groupId);
      return { name: s.label, values: n ? [r2(n.messagesPerMember), r2(n.messagesPerActiveMember), r2(n.messagesPerDay)] : [0, 0, 0] };
    });
    const strCats = [t('compare.k.activeShare'), t('compare.k.giniSenders'), t('compare.k.giniAll'), t('compare.k.topShare')];
    const strVals = sides.map((s) => {
      const x = str.get(s.groupId);
      const n = norm.get(s.groupId);
      return { name: s.label, values: [n?.activeShare ?? 0, x?.giniSenders ?? 0, x?.giniAll ?? 0, x?.decidedBy.topShare ?? 0] };
    });
    const retCats = [t('compare.k.month1'), t('compare.k.month2'), t('compare.k.month3')];
    const retVals = sides.map((s) => ({ name: s.label, values: [1, 2, 3].map((k) => pooledRetention(ret.get(s.groupId)?.cohorts ?? [], k) ?? 0) }));
    const idx = new Map(sides.map((s, i) => [s.groupId, i]));
    const pairs = activity.overlap.flatMap((o) => {
      const i = idx.get(o.a);
      const j = idx.get(o.b);
      return i === undefined || j === undefined ? [] : [{ i, j, shared: o.shared, jaccard: o.jaccard, union: o.union }];
    });
    const table = (cats: string[], gs: { name: string; values: readonly number[] }[], asPct: boolean) => ({
      header: [t('compare.metric'), ...gs.map((g) => g.name)],
      rows: cats.map((cat, i) => [cat, ...gs.map((g) => (asPct ? Math.round((g.values[i] ?? 0) * 1000) / 10 : g.values[i] ?? 0))]),
    });
    return {
      per: { option: groupedBarOption(perCats, per), data: table(perCats, per, false) },
      str: { option: groupedPercentOption(strCats, strVals), data: table(strCats, strVals, true) },
      ret: { option: groupedPercentOption(retCats, retVals), data: table(retCats, retVals, true) },
      pairs,
      overlap: overlapOption(sides.map((s) => s.label), pairs, { shared: t('compare.shared'), jaccard: t('compare.jaccard') }),
    };
  }, [sides, activity, structure, retention, t]);

  const overlapRows = c.pairs.map((p) => [sides[p.i]!.label, sides[p.j]!.label, p.shared, p.union, Math.round(p.jaccard * 1000) / 10]);
  return (
    <>
      <div className="grid2">
        <EChart title={t('compare.perMember')} option={c.per.option} data={c.per.data} height={300} testId="compare-per-member" />
        <div>
          <EChart title={t('compare.structure')} option={c.str.option} data={c.str.data} height={300} testId="compare-structure" />
          <p className="muted rt-note">{t('compare.structureNote')}</p>
        </div>
        <div>
          <EChart title={t('compare.retention')} option={c.ret.option} data={c.ret.data} height={300} testId="compare-retention" />
          <p className="muted rt-note">{t('compare.retentionNote')}</p>
        </div>
        <EChart title={t('compare.overlap')} option={c.overlap} data={{ header: [t('compare.groupA'), t('compare.groupB'), t('compare.shared'), t('compare.union'), `${t('compare.jaccard')} %`], rows: overlapRows }} height={Math.max(260, sides.length * 60 + 120)} testId="compare-overlap" />
      </div>
      <h2>{t('compare.overlap')}</h2>
      <p className="muted rt-note">{t('compare.overlapNote')}</p>
      <div className="toolbar">
        <span className="rt-spacer" />
        <CsvButton name="group-overlap" header={[t('compare.groupA'), t('compare.groupB'), t('compare.shared'), t('compare.union'), t('compare.jaccard')]} rows={overlapRows} />
      </div>
      <table className="grid rt-table" data-testid="overlap-table">
        <thead>
          <tr>
            <th>{t('compare.groupA')}</th>
            <th>{t('compare.groupB')}</th>
            <th className="rt-num">{t('compare.shared')}</th>
            <th className="rt-num">{t('compare.union')}</th>
            <th className="rt-num">{t('compare.jaccard')}</th>
          </tr>
        </thead>
        <tbody>
          {c.pairs.map((p) => (
            <tr key={`${p.i}-${p.j}`}>
              <td>{sides[p.i]!.label}</td>
              <td>{sides[p.j]!.label}</td>
              <td className="num">{num(p.shared)}</td>
              <td className="num">{num(p.union)}</td>
              <td className="num">{pct(p.jaccard)} <span className="muted">({dec(p.jaccard, 3)})</span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
