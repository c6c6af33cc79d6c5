import { describe, expect, it } from 'vitest';
import { lineTxtParser as P } from '../../../../electron/engine/ingest/parsers/line-txt.js';
import { PARSERS } from '../../../../electron/engine/ingest/parsers/index.js';
import { whatsappTxtParser } from '../../../../electron/engine/ingest/parsers/whatsapp-txt.js';
import { FormatError, type EventRecord, type GroupRecord, type MessageRecord, type ParsedRecord } from '../../../../electron/engine/ingest/types.js';
import { events, groups, messages, parseAll, readShared, rejects, sniffOf } from '../../../helpers/parse.js';

const parse = (text: string): Promise<ParsedRecord[]> => parseAll(P, text, 'chat.txt');
const msgs = (rs: ParsedRecord[]) => messages(rs) as MessageRecord[];
const evs = (rs: ParsedRecord[]) => events(rs) as EventRecord[];
const group = (rs: ParsedRecord[]) => groups(rs)[0] as GroupRecord;
/** A LINE file: title, saved-on line, blank, then the given lines. */
const doc = (title: string, ...lines: string[]) => [title, 'Saved on: 2024/01/03 09:00', '', ...lines].join('\n');
const day = (date: string, ...lines: string[]) => [date, ...lines].join('\n');
const firstMsg = async (text: string): Promise<MessageRecord> => {
  const m = msgs(await parse(text))[0];
  if (!m) throw new Error('no message');
  return m;
};
const firstEvent = async (text: string): Promise<EventRecord> => {
  const e = evs(await parse(text))[0];
  if (!e) throw new Error('no event');
  return e;
};

describe('line-txt: title line', () => {
  const body = ['2024/01/03（三）', '10:00\tA\thi', '10:01\tB\tyo'];
  it.each([
    ['en 1:1', '[LINE] Chat history with Alice', 'Alice', 'private'],
    ['en group', '[LINE] Chat history in Study Group', 'Study Group', 'group'],
    ['zh-CN 1:1', '[LINE] 与小明的聊天记录', '小明', 'private'],
    ['zh-CN group', '[LINE] 同学群的聊天记录', '同学群', 'group'],
    ['zh-TW 1:1', '[LINE] 與小明的聊天記錄', '小明', 'private'],
    ['ja 1:1', '[LINE] 太郎とのトーク履歴', '太郎', 'private'],
    ['ja group', '[LINE] 家族のトーク履歴', '家族', 'group'],
    ['th 1:1', '[LINE] ประวัติการแชทกับ มะลิ', 'มะลิ', 'private'],
    ['th group, quoted name', '[LINE] ประวัติการแชทในกลุ่ม "กลุ่มทดสอบ"', 'กลุ่มทดสอบ', 'group'],
  ])('%s', async (_label, title, name, chatType) => {
    const rs = await parse(doc(title, ...body));
    expect(group(rs)).toEqual({ type: 'group', key: name, platform: 'line', externalId: null, name, chatType });
    expect(rs[0]).toBe(group(rs)); // the group comes first
    expect(msgs(rs).map((m) => [m.group, m.sender.name, m.text])).toEqual([[name, 'A', 'hi'], [name, 'B', 'yo']]);
    expect(rejects(rs)).toEqual([]); // the Saved on line is not a reject
  });

  it.each([
    ['zh saved-on', '保存日期：2024/01/03 09:00'],
    ['ja saved-on', '保存日時：2024/01/03 09:00'],
  ])('%s line is skipped', async (_l, saved) => {
    const rs = await parse(['[LINE] 太郎とのトーク履歴', saved, '', ...body].join('\n'));
    expect(rejects(rs)).toEqual([]);
    expect(msgs(rs)).toHaveLength(2);
  });

  it('without a title: unnamed, 1:1 for two senders, group for three or a membership notice', async () => {
    const two = await parse(body.join('\n'));
    expect(group(two)).toMatchObject({ key: '', name: '', chatType: 'private' });
    const three = await parse([...body, '10:02\tC\they'].join('\n'));
    expect(group(three).chatType).toBe('group');
    const joined = await parse([...body, '10:02\t\tC joined the group.'].join('\n'));
    expect(group(joined).chatType).toBe('group');
  });
});

describe('line-txt: day headers', () => {
  it.each([
    // 2019-07-10 is a Wednesday, 2019-10-07 a Monday: the weekday says D/M.
    ['Thai phone, Buddhist year, weekday settles D/M', 'Wed, 10/07/2562 BE', '2019-07-10'],
    ['day > 12 settles D/M', 'Tue, 16/07/2562 BE', '2019-07-16'],
    ['en-US, day > 12 settles M/D', 'Fri, 1/30/2026', '2026-01-30'],
    // 2024-02-05 is a Monday, 2024-05-02 a Thursday.
    ['weekday settles D/M without a Buddhist year', 'Mon, 5/2/2024', '2024-02-05'],
    // 2024-02-03 and 2024-03-02 are both Saturdays: LINE's English UI default M/D.
    ['weekday fits both readings ⇒ M/D default', 'Sat, 2/3/2024', '2024-02-03'],
    ['no weekday, ambiguous ⇒ M/D', '3/4/2024', '2024-03-04'],
    ['no weekday, ambiguous, Buddhist year ⇒ D/M', '03/04/2567 BE', '2024-04-03'],
    ['Thai weekday abbreviation, Buddhist year without tag', 'ศ. 28/11/2568', '2025-11-28'],
    ['Y.M.D + English weekday', '2025.12.10 Wednesday', '2025-12-10'],
    ['ja Y/M/D(weekday)', '2026/1/30(金)', '2026-01-30'],
    ['zh Y/M/D（weekday）full-width', '2024/01/03（三）', '2024-01-03'],
    ['zh Y/M/D周weekday', '2026/1/30周五', '2026-01-30'],
  ])('%s: %s', async (_label, date, ymd) => {
    const m = await firstMsg(day(date, '10:00\tA\thi'));
    expect(m.time).toBe(`${ymd} 10:00:00`);
  });

  it('an order settled once holds for later ambiguous headers', async () => {
    const rs = await parse(['Tue, 16/07/2562 BE', '10:00\tA\tx', '', '05/08/2562 BE', '10:00\tA\ty'].join('\n'));
    expect(msgs(rs).map((m) => m.time)).toEqual(['2019-07-16 10:00:00', '2019-08-05 10:00:00']);
  });

  it('a date-like continuation line with an unknown word is text, not a new day', async () => {
    const m = await firstMsg(day('2024/01/03（三）', '10:00\tA\tplan:', '2024/01/05 meeting'));
    expect(m.text).toBe('plan:\n2024/01/05 meeting');
  });
});

describe('line-txt: message lines', () => {
  it.each([
    ['24h', '19:10', '19:10:00'],
    ['12h PM', '9:30 PM', '21:30:00'],
    ['12h PM no space', '9:30PM', '21:30:00'],
    ['12 AM is midnight', '12:05 AM', '00:05:00'],
    ['zh 下午', '下午07:04', '19:04:00'],
    ['zh 上午12 is midnight', '上午12:30', '00:30:00'],
    ['ja 午前', '午前9:30', '09:30:00'],
    ['ja 午後', '午後3:04', '15:04:00'],
  ])('%s', async (_label, clock, hms) => {
    const m = await firstMsg(day('2024/01/03（三）', `${clock}\tAlice\thello`));
    expect([m.time, m.sender, m.text, m.line]).toEqual([`2024-01-03 ${hms}`, { id: null, name: 'Alice' }, 'hello', 2]);
  });

  it.each([
    ['[Photo]', 'image'],
    ['[Sticker]', 'sticker'],
    ['[Video]', 'video'],
    ['[Voice message]', 'voice'],
    ['[File]', 'file'],
    ['[照片]', 'image'],
    ['[貼圖]', 'sticker'],
    ['[スタンプ]', 'sticker'],
    ['[写真]', 'image'],
    ['https://example.com/a?b=1', 'link'],
    ['see [Photo] later', 'text'],
  ])('%s → %s', async (text, kind) => {
    const m = await firstMsg(day('2024/01/03（三）', `10:00\tA\t${text}`));
    expect([m.kind, m.text]).toEqual([kind, text]);
  });

  it('a quoted multi-line message: quotes stripped, "" unescaped, blank lines and message-like lines kept', async () => {
    const rs = await parse(day('2024/01/03（三）', '10:00\tA\t"line one', 'say ""two""', '', '10:05\tX\tnot a message', 'end"', '10:01\tB\tnext'));
    expect(msgs(rs).map((m) => [m.sender.name, m.text, m.line])).toEqual([
      ['A', 'line one\nsay "two"\n\n10:05\tX\tnot a message\nend', 2],
      ['B', 'next', 7],
    ]);
  });

  it('a line ending in an escaped quote does not close the message', async () => {
    const m = await firstMsg(day('2024/01/03（三）', '10:00\tA\t"print(', '  ""hi""', ')"'));
    expect(m.text).toBe('print(\n  "hi"\n)');
  });

  it('single-line texts with quotes are as written', async () => {
    expect((await firstMsg(day('2024/01/03（三）', '10:00\tA\t"hello" she said'))).text).toBe('"hello" she said');
    expect((await firstMsg(day('2024/01/03（三）', '10:00\tA\tprint("x")'))).text).toBe('print("x")');
  });

  it('an opening quote that never closes is the user\'s: the lines after it are read again', async () => {
    const rs = await parse(day('2024/01/03（三）', '10:00\tA\t"oops', '10:01\tB\thi', '10:02\tA\tbye'));
    expect(msgs(rs).map((m) => [m.sender.name, m.text])).toEqual([['A', '"oops'], ['B', 'hi'], ['A', 'bye']]);
  });

  it('a quote still open after more text than a LINE message can hold is given up, and a later quote balances nothing', async () => {
    // 300 lines of 110+ characters pass the 25,000-character bound; the last one ends in a lone '"'.
    const filler = Array.from({ length: 300 }, (_, i) => `10:01\tB\t${'x'.repeat(100)}${i}`);
    const rs = await parse(day('2024/01/03（三）', '10:00\tA\t"oops', ...filler, '10:02\tC\tsay "hi"', '10:03\tA\tend"'));
    const ms = msgs(rs);
    expect(ms).toHaveLength(303);
    expect([ms[0]!.text, ms[1]!.line, ms[301]!.text, ms[302]!.text]).toEqual(['"oops', 3, 'say "hi"', 'end"']);
  });

  it('unquoted lines that are not headers continue the previous message; the blank line before a day is dropped', async () => {
    const rs = await parse(['2024/01/03（三）', '10:00\tA\tfirst', 'second', '', '2024/01/04（四）', '10:00\tB\tx'].join('\n'));
    expect(msgs(rs).map((m) => [m.text, m.time])).toEqual([['first\nsecond', '2024-01-03 10:00:00'], ['x', '2024-01-04 10:00:00']]);
  });
});

describe('line-txt: notices', () => {
  const D = '2024/01/03（三）';
  it.each([
    ['recall, empty sender field', '19:10\t\tFirm unsent a message.', 'recall', 'Firm', []],
    ['recall, no sender field', '19:10\tFirm unsent a message.', 'recall', 'Firm', []],
    ['join', '19:10\t\tAnn joined the group.', 'join', null, ['Ann']],
    ['leave', '19:10\t\tAnn left the group.', 'leave', null, ['Ann']],
    ['invite one', '19:10\t\tBob added Ann to the group.', 'invite', 'Bob', ['Ann']],
    ['invite several', '19:10\t\tBob invited Ann, Cy and Di to the group.', 'invite', 'Bob', ['Ann', 'Cy', 'Di']],
    ['remove', '19:10\t\tBob removed Ann from the group.', 'remove', 'Bob', ['Ann']],
    ['title', '19:10\t\tBob changed the group name to "Trip"', 'title', 'Bob', []],
    ['ja join', '19:10\t\t太郎がグループに参加しました', 'join', null, ['太郎']],
    ['zh-TW recall', '19:10\t\t小明已收回訊息', 'recall', '小明', []],
    ['anything else', '19:10\t\tBob made an announcement.', 'other', null, []],
    ['call log with a sender', '19:10\tFirm\t☎ Call time 0:02', 'call', 'Firm', []],
    ['own recall written with a sender', '19:10\tFirm\tFirm unsent a message.', 'recall', 'Firm', []],
  ])('%s', async (_label, line, kind, actor, subjects) => {
    const rs = await parse(day(D, line));
    expect(msgs(rs)).toEqual([]);
    const e = await firstEvent(day(D, line));
    expect([e.kind, e.actor?.name ?? null, e.subjects.map((s) => s.name), e.time, e.line]).toEqual([kind, actor, subjects, '2024-01-03 19:10:00', 2]);
    expect(e.text).toBe(line.slice(line.lastIndexOf('\t') + 1));
  });
});

describe("line-txt: the '$' separator of the edited Thai file", () => {
  it('is used when the head has $-separated message lines and no TAB-separated one', async () => {
    const rs = await parse(['Wed, 10/07/2562 BE', '19:10$Firm$ไอปันน', '19:10$$Firm unsent a message.', '21:34$Firm\tๆ'].join('\n'));
    expect(msgs(rs).map((m) => [m.sender.name, m.text])).toEqual([['Firm', 'ไอปันน'], ['Firm', 'ๆ']]);
    expect(evs(rs).map((e) => [e.kind, e.actor?.name])).toEqual([['recall', 'Firm']]);
  });

  it('is never used in a TAB file: a "$" line there is text', async () => {
    const rs = await parse(['Fri, 1/30/2026', '10:00\tA\tprice$5', '10:01$B$x'].join('\n'));
    expect(msgs(rs).map((m) => [m.sender.name, m.text])).toEqual([['A', 'price$5\n10:01$B$x']]);
  });
});

describe('line-txt: rejects and errors', () => {
  it('a message before any day header is rejected', async () => {
    const rs = await parse(['10:00\tA\tearly', '2024/01/03（三）', '10:01\tA\tok'].join('\n'));
    expect(rejects(rs)).toEqual([{ type: 'reject', line: 1, reason: 'message line before the first date line', raw: '10:00\tA\tearly' }]);
    expect(msgs(rs)).toHaveLength(1);
  });

  it('messages under an impossible day are rejected', async () => {
    const rs = await parse(['Mon, 31/02/2024', '10:00\tA\tx', '', '2024/03/05（二）', '10:00\tA\ty'].join('\n'));
    expect(rejects(rs)).toEqual([{ type: 'reject', line: 2, reason: 'impossible date line "Mon, 31/02/2024"', raw: '10:00\tA\tx' }]);
    expect(msgs(rs).map((m) => m.time)).toEqual(['2024-03-05 10:00:00']);
  });

  it('text that is not a LINE export is a FormatError', async () => {
    await expect(parse('hello\nworld\n')).rejects.toBeInstanceOf(FormatError);
    await expect(parse('[12/30/21 22:01] John: hi\n')).rejects.toBeInstanceOf(FormatError);
  });
});

describe('line-txt: sniff', () => {
  it.each([
    ['title line', doc('[LINE] Chat history with Alice', '2024/01/03（三）', '10:00\tA\thi'), 0.95],
    ['TAB lines under a day header', day('Fri, 1/30/2026', '10:00\tA\thi', '10:01\tB\tyo', '10:02\tA\tok'), 0.85],
    ["'$' lines under a day header", day('Wed, 10/07/2562 BE', '19:10$Firm$a', '19:10$Pann$b', '19:11$Firm$c'), 0.7],
    ['TAB-separated numbers, no day header', '10:00\tA\thi\n10:01\tB\tyo\n', 0],
    ['WhatsApp', '[12/30/21 22:01] John: hi\n[12/30/21 22:02] Jane: yo\n', 0],
  ])('%s', async (_label, text, score) => {
    expect(await sniffOf(P, text)).toBe(score);
  });

  it('does not claim other platforms\' fixtures, and no other parser claims the LINE fixture', async () => {
    for (const f of ['whatsapp/whatstk__lorem.txt', 'qq/log-painter__extracted__basic.txt', 'telegram/mlomb-chat-analytics__DM_2A_7M.json', 'other/chat-miner__signal__test_export.txt']) {
      expect(await sniffOf(P, await readShared(f)), f).toBe(0);
    }
    const line = await readShared('line/Line-chat-analytics__thai_BE_test.txt');
    const mine = await sniffOf(P, line);
    for (const p of PARSERS) if (p !== P) expect(await sniffOf(p, line), p.format).toBeLessThan(mine);
    expect(await sniffOf(whatsappTxtParser, line)).toBe(0);
  });
});

describe('line-txt: shared fixture', () => {
  it('line/Line-chat-analytics__thai_BE_test.txt', async () => {
    /*
     * Counted with grep/awk on the file, independently of the parser (f = the fixture):
     *  - 696 day headers `Www, dd/mm/yyyy BE`: `grep -c 'BE$' f`. Read as D/M/Y − 543 every
     *    weekday matches (`date -d … +%a` over all 696) and the days strictly increase; 414 have a
     *    number > 12 in the day place. First `Wed, 10/07/2562 BE` = 2019-07-10, last
     *    `Tue, 14/06/2565 BE` = 2022-06-14.
     *  - Message lines `HH:MM$…`: 32217 `^\d\d:\d\d\$[^$]*\$`, 85 with an empty sender
     *    (`^\d\d:\d\d\$\$`, all "X unsent a message."), and 5 `HH:MM$Name<TAB>text` (uploader's
     *    edit) = 32307, SOURCES.md's count. An awk pass that follows the CSV quoting
     *    (a text opening with '"' and an odd number of quotes runs until a line ending in '"'
     *    balances them) finds 87 quoted messages spanning 568 more lines, all closed, none holding
     *    a `HH:MM$` line, and no other continuation line:
     *      awk 'function nq(s,t){t=s;return gsub(/"/,"",t)} inq{p+=nq($0); if(p%2==0&&/"$/)inq=0; next}
     *           /^[0-9][0-9]:[0-9][0-9]\$/{r=substr($0,7); match(r,/[$\t]/); s=substr(r,1,RSTART-1);
     *           t=substr(r,RSTART+1); if(s==""){rc++;next} if(t~/^☎ /){call++;next} m++; n[s]++;
     *           if(t~/^"/&&nq(t)%2==1){inq=1;p=nq(t)}} END{print m,rc,call; for(k in n)print k,n[k]}' f
     *    → 31948 messages (Firm 16452, Pann 15496), 85 recalls, 274 `☎` call lines.
     *  - Kinds: `grep -cE '^[0-9]{2}:[0-9]{2}\$[^$]*\$\[Photo\]$'` = 1045, [Sticker] 428, [File] 161,
     *    [Video] 28, [Voice message] 7, [Contact] 3 (other). URL-only texts: 399 single-line
     *    (`grep -cE '…[$\t] ?(https?://|www\.)[^ ]+$'`) + 1 quoted (line 20734) = 400 links;
     *    the rest 31948 − 1672 − 400 = 29876 text.
     *  - First message 19:10 on 2019-07-10 (line 2), last `18:59$Pann$555` on 2022-06-14 (line 34266).
     */
    const rs = await parseAll(P, await readShared('line/Line-chat-analytics__thai_BE_test.txt'), 'thai.txt');
    const ms = msgs(rs);
    expect(group(rs)).toEqual({ type: 'group', key: '', platform: 'line', externalId: null, name: '', chatType: 'private' });
    expect(ms).toHaveLength(31948);
    expect(rejects(rs)).toEqual([]);
    const kinds: Record<string, number> = {};
    for (const m of ms) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    expect(kinds).toEqual({ text: 29876, image: 1045, sticker: 428, file: 161, video: 28, voice: 7, other: 3, link: 400 });
    const evKinds: Record<string, number> = {};
    for (const e of evs(rs)) evKinds[e.kind] = (evKinds[e.kind] ?? 0) + 1;
    expect(evKinds).toEqual({ recall: 85, call: 274 });
    const bySender: Record<string, number> = {};
    for (const m of ms) bySender[m.sender.name] = (bySender[m.sender.name] ?? 0) + 1;
    expect(bySender).toEqual({ Firm: 16452, Pann: 15496 });
    expect([ms[0]!.time, ms[0]!.line, ms[0]!.text]).toEqual(['2019-07-10 19:10:00', 2, 'ไอปันน']);
    expect([ms.at(-1)!.time, ms.at(-1)!.line, ms.at(-1)!.text]).toEqual(['2022-06-14 18:59:00', 34266, '555']);
    // D/M read with the weekday check keeps the file in order: no message is earlier than the one before it.
    let back = 0;
    for (let i = 1; i < ms.length; i++) if (ms[i]!.time < ms[i - 1]!.time) back++;
    expect(back).toBe(0);
    // Lines 1047-1050: a quoted notice across four lines.
    const quoted = ms.find((m) => m.line === 1047)!;
    expect(quoted.text.split('\n')).toHaveLength(4);
    expect(quoted.text.endsWith('0863721330 (Eng 3 EBA)')).toBe(true);
  });
});
