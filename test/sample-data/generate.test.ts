import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, type Expected } from '../../sample-data/generate.js';
import type { FileExpectation } from '../../sample-data/writers.js';

const SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../sample-data');
const SMALL = { messages: 1500, members: 60, days: 40 } as const;

const tmp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'qunxi-gen-'));
  tmp.push(d);
  return d;
};
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

const files = (dir: string, base = dir): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, base) : [p.slice(base.length + 1)];
  });
const text = (dir: string, rel: string): string => readFileSync(join(dir, rel), 'utf8');

/** What an importer would count, recounted here from the bytes with plain regexes. */
interface Recount {
  messages: number;
  senders: Set<string>;
  events: Record<string, number>;
  times: string[];
  msgTimes: string[];
  replies: number;
}
const recount = (): Recount => ({ messages: 0, senders: new Set(), events: {}, times: [], msgTimes: [], replies: 0 });
const bump = (r: Recount, kind: string, time: string) => {
  r.events[kind] = (r.events[kind] ?? 0) + 1;
  r.times.push(time);
};
const message = (r: Recount, sender: string, time: string) => {
  r.messages++;
  r.senders.add(sender);
  r.times.push(time);
  r.msgTimes.push(time);
};

const QQ_HEAD = /^(\d{4}-\d\d-\d\d) (\d{1,2}):(\d\d:\d\d) (.*)\((\d+)\)$/;
function recountQq(s: string): Recount {
  const r = recount();
  const lines = s.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const m = QQ_HEAD.exec(lines[i]!);
    if (!m || lines[i - 1] !== '') continue;
    const time = `${m[1]} ${m[2]!.padStart(2, '0')}:${m[3]}`;
    if (m[5] !== '1000000') {
      message(r, m[5]!, time);
      continue;
    }
    const body = lines[i + 1]!;
    const kind = /邀请.+加入了本群。$/.test(body) ? 'invite' : /加入本群。$/.test(body) ? 'join' : /退出了本群。$/.test(body) ? 'leave' : /移出了本群。$/.test(body) ? 'remove' : /撤回了一条消息$/.test(body) ? 'recall' : 'other';
    bump(r, kind, time);
  }
  return r;
}

const WA_HEAD = /^(\d\d)\/(\d\d)\/(\d{4}), (\d\d:\d\d) - (.*)$/;
function recountWhatsapp(s: string): Recount {
  const r = recount();
  for (const line of s.split('\n')) {
    const m = WA_HEAD.exec(line);
    if (!m) continue;
    const time = `${m[3]}-${m[2]}-${m[1]} ${m[4]}:00`;
    const rest = m[5]!;
    const colon = rest.indexOf(': ');
    if (colon >= 0) {
      if (rest.slice(colon + 2) === 'This message was deleted') bump(r, 'recall', time);
      else message(r, rest.slice(0, colon), time);
    } else {
      const kind = / created group "/.test(rest) ? 'create' : rest.endsWith(" joined using this group's invite link") ? 'join' : / added /.test(rest) ? 'invite' : rest.endsWith(' left') ? 'leave' : / removed /.test(rest) ? 'remove' : 'other';
      bump(r, kind, time);
    }
  }
  return r;
}

/** RFC 4180: fields split on commas outside quotes, records on CRLF outside quotes, "" is a quote. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && s[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      (row = []), (field = ''), i++;
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

function recountWechat(s: string): Recount {
  const r = recount();
  const [header, ...rows] = parseCsv(s.replace(/^\uFEFF/, ''));
  const col = (name: string) => header!.indexOf(name);
  for (const row of rows) {
    const time = row[col('StrTime')]!;
    if (row[col('Type')] === '10000') {
      const c = row[col('StrContent')]!;
      bump(r, /邀请.+加入了群聊$/.test(c) ? 'invite' : /二维码加入群聊$/.test(c) ? 'join' : /移出了群聊$/.test(c) ? 'remove' : /撤回了一条消息$/.test(c) ? 'recall' : / 拍了拍 /.test(c) ? 'poke' : 'other', time);
    } else {
      message(r, row[col('Sender')]!, time);
      if (row[col('SubType')] === '57') r.replies++;
    }
  }
  return r;
}

interface TgMessage {
  id: number;
  type: string;
  date: string;
  from_id?: string;
  actor?: string;
  action?: string;
  members?: string[];
  reply_to_message_id?: number;
}
function recountTelegram(s: string): Recount {
  const r = recount();
  const chat = JSON.parse(s) as { messages: TgMessage[] };
  for (const m of chat.messages) {
    const time = m.date.replace('T', ' ');
    if (m.type === 'message') {
      message(r, m.from_id!, time);
      if (m.reply_to_message_id !== undefined) r.replies++;
    } else {
      const kind = m.action === 'join_group_by_link' ? 'join' : m.action === 'invite_members' ? 'invite' : m.action === 'remove_members' ? (m.members![0] === m.actor ? 'leave' : 'remove') : 'other';
      bump(r, kind, time);
    }
  }
  return r;
}

const RECOUNT: Record<string, (s: string) => Recount> = {
  'qq-txt': recountQq,
  'whatsapp-txt': recountWhatsapp,
  'wechat-csv': recountWechat,
  'telegram-json': recountTelegram,
};

function agree(exp: FileExpectation, r: Recount): void {
  expect(r.messages).toBe(exp.messages);
  expect(r.senders.size).toBe(exp.distinctSenders);
  const nonzero = Object.fromEntries(Object.entries(exp.events).filter(([, n]) => n > 0));
  expect(r.events).toEqual(nonzero);
  expect(r.times[0]).toBe(exp.firstTime);
  expect(r.times.at(-1)).toBe(exp.lastTime);
  expect(r.msgTimes[0]).toBe(exp.firstMessageTime);
  expect(r.msgTimes.at(-1)).toBe(exp.lastMessageTime);
  // Exports are written in time order.
  expect(r.times.every((t, i) => i === 0 || r.times[i - 1]! <= t)).toBe(true);
  if (exp.format === 'wechat-csv' || exp.format === 'telegram-json') expect(r.replies).toBe(exp.replies);
}

describe('sample-data generator', () => {
  let small: string;
  let smallExpected: Expected;
  beforeAll(async () => {
    small = tempDir();
    smallExpected = await generate({ ...SMALL, out: small, seed: 'test-seed' });
  });

  it('writes byte-identical files for the same seed, different ones for another seed', async () => {
    const again = tempDir();
    await generate({ ...SMALL, out: again, seed: 'test-seed' });
    const names = files(small).sort();
    expect(names).toEqual(files(again).sort());
    expect(names).toContain('expected.json');
    for (const n of names) expect(readFileSync(join(again, n)).equals(readFileSync(join(small, n))), n).toBe(true);
    const other = tempDir();
    await generate({ ...SMALL, out: other, seed: 'another-seed' });
    expect(readFileSync(join(other, 'qq/私域运营交流群.txt')).equals(readFileSync(join(small, 'qq/私域运营交流群.txt')))).toBe(false);
  });

  it('hits the requested message count exactly in every format', () => {
    const entries = Object.values(smallExpected.files);
    expect(entries.map((e) => e.format).sort()).toEqual(['qq-txt', 'telegram-json', 'wechat-csv', 'whatsapp-txt']);
    for (const e of entries) expect(e.messages).toBe(SMALL.messages);
  });

  it.each(['qq/私域运营交流群.txt', 'whatsapp/_chat.txt', 'wechat/私域运营交流群_utf8.csv', 'telegram/result.json'])(
    'expected.json agrees with a recount of the small run: %s',
    (rel) => {
      const exp = smallExpected.files[rel]!;
      agree(exp, RECOUNT[exp.format]!(text(small, rel)));
    },
  );

  it('keeps the committed samples in sync with the generator', async () => {
    const fresh = tempDir();
    const exp = await generate({ out: fresh });
    const rels = [...Object.keys(exp.files), 'expected.json'];
    expect(rels).toHaveLength(7);
    for (const rel of rels) expect(readFileSync(join(fresh, rel)).equals(readFileSync(join(SAMPLES, rel))), `${rel} is stale: run npx tsx sample-data/generate.ts`).toBe(true);
  });

  describe('committed samples', () => {
    const expected = JSON.parse(text(SAMPLES, 'expected.json')) as Expected;
    const qq = text(SAMPLES, 'qq/私域运营交流群.txt');
    const wa = text(SAMPLES, 'whatsapp/_chat.txt');
    const csv = text(SAMPLES, 'wechat/私域运营交流群_utf8.csv');
    const tg = text(SAMPLES, 'telegram/result.json');

    it.each(Object.keys(expected.files))('expected.json agrees with a recount of %s', (rel) => {
      const exp = expected.files[rel]!;
      agree(exp, RECOUNT[exp.format]!(text(SAMPLES, rel)));
    });

    it('stays small and describes ~4 months of a ~120-member group', () => {
      const total = files(SAMPLES).filter((f) => !f.endsWith('.ts')).reduce((n, f) => n + statSync(join(SAMPLES, f)).size, 0);
      expect(total).toBeLessThan(6_000_000);
      const main = expected.files['qq/私域运营交流群.txt']!;
      expect(main.messages).toBe(6000);
      expect(main.membersEverPresent).toBe(120);
      expect(main.firstTime!.slice(0, 7)).toBe('2024-03');
      expect(main.lastTime!.slice(0, 7)).toBe('2024-07');
      const ai = expected.files['qq/AI工具分享群.txt']!;
      expect(ai.messages).toBe(1500);
    });

    it('uses the exact file framing of each format', () => {
      expect(qq.startsWith('\uFEFF消息记录（此消息记录为文本格式，不支持重新导入）\r\n\r\n' + '='.repeat(64) + '\r\n消息分组:我的群聊\r\n')).toBe(true);
      expect(qq).toContain('\r\n消息对象:私域运营交流群\r\n');
      expect(qq).toMatch(/\r\n\r\n\d{4}-\d\d-\d\d \d:\d\d:\d\d [^\r\n]+\(\d+\)\r\n/); // unpadded hour
      expect(qq).toMatch(/\r\n\r\n\d{4}-\d\d-\d\d \d{1,2}:\d\d:\d\d 【管理员】[^\r\n]+\(\d+\)\r\n/);
      expect(csv.startsWith('\uFEFFlocalId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,StrTime,Remark,NickName,Sender\r\n')).toBe(true);
      expect(tg.startsWith('{\n "name": "私域运营交流群",\n "type": "private_supergroup",\n "id": ')).toBe(true);
      expect(wa.split('\n')[0]).toMatch(/^1[3-9]\/03\/2024, \d\d:\d\d - Messages and calls are end-to-end encrypted\./);
    });

    it('writes RFC 4180 CSV with a constant field count and the WeChat type codes', () => {
      const rows = parseCsv(csv.slice(1));
      expect(new Set(rows.map((r) => r.length))).toEqual(new Set([12]));
      const types = new Set(rows.slice(1).map((r) => `${r[2]}/${r[3]}`));
      for (const t of ['1/0', '3/0', '34/0', '43/0', '47/0', '49/57', '10000/0']) expect(types).toContain(t);
      const quote = rows.find((r) => r[3] === '57')![7]!;
      expect(quote).toMatch(/^<msg><appmsg [^>]*><title>.+<\/title><type>57<\/type><refermsg>.*<svrid>\d+<\/svrid>.*<displayname>.+<\/displayname><content>.+<\/content><\/refermsg><\/appmsg><\/msg>$/);
      expect(rows.some((r) => r[4] === '1')).toBe(true); // the exporter's own rows
      expect(rows.slice(1).every((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(r[8]!) && /^\d{10}$/.test(r[5]!))).toBe(true);
      // CreateTime is the instant of StrTime in UTC+8.
      const r1 = rows[1]!;
      expect(Date.parse(r1[8]!.replace(' ', 'T') + '+08:00') / 1000).toBe(Number(r1[5]));
    });

    it('writes Telegram JSON whose replies point back to earlier messages', () => {
      const chat = JSON.parse(tg) as { messages: (TgMessage & { date_unixtime: string; photo?: string; media_type?: string; text: unknown })[] };
      const seen = new Set<number>();
      for (const m of chat.messages) {
        if (m.reply_to_message_id !== undefined) expect(seen.has(m.reply_to_message_id)).toBe(true);
        expect(Date.parse(m.date + '+08:00') / 1000).toBe(Number(m.date_unixtime));
        seen.add(m.id);
      }
      expect(chat.messages.some((m) => m.photo?.startsWith('(File not included.'))).toBe(true);
      expect(chat.messages.some((m) => m.media_type === 'sticker')).toBe(true);
      expect(chat.messages.some((m) => Array.isArray(m.text))).toBe(true); // mention entities
      expect(tg).toMatch(/\n {3}"text_entities": \[\n {4}\{\n {5}"type": "plain",/); // one space per level
    });

    it('contains the behaviours the analytics look for', () => {
      const exp = expected.files['qq/私域运营交流群.txt']!;
      for (const k of ['join', 'invite', 'leave', 'remove', 'recall'] as const) expect(exp.events[k], k).toBeGreaterThan(0);
      expect(expected.files['wechat/私域运营交流群_utf8.csv']!.events.poke).toBeGreaterThan(0);
      expect(expected.files['telegram/result.json']!.replies).toBeGreaterThan(100);
      expect(exp.messagesWithMentions).toBeGreaterThan(100);
      expect(exp.mediaMessages).toBeGreaterThan(100);
      expect(qq.match(/\r\n(?:打卡 Day \d+|#打卡# 今日完成|签到|Day\d+ 打卡✅|【打卡】第\d+天)/g)!.length).toBeGreaterThan(200);
      expect(qq.match(/大家好[，～]我是|【自我介绍】|新人报到|刚进群/g)!.length).toBeGreaterThan(20);
      expect(qq.match(/[？?]|吗|怎么|如何|求/g)!.length).toBeGreaterThan(300);
      expect(qq.match(/欢迎@/g)!.length).toBeGreaterThan(20);
      expect(qq).toMatch(/@\S+ /);
      expect(wa).toMatch(/ - \+86 1\d\d \d{4} \d{4}: /); // unsaved contacts show as phone numbers
      expect(wa).toContain('<Media omitted>');
    });

    it('shows a member under several group cards in QQ, and a few members drawing most replies', () => {
      const names = new Map<string, Set<string>>();
      for (const line of qq.split(/\r\n|\n/)) {
        const m = QQ_HEAD.exec(line);
        if (m && m[5] !== '1000000') names.set(m[5]!, (names.get(m[5]!) ?? new Set()).add(m[4]!));
      }
      expect([...names.values()].filter((s) => s.size > 1).length).toBeGreaterThan(10);
      expect(Math.max(...[...names.values()].map((s) => s.size))).toBeGreaterThanOrEqual(3);
      const chat = JSON.parse(tg) as { messages: TgMessage[] };
      const byId = new Map(chat.messages.map((m) => [m.id, m]));
      const drawn = new Map<string, number>();
      for (const m of chat.messages) {
        if (m.reply_to_message_id === undefined) continue;
        const to = byId.get(m.reply_to_message_id)!.from_id!;
        drawn.set(to, (drawn.get(to) ?? 0) + 1);
      }
      const counts = [...drawn.values()].sort((a, b) => b - a);
      const total = counts.reduce((a, b) => a + b, 0);
      expect(counts.slice(0, 5).reduce((a, b) => a + b, 0) / total).toBeGreaterThan(0.4);
    });

    it('never lets a member speak after leaving or being removed', () => {
      const chat = JSON.parse(tg) as { messages: (TgMessage & { from?: string; actor_id?: string })[] };
      const idByName = new Map<string, string>();
      const gone = new Set<string>();
      for (const m of chat.messages) {
        if (m.type === 'message') {
          idByName.set((m as { from: string }).from, m.from_id!);
          expect(gone.has(m.from_id!), `${m.from_id} spoke after leaving`).toBe(false);
        } else if (m.action === 'remove_members') {
          const id = m.members![0] === m.actor ? m.actor_id! : idByName.get(m.members![0]!);
          if (id) gone.add(id);
        }
      }
      expect(gone.size).toBeGreaterThan(3);
    });
  });

  it('writes 100k messages in all four formats quickly', async () => {
    const out = tempDir();
    const t0 = Date.now();
    const exp = await generate({ out, messages: 100_000 });
    expect(Date.now() - t0).toBeLessThan(20_000);
    const qq = exp.files['qq/私域运营交流群.txt']!;
    expect(qq.messages).toBe(100_000);
    expect(qq.membersEverPresent).toBeGreaterThan(500);
    agree(qq, recountQq(text(out, 'qq/私域运营交流群.txt')));
  });
});
