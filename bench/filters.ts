/**
 * The space random benchmark filters are drawn from (bench/lib.ts randomFilters draws them), shared
 * by the full benchmark (bench/child.ts) and the latency runner (bench/latency.ts) so both measure
 * the same filters for the same seed.
 */
import type { Engine } from '../electron/engine/engine.js';
import type { FilterSpace } from './lib.js';

export { randomFilters, Rng, type FilterSpace } from './lib.js';

/** The group's history, and its 50 most active senders as exclusion candidates. */
export async function filterSpace(engine: Engine, groupId: number): Promise<FilterSpace> {
  const g = (await engine.groups()).find((x) => x.id === groupId);
  // The most active senders: the ones a user excludes (bots, admins), and the ones that move results.
  const top = await engine.db.all<{ id: number }>(
    `SELECT member_id AS id FROM messages WHERE group_id = $g GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 50`, { g: groupId });
  return { groupId, from: g?.from ?? null, to: g?.to ?? null, members: top.map((r) => r.id) };
}
