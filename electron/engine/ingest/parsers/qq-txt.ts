/**
 * QQ message-manager TXT export ("消息记录", FORMATS.md §2): single conversations and "export all"
 * files with several 消息分组/消息对象 blocks. Line shapes and classifiers live in qq-txt-patterns.ts.
 */
import type { ChatType } from '../../../../shared/model.js';
import { MAX_RECORD_CHARS, recordTooLong } from '../lines.js';
import {
  FormatError,
  type GroupRecord,
  type Line,
  type ParsedRecord,
  type Parser,
  type PersonRef,
  type RejectRecord,
  type SniffInput,
} from '../types.js';
import {
  RECALL_RE,
  SEPARATOR,
  classifyNotice,
  clientNoticeKind,
  hasQqTrait,
  isFileTitle,
  isGroupFolder,
  isSystemSender,
  matchBlockLine,
  matchHeader,
  mentionsOf,
  messageKind,
  parseSender,
  type Header,
} from './qq-txt-patterns.js';

const BATCH = 2000;
/** Unknown lines tolerated before the first record header before the file is declared not QQ. */
const MAX_PREAMBLE_REJECTS = 50;
const SNIFF_LINES = 400;

interface Conv {
  key: string;
  name: string;
  folder: string;
  /** Group records are held back until the chat type is known (first member record). */
  decided: boolean;
  pending: ParsedRecord[];
}

interface OpenRecord {
  line: number;
  headerText: string;
  header: Header;
  content: string[];
  /** Characters collected in `content`; past MAX_RECORD_CHARS the record is cut and rejected. */
  chars: number;
  cut: boolean;
  conv: Conv;
}

class QqTxtReader {
  readonly out: ParsedRecord[] = [];
  private mode: 'pre' | 'rec' | 'block' = 'pre';
  private rec: OpenRecord | null = null;
  /** A separator after a blank line inside a record: a conversation block only if 消息分组/对象 follows. */
  private pendingSep: Line | null = null;
  private crlf: boolean | null = null;
  private prevEol: Line['eol'] = '\r\n';
  private prevBoundary = false;
  private seenHeader = false;
  private sawStructure = false;
  private preRejects: RejectRecord[] = [];
  private folder = '';
  private conv: Conv | null = null;
  private readonly convs = new Map<string, Conv>();
  private readonly usedKeys = new Set<string>();

  constructor(private readonly fileName: string) {}

  feed(line: Line): void {
    const t = line.text;
    if (this.crlf === null && line.eol !== '') this.crlf = line.eol === '\r\n';
    const afterBlank = this.prevBoundary;
    // In a CRLF file a blank line made of bare LF/CR is a line break inside a message, not a record break.
    this.prevBoundary =
      t === '' &&
      (this.crlf !== true || ((line.eol === '\r\n' || line.eol === '') && this.prevEol !== '\n' && this.prevEol !== '\r'));
    this.prevEol = line.eol;

    if (this.pendingSep !== null) {
      const sep = this.pendingSep;
      this.pendingSep = null;
      const block = matchBlockLine(t);
      if (block !== null) {
        this.closeRecord();
        this.mode = 'block';
        this.blockLine(block);
        return;
      }
      this.append(sep.text);
    }

    if (this.mode === 'rec') {
      if (afterBlank) {
        const h = matchHeader(t);
        if (h !== null) {
          this.closeRecord();
          this.openRecord(line, h);
          return;
        }
        if (t === SEPARATOR) {
          this.pendingSep = line;
          return;
        }
      }
      this.append(t);
      return;
    }

    // Between records: file header, conversation blocks, blank lines, record headers.
    if (t.trim() === '') {
      if (this.mode === 'block') this.mode = 'pre';
      return;
    }
    const h = matchHeader(t);
    if (h !== null) {
      this.openRecord(line, h);
      return;
    }
    if (t === SEPARATOR) {
      this.sawStructure = true;
      this.mode = 'block';
      return;
    }
    const block = matchBlockLine(t);
    if (block !== null) {
      this.mode = 'block';
      this.blockLine(block);
      return;
    }
    if (!this.seenHeader && isFileTitle(t)) {
      this.sawStructure = true;
      return;
    }
    const reject: RejectRecord = {
      type: 'reject',
      line: line.no,
      reason: this.seenHeader ? 'unexpected line between conversations' : 'unexpected line before the first record header',
      raw: t,
    };
    if (this.seenHeader) {
      this.push(reject, this.conv);
      return;
    }
    this.preRejects.push(reject);
    if (this.preRejects.length > MAX_PREAMBLE_REJECTS && !this.sawStructure) {
      throw new FormatError(this.fileName, line.no, 'no QQ record header (YYYY-MM-DD H:MM:SS name) at the start of the file');
    }
  }

  finish(): void {
    if (this.pendingSep !== null) this.append(this.pendingSep.text);
    this.pendingSep = null;
    this.closeRecord();
    if (!this.seenHeader) {
      if (!this.sawStructure) throw new FormatError(this.fileName, null, 'no QQ record header (YYYY-MM-DD H:MM:SS name) found');
      this.out.push(...this.preRejects);
      this.preRejects = [];
    }
    if (this.conv !== null) this.closeConv(this.conv);
  }

  private append(t: string): void {
    const rec = this.rec!;
    if (rec.cut) return;
    rec.chars += t.length + 1;
    if (rec.chars > MAX_RECORD_CHARS) rec.cut = true;
    else rec.content.push(t);
  }

  private blockLine(b: { field: 'folder' | 'peer'; value: string }): void {
    this.sawStructure = true;
    if (b.field === 'folder') {
      this.folder = b.value;
      return;
    }
    if (this.conv !== null) this.closeConv(this.conv);
    const id = `${this.folder}\u0000${b.value}`;
    let conv = this.convs.get(id);
    if (conv === undefined) {
      conv = this.newConv(b.value || 'default', b.value, this.folder);
      this.convs.set(id, conv);
    }
    this.conv = conv;
  }

  private newConv(base: string, name: string, folder: string): Conv {
    // The same 消息对象 name may exist in two 消息分组 (a friend and a group called alike).
    let key = base;
    if (this.usedKeys.has(key) && folder !== '') key = `${folder}/${base}`;
    for (let n = 2; this.usedKeys.has(key); n++) key = `${base}#${n}`;
    this.usedKeys.add(key);
    const conv: Conv = { key, name, folder, decided: false, pending: [] };
    if (isGroupFolder(folder)) this.decide(conv, 'group');
    return conv;
  }

  private decide(conv: Conv, chatType: ChatType): void {
    conv.decided = true;
    const g: GroupRecord = { type: 'group', key: conv.key, platform: 'qq', externalId: null, name: conv.name, chatType };
    this.out.push(g);
    for (const r of conv.pending) this.out.push(r);
    conv.pending = [];
  }

  private closeConv(conv: Conv): void {
    // Nothing but notices seen: a 消息对象 outside the group folders is a friend; a headerless file is unknown.
    if (!conv.decided) this.decide(conv, conv.folder !== '' || conv.name !== '' ? 'private' : 'unknown');
  }

  private push(r: ParsedRecord, conv: Conv | null): void {
    if (conv === null || conv.decided) {
      this.out.push(r);
      return;
    }
    conv.pending.push(r);
    if (conv.pending.length >= BATCH) this.closeConv(conv);
  }

  private openRecord(line: Line, header: Header): void {
    if (!this.seenHeader) {
      this.seenHeader = true;
      this.out.push(...this.preRejects);
      this.preRejects = [];
    }
    if (this.conv === null) this.conv = this.newConv('default', '', '');
    this.mode = 'rec';
    this.rec = { line: line.no, headerText: line.text, header, content: [], chars: 0, cut: false, conv: this.conv };
  }

  private closeRecord(): void {
    const rec = this.rec;
    if (rec === null) return;
    this.rec = null;
    this.mode = 'pre';
    const { content, conv } = rec;
    if (rec.cut) {
      this.push({ type: 'reject', line: rec.line, reason: recordTooLong, raw: [rec.headerText, ...content.slice(0, 20)].join('\n').slice(0, 2000) }, conv);
      return;
    }
    if (content.length > 0 && content[content.length - 1] === '') content.pop();
    const time = rec.header.time;
    if (time === null) {
      const raw = [rec.headerText, ...content].join('\n');
      this.push({ type: 'reject', line: rec.line, reason: 'record header with an impossible date or time', raw }, conv);
      return;
    }
    const text = content.join('\n');
    const sender = parseSender(rec.header.sender);
    const base = { group: conv.key, line: rec.line, time, utcMs: null };

    if (sender.name === '' && sender.id === null) {
      this.push({ type: 'event', ...base, kind: clientNoticeKind(text), actor: null, subjects: [], text }, conv);
      return;
    }
    if (isSystemSender(sender)) {
      // 系统消息(1000000) speaks only in groups; 系统消息(10000) in both.
      if (!conv.decided && sender.id!.length > 5) this.decide(conv, 'group');
      const n = classifyNotice(text);
      this.push({ type: 'event', ...base, kind: n.kind, actor: n.actor, subjects: n.subjects, text }, conv);
      return;
    }
    // Friend chats carry no ids; group members always have a QQ number or e-mail.
    if (!conv.decided) this.decide(conv, sender.id !== null ? 'group' : 'private');
    const recall = text.length < 200 ? RECALL_RE.exec(text.trim().replace(/[。.]$/, '')) : null;
    if (recall !== null) {
      const who = recall[1]!.trim();
      const actor: PersonRef = who === '' || who === sender.name || who === '你' ? sender : { id: null, name: who };
      this.push({ type: 'event', ...base, kind: 'recall', actor, subjects: [], text }, conv);
      return;
    }
    this.push(
      {
        type: 'message',
        ...base,
        externalId: null,
        sender,
        kind: messageKind(text),
        text,
        replyTo: null,
        quote: null,
        mentions: mentionsOf(text),
      },
      conv,
    );
  }
}

function sniff(input: SniffInput): number {
  const lines = input.head.split(/\r\n|\n|\r/, SNIFF_LINES);
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  if (i < lines.length && isFileTitle(lines[i]!)) return 0.99;
  let headers = 0;
  let traits = 0;
  let blocks = 0;
  let prevBlank = true;
  for (; i < lines.length; i++) {
    const t = lines[i]!;
    if (t === SEPARATOR || matchBlockLine(t) !== null) blocks++;
    if (prevBlank) {
      const h = matchHeader(t);
      if (h !== null) {
        headers++;
        if (hasQqTrait(t, h)) traits++;
      }
    }
    prevBlank = t === '';
  }
  if (blocks >= 3 && headers >= 1) return 0.97;
  // Headers with no QQ trait (no banner, no (QQ号)/<email>, padded 24-hour times) are exactly
  // WeChatMsg's TXT shape, which never has a banner; leave those to wechat-txt (0.7).
  if (headers >= 2) return traits > 0 ? 0.97 : 0.6;
  if (headers === 1) return traits > 0 ? 0.7 : 0.4;
  return 0;
}

export const qqTxtParser: Parser = {
  format: 'qq-txt',
  platform: 'qq',
  sniff,
  async *parse(input) {
    const reader = new QqTxtReader(input.fileName);
    for await (const batch of input.lines()) {
      for (const line of batch) {
        reader.feed(line);
        if (reader.out.length >= BATCH) yield reader.out.splice(0, reader.out.length);
      }
    }
    reader.finish();
    if (reader.out.length > 0) yield reader.out.splice(0, reader.out.length);
  },
};
