import type { Filters } from '../../shared/filters.js';
import type { Database } from './db/database.js';
import { getMetric, type MetricKey, type MetricResult } from './metrics/registry.js';
import type { MetricContext } from './metrics/types.js';

/** Options of a whole-group analysis (the `analyze` command and the HTML report). */
export interface AnalyzeOptions {
  /** Date range and exclusions applied to every metric (groups are set per group). */
  filters?: Omit<Filters, 'groups'>;
  /** Churn inactivity rule, days. */
  inactivityDays?: number;
  /** Only these groups (default: every group). */
  groupIds?: number[];
  signal?: AbortSignal;
}

export interface AnalyzedMember {
  id: number;
  name: string;
  messages: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
  joinedAt: string | null;
  leftAt: string | null;
  names: string[];
}

/** One group's analysis: the documented headline fields plus every metric's full result. */
export interface GroupAnalysis {
  id: number;
  name: string;
  platform: string;
  chatType: string;
  overview: MetricResult<'overview'>;
  /** 7 × 24, Monday first, message counts by wall-clock hour. */
  heatmap: number[][];
  members: AnalyzedMember[];
  /** Event counts by kind. */
  events: Record<string, number>;
  keywords: MetricResult<'keywords'>['keywords'];
  trending: { term: string; week: string; score: number; count: number; baseline: number }[];
  graph: MetricResult<'graph'>;
  kol: MetricResult<'kol'>['candidates'];
  risingNewcomers: MetricResult<'kol'>['risingNewcomers'];
  churn: { inactivityDays: number; churned: number[]; atRisk: number[] };
  cohorts: { cohort: string; size: number; retention: number[] }[];
  structure: MetricResult<'structure'>;
  activity: MetricResult<'activity'>;
  conversations: MetricResult<'conversations'>;
  retention: MetricResult<'retention'>;
  onboarding: MetricResult<'onboarding'>;
  monthlyTop: MetricResult<'members'>['monthlyTop'];
  checkIns: MetricResult<'members'>['checkIns'];
  topTerms: MetricResult<'topTermsByPeriod'>;
}

export interface AnalysisDocument {
  schema: 'qunxi-analyze/1';
  generatedAt: string;
  filters: Omit<Filters, 'groups'>;
  groups: GroupAnalysis[];
}

/** Runs one registered metric with its default arguments overlaid by `args`. */
export async function runMetric<K extends MetricKey>(ctx: MetricContext, key: K, args: Record<string, unknown> = {}): Promise<MetricResult<K>> {
  const m = getMetric(key)!;
  return (await m.run(ctx, m.args.parse(args))) as MetricResult<K>;
}

/** Every metric for every group (or the chosen ones), as one JSON-able document. */
export async function analyze(db: Database, o: AnalyzeOptions = {}): Promise<AnalysisDocument> {
  const groups = await db.all<{ id: number; name: string; platform: string; chat_type: string }>(
    `SELECT id, name, platform, chat_type FROM groups ORDER BY id`,
  );
  const chosen = o.groupIds ? groups.filter((g) => o.groupIds!.includes(g.id)) : groups;
  const base = o.filters ?? {};
  const inactivityDays = o.inactivityDays ?? 30;
  const out: GroupAnalysis[] = [];
  for (const g of chosen) {
    const ctx: MetricContext = { db, filters: { ...base, groups: [g.id] }, signal: o.signal };
    const [overview, activity, members, retention, structure, keywords, trending, graph, kol, conversations, onboarding, topTerms] = [
      await runMetric(ctx, 'overview'),
      await runMetric(ctx, 'activity', { granularity: 'day' }),
      await runMetric(ctx, 'members'),
      await runMetric(ctx, 'retention', { inactivityDays }),
      await runMetric(ctx, 'structure'),
      await runMetric(ctx, 'keywords'),
      await runMetric(ctx, 'trending'),
      await runMetric(ctx, 'graph'),
      await runMetric(ctx, 'kol'),
      await runMetric(ctx, 'conversations'),
      await runMetric(ctx, 'onboarding'),
      await runMetric(ctx, 'topTermsByPeriod'),
    ];
    const events: Record<string, number> = {};
    for (const [k, n] of Object.entries(overview.eventsByKind)) if (n > 0) events[k] = n;
    out.push({
      id: g.id,
      name: g.name,
      platform: g.platform,
      chatType: g.chat_type,
      overview,
      heatmap: activity.heatmap,
      members: members.members.map((m) => ({
        id: m.memberId,
        name: m.name,
        messages: m.messages,
        firstMessageAt: m.firstMessage,
        lastMessageAt: m.lastMessage,
        joinedAt: m.joinedAt,
        leftAt: m.leftAt,
        names: m.names.map((n) => n.name),
      })),
      events,
      keywords: keywords.keywords,
      trending: trending.map((t) => ({ term: t.term, week: t.week, score: t.score, count: t.count, baseline: t.baseline })),
      graph,
      kol: kol.candidates,
      risingNewcomers: kol.risingNewcomers,
      churn: { inactivityDays, churned: retention.churned.map((c) => c.memberId), atRisk: retention.atRisk.map((a) => a.memberId) },
      cohorts: retention.cohorts.map((c) => ({ cohort: c.cohort, size: c.size, retention: c.retention })),
      structure,
      activity,
      conversations,
      retention,
      onboarding,
      monthlyTop: members.monthlyTop,
      checkIns: members.checkIns,
      topTerms,
    });
  }
  return { schema: 'qunxi-analyze/1', generatedAt: new Date().toISOString(), filters: base, groups: out };
}
