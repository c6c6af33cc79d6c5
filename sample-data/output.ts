/**
 * Plumbing shared by the format writers: a buffered file sink that respects backpressure, a
 * wall-clock formatter, and the tally that becomes a file's entry in expected.json.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import type { MsgEvent, Tag } from './events.js';

/** Ground truth for one written file (see README.md for the counting rules). */
export interface FileExpectation {
  format: string;
  group: string;
  messages: number;
  distinctSenders: number;
  events: Record<'join' | 'invite' | 'leave' | 'remove' | 'recall' | 'poke' | 'create' | 'other', number>;
  firstTime: string | null;
  lastTime: string | null;
  firstMessageTime: string | null;
  lastMessageTime: string | null;
  membersEverPresent: number;
  replies: number;
  messagesWithMentions: number;
  mediaMessages: number;
  simulated: Partial<Record<Tag, number>>;
}

export const P2 = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' : '') + i);
const wall = (t: number): string => new Date(t * 1000).toISOString().slice(0, 19).replace('T', ' ');

export class Tally {
  messages = 0;
  readonly senders = new Set<string>();
  readonly events: FileExpectation['events'] = { join: 0, invite: 0, leave: 0, remove: 0, recall: 0, poke: 0, create: 0, other: 0 };
  replies = 0;
  mentions = 0;
  media = 0;
  readonly tags: Partial<Record<Tag, number>> = {};
  private first = -1;
  private last = -1;
  private firstMsg = -1;
  private lastMsg = -1;

  msg(sender: string, t: number, m: MsgEvent, reply: boolean): void {
    this.messages++;
    this.senders.add(sender);
    if (this.firstMsg < 0) this.firstMsg = t;
    this.lastMsg = t;
    this.at(t);
    if (reply) this.replies++;
    if (m.mention) this.mentions++;
    if (m.kind !== 'text') this.media++;
    this.tags[m.tag] = (this.tags[m.tag] ?? 0) + 1;
  }

  event(kind: keyof FileExpectation['events'], t: number): void {
    this.events[kind]++;
    this.at(t);
  }

  private at(t: number): void {
    if (this.first < 0) this.first = t;
    this.last = t;
  }

  result(format: string, group: string, membersEverPresent: number): FileExpectation {
    const w = (t: number) => (t < 0 ? null : wall(t));
    return {
      format, group, messages: this.messages, distinctSenders: this.senders.size, events: { ...this.events },
      firstTime: w(this.first), lastTime: w(this.last), firstMessageTime: w(this.firstMsg), lastMessageTime: w(this.lastMsg),
      membersEverPresent, replies: this.replies, messagesWithMentions: this.mentions, mediaMessages: this.media,
      simulated: Object.fromEntries(Object.entries(this.tags).sort()),
    };
  }
}

/** Wall-clock parts of a time; the date part is recomputed only when the day changes. */
export class Clock {
  private day = -1;
  y = '';
  mo = '';
  d = '';
  h = 0;
  mi = '';
  s = '';
  set(t: number): void {
    const day = Math.floor(t / 86400);
    if (day !== this.day) {
      this.day = day;
      const dt = new Date(day * 86400_000);
      this.y = String(dt.getUTCFullYear());
      this.mo = P2[dt.getUTCMonth() + 1]!;
      this.d = P2[dt.getUTCDate()]!;
    }
    const sec = t - day * 86400;
    this.h = Math.floor(sec / 3600);
    this.mi = P2[Math.floor((sec % 3600) / 60)]!;
    this.s = P2[sec % 60]!;
  }
}

/** Encodes output into a reusable buffer and hands the stream large, ready-made chunks. */
export class Sink {
  private buf = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private readonly s: WriteStream;
  private error: Error | null = null;
  drain: Promise<unknown> | null = null;
  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.s = createWriteStream(path);
    // Kept for close(); a pending 'drain' wait rejects on its own (events.once does that).
    this.s.on('error', (e) => (this.error = e));
  }
  write(x: string): void {
    // A UTF-16 unit never takes more than 3 UTF-8 bytes.
    if (this.used + x.length * 3 > this.buf.length) {
      this.flush();
      if (x.length * 3 > this.buf.length) this.buf = Buffer.allocUnsafe(x.length * 3);
    }
    this.used += this.buf.write(x, this.used);
  }
  private flush(): void {
    if (this.used === 0) return;
    // The stream keeps the chunk until it is written, so it gets its own copy.
    if (!this.s.write(Buffer.from(this.buf.subarray(0, this.used))) && !this.drain) {
      this.drain = once(this.s, 'drain').then(() => (this.drain = null));
    }
    this.used = 0;
  }
  async close(): Promise<void> {
    this.flush();
    await new Promise<void>((res, rej) => {
      if (this.error) return rej(this.error);
      this.s.once('error', rej);
      this.s.end(res);
    });
  }
}
