import { describe, expect, it } from 'vitest';
import { whatsappTxtParser as P } from '../../../../electron/engine/ingest/parsers/whatsapp-txt.js';
import { bufferSource, prepareInput } from '../../../../electron/engine/ingest/input.js';
import { FormatError, type EventRecord, type MessageRecord, type ParsedRecord } from '../../../../electron/engine/ingest/types.js';
import { events, groups, messages, parseAll, readShared, rejects, sniffOf } from '../../../helpers/parse.js';

const LRM = '\u200e';
const NNBSP = '\u202f';
const NBSP = '\u00a0';

const parse = (text: string): Promise<ParsedRecord[]> => parseAll(P, text, 'chat.txt');
const msgs = (rs: ParsedRecord[]) => messages(rs) as MessageRecord[];
const evs = (rs: ParsedRecord[]) => events(rs) as EventRecord[];
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

describe('whatsapp-txt: header families', () => {
  it.each([
    ['iOS, seconds', '[23/04/2025, 11:00:18] Yonatan Cale: Let’s write', '2025-04-23 11:00:18', 'Yonatan Cale', 'Let’s write'],
    ['iOS de dotted 2-digit year', '[27.09.23, 09:18:41] Leon: Hallo', '2023-09-27 09:18:41', 'Leon', 'Hallo'],
    ['iOS en-US 12h, U+2011 in name', '[9/25/19, 9:00:37 PM] +1 (216) 217\u20116633: Hey rachele', '2019-09-25 21:00:37', '+1 (216) 217-6633', 'Hey rachele'],
    ['iOS en-GB lower pm', '[02/11/2020, 9:47:19 pm] Alice: Hello', '2020-11-02 21:47:19', 'Alice', 'Hello'],
    ['iOS no comma, no seconds', '[12/30/21 22:01] John Doe: Lorem', '2021-12-30 22:01:00', 'John Doe', 'Lorem'],
    ['iOS dd-mm-yy HH:MM:SS', '[15-01-20 02:22:56] Mary: Nostrud', '2020-01-15 02:22:56', 'Mary', 'Nostrud'],
    ['iOS zh 下午 before time', '[2025/12/22 下午12:35:12] 地瓜: 你好', '2025-12-22 12:35:12', '地瓜', '你好'],
    ['iOS U+202F before AM', `[1/13/22, 12:05:09${NNBSP}AM] Ann: hi`, '2022-01-13 00:05:09', 'Ann', 'hi'],
    ['Android 24h', '30/12/20, 23:55 - Bob: hello', '2020-12-30 23:55:00', 'Bob', 'hello'],
    ['Android U+202F PM', `12/31/21, 9:05${NNBSP}PM - A: Hi`, '2021-12-31 21:05:00', 'A', 'Hi'],
    ['Android NBSP pm', `31/12/2021, 9:05${NBSP}pm - A: Hi`, '2021-12-31 21:05:00', 'A', 'Hi'],
    ['Android es a. m.', '31/12/2019, 11:25 a. m. - John Doe: Lorem', '2019-12-31 11:25:00', 'John Doe', 'Lorem'],
    ['Android es quirk 00:08 a. m.', '20/06/2020, 00:08 a. m. - X: y', '2020-06-20 00:08:00', 'X', 'y'],
    ['Android es 12:10 p. m.', '20/12/2021, 12:10 p. m. - X: y', '2021-12-20 12:10:00', 'X', 'y'],
    ['Android es p. m. with NBSP', `30/01/2019, 08:49 p.${NBSP}m. - Jahn: y`, '2019-01-30 20:49:00', 'Jahn', 'y'],
    ['Android 12 AM is midnight', '12/31/21, 12:30 AM - A: late', '2021-12-31 00:30:00', 'A', 'late'],
    ['Android fr " à "', '15/04/2016 à 15:04 - Élise: Salut', '2016-04-15 15:04:00', 'Élise', 'Salut'],
    ['Android dotted 4-digit year', '15.04.2016, 15:04 - Ash: Hey', '2016-04-15 15:04:00', 'Ash', 'Hey'],
    ['Android yyyy-mm-dd', '2019-01-20, 11:25 - A: x', '2019-01-20 11:25:00', 'A', 'x'],
    ['Android yyyy/mm/dd', '2019/01/20, 11:25 - A: x', '2019-01-20 11:25:00', 'A', 'x'],
    ['Android zh 下午, no comma', '2020/5/3 下午10:07 - 张三: 你好', '2020-05-03 22:07:00', '张三', '你好'],
    ['Android zh 上午12 is midnight', '2020/5/3 上午12:07 - 张三: 早', '2020-05-03 00:07:00', '张三', '早'],
    ['Android ja 午後', '2020/05/03 午後3:04 - 太郎: こんにちは', '2020-05-03 15:04:00', '太郎', 'こんにちは'],
    ['Android ja 午前', '2020/05/03 午前9:04 - 太郎: おはよう', '2020-05-03 09:04:00', '太郎', 'おはよう'],
    ['Android ko 오후 with space', '2021/1/2 오후 3:04 - 민수: 안녕', '2021-01-02 15:04:00', '민수', '안녕'],
    ['Android ko 오전', '2021/1/2 오전 3:04 - 민수: 안녕', '2021-01-02 03:04:00', '민수', '안녕'],
    ['unpadded hour, 4-digit year', '[13/2/2021, 9:33:35] Z: ok', '2021-02-13 09:33:35', 'Z', 'ok'],
  ])('%s', async (_label, line, time, sender, text) => {
    const m = await firstMsg(line);
    expect([m.time, m.sender, m.text]).toEqual([time, { id: null, name: sender }, text]);
  });
});

describe('whatsapp-txt: date order per file', () => {
  const file = (...dates: string[]) => dates.map((d, i) => `${d}, 10:0${i % 10} - A: m${i}`).join('\n');
  it.each([
    ['first field >12 ⇒ D/M/Y', file('01/02/20', '13/02/20'), '2020-02-01'],
    ['second field >12 ⇒ M/D/Y', file('01/02/20', '02/13/20'), '2020-01-02'],
    ['4-digit first field ⇒ Y/M/D', file('2020.01.02', '2020.01.03'), '2020-01-02'],
    ['ambiguous, 24h ⇒ D/M/Y fallback', file('01/02/20'), '2020-02-01'],
    ['ambiguous, later dates only increase as M/D ⇒ M/D/Y', file('01/05/20', '01/06/20', '02/01/20'), '2020-01-05'],
    ['ambiguous, later dates only increase as D/M ⇒ D/M/Y', file('05/01/20', '06/01/20', '01/02/20'), '2020-01-05'],
    // D/M/Y reads 2025-12-21, 2031-12-21, 2002-01-22 (goes backwards); M/D/Y has month 21.
    ['2-digit year first, in order only as Y/M/D', file('21-12-25', '21-12-31', '22-01-02'), '2021-12-25'],
  ])('%s', async (label, text, date) => {
    const rs = await parse(text);
    expect(msgs(rs)[0]!.time.slice(0, 10)).toBe(date);
    expect(rejects(rs), label).toHaveLength(0);
  });

  it('upper-case AM/PM (en-US) breaks a tie towards M/D/Y, lower-case am/pm does not', async () => {
    expect((await firstMsg('01/02/20, 10:00 AM - A: x')).time).toBe('2020-01-02 10:00:00');
    expect((await firstMsg('01/02/20, 10:00 am - A: x')).time).toBe('2020-02-01 10:00:00');
    expect((await firstMsg('01/02/20, 10:00 a. m. - A: x')).time).toBe('2020-02-01 10:00:00');
  });

  it('a media file name carrying the date outvotes the AM/PM hint', async () => {
    const m = await firstMsg(`[02/11/2020, 9:49:51 PM] Bob: ${LRM}<attached: 00000010-PHOTO-2020-11-02-21-49-51.jpg>`);
    expect(m.time).toBe('2020-11-02 21:49:51');
  });

  it('a header impossible under the inferred order is a reject; parsing continues', async () => {
    const rs = await parse('13/01/20, 10:00 - A: one\n14/01/20, 10:00 - A: two\n01/15/20, 10:00 - A: three\nmore\n15/01/20, 10:00 - B: four');
    expect(msgs(rs).map((m) => m.text)).toEqual(['one', 'two', 'four']);
    expect(rejects(rs)).toEqual([
      { type: 'reject', line: 3, reason: expect.stringContaining('D/M/Y'), raw: '01/15/20, 10:00 - A: three\nmore' },
    ]);
  });

  it('12-hour hour above 12 is a reject', async () => {
    const rs = await parse('01/13/20, 13:00 PM - A: x\n01/13/20, 1:00 PM - A: y');
    expect(rejects(rs).map((r) => r.line)).toEqual([1]);
    expect(msgs(rs)[0]!.time).toBe('2020-01-13 13:00:00');
  });

  it('decides from the buffered head, then streams; later impossible dates are rejects', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 2100; i++) lines.push(`03/04/20, 10:00 - ${['A', 'B', 'C'][i % 3]}: m${i}`);
    lines.push('04/13/20, 10:00 - A: impossible as D/M'); // line 2101
    lines.push('13/04/20, 10:00 - A: fine as D/M'); // line 2102
    const batches: ParsedRecord[][] = [];
    const { input } = await prepareInput(bufferSource('big.txt', lines.join('\r\n')));
    for await (const b of P.parse(input)) batches.push(b);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.every((b) => b.length <= 2100)).toBe(true);
    const all = batches.flat();
    expect(all[0]).toMatchObject({ type: 'group', chatType: 'group' });
    expect(groups(all)).toHaveLength(1);
    expect(msgs(all)).toHaveLength(2101);
    expect(msgs(all)[0]!.time).toBe('2020-04-03 10:00:00');
    expect(msgs(all)[2100]!.time).toBe('2020-04-13 10:00:00');
    expect(rejects(all).map((r) => r.line)).toEqual([2101]);
  });
});

describe('whatsapp-txt: hidden marks and names', () => {
  it.each([
    ['LRM before the bracket, LRM before the body', `${LRM}[02/11/2020, 9:49:51 pm] Bob: ${LRM}<attached: 00000010-PHOTO-2020-11-02-21-49-51.jpg>`, 'Bob', '<attached: 00000010-PHOTO-2020-11-02-21-49-51.jpg>'],
    ['phone in LRE/PDF with NBSP', `[27.09.23, 09:18:41] \u202a+49${NBSP}176${NBSP}24676204\u202c: Moin`, '+49 176 24676204', 'Moin'],
    ['push name ~ + U+202F', `[27.09.23, 09:18:41] ~${NNBSP}Renee: hey`, 'Renee', 'hey'],
    ['push name "~ "', '[27.09.23, 09:18:41] ~ Renee: hey', 'Renee', 'hey'],
    ['push name keeps its own tilde', `[27.09.23, 09:18:41] ~${NNBSP}~Achieng 😊: hey`, '~Achieng 😊', 'hey'],
    ['isolates around name, RLM at body start', '[27.09.23, 09:18:41] \u2068Omar\u2069: \u200fمرحبا', 'Omar', 'مرحبا'],
    ['sender ends at the first ": "', '[27.09.23, 09:18:41] Bob: time: 10:00 ok', 'Bob', 'time: 10:00 ok'],
    ['colon inside the message', '10/06/20, 15:55 - John-John Doe: Lorem ipsum : dolor sit amet.', 'John-John Doe', 'Lorem ipsum : dolor sit amet.'],
    ['"Name:." with no space after the colon', '20/01/19, 11:23 - John Doe:.', 'John Doe', '.'],
    ['double inner spaces kept, outer trimmed', '[10/17/19, 9:21:55 PM] Noah  Fine : hi', 'Noah  Fine', 'hi'],
  ])('%s', async (_l, line, sender, text) => {
    const m = await firstMsg(line);
    expect([m.sender.name, m.text]).toEqual([sender, text]);
  });
});

describe('whatsapp-txt: multi-line messages', () => {
  it('joins continuation lines with \\n; CRLF between records, bare LF inside', async () => {
    const rs = await parse('[01/02/2020, 10:00:00] A: line1\nline2\n\nline4\r\n[01/02/2020, 10:01:00] B: x\r\n');
    expect(msgs(rs).map((m) => [m.line, m.text])).toEqual([
      [1, 'line1\nline2\n\nline4'],
      [5, 'x'],
    ]);
  });

  it('only a full header starts a record; date-like continuation lines stay in the body', async () => {
    const text = [
      '29/04/16, 10:29 - A: log:',
      '2016-04-29 10:30:00 started',
      '[29/04/16] not a header',
      '29/04/16 - nor this',
      '29/04/16, 10:31 - B: next',
    ].join('\n');
    const ms = msgs(await parse(text));
    expect(ms.map((m) => m.text)).toEqual(['log:\n2016-04-29 10:30:00 started\n[29/04/16] not a header\n29/04/16 - nor this', 'next']);
  });

  it('drops trailing blank lines of the last record; body may start on the next line', async () => {
    const ms = msgs(await parse('29/04/16, 10:29 - A: \nfirst\nsecond\n\n\n'));
    expect(ms.map((m) => m.text)).toEqual(['first\nsecond']);
  });
});

describe('whatsapp-txt: media, links, deletions, edits', () => {
  it.each([
    [`${LRM}image omitted`, 'image'],
    ['video omitted', 'video'],
    [`${LRM}audio omitted`, 'voice'],
    ['sticker omitted', 'sticker'],
    ['GIF omitted', 'video'],
    ['Contact card omitted', 'other'],
    [`${LRM}Report.pdf • ${LRM}3 pages ${LRM}document omitted`, 'file'],
    [`${LRM}<attached: 00000003-PHOTO-2025-04-23-11-01-19.jpg>`, 'image'],
    ['<attached: 00000013-AUDIO-2020-11-02-21-50-21.opus>', 'voice'],
    ['<attached: 00000014-VIDEO-2020-11-02-21-50-21.mp4>', 'video'],
    ['<attached: 00000015-STICKER-2020-11-02-21-50-21.webp>', 'sticker'],
    ['<attached: 00000016-GIF-2020-11-02-21-50-21.mp4>', 'video'],
    ['<attached: 00000017-Quarterly Report.pdf>', 'file'],
    [`${LRM}Bild weggelassen`, 'image'],
    ['Audio weggelassen', 'voice'],
    ['Sticker weggelassen', 'sticker'],
    ['Video weggelassen', 'video'],
    ['<Media omitted>', 'other'],
    ['<media omitted>', 'other'],
    ['<Medien ausgeschlossen>', 'other'],
    ['<省略影音内容>', 'other'],
    ['<已省略多媒體檔案>', 'other'],
    ['圖片已略去', 'image'],
    ['IMG-20200101-WA0001.jpg (file attached)', 'image'],
    ['https://example.com/a?b=1', 'link'],
    ['www.example.com', 'link'],
    ['see https://example.com', 'text'],
    ['image omitted, really?', 'text'],
  ])('%j → %s', async (body, kind) => {
    const m = await firstMsg(`[23/04/2025, 11:00:18] A: ${body}`);
    expect(m.kind).toBe(kind);
    expect(m.text.charCodeAt(0)).not.toBe(0x200e);
  });

  it.each([
    [`[23/04/2025, 11:00:18] Ann: ${LRM}This message was deleted.`, 'Ann'],
    [`[23/04/2025, 11:00:18] Me: ${LRM}You deleted this message.`, 'Me'],
    [`[23/04/2025, 11:00:18] Ann: ${LRM}This message was deleted by admin ~${NNBSP}Jeff Otengo.`, 'Ann'],
    [`[27.09.23, 09:18:41] Leon: ${LRM}Diese Nachricht wurde gelöscht.`, 'Leon'],
    [`[27.09.23, 09:18:41] Ich: ${LRM}Du hast diese Nachricht gelöscht.`, 'Ich'],
    ['23/04/2025, 11:00 - Ann: This message was deleted', 'Ann'],
    ['2020/5/3 下午10:07 - 张三: 这条消息已删除', '张三'],
    ['2020/5/3 下午10:07 - 张三: 此消息已删除', '张三'],
  ])('deleted: %j → recall by the sender', async (line, actor) => {
    const rs = await parse(line);
    expect(msgs(rs)).toHaveLength(0);
    const e = evs(rs)[0]!;
    expect([e.kind, e.actor, e.subjects]).toEqual(['recall', { id: null, name: actor }, []]);
  });

  it.each([
    [`[23/04/2025, 11:00:18] A: Hello there ${LRM}<This message was edited>`, 'Hello there'],
    [`[27.09.23, 09:18:41] A: Hallo ${LRM}<Diese Nachricht wurde bearbeitet.>`, 'Hallo'],
    [`[23/04/2025, 11:00:18] A: two\nlines ${LRM}<This message was edited>`, 'two\nlines'],
  ])('edited tag removed: %j', async (line, text) => {
    expect((await firstMsg(line)).text).toBe(text);
  });
});

describe('whatsapp-txt: @mentions', () => {
  it.each([
    ['ping @254758916111 and @12019375045', ['254758916111', '12019375045']],
    [`hey @\u2068~${NNBSP}John Smith\u2069 look`, ['John Smith']],
    ['mail a@b.com at @12 pm', []],
    ['no mentions', []],
  ])('%j', async (body, mentions) => {
    expect((await firstMsg(`[23/04/2025, 11:00:18] A: ${body}`)).mentions).toEqual(mentions);
  });
});

describe('whatsapp-txt: system events', () => {
  const P1 = '+353 86 889 4250';
  it.each([
    // iOS modern: pseudo-sender (group name or a member), body opens with U+200E
    ['iOS encryption notice', `[09/06/2020, 19:03:25] Eire Kenya 2nd Gen: ${LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.`, 'other', null, []],
    ['iOS created this group', `[09/06/2020, 19:03:25] ~${NNBSP}Cliff Richard Wanjau: ${LRM}~${NNBSP}Cliff Richard Wanjau created this group`, 'create', 'Cliff Richard Wanjau', []],
    ['iOS you joined via link', `[07/02/2023, 12:22:28] Eire Kenya 2nd Gen: ${LRM}You joined using this group's invite link`, 'join', null, ['You']],
    ['iOS pseudo-sender is the joiner', `[07/02/2023, 13:15:53] ~${NNBSP}~Achieng 😊: ${LRM}~${NNBSP}~Achieng 😊 joined using this group's invite link`, 'join', null, ['~Achieng 😊']],
    ['iOS pseudo-sender is the added one', `[11/02/2023, 14:20:20] \u202a+353${NBSP}86${NBSP}889${NBSP}4250\u202c: ${LRM}~${NNBSP}Cliff Richard Wanjau added \u202a+353${NBSP}86${NBSP}889${NBSP}4250\u202c`, 'invite', 'Cliff Richard Wanjau', [P1]],
    ['iOS changed phone number', `[07/02/2023, 22:15:32] Francis Dublin: ${LRM}${LRM}Francis Dublin changed their phone number to a new number. ${LRM}Tap to message or add the new number.`, 'rename', null, ['Francis Dublin']],
    ['iOS disappearing messages', `[19/03/2023, 17:17:53] ~${NNBSP}Renee: ${LRM}${LRM}~${NNBSP}Renee turned on disappearing messages. All new messages will disappear from this chat 7 days after they’re sent.`, 'other', null, []],
    ['iOS missed call by the sender', `[19/03/2023, 17:17:53] Bob: ${LRM}Missed voice call`, 'call', 'Bob', []],
    // old iOS: no sender field
    ['old iOS created this group', `[6/17/19, 5:51:19 PM] ${LRM}\u202a+1${NBSP}(216)${NBSP}217\u20116633\u202c created this group`, 'create', '+1 (216) 217-6633', []],
    ['old iOS added you', '[9/25/19, 8:09:26 PM] Rachelle Guy added you', 'invite', 'Rachelle Guy', ['You']],
    ['old iOS left', `[11/9/19, 11:20:49 AM] ${LRM}\u202a+1${NBSP}(410)${NBSP}504\u20113298\u202c left`, 'leave', null, ['+1 (410) 504-3298']],
    ['old iOS double spaces, trailing space', '[10/17/19, 9:21:55 PM] Noah  Fine  added Elizabeth Tabouch ', 'invite', 'Noah  Fine', ['Elizabeth Tabouch']],
    // German iOS
    ['de created', `[27.09.23, 09:18:41] Leon: ${LRM}Leon hat die Gruppe erstellt.`, 'create', 'Leon', []],
    ['de added you', `[27.09.23, 09:18:41] Leon: ${LRM}Leon hat dich hinzugefügt.`, 'invite', 'Leon', ['Du']],
    ['de added two', `[27.09.23, 09:18:41] Reis: ${LRM}Leon hat Reis und ~${NNBSP}Ernad hinzugefügt.`, 'invite', 'Leon', ['Reis', 'Ernad']],
    ['de added many', `[27.09.23, 09:18:41] Leon: ${LRM}Leon hat ~${NNBSP}Benjy, ~${NNBSP}Erik und 4${NBSP}weitere Personen hinzugefügt. Tippe, um alle zu sehen.`, 'invite', 'Leon', ['Benjy', 'Erik']],
    ['de removed', `[27.09.23, 09:18:41] Leon: ${LRM}Leon hat ~${NNBSP}Ernad entfernt.`, 'remove', 'Leon', ['Ernad']],
    ['de left', `[27.09.23, 09:18:41] \u202a+49${NBSP}176${NBSP}1\u202c: ${LRM}\u202a+49${NBSP}176${NBSP}1\u202c hat die Gruppe verlassen.`, 'leave', null, ['+49 176 1']],
    ['de you joined', `[27.09.23, 09:18:41] Gruppe: ${LRM}Du bist der Gruppe mit dem Einladungslink beigetreten.`, 'join', null, ['Du']],
    ['de joined', `[27.09.23, 09:18:41] ~${NNBSP}M: ${LRM}~${NNBSP}M ist der Gruppe mit dem Einladungslink beigetreten.`, 'join', null, ['M']],
    ['de subject', `[27.09.23, 09:18:41] Leon: ${LRM}Leon hat den Betreff von „Alt“ zu „Neu“ geändert.`, 'title', 'Leon', []],
    ['de encryption', `[27.09.23, 09:18:41] Gruppe: ${LRM}Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen.`, 'other', null, []],
    ['de security number', `[27.09.23, 09:18:41] Leon: ${LRM}Deine Sicherheitsnummer für Leon hat sich geändert. Tippe, um mehr zu erfahren.`, 'other', null, []],
    // Android: `DATE - text`
    ['Android created group', '12/9/20, 23:16 - Alice created group "Some cool group chat"', 'create', 'Alice', []],
    ['Android added you', '12/9/20, 23:55 - Alice added you', 'invite', 'Alice', ['You']],
    ['Android added several', '12/9/20, 23:55 - Alice added Bob, Carol and Dave', 'invite', 'Alice', ['Bob', 'Carol', 'Dave']],
    ['Android you were added', '30/06/20, 09:10 - You were added', 'invite', null, ['You']],
    ['Android removed', '12/9/20, 23:55 - Alice removed Bob', 'remove', 'Alice', ['Bob']],
    ['Android left', '12/9/20, 23:55 - Bob left', 'leave', null, ['Bob']],
    ['Android joined via link', '12/9/20, 23:55 - Bob joined using this group’s invite link', 'join', null, ['Bob']],
    ['Android subject change', '12/9/20, 23:55 - Alice changed the subject from "a" to "b"', 'title', 'Alice', []],
    ['Android subject with ": " inside quotes', '12/9/20, 23:55 - Alice changed the subject from "Trip: day 1" to "Trip: day 2"', 'title', 'Alice', []],
    ['Android group name', '12/9/20, 23:55 - Alice changed the group name to "x"', 'title', 'Alice', []],
    ['Android icon', '12/9/20, 23:55 - Alice changed this group\'s icon', 'other', null, []],
    ['Android security code', '12/9/20, 23:55 - Your security code with Bob changed. Tap to learn more.', 'other', null, []],
    ['Android encryption', '12/9/20, 23:55 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.', 'other', null, []],
    ['Android unknown notice', '12/9/20, 23:55 - Something new happened', 'other', null, []],
    // Chinese
    ['zh encryption', '2020/5/3 下午10:07 - 消息和通话已进行端到端加密。此对话之外的任何人都无法读取或收听。', 'other', null, []],
    ['zh created this group', '2020/5/3 下午10:07 - 张三创建了此群组', 'create', '张三', []],
    ['zh created group "X"', '2020/5/3 下午10:07 - 张三创建了群组“周末爬山”', 'create', '张三', []],
    ['zh joined via link', '2020/5/3 下午10:07 - 李四通过此群组的邀请链接加入', 'join', null, ['李四']],
    ['zh joined', '2020/5/3 下午10:07 - 李四加入群组', 'join', null, ['李四']],
    ['zh added', '2020/5/3 下午10:07 - 张三添加了李四', 'invite', '张三', ['李四']],
    ['zh added several', '2020/5/3 下午10:07 - 张三添加了李四、王五和赵六', 'invite', '张三', ['李四', '王五', '赵六']],
    ['zh removed', '2020/5/3 下午10:07 - 张三移除了李四', 'remove', '张三', ['李四']],
    ['zh left', '2020/5/3 下午10:07 - 李四退出了群组', 'leave', null, ['李四']],
    ['zh left (short)', '2020/5/3 下午10:07 - 李四已退出', 'leave', null, ['李四']],
  ])('%s', async (_l, line, kind, actor, subjects) => {
    const rs = await parse(line);
    expect(msgs(rs)).toHaveLength(0);
    const e = evs(rs)[0]!;
    expect([e.kind, e.actor, e.subjects]).toEqual([
      kind,
      actor === null ? null : { id: null, name: actor },
      (subjects as string[]).map((name) => ({ id: null, name })),
    ]);
    expect(e.text.charCodeAt(0)).not.toBe(0x200e);
  });

  it('a member message that merely mentions a phrase is not an event', async () => {
    const m = await firstMsg('12/9/20, 23:55 - Bob: Alice added Carol yesterday');
    expect(m.text).toBe('Alice added Carol yesterday');
  });
});

describe('whatsapp-txt: group record', () => {
  const g = async (text: string) => groups(await parse(text))[0] as { name: string; chatType: string };
  it.each([
    ['iOS encryption pseudo-sender names the group', `[09/06/2020, 19:03:25] Eire Kenya 2nd Gen: ${LRM}Messages and calls are end-to-end encrypted.\n[09/06/2020, 19:04:00] A: hi`, 'Eire Kenya 2nd Gen', 'private'],
    ['created group "X" names the group', '12/9/20, 23:16 - Alice created group "Some cool group chat"\n12/9/20, 23:17 - Alice: hi', 'Some cool group chat', 'group'],
    ['two senders ⇒ private, no name', '12/9/20, 23:16 - A: hi\n12/9/20, 23:17 - B: yo', '', 'private'],
    ['three senders ⇒ group', '12/9/20, 23:16 - A: hi\n12/9/20, 23:17 - B: yo\n12/9/20, 23:18 - C: hey', '', 'group'],
    ['two senders + a leave ⇒ group', '12/9/20, 23:16 - A: hi\n12/9/20, 23:17 - B: yo\n12/9/20, 23:18 - C left', '', 'group'],
  ])('%s', async (_l, text, name, chatType) => {
    const rs = await parse(text);
    expect(rs[0]!.type).toBe('group');
    expect(groups(rs)).toHaveLength(1);
    expect(await g(text)).toMatchObject({ type: 'group', platform: 'whatsapp', externalId: null, name, chatType });
    for (const r of rs) if (r.type === 'message' || r.type === 'event') expect(r.group).toBe((rs[0] as { key: string }).key);
  });
});

describe('whatsapp-txt: sniff', () => {
  it.each([
    ['iOS head', '[23/04/2025, 11:00:18] A: x\n[23/04/2025, 11:00:19] B: y\n[23/04/2025, 11:00:20] A: z\n', 0.9, 1],
    ['Android head', '12/9/20, 23:55 - Bob: hello\n12/9/20, 23:55 - Eve: hi\n12/9/20, 23:55 - Eve: whats up\n', 0.9, 1],
    ['QQ lines', '2019-09-23 8:43:38 PM 名字(123)\n你好\n\n2019-09-23 8:44:00 PM 别人(456)\n好\n', 0, 0.05],
    ['JSON', '{"name":"x","messages":[{"id":1,"date":"2020-01-01T10:00:00"}]}', 0, 0.05],
    ['CSV', 'localId,talkerId,type,subType,isSender,createTime\n1,2,1,0,1,2020-01-01 10:00:00\n', 0, 0.05],
    ['prose', 'Dear diary,\ntoday was fine.\n', 0, 0.05],
  ])('%s', async (_l, text, lo, hi) => {
    const s = await sniffOf(P, text);
    expect(s).toBeGreaterThanOrEqual(lo);
    expect(s).toBeLessThanOrEqual(hi);
  });

  it.each([
    'chat-miner__test_brackets-mmddyy_24hrs.txt',
    'chat-miner__test_mmddyyyy_12hrs.txt',
    'language-whatsapp__ios_en_gb_lower_pm__chat.txt',
    'mlomb-chat-analytics__4A_11M.txt',
    'whatstk__lorem.txt',
    'whatstk__pokemon.txt',
  ])('fixture %s ≥ 0.9', async (f) => {
    expect(await sniffOf(P, await readShared(`whatsapp/${f}`))).toBeGreaterThanOrEqual(0.9);
  });
});

describe('whatsapp-txt: rejects and format errors', () => {
  it('a non-blank line before the first header is a reject; blank lines are not', async () => {
    const rs = await parse('\nSaved chat\n\n12/9/20, 23:16 - A: hi');
    expect(rejects(rs)).toEqual([{ type: 'reject', line: 2, reason: expect.any(String), raw: 'Saved chat' }]);
    expect(msgs(rs)).toHaveLength(1);
    expect(rs[0]!.type).toBe('group');
  });

  it('no header at all is a FormatError', async () => {
    await expect(parse('just some text\nand more\n')).rejects.toBeInstanceOf(FormatError);
    await expect(parse('')).rejects.toBeInstanceOf(FormatError);
  });

  it('too much text before any header is a FormatError', async () => {
    const junk = Array.from({ length: 300 }, (_, i) => `line ${i}`).join('\n');
    await expect(parse(`${junk}\n12/9/20, 23:16 - A: hi`)).rejects.toBeInstanceOf(FormatError);
  });
});

interface Expect {
  messages: number;
  events: Record<string, number>;
  senders: number;
  first: string;
  last: string;
  name: string;
  chatType: string;
  kinds?: Record<string, number>;
}

const CHAT_MINER: Expect = {
  // 9 records: 7 messages (incl. "John Doe:."), created group "Groupname", "You were added".
  messages: 7,
  events: { create: 1, invite: 1 },
  senders: 5, // John Doe, Jahn Doe, John-John Doe, John Doe 🤓, 🤓
  first: '2019-01-01 11:25:00',
  last: '2021-12-30 22:01:00',
  name: 'Groupname',
  chatType: 'group',
  kinds: { text: 7 },
};
const MLOMB_4A: Expect = {
  messages: 11,
  events: { other: 1, create: 1, invite: 1 },
  senders: 5, // Bob, Eve, Alice, Mallory, Trent
  first: '2020-09-12 23:55:00', // 12/9/20 is ambiguous: D/M/Y fallback
  last: '2020-09-12 23:56:00',
  name: 'Some cool group chat',
  chatType: 'group',
};

const CONFORMANCE: Record<string, Expect> = {
  'chat-miner__test_brackets-mmddyy_24hrs.txt': CHAT_MINER,
  'chat-miner__test_ddmmyy_24hrs.txt': CHAT_MINER,
  'chat-miner__test_mmddyy_24hrs.txt': CHAT_MINER,
  'chat-miner__test_mmddyyyy_12hrs.txt': CHAT_MINER,
  'chat-miner__test_yyyymmdd_24hrs.txt': CHAT_MINER,
  'language-whatsapp__ios_en_gb_lower_pm__chat.txt': {
    messages: 13,
    events: {},
    senders: 2,
    first: '2020-11-02 21:47:19',
    last: '2020-11-02 21:50:40',
    name: '',
    chatType: 'private',
    kinds: { text: 11, image: 1, voice: 1 },
  },
  'mlomb-chat-analytics__2A_5M.txt': {
    messages: 5,
    events: {},
    senders: 2,
    first: '2021-01-01 12:00:00',
    last: '2021-01-01 12:02:00', // the out-of-order last line is kept where it is
    name: '',
    chatType: 'private',
    kinds: { text: 4, other: 1 },
  },
  'mlomb-chat-analytics__4A_11M.txt': MLOMB_4A,
  'whatstk__pokemon.txt': {
    messages: 18,
    events: { other: 2 },
    senders: 8,
    first: '2016-04-15 15:04:00',
    last: '2016-10-31 12:23:00',
    name: 'Pokemon Chat',
    chatType: 'group',
  },
  'whatstk__lorem.txt': {
    messages: 500,
    events: {},
    senders: 4,
    first: '2020-01-15 02:22:56',
    last: '2020-05-11 22:32:48',
    name: '',
    chatType: 'group',
    kinds: { text: 500 },
  },
};

describe('whatsapp-txt: conformance with the shared fixtures', () => {
  it.each(Object.entries(CONFORMANCE))('%s', async (file, x) => {
    const rs = await parseAll(P, await readShared(`whatsapp/${file}`), file);
    const ms = msgs(rs);
    const es = evs(rs);
    const count = (xs: string[]) => xs.reduce<Record<string, number>>((a, k) => ((a[k] = (a[k] ?? 0) + 1), a), {});
    expect(ms).toHaveLength(x.messages);
    expect(count(es.map((e) => e.kind))).toEqual(x.events);
    expect(rejects(rs)).toHaveLength(0);
    expect(new Set(ms.map((m) => m.sender.name)).size).toBe(x.senders);
    const timed = [...ms, ...es].sort((a, b) => a.line - b.line);
    expect(timed[0]!.time).toBe(x.first);
    expect(timed[timed.length - 1]!.time).toBe(x.last);
    expect(groups(rs)).toEqual([expect.objectContaining({ name: x.name, chatType: x.chatType })]);
    if (x.kinds) expect(count(ms.map((m) => m.kind))).toEqual(x.kinds);
  });

  it('chat-miner: texts match chat-miner__target.json', async () => {
    const target = JSON.parse((await readShared('whatsapp/chat-miner__target.json')).toString('utf8')) as {
      timestamp: string;
      author: string;
      message: string;
    }[];
    const ms = msgs(await parseAll(P, await readShared('whatsapp/chat-miner__test_mmddyyyy_12hrs.txt'), 'x.txt'));
    // chat-miner drops the "John Doe:." message and joins lines with a space; we keep both.
    const ours = ms
      .filter((m) => m.text !== '.')
      .map((m) => ({ timestamp: m.time.replace(' ', 'T'), author: m.sender.name, message: m.text.replace(/\n/g, ' ') }));
    expect(ours.reverse()).toEqual(target);
  });

  it('lorem: per-sender counts and phone-number senders', async () => {
    const ms = msgs(await parseAll(P, await readShared('whatsapp/whatstk__lorem.txt'), 'lorem.txt'));
    const by: Record<string, number> = {};
    for (const m of ms) by[m.sender.name] = (by[m.sender.name] ?? 0) + 1;
    expect(by).toEqual({ '+1 123 456 789': 145, Giuseppe: 118, John: 124, Mary: 113 });
  });

  it('4A_11M: the encryption notice has no sender; the invite is Alice adding you', async () => {
    const es = evs(await parseAll(P, await readShared('whatsapp/mlomb-chat-analytics__4A_11M.txt'), 'x.txt'));
    expect(es.map((e) => [e.line, e.kind, e.actor?.name ?? null, e.subjects.map((s) => s.name)])).toEqual([
      [1, 'other', null, []],
      [2, 'create', 'Alice', []],
      [3, 'invite', 'Alice', ['You']],
    ]);
  });
});

// Found by the fuzz tests (test/fuzz): classifySystem trimmed with /[\s.\u200e]+$/, which retries
// from every position of a long blank run that is not at the end (50k tabs took 2.5 s).
describe('whatsapp-txt notices in linear time', () => {
  it.each([
    ['tabs inside a sender-less header', '12/9/20, 23:55 - ', `Joh${'\t'.repeat(200_000)}n joined using this group's invite link`],
    ['dots inside a sender-less header', '[12/9/20, 23:55:00] ', `+12 345${'.'.repeat(200_000)}678 created group "G"`],
  ])('%s: parsed quickly as one record', async (_n, header, body) => {
    const t0 = performance.now();
    const rs = await parse(`12/9/20, 23:50 - Bob: hi\n${header}${body}\n`);
    expect(performance.now() - t0).toBeLessThan(2000);
    // 200k characters is over the 500 a notice may have: an 'other' event with the text as written.
    expect((events(rs) as EventRecord[]).map((e) => [e.kind, e.line, e.text === body])).toEqual([['other', 2, true]]);
  });

  it('a notice with trailing blanks, dots and LRMs is still recognised', async () => {
    const rs = await parse('12/9/20, 23:50 - Bob: hi\n12/9/20, 23:55 - Eve left . \u200e \n');
    expect((events(rs) as EventRecord[]).map((e) => [e.kind, e.subjects.map((s) => s.name)])).toEqual([['leave', ['Eve']]]);
  });
});

// Found by the fuzz review (test/fuzz): continuation lines were collected without bound (and up to
// 2000 records are buffered for the date-order vote). Past 8 Mi characters a record is rejected.
describe('whatsapp-txt record size bound', () => {
  it('rejects a record over MAX_RECORD_CHARS and reads on', async () => {
    const junk = Array.from({ length: 9 }, () => 'x'.repeat(2 ** 20)).join('\n');
    const rs = await parse(`12/9/20, 23:50 - Bob: hi\n12/9/20, 23:51 - Eve: start\n${junk}\n12/9/20, 23:52 - Bob: next\n`);
    expect(rejects(rs).map((r) => r.type === 'reject' && [r.line, r.reason, r.raw.length])).toEqual([
      [2, 'record longer than 8 Mi characters (damaged file?); its text was dropped', 2000],
    ]);
    expect((messages(rs) as MessageRecord[]).map((m) => [m.line, m.text])).toEqual([[1, 'hi'], [12, 'next']]);
  });
});
