import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { EVENT_KINDS, MESSAGE_KINDS, type EventKind, type MessageKind } from '../../../../shared/model.js';
import type { SqlPart } from '../filter-sql.js';
import { defineMetric } from '../types.js';
import { checkAbort, eventWhere, knownWith, messageWhere } from './common.js';
import type { KindShare, OverviewResult } from '../../../../shared/metrics/core.js';

export type { KindShare, OverviewResult };

export const MEDIA_KINDS: readonly MessageKind[] = ['image', 'voice', 'video', 'file', 'sticker'];

export function buildOverviewTotalsSql(f: Filters): SqlPart {
  const w = messageWhere(f, 'm');
  return {
    sql: `SELECT count(*)::BIGINT AS messages, count(DISTINCT m.member_id)::BIGINT AS active,
       min(m.ts) AS first_ts, max(m.ts) AS last_ts,
       coalesce(date_diff('day', CAST(min(m.ts) AS DATE), CAST(max(m.ts) AS DATE)) + 1, 0)::BIGINT AS days
     FROM messages m WHERE ${w.sql}`,
    params: w.params,
  };
}

export function buildOverviewKindsSql(f: Filters): SqlPart {
  const w = messageWhere(f, 'm');
  return { sql: `SELECT m.kind, count(*)::BIGINT AS n FROM messages m WHERE ${w.sql} GROUP BY 1`, params: w.params };
}

export function buildOverviewMembersSql(f: Filters): SqlPart {
  const k = knownWith(f);
  return {
    sql: `${k.sql}
SELECT count(*)::BIGINT AS known, count(*) FILTER (WHERE first_msg IS NOT NULL)::BIGINT AS senders FROM known`,
    params: k.params,
  };
}

export function buildOverviewEventsSql(f: Filters): SqlPart {
  const w = eventWhere(f, 'e');
  return { sql: `SELECT e.kind, count(*)::BIGINT AS n FROM events e WHERE ${w.sql} GROUP BY 1`, params: w.params };
}

export const overview = defineMetric({
  key: 'overview',
  title: { zh: '概览', en: 'Overview' },
  args: z.object({}).strict(),
  async run(ctx): Promise<OverviewResult> {
    const { db, filters: f, signal } = ctx;
    const t = buildOverviewTotalsSql(f);
    const totals = (await db.one<{ messages: number; active: number; first_ts: string | null; last_ts: string | null; days: number }>(
      t.sql,
      t.params,
    ))!;
    checkAbort(signal);
    const k = buildOverviewKindsSql(f);
    const kinds = await db.all<{ kind: string; n: number }>(k.sql, k.params);
    const mb = buildOverviewMembersSql(f);
    const members = (await db.one<{ known: number; senders: number }>(mb.sql, mb.params))!;
    checkAbort(signal);
    const ev = buildOverviewEventsSql(f);
    const events = await db.all<{ kind: string; n: number }>(ev.sql, ev.params);

    const byKind = Object.fromEntries(MESSAGE_KINDS.map((x) => [x, 0])) as Record<MessageKind, number>;
    for (const r of kinds) if (r.kind in byKind) byKind[r.kind as MessageKind] = r.n;
    const eventsByKind = Object.fromEntries(EVENT_KINDS.map((x) => [x, 0])) as Record<EventKind, number>;
    for (const r of events) if (r.kind in eventsByKind) eventsByKind[r.kind as EventKind] = r.n;
    const n = totals.messages;
    const media = MEDIA_KINDS.reduce((s, x) => s + byKind[x], 0);
    const share = (x: number): number => (n === 0 ? 0 : x / n);
    return {
      messages: n,
      membersKnown: members.known,
      senders: members.senders,
      activeMembers: totals.active,
      silentMembers: members.known - totals.active,
      byKind,
      share: { text: share(byKind.text), media: share(media), link: share(byKind.link), other: share(byKind.other) },
      firstTs: totals.first_ts,
      lastTs: totals.last_ts,
      daysSpanned: totals.days,
      messagesPerDay: totals.days === 0 ? 0 : n / totals.days,
      events: events.reduce((s, r) => s + r.n, 0),
      eventsByKind,
    };
  },
});
