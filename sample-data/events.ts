/**
 * The vocabulary of the simulation: members, the events it emits (what writers turn into export
 * lines) and its pending actions, kept in a binary min-heap ordered by time, then by insertion
 * order so equal times stay deterministic.
 */
import type { Person, Rng } from './people.js';
import type { Flavor } from './vocab.js';

export type Role = 'admin' | 'bot' | 'hub' | 'regular' | 'checkin' | 'churner' | 'lurker' | 'silent' | 'spammer';
export type MsgKind = 'text' | 'image' | 'sticker' | 'voice' | 'video' | 'file';
/** What the simulation meant a message to be (ground truth for pattern detectors). */
export type Tag = 'chat' | 'question' | 'answer' | 'checkin' | 'intro' | 'welcome' | 'greet' | 'thanks' | 'bot' | 'spam' | 'admin';

export interface Member {
  p: Person;
  role: Role;
  /** Group card (群名片) set by the member; null until they set one. */
  card: string | null;
  /** Name shown in the group right now: the card, else the profile nickname. */
  name: string;
  present: boolean;
  joinDay: number;
  base: number;
  /** How strongly this member's messages attract replies. */
  draw: number;
  churnDay: number;
  ck: { n: number; min: number; style: number; until: number } | null;
}

export interface MsgEvent {
  type: 'msg';
  seq: number;
  t: number;
  sender: Member;
  /** Sender's shown name at the time. */
  name: string;
  kind: MsgKind;
  /** Body after the mention; sticker emoji or file name for media. */
  text: string;
  /** Text before the mention (e.g. `欢迎`). */
  pre: string;
  mention: Member | null;
  mentionName: string;
  reply: MsgEvent | null;
  tag: Tag;
  topic: number;
}

export interface MemberEvent {
  type: 'join' | 'invite' | 'leave' | 'remove' | 'recall' | 'poke' | 'rename';
  seq: number;
  t: number;
  subject: Member;
  /** Subject's shown name at the time (the new name for a rename). */
  name: string;
  actor: Member | null;
  actorName: string;
  /** Old name, for renames. */
  prev: string;
}

export type SimEvent = MsgEvent | MemberEvent;

export interface GroupSpec {
  name: string;
  flavor: Flavor;
  seed: string;
  /** Member messages to emit; the run stops right after the last one. */
  messages: number;
  /** Planned span; the run may end a little earlier or later to hit `messages` exactly. */
  days: number;
  /** First day, `YYYY-MM-DD` (wall clock, Asia/Shanghai). */
  start: string;
  /** Everyone who is ever in the group: [0] is the admin, [1] the announcer bot. */
  people: Person[];
  /** Share of `people` already in the group at the start. */
  initialShare: number;
}

/** A conversation in progress: one message per step, the next step a little later. */
export interface Burst {
  topic: number;
  left: number;
  n: number;
  parts: Member[];
  last: Member | null;
  prev: MsgEvent | null;
}

interface At {
  t: number;
  /** Insertion order; set by the heap. */
  o: number;
}

export type Action = At &
  (
    | { k: 'burst'; b: Burst }
    | { k: 'bot'; what: 'daily' | 'weekly' | 'remind' | 'campaign' }
    | { k: 'checkin' | 'welcome' | 'intro' | 'leave' | 'remove'; m: Member }
    | { k: 'join'; m: Member; by: Member | null }
    | { k: 'greet'; m: Member; target: MsgEvent }
    | { k: 'card'; m: Member; card: string }
    | { k: 'answer'; q: MsgEvent }
    | { k: 'thanks'; a: MsgEvent }
    | { k: 'spam'; m: Member; left: number }
    | { k: 'say'; m: Member; text: string; tag: Tag }
  );

const before = (a: At, b: At): boolean => a.t < b.t || (a.t === b.t && a.o < b.o);

export class Heap {
  private readonly a: Action[] = [];
  private order = 0;

  get size(): number {
    return this.a.length;
  }

  peek(): Action {
    return this.a[0]!;
  }

  push(x: Action): void {
    x.o = this.order++;
    const a = this.a;
    let i = a.length;
    a.push(x);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(x, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
  }

  pop(): Action {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    const n = a.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && before(a[l + 1]!, a[l]!) ? l + 1 : l;
        if (!before(a[c]!, last)) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

// Tuning: messages by hour (weekday, weekend) and by weekday; per role, how much a member talks
// (BASE) and how strongly their messages attract replies (DRAW); the mix of roles.
export const HOURS_WEEKDAY = [0.25, 0.12, 0.06, 0.04, 0.03, 0.05, 0.15, 0.45, 0.9, 1.3, 1.4, 1.25, 1.0, 0.9, 1.1, 1.2, 1.2, 1.1, 0.9, 1.1, 1.6, 2.0, 1.8, 0.8];
export const HOURS_WEEKEND = [0.4, 0.25, 0.1, 0.05, 0.03, 0.03, 0.06, 0.15, 0.35, 0.7, 1.0, 1.1, 1.0, 1.0, 1.1, 1.1, 1.0, 1.0, 1.0, 1.2, 1.5, 1.7, 1.5, 0.9];
export const DAY_FACTOR = [0.65, 1.0, 1.05, 1.0, 1.0, 0.95, 0.75]; // Sunday first, like getUTCDay()
export const BASE: Record<Role, number> = { admin: 9, bot: 0, hub: 30, regular: 6, checkin: 2.5, churner: 8, lurker: 0.4, silent: 0, spammer: 0 };
export const DRAW: Record<Role, number> = { admin: 3, bot: 0.2, hub: 6, regular: 1.2, checkin: 0.8, churner: 1, lurker: 0.6, silent: 0.6, spammer: 0.1 };
export const INITIAL_MIX: [Role, number][] = [['hub', 0.05], ['regular', 0.24], ['checkin', 0.06], ['churner', 0.15], ['lurker', 0.25], ['silent', 0.25]];
export const JOINER_MIX: [Role, number][] = [['hub', 0.02], ['regular', 0.2], ['checkin', 0.06], ['churner', 0.22], ['lurker', 0.25], ['silent', 0.22], ['spammer', 0.03]];

export const cumulate = (w: readonly number[]): Float64Array<ArrayBuffer> => {
  const c = new Float64Array(w.length);
  let s = 0;
  w.forEach((x, i) => (c[i] = s += x));
  return c;
};
export const HOUR_CUM = [cumulate(HOURS_WEEKDAY), cumulate(HOURS_WEEKEND)] as const;

/** Index of the first cumulative weight above x. */
export const search = (cum: Float64Array, x: number): number => {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

/** Roles in exact proportions, shuffled, so small groups still get hubs and check-in regulars. */
export function roleList(rng: Rng, n: number, mix: [Role, number][]): Role[] {
  const out: Role[] = [];
  for (const [role, share] of mix) for (let i = Math.max(role === 'hub' || role === 'checkin' ? 1 : 0, Math.round(n * share)); i > 0; i--) out.push(role);
  while (out.length < n) out.push('lurker');
  return rng.shuffle(out).slice(0, n);
}
