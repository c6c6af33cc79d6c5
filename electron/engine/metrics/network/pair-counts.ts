import type { EdgeWeights } from '../../../../shared/metrics/network.js';

/** Interaction pairs as columns, one row per (source, target), ascending by source then target. */
export interface PairColumns {
  rows: number;
  cols: { source: Int32Array; target: Int32Array; replies: Int32Array; mentions: Int32Array; adjacent: Int32Array; weight: Float64Array };
}

/** Edge kinds of the edge rows (buildEdgeRowsSql). */
export const KIND = { reply: 1, mention: 2, adjacent: 3 } as const;

/** Member ids up to this are compacted through a flat array (ids are a library's serial numbers). */
const DENSE_MAX = 1 << 24;

/**
 * Compacts member ids to 0..n−1 in ascending id order: `at(id)` is the index, `ids[i]` the id;
 * `dense[id]` the same as `at` when the ids fit a flat array (null otherwise). Every id passed to
 * `at` must be among `lists`.
 */
export function compactIds(lists: readonly Int32Array[]): { ids: Int32Array; at: (id: number) => number; dense: Int32Array | null } {
  let min = 0;
  let max = -1;
  for (const l of lists) for (let i = 0; i < l.length; i++) {
    const v = l[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= 0 && max < DENSE_MAX) {
    const at = new Int32Array(max + 1).fill(-1);
    for (const l of lists) for (let i = 0; i < l.length; i++) at[l[i]!] = 0;
    let n = 0;
    for (let id = 0; id <= max; id++) if (at[id] === 0) at[id] = n++;
    const ids = new Int32Array(n);
    for (let id = 0; id <= max; id++) if (at[id]! >= 0) ids[at[id]!] = id;
    return { ids, at: (id) => at[id]!, dense: at };
  }
  const seen = new Set<number>();
  for (const l of lists) for (let i = 0; i < l.length; i++) seen.add(l[i]!);
  const ids = Int32Array.from([...seen].sort((a, b) => a - b));
  const at = new Map<number, number>();
  ids.forEach((id, i) => at.set(id, i));
  return { ids, at: (id) => at.get(id)!, dense: null };
}

/**
 * Pure: what buildInteractionsSql computes, from one row per edge (source, target, kind; self-edges
 * and filtered members already dropped): the edges of each (source, target) counted by kind,
 * weight = (replies · w.reply + mentions · w.mention) + adjacent · w.adjacent (the SQL's order of
 * operations, so the same doubles), pairs lighter than `minWeight` dropped, ordered by source then
 * target. A counting sort by source over compacted ids, then a typed sort within each source: DuckDB's
 * hash aggregation and sort of ≈ 9·10^5 edges into ≈ 5·10^5 pairs, and the copy of the pairs, took
 * about twice as long (1M messages).
 */
export function countPairs(source: Int32Array, target: Int32Array, kind: Int32Array, w: EdgeWeights, minWeight: number): PairColumns {
  const e = source.length;
  let pairs = e > 0 ? 1 : 0;
  let sorted = true;
  for (let i = 1; i < e; i++) {
    const ds = source[i]! - source[i - 1]!;
    const dt = target[i]! - target[i - 1]!;
    if (ds < 0 || (ds === 0 && dt < 0)) {
      sorted = false;
      break;
    }
    if (ds !== 0 || dt !== 0) pairs++;
  }
  if (sorted) return countSortedPairs(source, target, kind, w, minWeight, pairs);
  const { ids, at } = compactIds([source, target]);
  const n = ids.length;
  // Bucket the edges by source (counting sort), each as target · 4 + kind; then count each bucket's
  // targets in ascending order: by sorting it (equal targets become runs), or for a big bucket by
  // counting per target and reading every target in turn.
  const start = new Int32Array(n + 1);
  const s = new Int32Array(e);
  for (let i = 0; i < e; i++) {
    s[i] = at(source[i]!);
    start[s[i]! + 1]!++;
  }
  for (let i = 0; i < n; i++) start[i + 1] = start[i + 1]! + start[i]!;
  const fill = start.slice(0, n);
  const tk = new Int32Array(e);
  for (let i = 0; i < e; i++) tk[fill[s[i]!]!++] = at(target[i]!) * 4 + kind[i]!;
  const cols = {
    source: new Int32Array(e), target: new Int32Array(e), replies: new Int32Array(e), mentions: new Int32Array(e),
    adjacent: new Int32Array(e), weight: new Float64Array(e),
  };
  let rows = 0;
  const emit = (u: number, v: number, r: number, m: number, a: number): void => {
    const weight = r * w.reply + m * w.mention + a * w.adjacent;
    if (weight < minWeight) return;
    cols.source[rows] = ids[u]!;
    cols.target[rows] = ids[v]!;
    cols.replies[rows] = r;
    cols.mentions[rows] = m;
    cols.adjacent[rows] = a;
    cols.weight[rows] = weight;
    rows++;
  };
  // Per target counters for buckets big enough that one pass over every target costs less than
  // sorting the bucket; zeroed again as they are read.
  const byKind = [new Int32Array(0), new Int32Array(n), new Int32Array(n), new Int32Array(n)] as const;
  for (let u = 0; u < n; u++) {
    const end = start[u + 1]!;
    let i = start[u]!;
    const size = end - i;
    if (size * Math.log2(size + 1) > n) {
      for (; i < end; i++) byKind[tk[i]! & 3]![tk[i]! >> 2]!++;
      const [, r, m, a] = byKind;
      for (let v = 0; v < n; v++) {
        if (r[v] === 0 && m[v] === 0 && a[v] === 0) continue;
        emit(u, v, r[v]!, m[v]!, a[v]!);
        r[v] = m[v] = a[v] = 0;
      }
      continue;
    }
    tk.subarray(i, end).sort();
    while (i < end) {
      const v = tk[i]! >> 2;
      let r = 0;
      let m = 0;
      let a = 0;
      for (; i < end && tk[i]! >> 2 === v; i++) {
        const k = tk[i]! & 3;
        if (k === KIND.reply) r++;
        else if (k === KIND.mention) m++;
        else if (k === KIND.adjacent) a++;
      }
      emit(u, v, r, m, a);
    }
  }
  return trim(cols, rows);
}

/** countPairs of edges already in (source, target) order, `pairs` distinct: equal pairs are runs. */
function countSortedPairs(source: Int32Array, target: Int32Array, kind: Int32Array, w: EdgeWeights, minWeight: number, pairs: number): PairColumns {
  const e = source.length;
  // Sized to the pairs, not the edges: zeroing columns for 10^7 edges cost more than counting.
  const cols = {
    source: new Int32Array(pairs), target: new Int32Array(pairs), replies: new Int32Array(pairs), mentions: new Int32Array(pairs),
    adjacent: new Int32Array(pairs), weight: new Float64Array(pairs),
  };
  const { replies, mentions, adjacent } = cols;
  let row = -1;
  for (let i = 0; i < e; i++) {
    if (i === 0 || source[i] !== source[i - 1] || target[i] !== target[i - 1]) {
      row++;
      cols.source[row] = source[i]!;
      cols.target[row] = target[i]!;
    }
    const k = kind[i];
    if (k === KIND.reply) replies[row]!++;
    else if (k === KIND.mention) mentions[row]!++;
    else if (k === KIND.adjacent) adjacent[row]!++;
  }
  let rows = 0;
  for (let p = 0; p < pairs; p++) {
    const weight = replies[p]! * w.reply + mentions[p]! * w.mention + adjacent[p]! * w.adjacent;
    if (weight < minWeight) continue;
    if (rows !== p) {
      cols.source[rows] = cols.source[p]!;
      cols.target[rows] = cols.target[p]!;
      replies[rows] = replies[p]!;
      mentions[rows] = mentions[p]!;
      adjacent[rows] = adjacent[p]!;
    }
    cols.weight[rows] = weight;
    rows++;
  }
  return rows === pairs ? { rows, cols } : trim(cols, rows);
}

function trim(cols: PairColumns['cols'], rows: number): PairColumns {
  const cut = <T extends Int32Array | Float64Array>(x: T): T => x.slice(0, rows) as T;
  return {
    rows,
    cols: {
      source: cut(cols.source), target: cut(cols.target), replies: cut(cols.replies), mentions: cut(cols.mentions),
      adjacent: cut(cols.adjacent), weight: cut(cols.weight),
    },
  };
}
