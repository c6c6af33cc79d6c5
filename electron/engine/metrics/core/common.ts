import { listValue, type DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../../db/database.js';
import type { Filters } from '../../../../shared/filters.js';
import { dayFilterSql, filterSql, type SqlPart } from '../filter-sql.js';

/**
 * SQL pieces shared by the core metrics. All pure: SQL text plus bound parameters.
 *
 * Conventions (docs/METRICS.md "Conventions"):
 *  - time is the wall-clock `ts`; periods are calendar days/weeks/months of it;
 *  - "filtered messages" = messages matching every common filter;
 *  - "filtered events" = events in the selected groups and period whose subject (else actor)
 *    passes the member filters;
 *  - a member's lifecycle (first/last message, joins, exits) is read over ALL time within the
 *    selected groups, because joining and leaving are attributes of the member, not of the period.
 * Message counts and first/last times per member come from d_member_day (engine/derive.ts): the
 * period is whole days, so the day rows give exactly the filtered messages' figures.
 */

export type Params = Record<string, DuckDBValue>;

export const JOIN_SQL = `('join', 'invite')`;
export const EXIT_SQL = `('leave', 'remove')`;

/** Filtered messages under `alias`. */
export function messageWhere(f: Filters, alias = 'm'): SqlPart {
  return filterSql(f, alias);
}

/** The filtered messages' rows of d_member_day (messages per member and day) under `alias`. */
export function dayWhere(f: Filters, alias = 'd'): SqlPart {
  return dayFilterSql(f, alias);
}

/** Events: groups/period on the event, members/exclude on coalesce(subject_id, actor_id). */
export function eventWhere(f: Filters, alias = 'e'): SqlPart {
  const base = filterSql({ groups: f.groups, from: f.from, to: f.to }, alias);
  const conds = [base.sql];
  const params: Params = { ...base.params };
  const who = `coalesce(${alias}.subject_id, ${alias}.actor_id)`;
  if (f.members && f.members.length > 0) {
    conds.push(`coalesce(list_contains($f_members, ${who}), false)`);
    params['f_members'] = listValue(f.members);
  }
  if (f.exclude && f.exclude.length > 0) {
    conds.push(`NOT coalesce(list_contains($f_exclude, ${who}), false)`);
    params['f_exclude'] = listValue(f.exclude);
  }
  return { sql: conds.join(' AND '), params };
}

/** Members table rows in the selected groups that pass members/exclude (no period). */
export function memberScope(f: Filters, alias = 'mem'): SqlPart {
  // A member merged into another by hand is that other member from now on.
  const s = filterSql({ groups: f.groups, members: f.members, exclude: f.exclude }, alias, 'id');
  return { sql: `${alias}.merged_into IS NULL AND ${s.sql}`, params: s.params };
}

/** Groups and `exclude` only: a stream in which other members' messages matter (answers, replies). */
export function streamScope(f: Filters, alias: string): SqlPart {
  return filterSql({ groups: f.groups, exclude: f.exclude }, alias);
}

/** `alias.ts` within the period, or TRUE. Uses the same parameter names as filterSql. */
export function periodSql(f: Filters, col: string): SqlPart {
  const conds: string[] = [];
  const params: Params = {};
  if (f.from) {
    conds.push(`${col} >= CAST($f_from AS TIMESTAMP)`);
    params['f_from'] = f.from;
  }
  if (f.to) {
    conds.push(`${col} < CAST($f_to AS TIMESTAMP) + INTERVAL 1 DAY`);
    params['f_to'] = f.to;
  }
  return { sql: conds.length ? conds.join(' AND ') : 'TRUE', params };
}

/**
 * CTE `life`: one row per member in scope with their all-time lifecycle —
 * first_msg, last_msg, first_join, last_join, last_exit, exit_kind (of the latest exit),
 * start_ts = the earlier of first join and first message (a message before the first join
 * event means the member was there before a re-join), and end_ts = the latest exit when no
 * message and no join follow it (NULL while still a member).
 */
export function lifeCte(f: Filters): SqlPart {
  const scope = memberScope(f, 'mem');
  const g = filterSql({ groups: f.groups }, 'x');
  const gd = dayFilterSql({ groups: f.groups }, 'x');
  const sql = `life AS (
  SELECT mem.id AS member_id, mem.group_id, mem.name, mem.platform_id, mem.person_id, mem.is_bot,
    ms.first_msg, ms.last_msg, ev.first_join, ev.last_join, ev.last_exit, ev.exit_kind,
    least(ms.first_msg, ev.first_join) AS start_ts,
    CASE WHEN ev.last_exit IS NOT NULL
          AND (ms.last_msg IS NULL OR ev.last_exit >= ms.last_msg)
          AND (ev.last_join IS NULL OR ev.last_exit >= ev.last_join)
         THEN ev.last_exit END AS end_ts
  FROM members mem
  LEFT JOIN (SELECT x.member_id, min(x.first_ts) AS first_msg, max(x.last_ts) AS last_msg
             FROM d_member_day x WHERE ${gd.sql} GROUP BY 1) ms ON ms.member_id = mem.id
  LEFT JOIN (SELECT x.subject_id,
               min(x.ts) FILTER (WHERE x.kind IN ${JOIN_SQL}) AS first_join,
               max(x.ts) FILTER (WHERE x.kind IN ${JOIN_SQL}) AS last_join,
               max(x.ts) FILTER (WHERE x.kind IN ${EXIT_SQL}) AS last_exit,
               arg_max(x.kind, x.ts) FILTER (WHERE x.kind IN ${EXIT_SQL}) AS exit_kind
             FROM events x WHERE x.subject_id IS NOT NULL AND ${g.sql} GROUP BY 1) ev ON ev.subject_id = mem.id
  WHERE ${scope.sql})`;
  return { sql, params: { ...scope.params, ...g.params, ...gd.params } };
}

/**
 * CTE `known` (needs `life`): members whose membership overlaps the period — started on or
 * before its end (or start unknown) and not gone before its start. Without a period: everyone.
 */
export function knownCte(f: Filters): SqlPart {
  const conds = ['TRUE'];
  const params: Params = {};
  if (f.to) {
    conds.push(`(start_ts IS NULL OR start_ts < CAST($f_to AS TIMESTAMP) + INTERVAL 1 DAY)`);
    params['f_to'] = f.to;
  }
  if (f.from) {
    conds.push(`(end_ts IS NULL OR end_ts >= CAST($f_from AS TIMESTAMP))`);
    params['f_from'] = f.from;
  }
  return { sql: `known AS (SELECT * FROM life WHERE ${conds.join(' AND ')})`, params };
}

/** `WITH life AS (…), known AS (…)` plus params. */
export function knownWith(f: Filters): SqlPart {
  const l = lifeCte(f);
  const k = knownCte(f);
  return { sql: `WITH ${l.sql},\n${k.sql}`, params: { ...l.params, ...k.params } };
}

/**
 * Scalar subquery: the end of the data = latest ts among filtered messages and filtered events
 * (NULL when both are empty).
 */
export function dataEndSql(f: Filters): SqlPart {
  const m = dayWhere(f, 'dm');
  const e = eventWhere(f, 'de');
  return {
    sql: `(SELECT greatest((SELECT max(dm.last_ts) FROM d_member_day dm WHERE ${m.sql}), (SELECT max(de.ts) FROM events de WHERE ${e.sql})))`,
    params: { ...m.params, ...e.params },
  };
}

/** Throws the standard AbortError when the caller cancelled. */
export function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError');
}

/** Member display names: id → name, for the few ids a result lists. */
export async function memberNames(db: Database, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.all<{ id: number; name: string }>(
    `SELECT id, name FROM members WHERE list_contains($ids, id)`,
    { ids: listValue(ids) },
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
