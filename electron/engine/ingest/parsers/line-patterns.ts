/**
 * Tables and small matchers for LINE `[LINE] Chat history …` text exports (FORMATS.md §7).
 * Everything here looks at ONE line; the state machine is in line-txt.ts.
 */
import type { ChatType, EventKind, MessageKind } from '../../../../shared/model.js';
import { PLACEHOLDERS } from '../../text/placeholders.js';
import { to24h } from '../time.js';

export interface LineHeader {
  name: string;
  chatType: ChatType;
}

/**
 * First line of the export. The English, Chinese and Japanese forms are the ones ChatLab's
 * line-native-txt.ts reads; "with"/与/與/と = a 1:1 chat, "in"/bare name = a group. No real Thai
 * export could be found: public Thai parsers disagree (ประวัติการแชทกับ, ประวัติแชทกับ,
 * ประวัติการสนทนากับ, ประวัติการแชทในกลุ่ม), so every one of them is accepted, กับ (with) = 1:1,
 * ใน (in) = group.
 */
const HEADERS: readonly (readonly [RegExp, ChatType])[] = [
  [/^\[LINE\]\s*Chat history with (.+)$/i, 'private'],
  [/^\[LINE\]\s*Chat history in (.+)$/i, 'group'],
  [/^\[LINE\]\s*Chat with (.+)$/i, 'private'],
  [/^\[LINE\]\s*[与與](.+)的聊天(?:记录|記錄)$/, 'private'],
  [/^\[LINE\]\s*(.+)的聊天(?:记录|記錄)$/, 'group'],
  [/^\[LINE\]\s*(.+)とのトーク履歴$/, 'private'],
  [/^\[LINE\]\s*(.+)のトーク履歴$/, 'group'],
  [/^\[LINE\]\s*ประวัติ(?:การ)?(?:แชท|สนทนา)\s*กับ\s*(.+)$/, 'private'],
  [/^\[LINE\]\s*ประวัติ(?:การ)?(?:แชท|สนทนา)\s*ใน(?:กลุ่ม)?\s*(.+)$/, 'group'],
];

const QUOTED_NAME = /^["“「『](.*)["”」』]$/;

/** The `[LINE] …` title line; a `[LINE]` line in an unknown language still marks the file. */
export function parseHeader(text: string): LineHeader | null {
  const t = text.trim();
  if (!t.startsWith('[LINE]') || t.length > 500) return null;
  for (const [re, chatType] of HEADERS) {
    const m = re.exec(t);
    if (m) {
      let name = m[1]!.trim();
      const q = QUOTED_NAME.exec(name);
      if (q) name = q[1]!.trim();
      return { name, chatType };
    }
  }
  return { name: '', chatType: 'unknown' };
}

/** `Saved on: 2024/01/03 09:00` and its translations, right under the title. */
export const SAVED_ON = /^(?:Saved on|Save date|Saved date|保存日期|保存日時|儲存日期|บันทึกเมื่อ|บันทึกวันที่)\s*[:：]?/i;

// ---------------------------------------------------------------------------------------------
// Date lines

const WEEKDAY = new Map<string, number>();
const addDays = (names: string[]): void => names.forEach((n, i) => WEEKDAY.set(n, i));
addDays(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);
addDays(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);
addDays(['日', '一', '二', '三', '四', '五', '六']); // zh 星期一 / 周一 / （一）
addDays(['日', '月', '火', '水', '木', '金', '土']); // ja (金) / 金曜日
addDays(['일', '월', '화', '수', '목', '금', '토']); // ko 월요일
addDays(['อาทิตย์', 'จันทร์', 'อังคาร', 'พุธ', 'พฤหัสบดี', 'ศุกร์', 'เสาร์']);
addDays(['อา', 'จ', 'อ', 'พ', 'พฤ', 'ศ', 'ส']);
WEEKDAY.set('天', 0);
WEEKDAY.set('tues', 2);
WEEKDAY.set('thur', 4);
WEEKDAY.set('thurs', 4);

/** Weekday 0 (Sunday) … 6 of a token such as `Wed`, `(金)`, `（三）`, `星期三`, `วันพุธ`; null if unknown. */
export function weekdayOf(token: string): number | null {
  let t = token.trim().replace(/^[(（]\s*|\s*[)）]$/g, '').replace(/\.$/, '').toLowerCase();
  t = t.replace(/^(?:星期|周|週|禮拜|礼拜|วัน)/, '').replace(/(?:曜日|曜|요일)$/, '');
  return WEEKDAY.get(t) ?? null;
}

export interface DateLine {
  /** Gregorian year. */
  y: number;
  /** a/b/yyyy: first and second number; Y/M/D: month and day. */
  a: number;
  b: number;
  ymd: boolean;
  /** The year was a Buddhist Era year (converted). */
  be: boolean;
  weekday: number | null;
}

/** `Wed, 10/07/2562 BE`, `Fri, 1/30/2026`, `ศ. 28/11/2568` (weekday first, a/b/yyyy). */
const DATE_AB = /^(?:([^\d\s,，]{1,12})[,，]?\s+)?(\d{1,2})([/.-])(\d{1,2})\3(\d{4})(\s*BE)?$/;
/** `2025.12.10 Wednesday`, `2026/1/30(金)`, `2024/01/03（三）`, `2026/1/30周五`. */
const DATE_YMD = /^(\d{4})([/.-])(\d{1,2})\2(\d{1,2})(?:\s*[(（]\s*([^)）\s]{1,12})\s*[)）]|\s*([^\d\s()（）]{1,12}))?$/;
const LETTERS = /^[\p{L}\p{M}.]{1,12}$/u;

/**
 * Reads a day header. A weekday word that is not in the table is accepted only when the line
 * follows a blank line (LINE always puts one before a day header), so a message continuation
 * such as `2024/01/03 meeting` is not taken for a new day.
 */
export function parseDateLine(text: string, afterBlank: boolean): DateLine | null {
  const t = text.trim();
  if (t.length < 8 || t.length > 40) return null;
  const c = t.charCodeAt(0);
  const ok = (tok: string | undefined): { good: boolean; wd: number | null } => {
    if (tok === undefined || tok === '') return { good: true, wd: null };
    const wd = weekdayOf(tok);
    if (wd !== null) return { good: true, wd };
    return { good: afterBlank && LETTERS.test(tok.replace(/^[(（]|[)）]$/g, '')), wd: null };
  };
  let m: RegExpExecArray | null;
  if (c >= 0x30 && c <= 0x39 && (m = DATE_YMD.exec(t))) {
    const w = ok(m[5] ?? m[6]);
    if (!w.good) return null;
    const y = +m[1]!;
    return { y: y >= 2400 ? y - 543 : y, a: +m[3]!, b: +m[4]!, ymd: true, be: y >= 2400, weekday: w.wd };
  }
  if ((m = DATE_AB.exec(t))) {
    const w = ok(m[1]);
    if (!w.good) return null;
    const y = +m[5]!;
    // Buddhist Era (Thai phones): the `BE` tag, or a year no Gregorian chat can have.
    const be = m[6] !== undefined || y >= 2400;
    return { y: be ? y - 543 : y, a: +m[2]!, b: +m[4]!, ymd: false, be, weekday: w.wd };
  }
  return null;
}

/** Day of week (0 = Sunday) of a Gregorian date. */
export function dayOfWeek(y: number, mo: number, d: number): number {
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
}

// ---------------------------------------------------------------------------------------------
// Message lines

const TIME = /^(上午|下午|午前|午後|오전|오후)?\s?(\d{1,2}):(\d{2})(?:\s?([AaPp])\.?\s?[Mm]\.?)?$/;
const PM = new Set(['下午', '午後', '오후', 'p', 'P']);

/** `19:10`, `9:30 PM`, `9:30PM`, `下午07:04`, `午前9:30` → [hour, minute]; null if not a time. */
export function parseTime(s: string): [number, number] | null {
  if (s.length > 14) return null;
  const m = TIME.exec(s);
  if (!m) return null;
  let h = +m[2]!;
  const mi = +m[3]!;
  const mark = m[1] ?? m[4];
  if (mark !== undefined) {
    if (h > 12) return null;
    h = to24h(h, PM.has(mark));
  }
  return h <= 23 && mi <= 59 ? [h, mi] : null;
}

export interface MessageLine {
  hm: [number, number];
  /** null when the line has no sender field at all (`HH:MM<TAB>text`). */
  sender: string | null;
  body: string;
}

/**
 * `HH:MM<sep>Sender<sep>text` / `HH:MM<sep><sep>notice` / `HH:MM<sep>notice`. With '$' (the
 * uploader's edit of the Thai fixture) a few lines kept a TAB between sender and text, so the
 * sender then ends at whichever of '$' and TAB comes first.
 */
export function splitMessageLine(text: string, sep: '\t' | '$'): MessageLine | null {
  const i = text.indexOf(sep);
  if (i < 4 || i > 14) return null;
  const hm = parseTime(text.slice(0, i));
  if (!hm) return null;
  let j = text.indexOf(sep, i + 1);
  if (sep === '$') {
    const k = text.indexOf('\t', i + 1);
    if (k >= 0 && (j < 0 || k < j)) j = k;
  }
  if (j < 0) return { hm, sender: null, body: text.slice(i + 1) };
  return { hm, sender: text.slice(i + 1, j), body: text.slice(j + 1) };
}

// ---------------------------------------------------------------------------------------------
// Notices and kinds

export interface Notice {
  kind: EventKind;
  actor: string | null;
  subjects: string[];
}

const names = (s: string): string[] =>
  s
    .split(/, and |, | and |、|，/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** Notices LINE writes with an empty sender field (en, and the zh/ja wordings ChatLab lists). */
const NOTICES: readonly (readonly [RegExp, (m: RegExpExecArray) => Notice])[] = [
  [/^(.+?) unsent a message\.?$/, (m) => ({ kind: 'recall', actor: m[1]!, subjects: [] })],
  [/^(.+?)(?:已收回訊息|撤回了一条消息|已撤回消息|が送信を取り消しました)$/, (m) => ({ kind: 'recall', actor: m[1]!, subjects: [] })],
  [/^(.+?) joined the group\.?$/, (m) => ({ kind: 'join', actor: null, subjects: [m[1]!] })],
  [/^(.+?)(?:已加入群組|已加入该群|加入了群组|がグループに参加しました)$/, (m) => ({ kind: 'join', actor: null, subjects: [m[1]!] })],
  [/^(.+?) left the group\.?$/, (m) => ({ kind: 'leave', actor: null, subjects: [m[1]!] })],
  [/^(.+?)(?:已退出群組|已離開群組|已退群|退出了群组|がグループを退会しました)$/, (m) => ({ kind: 'leave', actor: null, subjects: [m[1]!] })],
  [/^(.+?) (?:added|invited) (.+?) to the group\.?$/, (m) => ({ kind: 'invite', actor: m[1]!, subjects: names(m[2]!) })],
  [/^(.+?)が(.+?)をグループに(?:追加|招待)しました$/, (m) => ({ kind: 'invite', actor: m[1]!, subjects: names(m[2]!) })],
  [/^(.+?) removed (.+?)(?: from the group)?\.?$/, (m) => ({ kind: 'remove', actor: m[1]!, subjects: names(m[2]!) })],
  [/^(.+?)が(.+?)を退会させました$/, (m) => ({ kind: 'remove', actor: m[1]!, subjects: names(m[2]!) })],
  [/^(.+?) changed the group name to .+$/, (m) => ({ kind: 'title', actor: m[1]!, subjects: [] })],
];

/** Classifies a notice; 'other' when no pattern fits. Long texts are not notices. */
export function classifyNotice(text: string): Notice {
  const t = text.trim();
  if (t.length <= 300) {
    for (const [re, f] of NOTICES) {
      const m = re.exec(t);
      if (m) return f(m);
    }
  }
  return { kind: 'other', actor: null, subjects: [] };
}

/** A message whose body is the sender's own recall notice (`A<TAB>A unsent a message.`). */
export function isOwnRecall(sender: string, body: string): boolean {
  if (body.length > 300) return false;
  const n = classifyNotice(body);
  return n.kind === 'recall' && n.actor === sender;
}

/** LINE's call log lines (`☎ Call time 0:02`, `☎ Missed call`, `☎ Canceled call`, `☎ No answer`). */
export const isCallLog = (body: string): boolean => body.charCodeAt(0) === 0x260e;

const PLACEHOLDER_KIND = new Map<string, MessageKind>(PLACEHOLDERS);
const URL_ONLY = /^(?:https?:\/\/|www\.)\S+$/i;

export function messageKind(text: string): MessageKind {
  const t = text.trim();
  const k = PLACEHOLDER_KIND.get(t);
  if (k) return k;
  if (URL_ONLY.test(t)) return 'link';
  return 'text';
}

/** Number of '"' in a string. */
export function quoteCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}
