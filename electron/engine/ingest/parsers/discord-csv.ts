/**
 * DiscordChatExporter CSV (FORMATS.md §5): `AuthorID,Author,Date,Content,Attachments,Reactions`,
 * every field quoted, multi-line content inside the quotes. One channel per file, but the file
 * does not name it: the importer names the conversation after the file.
 */
import type { EventKind, MessageKind } from '../../../../shared/model.js';
import { csvRecords, firstCsvRecord } from '../csv.js';
import { FormatError, type EventRecord, type GroupRecord, type MessageRecord, type ParsedRecord, type Parser, type PersonRef } from '../types.js';
import { BATCH, People, attachmentKind, isoTime, legacyTime, messageKind, parseReactions, reject, type When } from './discord-common.js';

const HEADER = ['AuthorID', 'Author', 'Date', 'Content', 'Attachments', 'Reactions'] as const;
const KEY = 'discord-csv';

const isHeader = (f: readonly string[]): boolean => f.length === HEADER.length && HEADER.every((h, i) => f[i] === h);

export const discordCsvParser: Parser = {
  format: 'discord-csv',
  platform: 'discord',
  sniff: ({ head }) => {
    const f = firstCsvRecord(head);
    return f && isHeader(f) ? 0.98 : 0;
  },
  async *parse(input) {
    const people = new People();
    let seenHeader = false;
    let declared = false;
    let out: ParsedRecord[] = [];
    for await (const batch of csvRecords(input.lines())) {
      for (const rec of batch) {
        if (!seenHeader) {
          if (!isHeader(rec.fields)) {
            throw new FormatError(input.fileName, rec.line, `not a DiscordChatExporter CSV file: expected the header "${HEADER.join(',')}"`);
          }
          seenHeader = true;
          continue;
        }
        const f = rec.fields;
        if (rec.error !== null) out.push(reject(rec.line, rec.error, rec.raw));
        else if (f.length !== HEADER.length) out.push(reject(rec.line, `expected ${HEADER.length} fields, found ${f.length}`, rec.raw));
        else {
          const date = f[2]!.trim();
          const when = isoTime(date) ?? legacyTime(date);
          if (when === null) out.push(reject(rec.line, `line ${rec.line}: unreadable Date "${f[2]}"`, rec.raw));
          else {
            if (!declared) {
              const g: GroupRecord = { type: 'group', key: KEY, platform: 'discord', externalId: null, name: '', chatType: 'unknown' };
              out.push(g);
              declared = true;
            }
            out.push(row(f, rec.line, when, people.fromCsv(f[0]!, f[1]!)));
          }
        }
        if (out.length >= BATCH) {
          yield out;
          out = [];
        }
      }
    }
    if (!seenHeader) throw new FormatError(input.fileName, 1, 'not a DiscordChatExporter CSV file: no header');
    if (out.length > 0) yield out;
  },
};

function row(f: string[], line: number, when: When, sender: PersonRef): MessageRecord | EventRecord {
  const content = f[3]!;
  const urls = f[4]!.trim();
  // The CSV has no message type: DCE writes a system message's fallback text as its content.
  if (urls === '') {
    const ev = systemEvent(content, sender);
    if (ev) return { type: 'event', group: KEY, line, time: when.time, utcMs: when.utcMs, ...ev, text: content };
  }
  let first: MessageKind | null = null;
  if (urls !== '') {
    const comma = urls.indexOf(',');
    first = attachmentKind((comma < 0 ? urls : urls.slice(0, comma)).trim());
  }
  const r: MessageRecord = {
    type: 'message',
    group: KEY,
    line,
    externalId: null,
    sender,
    time: when.time,
    utcMs: when.utcMs,
    kind: messageKind(content, first, false),
    text: content,
    replyTo: null,
    quote: null,
    mentions: [],
  };
  const reactions = f[5]!.trim() === '' ? [] : parseReactions(f[5]!);
  if (reactions.length > 0) r.reactions = reactions;
  return r;
}

type Ev = Pick<EventRecord, 'kind' | 'actor' | 'subjects'>;

const FIXED: Readonly<Record<string, EventKind>> = {
  'Joined the server.': 'join',
  'Left the group.': 'leave',
  'Added a recipient.': 'invite',
  'Removed a recipient.': 'remove',
  'Changed the channel name.': 'title',
  'Changed the channel icon.': 'other',
  'Pinned a message.': 'pin',
  'Started a thread.': 'other',
};
const CALL = /^Started a call that lasted [\d,]{1,12} minutes\.$/;

/** DCE's fallback texts for system messages (PlainTextMessageExtensions.GetFallbackContent). */
export function systemEvent(content: string, author: PersonRef): Ev | null {
  const c = content.length <= 200 ? content : '';
  const fixed = FIXED[c];
  if (fixed === 'join' || fixed === 'leave') return { kind: fixed, actor: null, subjects: [author] };
  if (fixed) return { kind: fixed, actor: author, subjects: [] };
  if (c.startsWith('Started a call') && CALL.test(c)) return { kind: 'call', actor: author, subjects: [] };
  if (c.startsWith('Changed the channel name: ') && c.indexOf('\n') < 0) return { kind: 'title', actor: author, subjects: [] };
  const added = between(c, 'Added ', ' to the group.');
  if (added !== null) return { kind: 'invite', actor: author, subjects: [{ id: null, name: added }] };
  const removed = between(c, 'Removed ', ' from the group.');
  if (removed !== null) return { kind: 'remove', actor: author, subjects: [{ id: null, name: removed }] };
  return null;
}

/** The display name X in `<prefix>X<suffix>` on one line, or null. */
function between(c: string, prefix: string, suffix: string): string | null {
  if (!c.startsWith(prefix) || !c.endsWith(suffix) || c.indexOf('\n') >= 0) return null;
  const name = c.slice(prefix.length, c.length - suffix.length).trim();
  return name === '' ? null : name;
}
