import type { IndexedEdges } from './graph-algos.js';
import { compactIds } from './pair-counts.js';

/**
 * The interaction graph of a period over node indices: nodes are the given members (those with a
 * message) and the ends of every kept pair, ascending by id, so node i's id is `ids[i]` and the
 * order of ids is the order of indices. Edges keep the pairs' order.
 */
export interface PairGraph extends IndexedEdges {
  ids: Int32Array;
  /** Row of the pair columns each kept edge came from. */
  row: Int32Array;
  /** Index of a node's member id. */
  indexOf(id: number): number;
}

/**
 * Pure: keeps the pairs with weight > 0 and ≥ `minWeight` (source[k] → target[k], weight[k]) and
 * indexes their ends together with `members`.
 */
export function pairGraph(members: Iterable<number>, source: Int32Array, target: Int32Array, weight: Float64Array, minWeight: number): PairGraph {
  let m = 0;
  for (let k = 0; k < weight.length; k++) if (weight[k]! > 0 && weight[k]! >= minWeight) m++;
  let row: Int32Array;
  let s: Int32Array;
  let t: Int32Array;
  let weights: Float64Array;
  if (m === weight.length) {
    row = new Int32Array(m);
    for (let e = 0; e < m; e++) row[e] = e;
    s = source;
    t = target;
    weights = weight;
  } else {
    row = new Int32Array(m);
    for (let k = 0, e = 0; k < weight.length; k++) if (weight[k]! > 0 && weight[k]! >= minWeight) row[e++] = k;
    s = new Int32Array(m);
    t = new Int32Array(m);
    weights = new Float64Array(m);
    for (let e = 0; e < m; e++) {
      s[e] = source[row[e]!]!;
      t[e] = target[row[e]!]!;
      weights[e] = weight[row[e]!]!;
    }
  }
  const { ids, at, dense } = compactIds([Int32Array.from(members), s, t]);
  const src = new Int32Array(m);
  const dst = new Int32Array(m);
  if (dense) {
    for (let e = 0; e < m; e++) {
      src[e] = dense[s[e]!]!;
      dst[e] = dense[t[e]!]!;
    }
  } else {
    for (let e = 0; e < m; e++) {
      src[e] = at(s[e]!);
      dst[e] = at(t[e]!);
    }
  }
  return { ids, row, src, dst, weight: weights, indexOf: at };
}
