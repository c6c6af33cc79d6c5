import { z } from 'zod';

/**
 * Column mapping for generic CSV / JSON Lines imports: which column (CSV header name) or dotted
 * JSON path (JSONL, e.g. `author.name`) holds each part of a message. Shared by the Engine API
 * (validated with zod), the CLI (`--map`) and the Library page's mapping dialog. Pure TS.
 */

export const MAPPING_FORMATS = ['csv', 'jsonl'] as const;
export type MappingFormat = (typeof MAPPING_FORMATS)[number];
export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
/** Named time formats; any other value is a pattern such as `YYYY-MM-DD HH:mm:ss` or `DD/MM/YYYY HH:mm`. */
export const TIME_PRESETS = ['auto', 'iso', 'epoch-s', 'epoch-ms'] as const;

/** What a column can stand for, in the order the UI and the CLI list them. */
export const MAPPING_ROLES = ['time', 'senderName', 'senderId', 'text', 'replyTo', 'messageId', 'group', 'kind'] as const;
export type MappingRole = (typeof MAPPING_ROLES)[number];
export const REQUIRED_ROLES: readonly MappingRole[] = ['time', 'senderName', 'text'];

// ---------------------------------------------------------------------------------------------
// Time patterns (moment/dayjs-style tokens). Compiled here so the schema can refuse a bad pattern
// before any file is read; the engine matches the tokens (ingest/parsers/generic-map.ts).

export type PatternField = 'Y' | 'M' | 'D' | 'H' | 'h' | 'm' | 's' | 'S';
export type PatternToken =
  /** Literal text; a space matches any run of whitespace. */
  | { t: 'lit'; s: string }
  /** A number of `min`..`max` digits (read greedily). */
  | { t: 'num'; f: PatternField; min: number; max: number }
  /** AM/PM (also a.m./p.m., 上午/下午 …). */
  | { t: 'ampm' }
  /** Z or ±HH:MM / ±HHMM / ±HH: the time is an instant. */
  | { t: 'zone' };

const NUM_TOKENS: Record<string, { f: PatternField; min: number; max: number }> = {
  YYYY: { f: 'Y', min: 4, max: 4 },
  YY: { f: 'Y', min: 2, max: 2 },
  MM: { f: 'M', min: 1, max: 2 },
  M: { f: 'M', min: 1, max: 2 },
  DD: { f: 'D', min: 1, max: 2 },
  D: { f: 'D', min: 1, max: 2 },
  HH: { f: 'H', min: 1, max: 2 },
  H: { f: 'H', min: 1, max: 2 },
  hh: { f: 'h', min: 1, max: 2 },
  h: { f: 'h', min: 1, max: 2 },
  mm: { f: 'm', min: 1, max: 2 },
  m: { f: 'm', min: 1, max: 2 },
  ss: { f: 's', min: 1, max: 2 },
  s: { f: 's', min: 1, max: 2 },
};

const isAsciiLetter = (c: string): boolean => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

/** Tokens of a time pattern, or a message saying what is wrong with it. */
export function compileTimePattern(p: string): PatternToken[] | string {
  const out: PatternToken[] = [];
  const seen = new Set<string>();
  const lit = (s: string) => {
    const last = out[out.length - 1];
    if (last?.t === 'lit') last.s += s;
    else out.push({ t: 'lit', s });
  };
  for (let i = 0; i < p.length; ) {
    const c = p[i]!;
    if (c === '[') {
      const j = p.indexOf(']', i + 1);
      if (j < 0) return `unclosed [ in time format "${p}"`;
      lit(p.slice(i + 1, j));
      i = j + 1;
      continue;
    }
    if (!isAsciiLetter(c)) {
      lit(c);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < p.length && p[j] === c) j++;
    const run = p.slice(i, j);
    i = j;
    let key: string;
    if (NUM_TOKENS[run]) {
      const n = NUM_TOKENS[run];
      out.push({ t: 'num', ...n });
      key = n.f === 'h' ? 'H' : n.f;
    } else if (c === 'S') {
      out.push({ t: 'num', f: 'S', min: 1, max: 9 });
      key = 'S';
    } else if (run === 'A' || run === 'a') {
      out.push({ t: 'ampm' });
      key = 'A';
    } else if (run === 'Z' || run === 'ZZ') {
      out.push({ t: 'zone' });
      key = 'Z';
    } else if (run === 'T') {
      lit('T');
      continue;
    } else {
      return `unknown token "${run}" in time format "${p}" (use YYYY YY MM M DD D HH H hh h mm ss SSS A Z; put literal text in [brackets])`;
    }
    if (seen.has(key)) return `time format "${p}" gives the ${key} field twice`;
    seen.add(key);
  }
  for (const [f, what] of [['Y', 'year (YYYY or YY)'], ['M', 'month (MM)'], ['D', 'day (DD)']] as const) {
    if (!seen.has(f)) return `time format "${p}" has no ${what}`;
  }
  const twelve = out.some((t) => t.t === 'num' && t.f === 'h');
  if (twelve && !seen.has('A')) return `time format "${p}" uses a 12-hour clock (h) without AM/PM (A)`;
  return out;
}

/** Refuses what is neither a preset nor a valid pattern. */
export function timeFormatError(s: string): string | null {
  if ((TIME_PRESETS as readonly string[]).includes(s)) return null;
  const r = compileTimePattern(s);
  return typeof r === 'string' ? r : null;
}

// ---------------------------------------------------------------------------------------------

const column = z.string().trim().min(1).max(256);

export const ColumnMappingSchema = z
  .object({
    format: z.enum(MAPPING_FORMATS),
    time: column,
    senderName: column,
    senderId: column.optional(),
    text: column,
    replyTo: column.optional(),
    messageId: column.optional(),
    group: column.optional(),
    kind: column.optional(),
    timeFormat: z.string().trim().min(1).max(64).optional(),
    delimiter: z.enum(DELIMITERS).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const bad = m.timeFormat === undefined ? null : timeFormatError(m.timeFormat);
    if (bad) ctx.addIssue({ code: 'custom', path: ['timeFormat'], message: bad });
  });

export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

// ---------------------------------------------------------------------------------------------
// `--map time=Date,sender=Author,sender-id=AuthorID,text=Content[,reply=…,group=…,id=…,kind=…,time-format=…,delimiter=…]`

const SPEC_KEYS: Record<string, MappingRole | 'timeFormat' | 'delimiter'> = {
  time: 'time',
  sender: 'senderName',
  'sender-name': 'senderName',
  'sender-id': 'senderId',
  text: 'text',
  reply: 'replyTo',
  'reply-to': 'replyTo',
  id: 'messageId',
  'message-id': 'messageId',
  group: 'group',
  kind: 'kind',
  'time-format': 'timeFormat',
  delimiter: 'delimiter',
};
export const SPEC_KEY_NAMES = Object.keys(SPEC_KEYS);

const DELIMITER_NAMES: Record<string, Delimiter> = {
  ',': ',', comma: ',', ';': ';', semicolon: ';', '\t': '\t', '\\t': '\t', tab: '\t', '|': '|', pipe: '|',
};

/** `word=` after a comma starts the next pair (unknown words too, so typos are reported, not swallowed). */
const KEY_START = /^\s*[A-Za-z][\w-]*\s*=/;
const startsWithKey = (s: string): boolean => KEY_START.test(s);

/** Splits at commas that start a new `key=`, so values may hold commas (`time-format=M/D/YY, h:mm A`). */
function splitSpec(spec: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = spec.indexOf(','); i >= 0; i = spec.indexOf(',', i + 1)) {
    if (startsWithKey(spec.slice(i + 1))) {
      parts.push(spec.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(spec.slice(start));
  return parts.filter((p) => p.trim() !== '');
}

/** Reads `--map` values (each a comma list of key=column) into a validated mapping. */
export function parseMappingSpec(specs: readonly string[], format: MappingFormat): { mapping: ColumnMapping } | { error: string } {
  const m: Record<string, string> = { format };
  for (const part of specs.flatMap(splitSpec)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: `--map: expected key=column, found "${part}"` };
    const key = part.slice(0, eq).trim().toLowerCase();
    const field = SPEC_KEYS[key];
    if (!field) return { error: `--map: unknown key "${key}"; keys: ${SPEC_KEY_NAMES.join(', ')}` };
    if (field in m) return { error: `--map: "${key}" given twice` };
    let value = part.slice(eq + 1);
    if (field === 'delimiter') {
      const d = DELIMITER_NAMES[value] ?? DELIMITER_NAMES[value.trim().toLowerCase()];
      if (!d) return { error: `--map: delimiter is one of comma, semicolon, tab, pipe (or , ; | \\t), not "${value}"` };
      value = d;
    } else value = value.trim();
    if (value === '') return { error: `--map: "${key}" needs a column` };
    m[field] = value;
  }
  const missing = (['time', 'senderName', 'text'] as const).filter((r) => !(r in m));
  if (missing.length > 0) {
    const names = { time: 'time', senderName: 'sender', text: 'text' } as const;
    return { error: `--map needs ${missing.map((r) => `${names[r]}=<column>`).join(', ')}` };
  }
  const r = ColumnMappingSchema.safeParse(m);
  if (!r.success) return { error: `--map: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return { mapping: r.data };
}

/** What the mapping dialog holds: a column (or '') per role, plus format options. */
export interface MappingForm {
  format: MappingFormat;
  roles: Partial<Record<MappingRole, string>>;
  timeFormat: string;
  delimiter?: Delimiter;
}

/** The mapping a dialog's choices make, or the required roles still unset / the schema's complaint. */
export function mappingFromForm(f: MappingForm): { mapping: ColumnMapping } | { missing: MappingRole[]; error: string | null } {
  const missing = REQUIRED_ROLES.filter((r) => !f.roles[r]);
  if (missing.length > 0) return { missing, error: null };
  const m: Record<string, string> = { format: f.format };
  for (const r of MAPPING_ROLES) if (f.roles[r]) m[r] = f.roles[r]!;
  if (f.timeFormat.trim() !== '' && f.timeFormat.trim() !== 'auto') m['timeFormat'] = f.timeFormat.trim();
  if (f.format === 'csv' && f.delimiter) m['delimiter'] = f.delimiter;
  const r = ColumnMappingSchema.safeParse(m);
  if (!r.success) return { missing: [], error: r.error.issues.map((i) => i.message).join('; ') };
  return { mapping: r.data };
}
