import { listValue } from '@duckdb/node-api';
import { Database } from '../../../../electron/engine/db/database.js';
import { refreshDerived } from '../../../../electron/engine/derive.js';
import type { MetricContext } from '../../../../electron/engine/metrics/types.js';
import type { Filters } from '../../../../shared/filters.js';

/** A member of the tiny dataset; `name` is the latest name (members.name). */
export interface FxMember {
  id: number;
  name: string;
  group?: number;
}

/** A message; `as` is the name the sender used at that moment (defaults to the latest name). */
export interface FxMessage {
  id?: number;
  member: number;
  ts: string;
  text?: string;
  kind?: string;
  terms?: string[] | null;
  mentions?: string[];
  replyTo?: number;
  group?: number;
  as?: string;
}

export interface FxEvent {
  kind: string;
  ts: string;
  subject?: number;
  actor?: number;
  group?: number;
}

export interface FxSpec {
  groups?: number[];
  members: FxMember[];
  messages: FxMessage[];
  events?: FxEvent[];
}

/**
 * Builds an in-memory database from a small, self-describing dataset. member_names is derived the
 * way the loader does it: one row per (member, name used) with first/last seen and message count.
 * Message ids default to 1, 2, 3… in the order given; empty lists are stored as NULL.
 */
export async function makeDb(spec: FxSpec): Promise<Database> {
  const db = await Database.open(':memory:');
  const groups = spec.groups ?? [1];
  for (const g of groups) {
    await db.run(`INSERT INTO groups VALUES ($id, 'qq', $key, $name, 'group')`, { id: g, key: `g${g}`, name: `群${g}` });
  }
  const byId = new Map<number, FxMember>();
  for (const m of spec.members) {
    byId.set(m.id, m);
    await db.run(`INSERT INTO members (id, group_id, key, platform_id, name, person_id) VALUES ($id, $g, $key, NULL, $name, $id)`, { id: m.id, g: m.group ?? groups[0]!, key: `k${m.id}`, name: m.name });
  }
  const names = new Map<string, { member: number; name: string; first: string; last: string; n: number }>();
  let nextId = 1;
  for (const msg of spec.messages) {
    const id = msg.id ?? nextId;
    nextId = Math.max(nextId, id) + 1;
    const member = byId.get(msg.member);
    if (!member) throw new Error(`fixture: unknown member ${msg.member}`);
    const text = msg.text ?? (msg.terms ?? []).join(' ');
    await db.run(
      `INSERT INTO messages (id, group_id, member_id, source_id, line, ts, kind, text, reply_to, mentions, terms, chars, fp, author_id)
       VALUES ($id, $g, $member, 1, $id, CAST($ts AS TIMESTAMP), $kind, $text, $reply, $mentions, $terms, $chars, $id, $member)`,
      {
        id,
        g: msg.group ?? member.group ?? groups[0]!,
        member: msg.member,
        ts: msg.ts,
        kind: msg.kind ?? 'text',
        text,
        reply: msg.replyTo ?? null,
        mentions: msg.mentions && msg.mentions.length ? listValue(msg.mentions) : null,
        terms: msg.terms && msg.terms.length ? listValue(msg.terms) : null,
        chars: text.length,
      },
    );
    const name = msg.as ?? member.name;
    const key = `${msg.member}\u0000${name}`;
    const row = names.get(key);
    if (!row) names.set(key, { member: msg.member, name, first: msg.ts, last: msg.ts, n: 1 });
    else {
      if (msg.ts < row.first) row.first = msg.ts;
      if (msg.ts > row.last) row.last = msg.ts;
      row.n++;
    }
  }
  for (const r of names.values()) {
    await db.run(`INSERT INTO member_names VALUES ($m, $name, CAST($f AS TIMESTAMP), CAST($l AS TIMESTAMP), $n)`, {
      m: r.member, name: r.name, f: r.first, l: r.last, n: r.n,
    });
  }
  let ev = 1;
  for (const e of spec.events ?? []) {
    const g = e.group ?? (e.subject !== undefined ? byId.get(e.subject)?.group : undefined) ?? groups[0]!;
    await db.run(
      `INSERT INTO events VALUES ($id, $g, 1, $id, CAST($ts AS TIMESTAMP), NULL, $kind, $actor, $subject, '', $id, $actor, $subject)`,
      { id: ev++, g, ts: e.ts, kind: e.kind, actor: e.actor ?? null, subject: e.subject ?? null },
    );
  }
  // Rows inserted by hand: the derived tables the metrics read are built the way an import builds them.
  await refreshDerived(db, null);
  return db;
}

export const ctxOf = (db: Database, filters: Filters = {}): MetricContext => ({ db, filters });

/** `YYYY-MM-DD HH:MM:SS` for day offset `d` from 2024-01-01 (a Monday) plus minutes. */
export function at(d: number, minutes = 0): string {
  const t = new Date(Date.UTC(2024, 0, 1) + d * 86_400_000 + minutes * 60_000);
  return t.toISOString().slice(0, 19).replace('T', ' ');
}
