/**
 * Hand-made identity decisions: "these members are one person" (merge) and "this member is not
 * who I merged them with" (split). Decisions are kept as an append-only log (identity_ops) and the
 * derived state — members.merged_into, members.person_id, messages.member_id, events.actor_id /
 * subject_id — is recomputed by replaying the log, so any decision can be undone and a later import
 * lands on the merged identity. The raw import (messages.author_id, events.*_raw, member_names) is
 * never changed.
 *
 * Within a group, merged members become one member (the first one listed in that group stands for
 * all; its name becomes the latest name any of them used). Across groups, merged members stay
 * members of their own groups and become one person (members.person_id), which cross-group views
 * (Compare's overlap) read.
 */
import { listValue } from '@duckdb/node-api';
import type { Database } from './db/database.js';
import { refreshDerived, staleGroups } from './derive.js';
import { refreshMemberNames } from './ingest/merge.js';
import type { IdentityOp } from '../../shared/api.js';

export type { IdentityOp };

interface MemberRow {
  id: number;
  group_id: number;
  platform: string;
  ident: string | null;
}

/** Merges members into one identity; the first member stands for the others of its group. */
export async function mergeMembers(db: Database, members: readonly number[]): Promise<IdentityOp> {
  const ids = [...new Set(members)];
  if (ids.length < 2) throw new Error('merge needs at least two different members');
  await requireMembers(db, ids);
  const op = await record(db, 'merge', ids);
  await replay(db);
  return op;
}

/** Takes one member out of whatever it was merged with (by hand or by a shared platform id). */
export async function splitMember(db: Database, member: number): Promise<IdentityOp> {
  await requireMembers(db, [member]);
  const op = await record(db, 'split', [member]);
  await replay(db);
  return op;
}

/** Undoes the latest decision still in force; null when there is none. */
export async function undoIdentity(db: Database): Promise<IdentityOp | null> {
  const last = await db.one<{ id: number }>(`SELECT max(id) AS id FROM identity_ops WHERE undone_at IS NULL`);
  if (!last || last.id === null) return null;
  await db.transaction(async () => {
    await db.run(`UPDATE identity_ops SET undone_at = now()::TIMESTAMP WHERE id = $id`, { id: last.id });
    await replayInTx(db);
  });
  return (await listIdentityOps(db)).find((o) => o.id === last.id) ?? null;
}

/** Every decision, newest first, with the members' current names. */
export async function listIdentityOps(db: Database): Promise<IdentityOp[]> {
  const rows = await db.all<{ id: number; op: 'merge' | 'split'; members: number[]; created_at: string; undone_at: string | null }>(
    `SELECT id, op, members, CAST(created_at AS VARCHAR) AS created_at, CAST(undone_at AS VARCHAR) AS undone_at FROM identity_ops ORDER BY id DESC`,
  );
  const ids = [...new Set(rows.flatMap((r) => r.members))];
  const names = new Map<number, { name: string; group: string }>();
  if (ids.length) {
    for (const r of await db.all<{ id: number; name: string; grp: string }>(
      `SELECT m.id, m.name, g.name AS grp FROM members m JOIN groups g ON g.id = m.group_id WHERE list_contains($ids, m.id)`,
      { ids: listValue(ids) },
    )) names.set(r.id, { name: r.name, group: r.grp });
  }
  return rows.map((r) => ({
    id: r.id, op: r.op, createdAt: r.created_at, undoneAt: r.undone_at,
    members: r.members.map((id) => ({ id, name: names.get(id)?.name ?? `#${id}`, group: names.get(id)?.group ?? '' })),
  }));
}

async function requireMembers(db: Database, ids: readonly number[]): Promise<void> {
  const found = await db.all<{ id: number }>(`SELECT id FROM members WHERE list_contains($ids, id)`, { ids: listValue([...ids]) });
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw new Error(`no member with id ${missing.join(', ')}`);
}

async function record(db: Database, op: 'merge' | 'split', members: number[]): Promise<IdentityOp> {
  const id = await db.transaction(async () => {
    const next = (await db.one<{ id: number }>(`SELECT coalesce(max(id), 0) + 1 AS id FROM identity_ops`))!.id;
    await db.run(`INSERT INTO identity_ops VALUES ($id, $op, $m, now()::TIMESTAMP, NULL)`, { id: next, op, m: listValue(members) });
    return next;
  });
  return (await listIdentityOps(db)).find((o) => o.id === id)!;
}

/** Recomputes every derived identity column from the log, in one transaction. */
export async function replay(db: Database): Promise<void> {
  await db.transaction(() => replayInTx(db));
}

async function replayInTx(db: Database): Promise<void> {
  const members = await db.all<MemberRow>(
    `SELECT m.id, m.group_id, g.platform, coalesce(m.platform_id, CASE WHEN starts_with(m.key, 'tel:') THEN m.key END) AS ident
     FROM members m JOIN groups g ON g.id = m.group_id ORDER BY m.id`,
  );
  const ops = await db.all<{ op: 'merge' | 'split'; members: number[] }>(
    `SELECT op, members FROM identity_ops WHERE undone_at IS NULL ORDER BY id`,
  );
  const state = derive(members, ops);
  await db.run(`CREATE OR REPLACE TEMP TABLE id_state (id INTEGER, merged_into INTEGER, person_id INTEGER)`);
  const app = await db.conn.createAppender('id_state', 'main', 'temp');
  for (const [id, s] of state) {
    app.appendInteger(id);
    if (s.mergedInto === null) app.appendNull();
    else app.appendInteger(s.mergedInto);
    app.appendInteger(s.person);
    app.endRow();
  }
  app.closeSync();
  await db.run(`UPDATE members SET merged_into = s.merged_into, person_id = s.person_id FROM id_state s
    WHERE members.id = s.id AND (members.merged_into IS DISTINCT FROM s.merged_into OR members.person_id IS DISTINCT FROM s.person_id)`);
  await db.run(`UPDATE messages SET member_id = e.eff FROM (SELECT id, coalesce(merged_into, id) AS eff FROM members) e
    WHERE messages.author_id = e.id AND messages.member_id <> e.eff`);
  await db.run(`UPDATE events SET actor_id = e.eff FROM (SELECT id, coalesce(merged_into, id) AS eff FROM members) e
    WHERE events.actor_raw = e.id AND events.actor_id IS DISTINCT FROM e.eff`);
  await db.run(`UPDATE events SET subject_id = e.eff FROM (SELECT id, coalesce(merged_into, id) AS eff FROM members) e
    WHERE events.subject_raw = e.id AND events.subject_id IS DISTINCT FROM e.eff`);
  await refreshMemberNames(db, true);
  await db.run(`DROP TABLE IF EXISTS temp.id_state`);
  await refreshDerived(db, await staleGroups(db));
}

export interface DerivedIdentity {
  mergedInto: number | null;
  person: number;
}

/**
 * Pure: the identity state after replaying `ops` over members' default persons (same platform and
 * platform id / phone number → the lowest member id of them). A merge makes, per group, the first
 * listed member of that group the root of the others, and gives all of them the first member's
 * person; a split detaches one member (its own root, a person of its own: −id, so it never meets a
 * default person).
 */
export function derive(members: readonly MemberRow[], ops: ReadonlyArray<{ op: 'merge' | 'split'; members: readonly number[] }>): Map<number, DerivedIdentity> {
  const group = new Map<number, number>();
  const parent = new Map<number, number | null>();
  const person = new Map<number, number>();
  const byIdent = new Map<string, number>();
  for (const m of members) {
    group.set(m.id, m.group_id);
    parent.set(m.id, null);
    const k = m.ident === null ? null : `${m.platform}\u0000${m.ident}`;
    const first = k === null ? undefined : byIdent.get(k);
    if (k !== null && first === undefined) byIdent.set(k, m.id);
    person.set(m.id, first ?? m.id);
  }
  const root = (id: number): number => {
    let r = id;
    for (let hops = 0; hops < 10_000; hops++) {
      const p = parent.get(r);
      if (p === null || p === undefined) return r;
      r = p;
    }
    return r;
  };
  for (const op of ops) {
    const ids = op.members.filter((id) => group.has(id));
    if (op.op === 'split') {
      for (const id of ids) {
        // The member leaves its cluster; members merged into it stay together under the first of them.
        const kids = [...parent].filter(([, p]) => p === id).map(([k]) => k);
        const clusterPerson = person.get(root(id))!;
        parent.set(id, null);
        if (kids.length) {
          parent.set(kids[0]!, null);
          for (const k of kids.slice(1)) parent.set(k, kids[0]!);
          person.set(kids[0]!, clusterPerson);
        }
        person.set(id, -id);
      }
      continue;
    }
    if (ids.length < 2) continue;
    const target = person.get(root(ids[0]!))!;
    const heads = new Map<number, number>();
    for (const id of ids) {
      const r = root(id);
      const g = group.get(r)!;
      const head = heads.get(g);
      if (head === undefined) heads.set(g, r);
      else if (head !== r) parent.set(r, head);
    }
    // Everyone now under one of the heads, and every member sharing a person with them, is one person.
    const old = new Set(ids.map((id) => person.get(root(id))!));
    for (const id of ids) old.add(person.get(id)!);
    for (const [id, p] of person) if (old.has(p)) person.set(id, target);
  }
  const out = new Map<number, DerivedIdentity>();
  for (const m of members) {
    const r = root(m.id);
    out.set(m.id, { mergedInto: r === m.id ? null : r, person: person.get(r)! });
  }
  return out;
}
