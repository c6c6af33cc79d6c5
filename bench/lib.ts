/**
 * Pure helpers of the benchmark harness (no I/O): size parsing, percentiles, /proc status
 * parsing, a seeded PRNG, random filters and markdown tables. Tested in test/bench/.
 */
import type { Filters } from '../shared/filters.js';

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*([km]?)$/i;

/** '100k' → 100000, '1m' → 1000000, '2500' → 2500. Throws on anything else. */
export function parseSize(s: string): number {
  const m = SIZE_RE.exec(s.trim().replace(/_/g, ''));
  if (!m) throw new Error(`bad size '${s}': use e.g. 100k, 1m, 10m or a plain number`);
  const mult = { '': 1, k: 1_000, m: 1_000_000 }[m[2]!.toLowerCase() as '' | 'k' | 'm'];
  const n = Math.round(Number(m[1]) * mult);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`bad size '${s}'`);
  return n;
}

/** '100k,1m' → [100000, 1000000], de-duplicated, in the order given. */
export function parseSizes(list: string): number[] {
  const out: number[] = [];
  for (const part of list.split(',').map((x) => x.trim()).filter(Boolean)) {
    const n = parseSize(part);
    if (!out.includes(n)) out.push(n);
  }
  if (out.length === 0) throw new Error('--sizes needs at least one size');
  return out;
}

/** 100000 → '100k', 1000000 → '1m', 2500 → '2.5k'. */
export function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 100_000 === 0) return `${n / 1_000_000}m`;
  if (n >= 1_000 && n % 100 === 0) return `${n / 1_000}k`;
  return String(n);
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const s = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1]!;
}

export interface ProcStatus {
  /** Current resident set, bytes. */
  rss: number | null;
  /** Peak resident set ("high water mark"), bytes. */
  hwm: number | null;
  ppid: number | null;
}

/** Reads VmRSS, VmHWM and PPid out of the text of /proc/<pid>/status (kB → bytes). */
export function parseProcStatus(text: string): ProcStatus {
  const kb = (key: string): number | null => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : null;
  };
  const pp = /^PPid:\s+(\d+)/m.exec(text);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), ppid: pp ? Number(pp[1]) : null };
}

/** Parent pid from the text of /proc/<pid>/stat (the command may contain spaces and parentheses). */
export function parseStatPpid(text: string): number | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text.slice(close + 2).split(' ');
  const n = Number(fields[1]);
  return Number.isInteger(n) ? n : null;
}

/** Every descendant of `root` (not root itself) given pid → ppid pairs. */
export function descendants(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (out.includes(p)) continue;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** mulberry32: tiny, fast, good enough for picking filters; same seed ⇒ same sequence. */
export class Rng {
  private s: number;
  constructor(seed: number | string) {
    this.s = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
}

/** FNV-1a, 32 bit. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const DAY_MS = 86_400_000;

function dayOf(s: string): number {
  return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / DAY_MS;
}

function dayString(d: number): string {
  return new Date(d * DAY_MS).toISOString().slice(0, 10);
}

export interface FilterSpace {
  groupId: number;
  /** First and last message time ('YYYY-MM-DD…'); null when the group has no messages. */
  from: string | null;
  to: string | null;
  /** Candidate members to exclude (e.g. the most active senders). */
  members: readonly number[];
}

/**
 * A filter a user might set next: usually a date range (anything from one day to the whole
 * history), half of the time with 1–5 members excluded. Always scoped to the benchmarked group.
 */
export function randomFilters(rng: Rng, space: FilterSpace): Filters {
  const f: Filters = { groups: [space.groupId] };
  if (space.from && space.to && rng.next() < 0.85) {
    const a = dayOf(space.from);
    const b = dayOf(space.to);
    const start = rng.int(a, b);
    const end = rng.int(start, b);
    f.from = dayString(start);
    f.to = dayString(end);
  }
  if (space.members.length > 0 && rng.next() < 0.5) {
    const n = Math.min(space.members.length, rng.int(1, 5));
    const picked = new Set<number>();
    while (picked.size < n) picked.add(space.members[rng.int(0, space.members.length - 1)]!);
    f.exclude = [...picked].sort((x, y) => x - y);
  }
  return f;
}

export type Align = 'l' | 'r';

/** A markdown table with padded columns (readable as plain text too). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]): string {
  const width = headers.map((h, i) => Math.max(displayWidth(h), 3, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(width[i]! - displayWidth(s));
    return (align?.[i] ?? 'l') === 'r' ? fill + s : s + fill;
  };
  const line = (cells: readonly string[]) => `| ${headers.map((_, i) => pad(cells[i] ?? '', i)).join(' | ')} |`;
  const rule = `|${width.map((w, i) => ((align?.[i] ?? 'l') === 'r' ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Columns a string takes in a terminal: CJK and emoji count double. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0x1f300 && c <= 0x1faff) ? 2 : 1;
  }
  return w;
}

/** Fixed decimals, '–' for missing values; large numbers get thousands separators. */
export function num(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** a ÷ b as '12.3×'; '–' when either is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return '–';
  const r = a / b;
  // Small ratios keep two significant digits: 0.02× must not print as 0.0×.
  return `${r >= 10 ? r.toFixed(0) : r >= 0.1 ? r.toFixed(1) : r.toPrecision(2)}×`;
}

export const MiB = 1024 * 1024;

/** Keeps the last `max` characters of a stream (child output), so a chatty child cannot grow us. */
export class Tail {
  private buf = '';
  constructor(private readonly max = 16_384) {}
  push(s: string): void {
    this.buf += s;
    if (this.buf.length > 2 * this.max) this.buf = this.buf.slice(-this.max);
  }
  toString(): string {
    return this.buf.slice(-this.max);
  }
}

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  where: string;
  ms: number;
  share: number;
}

/**
 * Self time per function (summed over every node of it) in a V8 .cpuprofile, largest first;
 * `by: 'file'` sums per source file instead.
 */
export function summariseProfile(p: CpuProfile, top = 25, root = '', by: 'function' | 'file' = 'function'): ProfileEntry[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // The delta before sample i+1 is the time spent in sample i.
    const dt = (deltas[i + 1] ?? 0) / 1000;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + dt);
  }
  const agg = new Map<string, ProfileEntry>();
  let total = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id);
    if (!n) continue;
    total += ms;
    const f = n.callFrame;
    const name = f.functionName || (f.url ? '(anonymous)' : '(native)');
    let url = f.url.replace(/^file:\/\//, '');
    if (root && url.startsWith(root)) url = url.slice(root.length).replace(/^\//, '');
    const where = by === 'file' ? url : url ? `${url}:${f.lineNumber + 1}` : '';
    const label = by === 'file' ? (url ? '' : name) : name;
    const key = `${label}@${where}`;
    const e = agg.get(key) ?? { name: label, where, ms: 0, share: 0 };
    e.ms += ms;
    agg.set(key, e);
  }
  const out = [...agg.values()].sort((a, b) => b.ms - a.ms).slice(0, top);
  for (const e of out) e.share = total > 0 ? e.ms / total : 0;
  return out;
}
