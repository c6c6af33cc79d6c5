/**
 * Seeded, deterministic mutations of chat-export files for the fuzz tests. Every case is named by
 * (seed file, mutation, case seed), so a failure printed by a fuzz test can be rebuilt exactly with
 * `mutate(bytes, mutation, caseSeed)`. Mutations work on bytes and know nothing about the formats
 * beyond what any text/JSON export looks like (lines, digits, dates, brackets).
 */
import iconv from 'iconv-lite';

/** A PRNG returning floats in [0, 1): sfc32, seeded through splitmix32 so nearby seeds diverge. */
export type Rng = () => number;

export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const mix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export const int = (r: Rng, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]!;

/** Stable 32-bit hash of a string (FNV-1a), to derive case seeds from names. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: false });
const bytesOf = (s: string): Uint8Array => enc.encode(s);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Replaces [from, to) of `b` with `ins`. */
function splice(b: Uint8Array, from: number, to: number, ins: Uint8Array): Uint8Array {
  return concat([b.subarray(0, from), ins, b.subarray(to)]);
}

/**
 * Offsets where a record may start: after every line break, and in JSON after `},` / `],` between
 * array elements (outside strings). Sorted, without 0 and the end.
 */
export function recordBoundaries(b: Uint8Array): number[] {
  const out: number[] = [];
  let inStr = false;
  let esc = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x0a || (c === 0x0d && b[i + 1] !== 0x0a)) {
      out.push(i + 1);
      continue;
    }
    if (inStr) {
      if (esc) esc = false;
      else if (c === 0x5c) esc = true;
      else if (c === 0x22) inStr = false;
      continue;
    }
    if (c === 0x22) inStr = true;
    else if (c === 0x2c && i > 0 && (b[i - 1] === 0x7d || b[i - 1] === 0x5d)) out.push(i + 1);
  }
  return out.filter((x, k) => x > 0 && x < b.length && x !== out[k - 1]);
}

/**
 * A smaller seed for the bulk of the cases: text is cut at a line break; JSON is cut after an array
 * element and its open brackets are closed again, so the result is still a well-formed export.
 */
export function shrink(b: Uint8Array, maxBytes: number): Uint8Array {
  if (b.length <= maxBytes) return b;
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09 || b[i] === 0xef || b[i] === 0xbb || b[i] === 0xbf)) i++;
  if (b[i] !== 0x7b && b[i] !== 0x5b) {
    let cut = maxBytes;
    while (cut > 0 && b[cut - 1] !== 0x0a) cut--;
    return b.subarray(0, cut > 0 ? cut : maxBytes);
  }
  // JSON: remember the bracket stack at the last element boundary before maxBytes.
  const stack: number[] = [];
  let inStr = false;
  let esc = false;
  let best = -1;
  let bestStack: number[] = [];
  for (let k = 0; k < maxBytes; k++) {
    const c = b[k]!;
    if (inStr) {
      if (esc) esc = false;
      else if (c === 0x5c) esc = true;
      else if (c === 0x22) inStr = false;
      continue;
    }
    if (c === 0x22) inStr = true;
    else if (c === 0x7b || c === 0x5b) stack.push(c);
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c && (b[k - 1] === 0x7d || b[k - 1] === 0x5d || /\s/.test(String.fromCharCode(b[k - 1]!))) && stack.at(-1) === 0x5b) {
      best = k; // the comma after an element of an array
      bestStack = stack.slice();
    }
  }
  if (best < 0) return b.subarray(0, maxBytes);
  const close = bestStack.reverse().map((c) => (c === 0x7b ? '}' : ']')).join('\n');
  return concat([b.subarray(0, best), bytesOf('\n' + close + '\n')]);
}

export interface Mutation {
  name: string;
  apply(b: Uint8Array, r: Rng): Uint8Array;
}

/** Byte sequences that are not valid UTF-8 (overlong, surrogate, lone continuation, cut sequences). */
const BAD_UTF8 = [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xbf, 0xbf], [0xff], [0xfe, 0xff], [0xe4, 0xb8], [0xf0, 0x9f, 0x98], [0xf8, 0x88, 0x80, 0x80, 0x80]];
/** Bytes that matter to some grammar: quotes, brackets, escapes, separators, line breaks, NUL. */
const SPECIAL = [0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x5c, 0x2c, 0x3a, 0x0a, 0x0d, 0x00, 0x3c, 0x3e, 0x28, 0x29, 0x20, 0x2d, 0x2f, 0x3d, 0x0b, 0xff];
const HUGE = ['1e400', '-1e400', '99999999999999999999', '123456789012345678901234567890', '1e-400', '-0', '0.0000000000000000001', '9007199254740993', '4294967296000', '1.7976931348623157e309'];
/** Dates that exist in no calendar or lie far outside any chat history. */
const BAD_DATES = [
  '0000-01-01', '9999-12-31', '2024-13-01', '2023-02-30', '2024-00-10', '2024-04-31', '1969-12-31', '2024-02-29', '2023-02-29', '99999-01-01', '-001-01-01',
];
const BAD_CLOCKS = ['24:00:00', '23:60:00', '23:59:60', '99:99:99', '00:00', '-1:00:00', '12:00:00 PM', '1:2:3'];
const BAD_SLASH_DATES = ['31/02/23', '13/13/13', '0/0/00', '99/99/9999', '12/31/0000', '2/30/2024', '00/00/0000'];
/** Tokens whose long runs stress regexes: blanks, trailing punctuation, openers without closers, notice keywords. */
const RUN_UNITS = [' ', '\t', '.', '。', '！', '邀请', '加入', '<', '<a ', '<![CDATA[', '(', '(1', '@', '@a ', ': ', ':', '"', '“', ',', '、', ' and ', '[', '[图片]', '0', '-', '/', '\\', '&', '&#', '$', '${', '~ ', '\u200e', '\u00a0', '=', '*', '_', '#', '|', '\r'];
const BAD_EPOCHS = ['0', '-1', '99999999999', '9999999999999999999', '1e400', '-62198755200', '253402300800'];

function randomRange(b: Uint8Array, r: Rng, maxLen: number): [number, number] {
  const from = int(r, b.length + 1);
  return [from, Math.min(b.length, from + 1 + int(r, maxLen))];
}

/** Replaces some matches of `re` in the (lossily decoded) text with `choose()`; the rest is kept byte-exact only when no match exists. */
function replaceMatches(b: Uint8Array, r: Rng, re: RegExp, choose: (m: string) => string): Uint8Array {
  const text = dec.decode(b);
  const all = [...text.matchAll(re)];
  if (all.length === 0) return b;
  const chosen = new Set<number>();
  const k = 1 + int(r, Math.min(8, all.length));
  for (let i = 0; i < k; i++) chosen.add(int(r, all.length));
  let out = '';
  let last = 0;
  all.forEach((m, i) => {
    if (!chosen.has(i)) return;
    out += text.slice(last, m.index) + choose(m[0]);
    last = m.index! + m[0].length;
  });
  return bytesOf(out + text.slice(last));
}

/** Line blocks of the file, each with its terminator, for record-level shuffles and copies. */
function lineBlocks(b: Uint8Array): Uint8Array[] {
  const cuts = [0, ...recordBoundaries(b), b.length];
  const out: Uint8Array[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) out.push(b.subarray(cuts[i], cuts[i + 1]));
  return out;
}

export const MUTATIONS: readonly Mutation[] = [
  { name: 'truncate-random', apply: (b, r) => b.subarray(0, int(r, b.length + 1)) },
  {
    name: 'truncate-boundary',
    apply: (b, r) => {
      const cuts = recordBoundaries(b);
      return cuts.length ? b.subarray(0, pick(r, cuts)) : b.subarray(0, int(r, b.length + 1));
    },
  },
  {
    name: 'flip-bytes',
    apply: (b, r) => {
      const out = b.slice();
      const n = 1 + int(r, 16);
      for (let i = 0; i < n && out.length; i++) {
        const at = int(r, out.length);
        out[at] = out[at]! ^ (1 << int(r, 8));
      }
      return out;
    },
  },
  {
    name: 'insert-bytes',
    apply: (b, r) => {
      let out = b;
      const n = 1 + int(r, 8);
      for (let i = 0; i < n; i++) {
        const ins = Uint8Array.from({ length: 1 + int(r, 4) }, () => (r() < 0.7 ? pick(r, SPECIAL) : int(r, 256)));
        const at = int(r, out.length + 1);
        out = splice(out, at, at, ins);
      }
      return out;
    },
  },
  {
    name: 'delete-bytes',
    apply: (b, r) => {
      let out = b;
      const n = 1 + int(r, 6);
      for (let i = 0; i < n; i++) {
        const [from, to] = randomRange(out, r, r() < 0.5 ? 4 : 400);
        out = splice(out, from, to, new Uint8Array(0));
      }
      return out;
    },
  },
  {
    name: 'invalid-utf8',
    apply: (b, r) => {
      let out = b;
      const n = 1 + int(r, 10);
      for (let i = 0; i < n; i++) {
        const at = int(r, out.length + 1);
        out = splice(out, at, r() < 0.3 ? Math.min(out.length, at + 1) : at, Uint8Array.from(pick(r, BAD_UTF8)));
      }
      return out;
    },
  },
  {
    name: 'reencode-part',
    apply: (b, r) => {
      const [from, to] = randomRange(b, r, 2000);
      const enc = pick(r, ['utf16le', 'utf16be', 'gb18030', 'latin1'] as const);
      return splice(b, from, to, new Uint8Array(iconv.encode(dec.decode(b.subarray(from, to)), enc)));
    },
  },
  {
    name: 'reencode-whole',
    apply: (b, r) => {
      const enc = pick(r, ['utf16le', 'utf16be', 'gb18030'] as const);
      const withBom = r() < 0.5 && enc !== 'gb18030';
      return new Uint8Array(iconv.encode(dec.decode(b), enc, { addBOM: withBom }));
    },
  },
  {
    name: 'eol-mix',
    apply: (b, r) => {
      const text = dec.decode(b);
      const eols = ['\n', '\r\n', '\r', '\r\r\n', '\n\r'];
      return bytesOf(text.replace(/\r\n|\n|\r/g, () => (r() < 0.5 ? pick(r, eols) : '\n')));
    },
  },
  {
    name: 'long-line',
    apply: (b, r) => {
      // 64–320 KiB here; the 10 MiB lines run as dedicated memory cases.
      const len = 65536 + int(r, 1 << 18);
      const fill = pick(r, ['a', '"', '[', '{', '\\', ',', '中', ' ', '\t', 'x\\"']);
      const at = pick(r, [0, ...recordBoundaries(b)].slice(0, 200)) ?? 0;
      return splice(b, at, at, bytesOf(fill.repeat(Math.ceil(len / fill.length))));
    },
  },
  {
    name: 'long-run',
    apply: (b, r) => {
      // A long run of one token inside a line (not a line of its own): trailing-trim and
      // lazy-group regexes go quadratic on exactly this.
      let out = b;
      const n = 1 + int(r, 3);
      for (let i = 0; i < n; i++) {
        const cuts = [0, ...recordBoundaries(out), out.length];
        const k = int(r, cuts.length - 1);
        const [from, to] = [cuts[k]!, cuts[k + 1]!];
        const at = r() < 0.5 ? Math.max(from, to - 1) : from + int(r, to - from + 1);
        const unit = pick(r, RUN_UNITS);
        const len = 60_000 + int(r, 100_000);
        out = splice(out, at, at, bytesOf(unit.repeat(Math.ceil(len / unit.length))));
      }
      return out;
    },
  },
  {
    name: 'deep-json',
    apply: (b, r) => {
      const depth = pick(r, [1000, 10_000, 100_000]);
      const shape = pick(r, ['[', '{"a":', '{"messages":', '[{"text":']);
      const close = shape === '[' ? ']' : shape === '[{"text":' ? '}]' : '}';
      const nest = shape.repeat(depth) + '1' + (r() < 0.5 ? close.repeat(depth) : '');
      if (r() < 0.3) return bytesOf(nest);
      // Inside an existing value: right after some `:` or `[`.
      const text = dec.decode(b);
      const spots = [...text.matchAll(/[:[]/g)].map((m) => m.index!);
      const at = spots.length ? pick(r, spots) + 1 : 0;
      const inner = shape.repeat(depth) + '0' + close.repeat(depth) + ',';
      return bytesOf(text.slice(0, at) + inner + text.slice(at));
    },
  },
  { name: 'huge-numbers', apply: (b, r) => replaceMatches(b, r, /-?\d+(?:\.\d+)?/g, () => pick(r, HUGE)) },
  {
    name: 'bad-dates',
    apply: (b, r) =>
      replaceMatches(b, r, /\d{4}-\d\d-\d\d|\d\d:\d\d(?::\d\d)?|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\b1[5-7]\d{8}\b/g, (m) =>
        /^\d{4}-/.test(m) ? pick(r, BAD_DATES) : m.includes(':') ? pick(r, BAD_CLOCKS) : /[./]/.test(m) ? pick(r, BAD_SLASH_DATES) : pick(r, BAD_EPOCHS),
      ),
  },
  {
    name: 'duplicate-records',
    apply: (b, r) => {
      const blocks = lineBlocks(b);
      if (blocks.length === 0) return b;
      const out: Uint8Array[] = [];
      for (const x of blocks) {
        out.push(x);
        if (r() < 0.2) for (let k = int(r, 3); k >= 0; k--) out.push(x);
      }
      return concat(out);
    },
  },
  {
    name: 'shuffle-records',
    apply: (b, r) => {
      const blocks = lineBlocks(b);
      for (let i = blocks.length - 1; i > 0; i--) {
        if (r() < 0.3) {
          const j = int(r, i + 1);
          [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
        }
      }
      return concat(blocks);
    },
  },
  { name: 'empty', apply: () => new Uint8Array(0) },
  { name: 'bom-only', apply: (_b, r) => Uint8Array.from(pick(r, [[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf, 0x0a]])) },
  {
    name: 'nul-bytes',
    apply: (b, r) => {
      if (r() < 0.3) return new Uint8Array(int(r, 8192));
      let out = b;
      const n = 1 + int(r, 200);
      for (let i = 0; i < n; i++) {
        const at = int(r, out.length + 1);
        out = splice(out, at, at, new Uint8Array(1 + int(r, 3)));
      }
      return out;
    },
  },
  {
    name: 'bom-in-middle',
    apply: (b, r) => {
      const cuts = recordBoundaries(b);
      const at = cuts.length ? pick(r, cuts) : 0;
      return splice(b, at, at, Uint8Array.from(pick(r, [[0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff]])));
    },
  },
  {
    name: 'drop-brackets',
    apply: (b, r) => {
      // Removes or adds quotes and brackets: unclosed strings and unbalanced nesting.
      const out = Array.from(b);
      const n = 1 + int(r, 5);
      for (let i = 0; i < n; i++) {
        const spots: number[] = [];
        for (let k = 0; k < out.length; k++) if (out[k] === 0x22 || out[k] === 0x7b || out[k] === 0x7d || out[k] === 0x5b || out[k] === 0x5d) spots.push(k);
        if (spots.length === 0) break;
        const at = pick(r, spots);
        if (r() < 0.5) out.splice(at, 1);
        else out.splice(at, 0, out[at]!);
      }
      return Uint8Array.from(out);
    },
  },
];

/**
 * Inserts a run of 80–120 k characters of one RUN_UNITS token inside line `line` (0-based) of `b`,
 * before its terminator: long enough that a quadratic regex over the line blows the time budget.
 */
export function runInLine(b: Uint8Array, line: number, caseSeed: number): Uint8Array {
  const r = rng(caseSeed);
  const blocks = lineBlocks(b);
  let from = 0;
  for (let i = 0; i < line && i < blocks.length; i++) from += blocks[i]!.length;
  const block = blocks[Math.min(line, blocks.length - 1)] ?? new Uint8Array(0);
  let end = block.length;
  while (end > 0 && (block[end - 1] === 0x0a || block[end - 1] === 0x0d)) end--;
  // A UTF-8 character boundary inside the line (never inside a multi-byte sequence).
  let at = int(r, end + 1);
  while (at < end && (block[at]! & 0xc0) === 0x80) at++;
  const unit = RUN_UNITS[caseSeed % RUN_UNITS.length]!;
  const len = 80_000 + int(r, 40_000);
  return splice(b, from + at, from + at, bytesOf(unit.repeat(Math.ceil(len / unit.length))));
}

/** Indexes of the non-blank lines of `b`, up to `max` of them spread evenly. */
export function someLines(b: Uint8Array, max: number): number[] {
  const blocks = lineBlocks(b);
  const idx: number[] = [];
  blocks.forEach((x, i) => {
    if (x.some((c) => c !== 0x0a && c !== 0x0d && c !== 0x20)) idx.push(i);
  });
  const n = Math.min(max, idx.length);
  return Array.from({ length: n }, (_, k) => idx[Math.floor((k * idx.length) / n)]!);
}

/** Rebuilds one case: the same (bytes, mutation, caseSeed) always gives the same output. */
export function mutate(b: Uint8Array, mutation: string, caseSeed: number): Uint8Array {
  const m = MUTATIONS.find((x) => x.name === mutation);
  if (!m) throw new Error(`unknown mutation ${mutation}`);
  return m.apply(b, rng(caseSeed));
}

/** A single line of `bytes` length made of `fill`, with `before`/`after` around it. */
export function bigLine(bytes: number, fill: string, before = '', after = ''): Uint8Array {
  const unit = bytesOf(fill);
  const n = Math.ceil(bytes / unit.length);
  const pre = bytesOf(before);
  const post = bytesOf(after);
  const out = new Uint8Array(pre.length + n * unit.length + post.length);
  out.set(pre, 0);
  for (let i = 0; i < n; i++) out.set(unit, pre.length + i * unit.length);
  out.set(post, pre.length + n * unit.length);
  return out;
}
