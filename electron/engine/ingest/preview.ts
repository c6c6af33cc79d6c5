/**
 * First rows of a CSV or JSON Lines file, for the column-mapping dialog and the CLI: format and
 * delimiter guesses, the columns (CSV header cells, or dotted JSON paths), the first 20 rows as
 * text, and a suggested mapping from the column names (English and Chinese) and sample times.
 * Reads only the file's first 64 KiB.
 */
import type { FilePreview } from '../../../shared/api.js';
import { MAPPING_ROLES, type ColumnMapping, type Delimiter, type MappingFormat, type MappingRole } from '../../../shared/column-mapping.js';
import { CsvReader, type CsvRecord } from './csv.js';
import { fileSource, prepareInput, type ByteSource } from './input.js';
import { FormatError, type Line } from './types.js';
import { cellText, detectDelimiter, jsonObjectOf, jsonPath, timeParser } from './parsers/generic-map.js';

export type { FilePreview };

const HEAD_BYTES = 64 * 1024;
const ROWS = 20;
const MAX_COLUMNS = 200;

export interface PreviewOptions {
  format?: MappingFormat;
  delimiter?: Delimiter;
}

export async function previewFile(path: string, o: PreviewOptions = {}): Promise<FilePreview> {
  return previewSource(await fileSource(path), o);
}

export async function previewSource(src: ByteSource, o: PreviewOptions = {}): Promise<FilePreview> {
  if (src.size === 0) throw new FormatError(src.name, null, 'empty file', 0);
  const { sniff, encoding } = await prepareInput(src);
  const lines = headLines(sniff.head, src.size > HEAD_BYTES);
  const first = lines.find((l) => l.text.trim() !== '');
  if (!first) throw new FormatError(src.name, null, 'no text in the first 64 KiB', 0);
  const c = first.text.trimStart()[0];
  if (o.format === undefined && c === '[') {
    throw new FormatError(src.name, first.no, 'a JSON document (array), not JSON Lines (one JSON object per line) or CSV');
  }
  const format: MappingFormat = o.format ?? (c === '{' ? 'jsonl' : 'csv');
  const base = format === 'csv' ? csvPreview(lines, o.delimiter ?? detectDelimiter(first.text)) : jsonlPreview(lines);
  const roles = suggestRoles(base.columns);
  const suggested: Partial<ColumnMapping> = { format, ...roles };
  if (base.delimiter) suggested.delimiter = base.delimiter;
  if (roles.time !== undefined) {
    const tf = guessTimeFormat(base.rows.map((r) => r[base.columns.indexOf(roles.time!)] ?? ''));
    if (tf) suggested.timeFormat = tf;
  }
  return { format, encoding, delimiter: base.delimiter, columns: base.columns, rows: base.rows, suggested };
}

/** Lines of the decoded head; the last one is dropped when the head stops inside the file. */
function headLines(head: string, truncated: boolean): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(head)) !== null) {
    out.push({ text: head.slice(start, m.index), no: out.length + 1, eol: m[0] as Line['eol'] });
    start = m.index + m[0].length;
  }
  if (!truncated && start < head.length) out.push({ text: head.slice(start), no: out.length + 1, eol: '' });
  return out;
}

interface Base {
  delimiter: Delimiter | null;
  columns: string[];
  rows: string[][];
}

function csvPreview(lines: readonly Line[], delimiter: Delimiter): Base {
  const reader = new CsvReader({ delimiter });
  const recs: CsvRecord[] = [];
  for (const l of lines) {
    reader.feed(l, recs);
    if (recs.length > ROWS) break;
  }
  const [header, ...rows] = recs;
  return { delimiter, columns: header ? header.fields.map((h) => h.trim()) : [], rows: rows.slice(0, ROWS).map((r) => r.fields) };
}

/** Dotted paths of an object's leaves (arrays and empty objects are leaves), in key order. */
function leafPaths(o: Record<string, unknown>, prefix: string, out: string[], depth: number): void {
  for (const [k, v] of Object.entries(o)) {
    const p = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < 5 && Object.keys(v).length > 0) {
      leafPaths(v as Record<string, unknown>, p + '.', out, depth + 1);
    } else out.push(p);
  }
}

function jsonlPreview(lines: readonly Line[]): Base {
  const objs: Record<string, unknown>[] = [];
  for (const l of lines) {
    if (l.text.trim() === '') continue;
    const o = jsonObjectOf(l.text.trim());
    if (typeof o !== 'string') objs.push(o);
    if (objs.length >= ROWS) break;
  }
  const seen = new Set<string>();
  const columns: string[] = [];
  for (const o of objs) {
    const ps: string[] = [];
    leafPaths(o, '', ps, 0);
    for (const p of ps) {
      if (!seen.has(p) && columns.length < MAX_COLUMNS) {
        seen.add(p);
        columns.push(p);
      }
    }
  }
  const getters = columns.map(jsonPath);
  return { delimiter: null, columns, rows: objs.map((o) => getters.map((g) => cellText(g(o)))) };
}

// ---------------------------------------------------------------------------------------------
// Suggestions. Column names are compared lower-cased without spaces, `_`, `-` and `.` (so the
// JSON path author.name reads "authorname"); earlier names in a list win.

const EXACT: Record<MappingRole, string[]> = {
  time: ['time', 'timestamp', 'datetime', 'date', 'ts', 'createdat', 'createtime', 'created', 'sentat', 'sendtime', 'senttime', 'messagetime', 'msgtime', 'timestampms', 'dateunixtime', '时间', '日期', '发送时间', '时间戳', '日期时间', '消息时间', '创建时间'],
  senderName: ['sender', 'sendername', 'author', 'authorname', 'from', 'fromname', 'username', 'user', 'nickname', 'nick', 'displayname', 'membername', 'speaker', 'name', 'authornickname', 'usernickname', '发送者', '发送人', '发送者昵称', '昵称', '群昵称', '用户', '用户名', '发言人', '名字', '姓名', '成员'],
  senderId: ['senderid', 'authorid', 'userid', 'uid', 'fromid', 'memberid', 'senderuid', 'wxid', 'qq', 'qq号', '发送者id', '发送人id', '用户id', '账号', 'id'],
  text: ['text', 'content', 'message', 'msg', 'body', 'messagetext', 'messagecontent', 'msgcontent', '内容', '消息', '消息内容', '文本', '正文', '聊天内容'],
  messageId: ['messageid', 'msgid', 'mid', 'msgsvrid', 'localid', '消息id', 'id'],
  replyTo: ['replyto', 'replytoid', 'replyid', 'reply', 'inreplyto', 'replytomessageid', 'replytomsgid', 'quoteid', 'referenceid', 'referencemessageid', '回复', '回复id', '引用', '引用id'],
  group: ['group', 'groupname', 'chat', 'chatname', 'channel', 'channelname', 'room', 'roomname', 'conversation', 'talker', 'talkername', '群', '群名', '群聊', '群组', '群名称', '会话', '频道'],
  kind: ['kind', 'type', 'msgtype', 'messagetype', 'mediatype', '类型', '消息类型'],
};
/** Second chance for the three required roles: a column whose name contains one of these. */
const CONTAINS: Partial<Record<MappingRole, string[]>> = {
  time: ['time', 'date', '时间', '日期'],
  senderName: ['sender', 'author', 'nick', 'name', '发送', '昵称', '用户'],
  text: ['content', 'message', 'text', '内容', '消息'],
};
// 'id' alone is a sender id (per the brief) unless a better sender id exists; then a message id.
const ORDER: MappingRole[] = ['time', 'text', 'senderName', 'senderId', 'messageId', 'replyTo', 'group', 'kind'];

const norm = (s: string): string => s.toLowerCase().replace(/[\s_\-.]/g, '');

/** A column per role, each column used once, from the column names. */
export function suggestRoles(columns: readonly string[]): Partial<Record<MappingRole, string>> {
  const used = new Set<number>();
  const names = columns.map(norm);
  const out: Partial<Record<MappingRole, string>> = {};
  for (const role of ORDER) {
    let best = -1;
    let bestRank = Infinity;
    names.forEach((n, i) => {
      const rank = EXACT[role].indexOf(n);
      if (!used.has(i) && rank >= 0 && rank < bestRank) {
        best = i;
        bestRank = rank;
      }
    });
    if (best < 0 && CONTAINS[role]) best = names.findIndex((n, i) => !used.has(i) && CONTAINS[role]!.some((w) => n.includes(w)));
    if (best >= 0) {
      used.add(best);
      out[role] = columns[best]!;
    }
  }
  return Object.fromEntries(MAPPING_ROLES.filter((r) => out[r] !== undefined).map((r) => [r, out[r]]));
}

const DAY_FIRST = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(,?\s+|T)?(?:(\d{1,2}):(\d{2})(:\d{2})?(\s*)([AaPp]\.?\s?[Mm]\.?)?)?$/;

/**
 * A time format that reads most samples (a bad row or two must not hide it): epoch, auto (year
 * first), or a day/month-first pattern shaped like the first such sample.
 */
export function guessTimeFormat(samples: readonly string[]): string | undefined {
  const vals = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (vals.length === 0) return undefined;
  const most = (n: number) => n * 2 > vals.length;
  const readsMost = (f: string) => {
    const p = timeParser(f);
    return most(vals.filter((v) => typeof p(v) !== 'string').length);
  };
  const epochs = vals.filter((v) => /^\d{9,13}(\.\d+)?$/.test(v));
  if (most(epochs.length)) {
    const f = epochs[0]!.split('.')[0]!.length >= 12 ? 'epoch-ms' : 'epoch-s';
    return readsMost(f) ? f : undefined;
  }
  if (readsMost('auto')) return 'auto';
  const shaped = vals.map((v) => DAY_FIRST.exec(v)).filter((x) => x !== null);
  const m = shaped[0];
  if (!m) return undefined;
  // Day or month first: whichever more samples prove (a first part over 12 is a day); day on a tie.
  const dayProof = shaped.filter((x) => +x[1]! > 12).length;
  const monthFirst = shaped.filter((x) => +x[3]! > 12).length > dayProof;
  const sep = m[2]!;
  let p = (monthFirst ? ['MM', 'DD'] : ['DD', 'MM']).join(sep) + sep + (m[4]!.length === 4 ? 'YYYY' : 'YY');
  if (m[6] !== undefined) {
    const dt = m[5] === 'T' ? 'T' : (m[5] ?? ' ').startsWith(',') ? ', ' : ' ';
    p += `${dt}${m[10] ? 'h' : 'HH'}:mm${m[8] ? ':ss' : ''}${m[10] ? (m[9] ? ' A' : 'A') : ''}`;
  }
  return readsMost(p) ? p : undefined;
}
