import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import type { SqlPart } from '../filter-sql.js';
import { defineMetric, type MetricContext } from '../types.js';
import { checkAbort, knownWith } from './common.js';
import { overview, type OverviewResult } from './overview.js';
import type { CompareGroup, CompareResult, Normalised, Overlap } from '../../../../shared/metrics/core.js';

export type { Normalised, CompareGroup, Overlap, CompareResult };

export function normalise(o: OverviewResult): Normalised {
  const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
  return {
    messages: o.messages,
    membersKnown: o.membersKnown,
    activeMembers: o.activeMembers,
    messagesPerMember: div(o.messages, o.membersKnown),
    messagesPerActiveMember: div(o.messages, o.activeMembers),
    activeShare: div(o.activeMembers, o.membersKnown),
    messagesPerDay: o.messagesPerDay,
  };
}

/**
 * Persons per group among members known in the period: the same platform id on the same platform
 * (on WhatsApp the same phone number) is one person, and so are members merged by hand.
 */
export function buildIdentitiesSql(f: Filters): SqlPart {
  const k = knownWith(f);
  return {
    sql: `${k.sql}
SELECT DISTINCT k.group_id, k.person_id
FROM known k WHERE k.person_id IS NOT NULL`,
    params: k.params,
  };
}

/** Pure: pair counts and Jaccard for every pair of the given groups (a < b). */
export function computeOverlap(groupIds: readonly number[], ids: ReadonlyArray<{ group_id: number; person_id: number }>): Overlap[] {
  const sets = new Map<number, Set<number>>(groupIds.map((g) => [g, new Set<number>()]));
  for (const r of ids) sets.get(r.group_id)?.add(r.person_id);
  const sorted = [...groupIds].sort((x, y) => x - y);
  const out: Overlap[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sets.get(sorted[i]!)!;
      const b = sets.get(sorted[j]!)!;
      let shared = 0;
      for (const x of a) if (b.has(x)) shared++;
      const union = a.size + b.size - shared;
      out.push({ a: sorted[i]!, b: sorted[j]!, shared, union, jaccard: union === 0 ? 0 : shared / union });
    }
  }
  return out;
}

export const compare = defineMetric({
  key: 'compare',
  title: { zh: '群对比', en: 'Compare groups' },
  args: z
    .object({
      key: z.string().min(1).max(64).default('overview'),
      args: z.record(z.string(), z.unknown()).default({}),
    })
    .strict()
    .refine((a) => a.key !== 'compare', { message: 'compare cannot compare itself' }),
  async run(ctx: MetricContext, args): Promise<CompareResult> {
    const { db, filters, signal } = ctx;
    // Loaded at run time: the registry imports this module.
    const { getMetric } = await import('../registry.js');
    const metric = getMetric(args.key);
    if (!metric) throw new Error(`compare: unknown metric '${args.key}'`);
    const parsed = metric.args.safeParse(args.args);
    if (!parsed.success) throw new Error(`compare ${args.key}: invalid args: ${parsed.error.message}`);

    const groups =
      filters.groups && filters.groups.length > 0
        ? await db.all<{ id: number; name: string; platform: string }>(
            `SELECT id, name, platform FROM groups WHERE list_contains($ids, id) ORDER BY id`,
            { ids: listValue(filters.groups) },
          )
        : await db.all<{ id: number; name: string; platform: string }>(`SELECT id, name, platform FROM groups ORDER BY id`);

    const out: CompareGroup[] = [];
    for (const g of groups) {
      checkAbort(signal);
      const one: MetricContext = { db, filters: { ...filters, groups: [g.id] }, signal };
      const ov = await overview.run(one, {});
      const result = args.key === 'overview' ? ov : await metric.run(one, parsed.data);
      out.push({ groupId: g.id, name: g.name, platform: g.platform, result, normalised: normalise(ov) });
    }
    const ids = groups.map((g) => g.id);
    let overlap: Overlap[] = [];
    if (ids.length > 1) {
      const b = buildIdentitiesSql({ ...filters, groups: ids });
      overlap = computeOverlap(ids, await db.all<{ group_id: number; person_id: number }>(b.sql, b.params));
    }
    return { key: args.key, groups: out, overlap };
  },
});
