/**
 * WhatsApp `_chat.txt`: record headers, date-order inference, hidden marks, and the phrase tables
 * that tell system notices, deletions and media placeholders apart from messages (FORMATS.md §1).
 */
import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { PLACEHOLDERS } from '../../text/placeholders.js';
import { daysInMonth, fullYear } from '../time.js';

// ---------------------------------------------------------------------------------------------
// Headers

/** A parsed record header. Date fields stay raw: their order is only known per file. */
export interface Header {
  a: number;
  b: number;
  c: number;
  /** Digits in the first / last date field (a 4-digit field is the year). */
  aLen: number;
  cLen: number;
  hh: number;
  mi: number;
  ss: number;
  /** 0 = 24-hour clock, 1 = AM marker, 2 = PM marker. */
  mark: 0 | 1 | 2;
  /** Marker written as bare upper-case `AM`/`PM` (en-US style), a hint for M/D/Y. */
  usMark: boolean;
  /** Everything after the header: `Sender: text`, or a system notice without sender. */
  rest: string;
}

const DATE = String.raw`(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})`;
const SP = '[ \\u00a0\\u202f]';
const MARK_BEFORE = `(?:(上午|下午|午前|午後|오전|오후)${SP}?)?`;
const CLOCK = String.raw`(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?`;
const MARK_AFTER = `(?:${SP}?([AaPp])(\\.?)${SP}?([Mm])\\.?)?`;
// Date and time are split by `, `, a space, or ` à ` (French Android).
const STAMP = `${DATE}(?:,${SP}?|${SP}(?:à${SP})?)${MARK_BEFORE}${CLOCK}${MARK_AFTER}`;
// iOS: `[DATE, TIME] rest`; Android: `DATE, TIME - rest`. Both anchored, no nested quantifiers.
const IOS_RE = new RegExp(`^\\[${STAMP}\\]${SP}?([^]*)$`);
const ANDROID_RE = new RegExp(`^${STAMP}${SP}[-–]${SP}([^]*)$`);

/** Bidi and isolate marks WhatsApp sprinkles around names, phone numbers and system text. */
export const isHiddenCode = (c: number): boolean =>
  c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);

export function stripLeadingHidden(s: string): string {
  let i = 0;
  while (i < s.length && isHiddenCode(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

const HIDDEN_G = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NEEDS_CLEANING = /[\u00a0\u2011\u200e\u200f\u202a-\u202f\u2066-\u2069~]/;

/** Display name as shown in the app: no hidden marks, no push-name `~ `, plain spaces and hyphens. */
export function cleanName(raw: string): string {
  if (!NEEDS_CLEANING.test(raw)) return raw.trim();
  let s = raw.replace(HIDDEN_G, '').replace(/[\u00a0\u202f]/g, ' ').replace(/\u2011/g, '-').trim();
  if (s.startsWith('~ ')) s = s.slice(2).trim();
  return s;
}

/** Matches a full record header (one regex test at most); null for continuation lines. */
export function matchHeader(line: string): Header | null {
  const s = stripLeadingHidden(line);
  const c0 = s.charCodeAt(0);
  const m = c0 === 0x5b ? IOS_RE.exec(s) : c0 >= 0x30 && c0 <= 0x39 ? ANDROID_RE.exec(s) : null;
  if (!m) return null;
  const before = m[5];
  const after = m[9];
  let mark: 0 | 1 | 2 = 0;
  if (before) mark = before === '下午' || before === '午後' || before === '오후' ? 2 : 1;
  else if (after) mark = after === 'p' || after === 'P' ? 2 : 1;
  return {
    a: +m[1]!,
    b: +m[3]!,
    c: +m[4]!,
    aLen: m[1]!.length,
    cLen: m[4]!.length,
    hh: +m[6]!,
    mi: +m[7]!,
    ss: m[8] ? +m[8] : 0,
    mark,
    usMark: !!after && (after === 'A' || after === 'P') && m[10] === '' && m[11] === 'M',
    rest: m[12]!,
  };
}

// ---------------------------------------------------------------------------------------------
// Date order

export type DateOrder = 'DMY' | 'MDY' | 'YMD';

export function ymdOf(order: DateOrder, h: Pick<Header, 'a' | 'b' | 'c'>): [number, number, number] {
  if (order === 'DMY') return [fullYear(h.c), h.b, h.a];
  if (order === 'MDY') return [fullYear(h.c), h.a, h.b];
  return [fullYear(h.a), h.b, h.c];
}

const dateValid = (y: number, m: number, d: number): boolean =>
  y >= 1970 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);

/** A header plus, where the body names a media file, the date that file name carries. */
export interface DateSample {
  h: Header;
  media: [number, number, number] | null;
}

const ATTACHED_DATE = /<(?:attached|Anhang): \d+-[A-Z]+-(\d{4})-(\d{2})-(\d{2})-/;
const ANDROID_MEDIA_DATE = /\b(?:IMG|VID|PTT|AUD|STK|DOC)-(\d{4})(\d{2})(\d{2})-WA\d/;

/** Date the media file name of a body carries (its local date), for the order vote. */
export function mediaDateOf(body: string): [number, number, number] | null {
  if (body.length > 400 || body.indexOf('-') < 0) return null;
  const m = ATTACHED_DATE.exec(body) ?? ANDROID_MEDIA_DATE.exec(body);
  return m ? [+m[1]!, +m[2]!, +m[3]!] : null;
}

/**
 * Picks the date order of one file from its first headers. Candidates are ranked by, in turn:
 * fewest impossible dates (so any first field >12 rules out M/D, any second field >12 rules out
 * D/M, a 4-digit first field forces Y/M/D); fewest disagreements with dates embedded in media
 * file names; fewest backwards steps between consecutive dates (exports are chronological).
 * Still tied ⇒ D/M/Y, the order of most WhatsApp locales, unless upper-case `AM`/`PM` (en-US,
 * the one big M/D/Y locale; en-GB/IN/AU write lower-case `am`/`pm`) suggests M/D/Y.
 * Two-digit Y/M/D is a candidate of last resort and needs years ≥ 2009 (WhatsApp's launch).
 */
export function inferDateOrder(samples: readonly DateSample[]): DateOrder {
  if (samples.some((s) => s.h.aLen >= 3)) return 'YMD';
  const us = samples.some((s) => s.h.usMark);
  const cands: DateOrder[] = us ? ['MDY', 'DMY'] : ['DMY', 'MDY'];
  if (samples.length > 0 && samples.every((s) => s.h.cLen <= 2 && s.h.a >= 9)) cands.push('YMD');
  let best = cands[0]!;
  let bestScore: number[] | null = null;
  for (const order of cands) {
    let invalid = 0;
    let mediaMiss = 0;
    let back = 0;
    let prev = -1;
    for (const s of samples) {
      const [y, m, d] = ymdOf(order, s.h);
      if (!dateValid(y, m, d)) {
        invalid++;
        continue;
      }
      const key = y * 500 + m * 40 + d;
      if (key < prev) back++;
      prev = key;
      if (s.media && (s.media[0] !== y || s.media[1] !== m || s.media[2] !== d)) mediaMiss++;
    }
    const score = [invalid, mediaMiss, back];
    if (bestScore === null || lexLess(score, bestScore)) {
      best = order;
      bestScore = score;
    }
  }
  return best;
}

function lexLess(x: number[], y: number[]): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Bodies

const PLACEHOLDER_KIND = new Map<string, MessageKind>(PLACEHOLDERS.filter(([t]) => !t.startsWith('[')));
const SUFFIX_PLACEHOLDERS = [...PLACEHOLDER_KIND].filter(([t]) => /omitted|weggelassen/.test(t));
const ATTACHED = /^<(?:attached|Anhang): (?:\d+-([A-Z]+)-)?[^>]*>/;
const ANDROID_FILE = /^(?:(IMG|VID|PTT|AUD|STK)-\S*|\S.*)\.\w{1,5} \((?:file attached|Datei angehängt)\)/;
const ATTACH_KIND: Record<string, MessageKind> = {
  PHOTO: 'image',
  AUDIO: 'voice',
  VIDEO: 'video',
  STICKER: 'sticker',
  GIF: 'video',
  IMG: 'image',
  VID: 'video',
  PTT: 'voice',
  AUD: 'voice',
  STK: 'sticker',
};
const URL_ONLY = /^(?:https?:\/\/|www\.)\S+$/i;
const PENDING = /^(?:Waiting for this message|Warten auf diese Nachricht|正在等待此消息)/;

/** Kind of a message body (hidden marks already stripped from its start). */
export function messageKind(body: string): MessageKind {
  const t = body.trim();
  const exact = PLACEHOLDER_KIND.get(t);
  if (exact) return exact;
  const c0 = t.charCodeAt(0);
  if (c0 === 0x3c /* < */) {
    const m = ATTACHED.exec(t);
    if (m) return (m[1] && ATTACH_KIND[m[1]]) || 'file';
  }
  if (t.endsWith('omitted') || t.endsWith('weggelassen')) {
    for (const [p, kind] of SUFFIX_PLACEHOLDERS) if (t.endsWith(p)) return kind;
  }
  if (t.includes('(file attached)') || t.includes('(Datei angehängt)')) {
    const m = ANDROID_FILE.exec(t);
    if (m) return (m[1] && ATTACH_KIND[m[1]]) || 'file';
  }
  if (URL_ONLY.test(t)) return 'link';
  if (PENDING.test(t)) return 'other';
  return 'text';
}

const EDITED = /[ \u00a0]?\u200e?<(?:This message was edited|Diese Nachricht wurde bearbeitet\.?|已编辑)>$/;

/** Drops the trailing "edited" tag newer exports append. */
export function stripEdited(text: string): string {
  return text.endsWith('>') ? text.replace(EDITED, '') : text;
}

const DELETED =
  /^(?:This message was deleted(?: by admin .*)?|You deleted this message|Diese Nachricht wurde (?:von .+ )?gelöscht|Du hast diese Nachricht gelöscht|这条消息已删除|此消息已删除|你删除了此消息|此訊息已刪除|你已刪除此訊息)\.?$/;

export const isDeleted = (body: string): boolean => body.length < 200 && DELETED.test(body.trim());

const MENTION_PHONE = /(?<![\w@])@(\d{5,15})(?!\d)/g;
const MENTION_NAME = /@\u2068([^\u2069]{1,100})\u2069/g;

/** `@` + phone digits, or `@` + a name wrapped in U+2068…U+2069; returned without '@'. */
export function mentionsOf(text: string): string[] {
  if (text.indexOf('@') < 0) return [];
  const out: string[] = [];
  for (const m of text.matchAll(MENTION_NAME)) out.push(cleanName(m[1]!));
  for (const m of text.matchAll(MENTION_PHONE)) out.push(m[1]!);
  return out;
}

// ---------------------------------------------------------------------------------------------
// System notices

export interface SystemNotice {
  kind: EventKind;
  actor: string | null;
  subjects: string[];
  /** Group name the notice reveals (`created group "X"`). */
  title?: string;
}

/** Is this the encryption notice every chat starts with (its iOS pseudo-sender is the chat name)? */
export const isEncryptionNotice = (t: string): boolean =>
  /^(?:Messages (?:and calls )?(?:you send to this (?:group|chat) )?(?:are|were) (?:now )?(?:secured with )?end-to-end encrypt|Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt|消息和通话已进行端到端加密|訊息與通話已受端對端加密保護)/.test(
    t,
  );

const Q_OPEN = '["“„「]';
const Q_CLOSE = '["”“」]';
const AP = "['’]";
type Rule = [RegExp, (m: RegExpExecArray) => SystemNotice];

/** A named person; the object forms `you` / `dich` become the subject forms `You` / `Du`. */
const person = (s: string): string => {
  const t = cleanName(s);
  return t === 'you' ? 'You' : t === 'dich' ? 'Du' : t;
};
/** `B, C and D` / `B und C` / `B、C和D` → names; `4 others` / `4 weitere Personen` are not names. */
const names = (list: string): string[] =>
  list
    .split(/,\s*|，|、|\s+(?:and|und)\s+|\s*和\s*/)
    .map(person)
    .filter((n) => n !== '' && !/^\d+\s*(?:others?|more|weitere Personen?|位其他)$/.test(n));
const one = (s: string): string[] => [person(s)];
const who = (s: string): string => cleanName(s);
const ev = (kind: EventKind, actor: string | null, subjects: string[], title?: string): SystemNotice =>
  title === undefined ? { kind, actor, subjects } : { kind, actor, subjects, title };

// Order matters: specific phrases before the generic `A added B` / `A hat B hinzugefügt` shapes.
const RULES: Rule[] = [
  // en
  [new RegExp(`^(.+?) created group ${Q_OPEN}(.*)${Q_CLOSE}$`), (m) => ev('create', who(m[1]!), [], m[2]!)],
  [/^(.+?) created this group$/, (m) => ev('create', who(m[1]!), [])],
  [new RegExp(`^(.+?) joined (?:using (?:this|the) (?:group|community)${AP}s invite link|the group|from the community)$`), (m) => ev('join', null, one(m[1]!))],
  [/^You were added$/, () => ev('invite', null, ['You'])],
  [/^You were removed$/, () => ev('remove', null, ['You'])],
  [new RegExp(`^(.+?) changed the subject from ${Q_OPEN}(.*)${Q_CLOSE} to ${Q_OPEN}(.*)${Q_CLOSE}$`), (m) => ev('title', who(m[1]!), [], m[3]!)],
  [new RegExp(`^(.+?) changed the subject to ${Q_OPEN}(.*)${Q_CLOSE}$`), (m) => ev('title', who(m[1]!), [], m[2]!)],
  [new RegExp(`^(.+?) changed (?:the group name|this group${AP}s name|the group${AP}s name|the subject)`), (m) => ev('title', who(m[1]!), [])],
  [/^(.+?) changed their phone number/, (m) => ev('rename', null, one(m[1]!))],
  [/^(\+[\d ()\-\u2011\u00a0\u202a\u202c]+) changed to (\+[\d ()\-\u2011\u00a0\u202a\u202c]+)$/, (m) => ev('rename', null, one(m[1]!))],
  [/^(?:Missed )?(?:voice|video|group voice|group video) call\b/i, () => ev('call', null, [])],
  [/^(.+?) left(?: the group)?$/, (m) => ev('leave', null, one(m[1]!))],
  [/^(.+?) removed (.+)$/, (m) => ev('remove', who(m[1]!), names(m[2]!))],
  [/^(.+?) added (.+)$/, (m) => ev('invite', who(m[1]!), names(m[2]!))],
  // de
  [new RegExp(`^(.+?) (?:hat|hast) die Gruppe (?:${Q_OPEN}(.*)${Q_CLOSE} )?erstellt$`), (m) => ev('create', who(m[1]!), [], m[2])],
  [/^(.+?) (?:ist|bist) der Gruppe mit dem Einladungslink beigetreten$/, (m) => ev('join', null, one(m[1]!))],
  [/^(.+?) (?:hat|hast) die Gruppe verlassen$/, (m) => ev('leave', null, one(m[1]!))],
  [/^(.+?) (?:hat|hast) den (?:Betreff|Gruppennamen)\b/, (m) => ev('title', who(m[1]!), [])],
  [/^(.+?) (?:hat (?:seine|ihre) Telefonnummer|hat zu einer neuen Nummer gewechselt)/, (m) => ev('rename', null, one(m[1]!))],
  [/^Du wurdest hinzugefügt$/, () => ev('invite', null, ['Du'])],
  [/^(?:Verpasster )?(?:Sprach|Video)anruf\b/, () => ev('call', null, [])],
  [/^(.+?) (?:hat|hast) (.+) entfernt$/, (m) => ev('remove', who(m[1]!), names(m[2]!))],
  [/^(.+?) (?:hat|hast) (.+) hinzugefügt(?:\. Tippe, um alle zu sehen)?$/, (m) => ev('invite', who(m[1]!), names(m[2]!))],
  // zh-CN / zh-TW
  [new RegExp(`^(.+?)\\s*(?:创建了群组|建立了群組)\\s*${Q_OPEN}(.*)${Q_CLOSE}$`), (m) => ev('create', who(m[1]!), [], m[2]!)],
  [/^(.+?)\s*(?:创建了此群组|创建了群组|建立了此群組|建立了群組)/, (m) => ev('create', who(m[1]!), [])],
  [/^(.+?)\s*(?:通过此群组的邀请链接加入|透過此群組的邀請連結加入|已?加入了?(?:此)?群[组組])/, (m) => ev('join', null, one(m[1]!))],
  [/^(.+?)\s*(?:退出了群组|已退出(?:群组)?|已離開群組|離開了群組)$/, (m) => ev('leave', null, one(m[1]!))],
  [/^(.+?)\s*(?:将主题|更改了(?:群组)?主题|将群组名称|更改了群组名称|已變更群組名稱|變更了主旨|已將主旨)/, (m) => ev('title', who(m[1]!), [])],
  [/^(.+?)\s*(?:移除了|已移除)\s*(.+)$/, (m) => ev('remove', who(m[1]!), names(m[2]!))],
  [/^(.+?)\s*(?:添加了|已新增)\s*(.+)$/, (m) => ev('invite', who(m[1]!), names(m[2]!))],
];

/**
 * Reads a system notice (hidden marks at its start already stripped). Returns null when the text
 * is none of the known notices; encryption, security-code, disappearing-message and icon notices
 * come back as 'other'.
 */
export function classifySystem(text: string): SystemNotice | null {
  const t = trimTrailing(text);
  if (t.length > 500) return null;
  if (isEncryptionNotice(t)) return ev('other', null, []);
  for (const [re, make] of RULES) {
    const m = re.exec(t);
    if (m) return make(m);
  }
  if (OTHER_NOTICE.test(t)) return ev('other', null, []);
  return null;
}

const TRAILING = /[\s.\u200e]/;

/**
 * `text` without trailing blanks, dots and LRMs. A loop, not `replace(/[\s.]+$/)`: that regex
 * retries from every position of a long blank run not at the end, which is quadratic.
 */
function trimTrailing(text: string): string {
  let end = text.length;
  while (end > 0 && TRAILING.test(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
}

const OTHER_NOTICE =
  /security code|disappearing messages|(?:changed|deleted) (?:this|the) group(?:['’]s)? (?:icon|description|settings)|now an admin|no longer an admin|Sicherheitsnummer|selbstlöschende|Gruppenbild|Gruppenbeschreibung|安全码|安全碼|限时消息|限時訊息|群组图标|群組圖示|更改了本群组|已變更本群組|已将此群组的设置更改为/i;
