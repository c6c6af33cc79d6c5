import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { signalTxtParser as P } from '../../../../electron/engine/ingest/parsers/signal-txt.js';
import { whatsappTxtParser as W } from '../../../../electron/engine/ingest/parsers/whatsapp-txt.js';
import { PARSERS } from '../../../../electron/engine/ingest/parsers/index.js';
import { FormatError, type EventRecord, type GroupRecord, type MessageRecord, type ParsedRecord } from '../../../../electron/engine/ingest/types.js';
import { events, groups, messages, parseAll, readShared, rejects, sharedFixture, sniffOf } from '../../../helpers/parse.js';

const parse = (text: string): Promise<ParsedRecord[]> => parseAll(P, text, 'signal.txt');
const msgs = (rs: ParsedRecord[]) => messages(rs) as MessageRecord[];
const evs = (rs: ParsedRecord[]) => events(rs) as EventRecord[];
const group = (rs: ParsedRecord[]) => groups(rs)[0] as GroupRecord;

describe('signal-txt: headers and bodies', () => {
  it.each([
    ['chat-miner shape', '[2019-12-24, 12:23] Jane Doe: Hello John!', '2019-12-24 12:23:00', 'Jane Doe', 'Hello John!'],
    ['no comma', '[2019-12-24 12:23] Jane: hi', '2019-12-24 12:23:00', 'Jane', 'hi'],
    ['with seconds', '[2019-12-24, 12:23:45] Jane: hi', '2019-12-24 12:23:45', 'Jane', 'hi'],
    ['colons inside the text', '[2020-01-17, 21:49] John Doe: meet at 10:30: ok?', '2020-01-17 21:49:00', 'John Doe', 'meet at 10:30: ok?'],
    ['emoji name', '[2020-01-17, 21:49] 🐱 Cat: meow', '2020-01-17 21:49:00', '🐱 Cat', 'meow'],
  ])('%s', async (_label, line, time, sender, text) => {
    const m = msgs(await parse(line))[0]!;
    expect([m.time, m.utcMs, m.sender, m.text, m.kind, m.line]).toEqual([time, null, { id: null, name: sender }, text, 'text', 1]);
  });

  it('lines without a header continue the message; trailing blank lines are dropped', async () => {
    const rs = await parse('[2020-01-17, 21:49] John Doe: Hello\nJane!\n\n[2020-01-17, 21:50] Jane: hi\n\n');
    expect(msgs(rs).map((m) => [m.line, m.text])).toEqual([[1, 'Hello\nJane!'], [4, 'hi']]);
  });

  it('"Name:" with the text on the next lines', async () => {
    const m = msgs(await parse('[2020-01-17, 21:49] John:\nfirst\nsecond'))[0]!;
    expect([m.sender.name, m.text]).toEqual(['John', 'first\nsecond']);
  });

  it('a header without "Name: " is a notice', async () => {
    const rs = await parse('[2020-01-17, 21:49] John: hi\n[2020-01-17, 21:50] Safety number changed');
    expect(evs(rs).map((e) => [e.kind, e.actor, e.text, e.line, e.time])).toEqual([['other', null, 'Safety number changed', 2, '2020-01-17 21:50:00']]);
  });

  it('an impossible date is rejected, text before the first header is rejected', async () => {
    const rs = await parse('junk\n[2020-02-30, 10:00] A: x\n[2020-02-28, 10:00] A: y');
    expect(rejects(rs).map((r) => [r.line, r.reason])).toEqual([[1, 'text before the first Signal message header'], [2, 'impossible date or time']]);
    expect(msgs(rs).map((m) => m.text)).toEqual(['y']);
  });

  it('text that is not a Signal export is a FormatError', async () => {
    await expect(parse('hello\nworld\n')).rejects.toBeInstanceOf(FormatError);
    await expect(parse('[24/12/2019, 12:23] Jane: hi\n')).rejects.toBeInstanceOf(FormatError);
  });

  it('the conversation is unnamed; 1:1 for two senders, group for three', async () => {
    const two = await parse('[2020-01-17, 21:49] A: x\n[2020-01-17, 21:50] B: y');
    expect(group(two)).toEqual({ type: 'group', key: '', platform: 'signal', externalId: null, name: '', chatType: 'private' });
    expect(two[0]).toBe(group(two));
    const three = await parse('[2020-01-17, 21:49] A: x\n[2020-01-17, 21:50] B: y\n[2020-01-17, 21:51] C: z');
    expect(group(three).chatType).toBe('group');
  });
});

describe('signal-txt: sniff against WhatsApp', () => {
  it.each([
    ['two headers, first line a header', '[2019-12-24, 12:23] Jane: a\n[2019-12-24, 12:24] John: b\n', 0.97],
    ['one header', '[2019-12-24, 12:23] Jane: a\n', 0.92],
    ['seconds: WhatsApp iOS with ISO dates', '[2019-12-24, 12:23:01] Jane: a\n[2019-12-24, 12:24:02] John: b\n', 0.3],
    ['a WhatsApp notice in the head', '[2019-12-24, 12:23] Jane: a\n[2019-12-24, 12:24] John: image omitted\n', 0.3],
    ['WhatsApp day-first', '[24/12/2019, 12:23:01] Jane: a\n', 0],
  ])('%s', async (_label, text, score) => {
    expect(await sniffOf(P, text)).toBe(score);
  });

  it('outscores WhatsApp (and every other parser) on the Signal fixture', async () => {
    const buf = await readShared('other/chat-miner__signal__test_export.txt');
    const mine = await sniffOf(P, buf);
    expect(mine).toBe(0.97);
    expect(await sniffOf(W, buf)).toBe(0.9);
    for (const p of PARSERS) if (p !== P) expect(await sniffOf(p, buf), p.format).toBeLessThan(mine);
  });

  it('stays below WhatsApp on every WhatsApp text fixture', async () => {
    const files = readdirSync(sharedFixture('whatsapp')).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const buf = await readShared(`whatsapp/${f}`);
      expect(await sniffOf(P, buf), f).toBeLessThan(await sniffOf(W, buf));
      expect(await sniffOf(P, buf), f).toBeLessThan(0.5);
    }
  });
});

describe('signal-txt: shared fixture', () => {
  it('other/chat-miner__signal__test_export.txt against its target.json', async () => {
    /*
     * The file, 3 lines: `[2019-12-24, 12:23] Jane Doe: Hello John!`, `[2020-01-17, 21:49] John Doe: Hello`,
     * `Jane!` (continues the second). 2 messages, 2 senders, no notices.
     */
    const rs = await parseAll(P, await readShared('other/chat-miner__signal__test_export.txt'), 'signal.txt');
    expect(group(rs)).toMatchObject({ key: '', name: '', platform: 'signal', chatType: 'private' });
    expect(rejects(rs)).toEqual([]);
    expect(evs(rs)).toEqual([]);
    expect(msgs(rs).map((m) => [m.line, m.time, m.sender.name, m.text])).toEqual([
      [1, '2019-12-24 12:23:00', 'Jane Doe', 'Hello John!'],
      [2, '2020-01-17 21:49:00', 'John Doe', 'Hello\nJane!'],
    ]);
    // chat-miner lists newest first and joins continuation lines with a space; we keep the line break.
    const target = JSON.parse((await readShared('other/chat-miner__signal__target.json')).toString('utf8')) as { timestamp: string; author: string; message: string }[];
    const ours = msgs(rs).map((m) => ({ timestamp: m.time.replace(' ', 'T'), author: m.sender.name, message: m.text.replace(/\n/g, ' ') }));
    expect(ours.reverse()).toEqual(target);
  });
});
