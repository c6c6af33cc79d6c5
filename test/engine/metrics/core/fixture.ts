import { listValue } from '@duckdb/node-api';
import { Database } from '../../../../electron/engine/db/database.js';
import { refreshDerived } from '../../../../electron/engine/derive.js';
import type { MetricContext } from '../../../../electron/engine/metrics/types.js';
import type { Filters } from '../../../../shared/filters.js';

/** A hand-built dataset: only what the metrics read. Ids are given explicitly so tests can name them. */
export interface Dataset {
  groups?: Array<{ id: number; name?: string; platform?: string }>;
  /** [id, name, group (default 1), platform_id (default 'p<id>'; null for name-only identities)]. */
  members: Array<[number, string, number?, (string | null)?]>;
  /** [member_id, name, first_seen, last_seen, messages]. */
  names?: Array<[number, string, string, string, number]>;
  messages: Msg[];
  events?: Ev[];
}

export interface Msg {
  id: number;
  who: number;
  ts: string;
  text?: string;
  kind?: string;
  group?: number;
  reply?: number;
  mentions?: string[];
  chars?: number;
}

export interface Ev {
  id?: number;
  kind: string;
  ts: string;
  subject?: number;
  actor?: number;
  group?: number;
}

/** Shorthand for a text message. */
export const msg = (id: number, who: number, ts: string, text = 'x', extra: Partial<Msg> = {}): Msg => ({
  id,
  who,
  ts,
  text,
  ...extra,
});

export async function openDb(d: Dataset): Promise<Database> {
  const db = await Database.open(':memory:');
  const groupOf = new Map<number, number>();
  for (const g of d.groups ?? [{ id: 1 }]) {
    await db.run(`INSERT INTO groups VALUES ($id, $p, $k, $n, 'group')`, {
      id: g.id,
      p: g.platform ?? 'qq',
      k: `g${g.id}`,
      n: g.name ?? `group ${g.id}`,
    });
  }
  for (const [id, name, group = 1, pid] of d.members) {
    groupOf.set(id, group);
    const platformId = pid === undefined ? `p${id}` : pid;
    await db.run(`INSERT INTO members (id, group_id, key, platform_id, name) VALUES ($id, $g, $k, $pid, $n)`, {
      id,
      g: group,
      k: platformId ?? `name:${name}`,
      pid: platformId,
      n: name,
    });
  }
  for (const [mid, name, first, last, n] of d.names ?? []) {
    await db.run(`INSERT INTO member_names VALUES ($m, $n, CAST($f AS TIMESTAMP), CAST($l AS TIMESTAMP), $c)`, {
      m: mid,
      n: name,
      f: first,
      l: last,
      c: n,
    });
  }
  let line = 0;
  for (const m of d.messages) {
    const text = m.text ?? 'x';
    await db.run(
      `INSERT INTO messages (id, group_id, member_id, source_id, line, ts, kind, text, reply_to, mentions, chars, fp, author_id)
       VALUES ($id, $g, $who, 1, $line, CAST($ts AS TIMESTAMP), $kind, $text, $reply, CAST($mentions AS VARCHAR[]), $chars, $id, $who)`,
      {
        id: m.id,
        g: m.group ?? groupOf.get(m.who) ?? 1,
        who: m.who,
        line: ++line,
        ts: m.ts,
        kind: m.kind ?? 'text',
        text,
        reply: m.reply ?? null,
        mentions: m.mentions && m.mentions.length > 0 ? listValue(m.mentions) : null,
        chars: m.chars ?? text.length,
      },
    );
  }
  let eid = 0;
  for (const e of d.events ?? []) {
    const id = e.id ?? ++eid + 100_000;
    await db.run(
      `INSERT INTO events VALUES ($id, $g, 1, $line, CAST($ts AS TIMESTAMP), NULL, $kind, $actor, $subject, '', $id, $actor, $subject)`,
      {
        id,
        g: e.group ?? (e.subject !== undefined ? groupOf.get(e.subject) : e.actor !== undefined ? groupOf.get(e.actor) : 1) ?? 1,
        line: ++line,
        ts: e.ts,
        kind: e.kind,
        actor: e.actor ?? null,
        subject: e.subject ?? null,
      },
    );
  }
  await db.run(DEFAULT_PERSONS_SQL);
  // Rows inserted by hand: the derived tables the metrics read are built the way an import builds them.
  await refreshDerived(db, null);
  return db;
}

export const ctx = (db: Database, filters: Filters = {}): MetricContext => ({ db, filters });

/** Asserts that a SQL builder bound every filter value instead of writing it into the text. */
export function expectBound(sql: string, params: Record<string, unknown>, values: string[]): string[] {
  const problems: string[] = [];
  for (const v of values) if (sql.includes(v)) problems.push(`value ${v} interpolated`);
  if (Object.keys(params).length === 0) problems.push('no params');
  return problems;
}

/**
 * The shared tiny dataset (group 1 "运营群", group 2 "二群"). 2024-01-01 is a Monday.
 * Members: 1 Alice, 2 Bob, 3 Carol, 4 Dan (silent: invited only), 5 Eve (joined, spoke, left) in
 * group 1; 6 Alice (same platform id as 1), 7 Frank, 8 Gina (no platform id) in group 2.
 */
export const TINY: Dataset = {
  groups: [
    { id: 1, name: '运营群' },
    { id: 2, name: '二群' },
  ],
  members: [
    [1, 'Alice', 1, 'a1'],
    [2, 'Bob', 1, 'b2'],
    [3, 'Carol', 1, 'c3'],
    [4, 'Dan', 1, 'd4'],
    [5, 'Eve', 1, 'e5'],
    [6, 'Alice', 2, 'a1'],
    [7, 'Frank', 2, 'f7'],
    [8, 'Gina', 2, null],
  ],
  names: [
    [1, 'Ali', '2024-01-01 09:00:00', '2024-01-01 09:20:00', 2],
    [1, 'Alice', '2024-01-02 20:00:00', '2024-02-01 09:00:00', 4],
  ],
  messages: [
    msg(1, 1, '2024-01-01 09:00:00', '大家好，我是Alice，来自杭州'), // 16 chars
    msg(2, 2, '2024-01-01 09:10:00', '欢迎 @Alice', { mentions: ['Alice'] }), // 9
    msg(3, 1, '2024-01-01 09:20:00', '[图片]', { kind: 'image' }), // 4
    msg(4, 3, '2024-01-01 10:00:00', '这个怎么用？'), // 6
    msg(5, 1, '2024-01-02 20:00:00', '打卡'), // 2
    msg(6, 2, '2024-01-02 20:05:00', 'http://x.com', { kind: 'link', reply: 5 }), // 12
    msg(7, 1, '2024-01-03 08:00:00', '打卡'), // 2
    msg(8, 5, '2024-01-08 12:00:00', '有人在吗'), // 4
    msg(9, 1, '2024-01-08 12:10:00', '在', { reply: 8 }), // 1
    msg(10, 1, '2024-02-01 09:00:00', '打卡'), // 2
    msg(11, 2, '2024-02-01 21:00:00', '[语音]', { kind: 'voice' }), // 4
    msg(12, 3, '2024-02-05 23:30:00', 'ok'), // 2
    msg(13, 6, '2024-01-10 10:00:00', 'hi'),
    msg(14, 7, '2024-01-10 10:05:00', '[表情]', { kind: 'sticker' }),
    msg(15, 8, '2024-01-11 11:00:00', 'hello?'),
  ],
  events: [
    { kind: 'join', ts: '2024-01-01 08:00:00', subject: 1 },
    { kind: 'invite', ts: '2024-01-01 08:30:00', subject: 4, actor: 2 },
    { kind: 'join', ts: '2024-01-05 10:00:00', subject: 5 },
    { kind: 'leave', ts: '2024-01-20 10:00:00', subject: 5 },
    { kind: 'title', ts: '2024-01-02 00:00:00', actor: 2 },
    { kind: 'join', ts: '2024-01-10 09:00:00', subject: 7 },
  ],
};

/** Default persons, as the loader assigns them: the same platform id on the same platform is one person. */
export const DEFAULT_PERSONS_SQL = `UPDATE members SET person_id = d.pid FROM (
  SELECT m.id, min(m.id) OVER (PARTITION BY g.platform, coalesce(m.platform_id, 'member:' || m.id)) AS pid
  FROM members m JOIN groups g ON g.id = m.group_id) d WHERE members.id = d.id`;
