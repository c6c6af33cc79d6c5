import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { compileTimePattern, type PatternToken } from '../../../../shared/column-mapping.js';
import { PLACEHOLDERS } from '../../text/placeholders.js';
import { fullYear, to24h, wallFromUtcMs, wallTime } from '../time.js';

/** Helpers of the generic CSV / JSONL parser: time formats, loose kinds, JSON paths, delimiters. */

export interface ParsedTime {
  time: string;
  utcMs: number | null;
}
/** A parsed time, or why the value is not one. */
export type TimeParser = (s: string) => ParsedTime | string;

const quoteShort = (s: string): string => JSON.stringify(s.length > 60 ? s.slice(0, 60) + '…' : s);

/** Instants before 1970 or after 2200 are a mapping mistake (a compact date read as epoch, ms read as s). */
function fromEpochMs(ms: number, raw: string): ParsedTime | string {
  if (!Number.isFinite(ms) || ms < 0 || ms >= 7_258_118_400_000) return `epoch time ${quoteShort(raw)} out of range`;
  return { time: wallFromUtcMs(Math.floor(ms / 1000) * 1000), utcMs: Math.round(ms) };
}

const EPOCH = /^\d{1,15}(?:\.\d{1,9})?$/;

function epoch(s: string, unit: 's' | 'ms' | 'guess'): ParsedTime | string {
  if (!EPOCH.test(s)) return `unparseable time ${quoteShort(s)} (expected epoch ${unit === 'ms' ? 'milliseconds' : 'seconds'})`;
  const intDigits = s.indexOf('.') < 0 ? s.length : s.indexOf('.');
  // Seconds have 10 digits from 2001 to 2286, milliseconds 13.
  const ms = unit === 'ms' || (unit === 'guess' && intDigits >= 12) ? Number(s) : Number(s) * 1000;
  return fromEpochMs(ms, s);
}

/** Minutes east of UTC of `Z`, `+08:00`, `+0800`, `+08`; null when malformed. */
function zoneOffset(z: string): number | null {
  if (z === 'Z' || z === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z);
  if (!m) return null;
  const v = +m[2]! * 60 + +(m[3] ?? 0);
  return v > 18 * 60 ? null : m[1] === '-' ? -v : v;
}

function instant(wall: string, offsetMin: number): number {
  return Date.UTC(+wall.slice(0, 4), +wall.slice(5, 7) - 1, +wall.slice(8, 10), +wall.slice(11, 13), +wall.slice(14, 16), +wall.slice(17, 19)) - offsetMin * 60_000;
}

const AMPM: Record<string, boolean> = {
  am: false, pm: true, 'a.m.': false, 'p.m.': true, 'a. m.': false, 'p. m.': true,
  上午: false, 凌晨: false, 早上: false, 中午: true, 下午: true, 晚上: true, 午前: false, 午後: true,
};
const AMPM_WORDS = Object.keys(AMPM).sort((a, b) => b.length - a.length);

/**
 * Year first: `YYYY-MM-DD[T ]HH:mm[:ss[.fff]][Z|±hh:mm]`, also `/`, `.` or 年月日 between the date
 * parts and an optional AM/PM; a date alone is midnight. Anchored, no nested quantifiers.
 */
const YEAR_FIRST =
  /^(\d{4})([-/.年])(\d{1,2})[-/.月](\d{1,2})日?(?:(?:T|\s+)(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?(?:[.,]\d{1,9})?\s*([AaPp]\.?\s?[Mm]\.?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function yearFirst(s: string, isoOnly: boolean): ParsedTime | string | null {
  const m = YEAR_FIRST.exec(s);
  if (!m || (isoOnly && m[2] !== '-')) return null;
  let h = m[5] === undefined ? 0 : +m[5];
  if (m[8] !== undefined) {
    if (h > 12) return `hour ${h} with AM/PM in ${quoteShort(s)}`;
    h = to24h(h, /^p/i.test(m[8]));
  }
  const time = wallTime(+m[1]!, +m[3]!, +m[4]!, h, m[6] === undefined ? 0 : +m[6], m[7] === undefined ? 0 : +m[7]);
  if (time === null) return `time out of range: ${quoteShort(s)}`;
  if (m[9] === undefined) return { time, utcMs: null };
  const off = zoneOffset(m[9]);
  return off === null ? `bad UTC offset in ${quoteShort(s)}` : { time, utcMs: instant(time, off) };
}

/** Matches a compiled pattern left to right (no regex, no backtracking). */
function byPattern(tokens: readonly PatternToken[], pattern: string): TimeParser {
  return (s) => {
    const v: Record<string, number> = { Y: NaN, M: NaN, D: NaN, H: 0, h: NaN, m: 0, s: 0 };
    let pm: boolean | null = null;
    let off: number | null = null;
    let i = 0;
    const fail = () => `time ${quoteShort(s)} does not match the format "${pattern}"`;
    for (const t of tokens) {
      if (t.t === 'lit') {
        for (const ch of t.s) {
          if (ch === ' ') {
            if (!/\s/.test(s[i] ?? '')) return fail();
            while (/\s/.test(s[i] ?? '')) i++;
          } else if (s[i] === ch) i++;
          else return fail();
        }
      } else if (t.t === 'num') {
        let j = i;
        while (j < s.length && j - i < t.max && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
        if (j - i < t.min) return fail();
        if (t.f !== 'S') v[t.f] = +s.slice(i, j);
        i = j;
      } else if (t.t === 'ampm') {
        const rest = s.slice(i, i + 6).toLowerCase();
        const w = AMPM_WORDS.find((x) => rest.startsWith(x));
        if (!w) return fail();
        pm = AMPM[w]!;
        i += w.length;
      } else {
        const m = /^(?:Z|z|[+-]\d{2}(?::?\d{2})?)/.exec(s.slice(i, i + 6));
        if (!m || (off = zoneOffset(m[0])) === null) return fail();
        i += m[0].length;
      }
    }
    if (i !== s.length) return fail();
    let h = Number.isNaN(v['h']!) ? v['H']! : v['h']!;
    if (pm !== null) {
      if (h > 12) return `hour ${h} with AM/PM in ${quoteShort(s)}`;
      h = to24h(h, pm);
    }
    const y = v['Y']! < 100 ? fullYear(v['Y']!) : v['Y']!;
    const time = wallTime(y, v['M']!, v['D']!, h, v['m']!, v['s']!);
    if (time === null) return `time out of range: ${quoteShort(s)}`;
    return { time, utcMs: off === null ? null : instant(time, off) };
  };
}

/** A parser for a mapping's `timeFormat` (checked by the schema: a preset or a valid pattern). */
export function timeParser(format: string | undefined): TimeParser {
  switch (format ?? 'auto') {
    case 'epoch-s':
      return (s) => epoch(s, 's');
    case 'epoch-ms':
      return (s) => epoch(s, 'ms');
    case 'iso':
      return (s) => yearFirst(s, true) ?? `unparseable time ${quoteShort(s)} (expected ISO 8601, e.g. 2024-05-01T10:00:00+08:00)`;
    case 'auto':
      return (s) => {
        const c = s.charCodeAt(0);
        if (c >= 48 && c <= 57 && EPOCH.test(s)) return epoch(s, 'guess');
        return (
          yearFirst(s, false) ??
          `unparseable time ${quoteShort(s)}: automatic reading takes year-first dates and epoch numbers; give a time format such as DD/MM/YYYY HH:mm`
        );
      };
    default: {
      const tokens = compileTimePattern(format!);
      if (typeof tokens === 'string') throw new Error(tokens);
      return byPattern(tokens, format!);
    }
  }
}

// ---------------------------------------------------------------------------------------------

export type LooseKind = { message: MessageKind } | { event: EventKind };

const KIND_WORDS: [string[], LooseKind][] = [
  [['text', 'txt', 'message', 'msg', 'plain', 'chat', 'normal', '文本', '文字', '消息', '普通消息'], { message: 'text' }],
  [['image', 'img', 'photo', 'picture', 'pic', 'jpg', 'png', '图片', '照片', '图像', '闪照'], { message: 'image' }],
  [['voice', 'audio', 'ptt', 'voice_message', 'voice message', '语音', '音频'], { message: 'voice' }],
  [['video', 'video_message', 'animation', '视频', '小视频'], { message: 'video' }],
  [['file', 'document', 'doc', 'attachment', 'application', '文件', '附件'], { message: 'file' }],
  [['link', 'url', 'share', 'article', '链接', '分享', '卡片'], { message: 'link' }],
  [['sticker', 'emoji', 'emoticon', 'gif', 'face', '表情', '表情包', '动画表情', '贴纸'], { message: 'sticker' }],
  [['system', 'notice', 'service', 'event', 'tip', '系统', '系统消息', '通知', '提示'], { event: 'other' }],
  [['join', '入群', '加入'], { event: 'join' }],
  [['invite', '邀请'], { event: 'invite' }],
  [['leave', '退群', '退出'], { event: 'leave' }],
  [['remove', 'kick', '移出', '踢出'], { event: 'remove' }],
  [['recall', 'revoke', '撤回'], { event: 'recall' }],
  [['pin', '置顶', '精华'], { event: 'pin' }],
  [['call', '通话'], { event: 'call' }],
];
const KINDS = new Map<string, LooseKind>();
for (const [words, k] of KIND_WORDS) for (const w of words) KINDS.set(w, k);

const PLACEHOLDER_KIND = new Map<string, MessageKind>(PLACEHOLDERS.map(([p, k]) => [p, k]));
const URL_ONLY = /^(?:https?:\/\/|www\.)\S+$/i;

/** What a `kind` value stands for, matched loosely (case, spaces, 图片/photo/image …); unknown → other. */
export function looseKind(value: string): LooseKind {
  const v = value.trim().toLowerCase();
  // MIME types (image/png, audio/ogg) name the kind before the slash.
  const slash = v.indexOf('/');
  return KINDS.get(v) ?? KINDS.get(v.replace(/[\s-]+/g, '_')) ?? (slash > 0 ? KINDS.get(v.slice(0, slash)) : undefined) ?? { message: 'other' };
}

/** Kind of a text message from its text: an export's media placeholder, a bare URL, else text. */
export function kindOfText(text: string): MessageKind {
  const t = text.trim();
  return PLACEHOLDER_KIND.get(t) ?? (URL_ONLY.test(t) ? 'link' : 'text');
}

// ---------------------------------------------------------------------------------------------

/** Reads a column of a JSON object: the key itself if present (`a.b` may be a key), else the dotted path. */
export function jsonPath(ref: string): (o: Record<string, unknown>) => unknown {
  const segs = ref.split('.');
  return (o) => {
    if (Object.prototype.hasOwnProperty.call(o, ref)) return o[ref];
    let cur: unknown = o;
    for (const s of segs) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
    return cur;
  };
}

/** A JSON value as cell text: strings as is, null/absent as '', objects and arrays as JSON. */
export function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * Quotes integers of 16+ digits (outside strings) so JSON.parse keeps ids like Discord snowflakes
 * exactly instead of rounding them to a double.
 */
export function quoteBigInts(line: string): string {
  if (!/\d{16}/.test(line)) return line;
  let out = '';
  let from = 0;
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if ((c >= '0' && c <= '9') || c === '-') {
      let j = i + 1;
      while (j < line.length && /[0-9.eE+-]/.test(line[j]!)) j++;
      const num = line.slice(i, j);
      if (/^-?\d{16,}$/.test(num)) {
        out += line.slice(from, i) + '"' + num + '"';
        from = j;
      }
      i = j - 1;
    }
  }
  return from === 0 ? line : out + line.slice(from);
}

/** Parses one JSON Lines line into an object; a string says why it is not one. */
export function jsonObjectOf(line: string): Record<string, unknown> | string {
  let v: unknown;
  try {
    v = JSON.parse(quoteBigInts(line));
  } catch (e) {
    return `malformed JSON: ${(e as Error).message}`;
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'not a JSON object';
}

/** The delimiter a CSV header line most likely uses (most occurrences outside quotes; comma on a tie). */
export function detectDelimiter(header: string): ',' | ';' | '\t' | '|' {
  const n: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let inQuote = false;
  for (const c of header) {
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c in n) n[c]!++;
  }
  let best: ',' | ';' | '\t' | '|' = ',';
  for (const d of [';', '\t', '|'] as const) if (n[d]! > n[best]!) best = d;
  return best;
}
