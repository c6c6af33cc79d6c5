/**
 * Streaming byte-level JSON scanner for huge exports (a Telegram result.json can be several GB).
 *
 * Outside "captured" arrays it checks the full JSON grammar and reports containers and scalars with
 * their key path. Elements of captured arrays (e.g. `messages`) are not tokenised: the scanner only
 * follows strings, escapes and bracket depth to find where each element ends, then hands the byte
 * slice to the native JSON.parse. A token-per-value streaming parser is an order of magnitude slower.
 *
 * Feed it with push(chunk) (chunks of any size; partial tokens are stitched), call end() at EOF,
 * and drain events with take(). Errors are thrown as JsonScanError with the byte offset and line.
 */

export type PathKey = string | number;

export interface ScanOptions {
  /** Whether the array at `path` has its elements cut out and parsed as a whole. */
  capture(path: readonly PathKey[]): boolean;
  /** open/close/scalar events only for values whose path is at most this long. */
  maxEventDepth?: number;
  /** A captured element larger than this means the file is broken (e.g. an unclosed string). */
  maxElementBytes?: number;
  /**
   * Containers nested deeper than this outside captured elements make the file malformed: no
   * export nests more than a few levels, and each level costs a path copy.
   */
  maxDepth?: number;
}

interface Loc {
  /** Byte offset in the file (BOM included) where the value starts. */
  offset: number;
  /** 1-based line where the value starts. */
  line: number;
}

export type ScanEvent =
  | (Loc & { kind: 'open' | 'close'; path: PathKey[]; array: boolean })
  | (Loc & { kind: 'scalar'; path: PathKey[]; value: string | number | boolean | null })
  /** An element of a captured array; `index` is 0-based within that array. */
  | (Loc & { kind: 'item'; path: PathKey[]; index: number; value: unknown })
  | (Loc & { kind: 'bad-item'; path: PathKey[]; index: number; raw: string; error: string });

export class JsonScanError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    /** The input ended inside a value (truncated file) rather than being malformed. */
    readonly truncated = false,
    /** Text of the element that was being read when the input ended (cut to 2000 chars). */
    readonly partial = '',
  ) {
    super(`${reason} at byte ${offset} (line ${line})`);
  }
}

// Outer grammar states: S_VALUE after ':' or ',' in an array, S_KEY after ',' in an object,
// S_AFTER after a value inside a container.
const [S_START, S_VALUE, S_ARR_FIRST, S_OBJ_FIRST, S_KEY, S_COLON, S_AFTER, S_END] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
// What the byte loop is in: structure, a string, a literal, a captured object/array element.
const [M_STRUCT, M_STR, M_LIT, M_ELEM] = [0, 1, 2, 3] as const;
// What a token being cut out is.
const [T_KEY, T_VALUE, T_ELEM] = [0, 1, 2] as const;

const LIT = new Uint8Array(256);
for (const ch of '0123456789+-.eEtrufalsn') LIT[ch.charCodeAt(0)] = 1;
const LIT_START = new Uint8Array(256);
for (const ch of '0123456789-tfn') LIT_START[ch.charCodeAt(0)] = 1;

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const BOM = [0xef, 0xbb, 0xbf];
const RAW_MAX = 2000;

export class JsonScanner {
  private readonly capture: (path: readonly PathKey[]) => boolean;
  private readonly maxEventDepth: number;
  private readonly maxElementBytes: number;
  private readonly maxDepth: number;
  private out: ScanEvent[] = [];

  private pos = 0; // file offset of the current chunk's first byte
  private nl = 0; // newlines seen so far (outside strings, where JSON allows them)
  private bomAt = 0; // how many BOM bytes matched at the start of the file
  private state: number = S_START;
  private mode: number = M_STRUCT;
  private keys: PathKey[] = []; // key or index of the current child of each open container
  private isArr: boolean[] = [];
  private capturing = false; // the innermost open container is a captured array
  private capPath: PathKey[] = [];

  // Token being cut out (string, literal or captured element).
  private tokKind: number = T_VALUE;
  private tokStart = 0; // in the current chunk
  private tokParts: Uint8Array[] = [];
  private tokBytes = 0;
  private tokOffset = 0;
  private tokLine = 0;
  private inStr = false; // element mode: inside a string
  private esc = false; // the previous chunk ended on an unpaired backslash inside a string
  private depth = 0; // element mode: bracket depth

  // Elements completed inside the current chunk, parsed together to save per-call overhead.
  private bStart: number[] = [];
  private bEnd: number[] = [];
  private bOffset: number[] = [];
  private bLine: number[] = [];
  private bFirst = 0; // index of the first of them in its array

  constructor(opts: ScanOptions) {
    this.capture = opts.capture;
    this.maxEventDepth = opts.maxEventDepth ?? Infinity;
    this.maxElementBytes = opts.maxElementBytes ?? 64 * 1024 * 1024;
    this.maxDepth = opts.maxDepth ?? 1000;
  }

  /** Events produced since the last call. */
  take(): ScanEvent[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  /** The top-level value has started (the first non-blank byte was read). */
  get begun(): boolean {
    return this.state !== S_START;
  }

  push(chunk: Uint8Array): void {
    // Always a plain Uint8Array, so the byte loops see one array type (Buffer chunks are a subclass).
    const b = chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length);
    const n = b.length;
    let i = 0;
    while (this.bomAt < 3 && this.pos + i === this.bomAt && i < n) {
      if (b[i] !== BOM[this.bomAt]) {
        if (this.bomAt > 0) this.fail('broken byte-order mark', i);
        this.bomAt = 3;
        break;
      }
      this.bomAt++;
      i++;
    }
    this.tokStart = 0;
    if (this.esc && (this.mode === M_STR || this.mode === M_ELEM)) {
      this.esc = false;
      if (i < n) i++;
      else this.esc = true;
    }
    while (i < n) {
      switch (this.mode) {
        case M_ELEM:
          i = this.scanElement(b, i, n);
          break;
        case M_STR:
          i = this.scanString(b, i, n);
          break;
        case M_LIT:
          i = this.scanLiteral(b, i, n);
          break;
        default:
          i = this.scanStructure(b, i, n);
      }
    }
    if (this.mode !== M_STRUCT) {
      // Keep the unfinished token's bytes (copied: the producer may reuse its buffer).
      if (this.tokStart < n) {
        this.tokParts.push(b.slice(this.tokStart, n));
        this.tokBytes += n - this.tokStart;
      }
      if (this.tokBytes > this.maxElementBytes) {
        throw new JsonScanError(
          `value larger than ${this.maxElementBytes} bytes (unclosed string or bracket?)`,
          this.tokOffset,
          this.tokLine,
        );
      }
    }
    this.flushBatch(b);
    this.pos += n;
  }

  end(): void {
    if (this.mode === M_LIT) {
      this.finishToken(new Uint8Array(0), 0);
      this.mode = M_STRUCT;
    }
    if (this.state === S_END) return;
    if (this.state === S_START) throw new JsonScanError('no JSON value (empty file)', this.pos, this.nl + 1, true);
    const partial =
      this.mode === M_STRUCT ? '' : decoder.decode(concat(this.tokParts, this.tokBytes)).slice(0, RAW_MAX);
    throw new JsonScanError('unexpected end of input', this.pos, this.nl + 1, true, partial);
  }

  private fail(reason: string, i: number): never {
    throw new JsonScanError(reason, this.pos + i, this.nl + 1);
  }

  private scanStructure(b: Uint8Array, i: number, n: number): number {
    while (i < n) {
      const c = b[i]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        if (c === 0x0a) this.nl++;
        i++;
        continue;
      }
      switch (this.state) {
        case S_START:
        case S_VALUE:
          return this.beginValue(b, c, i);
        case S_ARR_FIRST:
          if (c === 0x5d) {
            this.close(b, i, true);
            i++;
            continue;
          }
          return this.beginValue(b, c, i);
        case S_OBJ_FIRST:
        case S_KEY:
          if (c === 0x22) {
            this.startToken(T_KEY, i);
            this.mode = M_STR;
            return i + 1;
          }
          if (c === 0x7d && this.state === S_OBJ_FIRST) {
            this.close(b, i, false);
            i++;
            continue;
          }
          return this.fail(`expected a key string, found ${show(c)}`, i);
        case S_COLON:
          if (c !== 0x3a) this.fail(`expected ':', found ${show(c)}`, i);
          this.state = S_VALUE;
          i++;
          continue;
        case S_AFTER: {
          const arr = this.isArr[this.isArr.length - 1]!;
          if (c === 0x2c) {
            this.state = arr ? S_VALUE : S_KEY;
            i++;
            continue;
          }
          if (c === (arr ? 0x5d : 0x7d)) {
            this.close(b, i, arr);
            i++;
            continue;
          }
          return this.fail(`expected ',' or '${arr ? ']' : '}'}', found ${show(c)}`, i);
        }
        default:
          return this.fail(`unexpected ${show(c)} after the end of the JSON value`, i);
      }
    }
    return i;
  }

  /** Starts the value beginning with byte `c` at `i`; returns where scanning goes on. */
  private beginValue(b: Uint8Array, c: number, i: number): number {
    const d = this.keys.length;
    if (d > 0 && this.isArr[d - 1]) this.keys[d - 1] = (this.keys[d - 1] as number) + 1;
    if (this.capturing) {
      this.startToken(T_ELEM, i);
      if (c === 0x7b || c === 0x5b) {
        this.mode = M_ELEM;
        this.depth = 1;
        this.inStr = false;
      } else if (c === 0x22) this.mode = M_STR;
      else if (LIT_START[c]) this.mode = M_LIT;
      else this.fail(`unexpected ${show(c)}`, i);
      return i + 1;
    }
    if (c === 0x7b || c === 0x5b) {
      const array = c === 0x5b;
      if (d >= this.maxDepth) this.fail(`JSON nested deeper than ${this.maxDepth} levels`, i);
      // The path is copied only for an event or a captured array: deep values stay linear.
      if (d <= this.maxEventDepth) {
        this.out.push({ kind: 'open', path: this.keys.slice(), array, offset: this.pos + i, line: this.nl + 1 });
      }
      if (array && this.capture(this.keys)) {
        this.capturing = true;
        this.capPath = this.keys.slice();
      }
      this.keys.push(array ? -1 : '');
      this.isArr.push(array);
      this.state = array ? S_ARR_FIRST : S_OBJ_FIRST;
      return i + 1;
    }
    if (c === 0x22) {
      this.startToken(T_VALUE, i);
      this.mode = M_STR;
      return i + 1;
    }
    if (LIT_START[c]) {
      this.startToken(T_VALUE, i);
      this.mode = M_LIT;
      return i + 1;
    }
    this.fail(`unexpected ${show(c)}`, i);
  }

  private close(b: Uint8Array, i: number, array: boolean): void {
    if (this.capturing) {
      this.flushBatch(b);
      this.capturing = false;
    }
    this.keys.pop();
    this.isArr.pop();
    const d = this.keys.length;
    if (d <= this.maxEventDepth) {
      this.out.push({ kind: 'close', path: this.keys.slice(), array, offset: this.pos + i, line: this.nl + 1 });
    }
    this.state = d === 0 ? S_END : S_AFTER;
  }

  private startToken(kind: number, i: number): void {
    this.tokKind = kind;
    this.tokStart = i;
    this.tokParts.length = 0;
    this.tokBytes = 0;
    this.tokOffset = this.pos + i;
    this.tokLine = this.nl + 1;
  }

  /** Inside a captured object/array element: only strings and bracket depth matter. */
  private scanElement(b: Uint8Array, i: number, n: number): number {
    let depth = this.depth;
    let inStr = this.inStr;
    for (;;) {
      if (inStr) {
        // A byte loop beats indexOf('"') here: most strings are a few bytes long.
        while (i < n) {
          const d = b[i++]!;
          if (d === 0x22) {
            inStr = false;
            break;
          }
          if (d === 0x5c) i++;
        }
        if (inStr) {
          if (i > n) {
            this.esc = true; // the escaped byte is the next chunk's first
            i = n;
          }
          break;
        }
      }
      if (i >= n) break;
      const c = b[i++]!;
      if (c === 0x22) inStr = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        if (--depth === 0) {
          this.mode = M_STRUCT;
          this.inStr = false;
          this.finishToken(b, i);
          return i;
        }
      } else if (c === 0x0a) this.nl++;
    }
    this.depth = depth;
    this.inStr = inStr;
    return i;
  }

  private scanString(b: Uint8Array, i: number, n: number): number {
    while (i < n) {
      const d = b[i++]!;
      if (d === 0x22) {
        this.mode = M_STRUCT;
        this.finishToken(b, i);
        return i;
      }
      if (d === 0x5c) i++;
    }
    if (i > n) this.esc = true;
    return n;
  }

  private scanLiteral(b: Uint8Array, i: number, n: number): number {
    while (i < n && LIT[b[i]!]) i++;
    if (i < n) {
      this.mode = M_STRUCT;
      this.finishToken(b, i);
    }
    return i;
  }

  /** The token ends before `end` in chunk `b`. */
  private finishToken(b: Uint8Array, end: number): void {
    const kind = this.tokKind;
    if (kind === T_ELEM) {
      this.state = S_AFTER;
      const index = this.keys[this.keys.length - 1] as number;
      if (this.tokParts.length === 0) {
        if (this.bStart.length === 0) this.bFirst = index;
        this.bStart.push(this.tokStart);
        this.bEnd.push(end);
        this.bOffset.push(this.tokOffset);
        this.bLine.push(this.tokLine);
      } else {
        this.emitItem(this.tokenText(b, end), index, this.tokOffset, this.tokLine);
      }
      return;
    }
    const text = this.tokParts.length === 0 ? decoder.decode(b.subarray(this.tokStart, end)) : this.tokenText(b, end);
    let value: string | number | boolean | null;
    try {
      value = JSON.parse(text) as string | number | boolean | null;
    } catch {
      throw new JsonScanError(`invalid JSON ${kind === T_KEY ? 'key' : 'value'} ${text.slice(0, 40)}`, this.tokOffset, this.tokLine);
    }
    if (kind === T_KEY) {
      this.keys[this.keys.length - 1] = value as string;
      this.state = S_COLON;
      return;
    }
    this.state = this.keys.length === 0 ? S_END : S_AFTER;
    if (this.keys.length <= this.maxEventDepth) {
      this.out.push({ kind: 'scalar', path: this.keys.slice(), value, offset: this.tokOffset, line: this.tokLine });
    }
  }

  /** Text of a token that started in an earlier chunk and ends before `end` in `b`. */
  private tokenText(b: Uint8Array, end: number): string {
    this.tokParts.push(b.subarray(0, end));
    const text = decoder.decode(concat(this.tokParts, this.tokBytes + end));
    this.tokParts.length = 0;
    return text;
  }

  private emitItem(text: string, index: number, offset: number, line: number): void {
    try {
      this.out.push({ kind: 'item', path: this.capPath, index, value: JSON.parse(text), offset, line });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.out.push({ kind: 'bad-item', path: this.capPath, index, raw: text.slice(0, RAW_MAX), error, offset, line });
    }
  }

  /** Parses the elements completed in this chunk; one JSON.parse for all when they are valid. */
  private flushBatch(b: Uint8Array): void {
    const k = this.bStart.length;
    if (k === 0) return;
    let values: unknown[] | null = null;
    if (k > 1) {
      try {
        const v: unknown = JSON.parse('[' + decoder.decode(b.subarray(this.bStart[0], this.bEnd[k - 1])) + ']');
        if (Array.isArray(v) && v.length === k) values = v;
      } catch {
        // One of them is broken: parse them one by one below to find which.
      }
    }
    for (let j = 0; j < k; j++) {
      const index = this.bFirst + j;
      if (values) {
        this.out.push({ kind: 'item', path: this.capPath, index, value: values[j], offset: this.bOffset[j]!, line: this.bLine[j]! });
      } else {
        this.emitItem(decoder.decode(b.subarray(this.bStart[j], this.bEnd[j])), index, this.bOffset[j]!, this.bLine[j]!);
      }
    }
    this.bStart.length = this.bEnd.length = this.bOffset.length = this.bLine.length = 0;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function show(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
