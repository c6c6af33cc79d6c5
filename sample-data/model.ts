/**
 * The simulated community: a seeded, streaming simulation of one chat group. `Simulation.events()`
 * yields membership events and messages in time order, one at a time, so a run of 10M messages never
 * holds more than the members and a few pending actions in memory. Writers (writers.ts) turn each
 * event into a line of one export format.
 *
 * Times are wall-clock seconds (Asia/Shanghai wall time read as if it were UTC); the instant is
 * `t - 8 h`.
 */
import { Rng, hashSeed } from './people.js';
import {
  ADMIN_AFTER_SPAM, CHECKIN_REMIND, CHIT, FILES, GREETS, INTROS, SPAM, STICKER_EMOJI, THANKS, WEEKDAYS, WELCOMES,
  cardOf, checkinText, recard, slug, type Flavor,
} from './vocab.js';
import {
  BASE, DAY_FACTOR, DRAW, HOUR_CUM, INITIAL_MIX, JOINER_MIX, Heap, cumulate, roleList, search,
  type Action, type Burst, type GroupSpec, type Member, type MemberEvent, type MsgEvent, type MsgKind, type Role, type SimEvent, type Tag } from './events.js';

export type { GroupSpec, Member, MemberEvent, MsgEvent, MsgKind, Role, SimEvent, Tag } from './events.js';

export const SHANGHAI_OFFSET_S = 8 * 3600;

export class Simulation {
  readonly members: Member[];
  readonly admin: Member;
  readonly bot: Member;
  readonly start: number;
  /** Initial members plus everyone whose join was emitted. */
  membersEverPresent = 0;
  private readonly rng: Rng;
  private readonly f: Flavor;
  private readonly heap = new Heap();
  private readonly out: SimEvent[] = [];
  private readonly joinsByDay = new Map<number, Member[]>();
  private readonly leavesByDay = new Map<number, Member[]>();
  private readonly waves: { base: number; w: [number, number, number][] }[];
  private readonly cumTarget: Float64Array;
  private topicCum: Float64Array<ArrayBuffer> = new Float64Array(0);
  private weekTopic = -1;
  private senders: Member[] = [];
  private senderCum = new Float64Array(0);
  private experts: Member[] = [];
  private expertCum = new Float64Array(0);
  private recent: MsgEvent[] = [];
  private day = 0;
  private count = 0;
  private seq = 0;
  private dayMsgs = 0;
  private dayAmbient = 0;
  private structuredEst: number;
  private campaign: [number, number][] = [];

  constructor(readonly spec: GroupSpec) {
    const rng = (this.rng = new Rng(hashSeed(spec.seed + ':' + spec.name)));
    this.f = spec.flavor;
    const [y, mo, d] = spec.start.split('-').map(Number) as [number, number, number];
    this.start = Date.UTC(y, mo - 1, d) / 1000;
    const nInit = Math.max(2, Math.round(spec.people.length * spec.initialShare));
    const initRoles = roleList(rng, nInit - 2, INITIAL_MIX);
    const joinRoles = roleList(rng, spec.people.length - nInit, JOINER_MIX);
    this.members = spec.people.map((person, i) => {
      // The bot's profile is the bot's name everywhere; people are shared between groups, so copy.
      const p = i === 1 ? { ...person, nick: spec.flavor.bot, remark: spec.flavor.bot, waSaved: true, tgUser: null } : person;
      const role: Role = i === 0 ? 'admin' : i === 1 ? 'bot' : i < nInit ? initRoles[i - 2]! : joinRoles[i - nInit]!;
      const joinDay = i < nInit ? -rng.range(1, 400) : Math.floor(rng.next() * spec.days * 0.97);
      const m: Member = {
        p, role, card: null, name: p.nick, present: i < nInit, joinDay, base: BASE[role], draw: DRAW[role],
        churnDay: role === 'churner' ? Math.max(joinDay, 0) + rng.range(5, Math.max(10, Math.round(spec.days * 0.6))) : Infinity,
        ck: role === 'checkin' || (role === 'regular' && rng.chance(0.1))
          ? { n: i < nInit ? rng.range(1, 40) : 1, min: rng.chance(0.5) ? rng.range(390, 510) : rng.range(1260, 1380), style: rng.int(5), until: Infinity }
          : null,
      };
      if (i === 0) m.card = `群主-${p.nick}`;
      else if (i < nInit && rng.chance(0.6)) m.card = cardOf(m.p);
      if (m.card) m.name = m.card;
      if (i >= nInit) this.pushDay(this.joinsByDay, joinDay, m);
      const leaveP = role === 'churner' ? 0.5 : role === 'silent' ? 0.15 : i >= nInit ? 0.05 : 0;
      if (role !== 'spammer' && rng.chance(leaveP)) {
        const from = role === 'churner' ? m.churnDay : Math.max(joinDay, 0);
        this.pushDay(this.leavesByDay, from + rng.range(role === 'churner' ? 3 : 1, 30), m);
      }
      return m;
    });
    this.admin = this.members[0]!;
    this.bot = this.members[1]!;
    this.membersEverPresent = nInit;
    this.waves = this.f.topics.map((t) => this.topicWaves(t.peak));
    const w: number[] = [];
    for (let i = 0; i < spec.days; i++) {
      const dow = new Date((this.start + i * 86400) * 1000).getUTCDay();
      w.push(DAY_FACTOR[dow]! * (0.8 + (0.4 * i) / spec.days) * (0.7 + 0.6 * rng.next()) * (rng.chance(0.05) ? 1.8 : 1));
    }
    const cw = cumulate(w);
    const total = cw[cw.length - 1] ?? 1;
    this.cumTarget = cw.map((x) => (spec.messages * x) / total);
    this.structuredEst = this.members.filter((m) => m.present && m.ck).length * 0.8 + 2;
    const len = this.f.campaignDays;
    for (let s = Math.min(40, Math.floor(spec.days / 3)); s + len < spec.days; s += 120) this.campaign.push([s, s + len - 1]);
  }

  private pushDay(map: Map<number, Member[]>, day: number, m: Member): void {
    const list = map.get(day);
    if (list) list.push(m);
    else map.set(day, [m]);
  }


  private topicWaves(peak: readonly [number, number, number] | undefined): { base: number; w: [number, number, number][] } {
    const r = this.rng;
    const days = this.spec.days;
    const w: [number, number, number][] = [];
    if (peak) {
      const y0 = new Date(this.start * 1000).getUTCFullYear();
      for (let y = y0; y <= y0 + Math.ceil(days / 365); y++) w.push([(Date.UTC(y, peak[0] - 1, peak[1]) / 1000 - this.start) / 86400, peak[2], 6]);
      return { base: 0.05, w };
    }
    for (let k = Math.max(1, Math.round(days / 45)); k > 0; k--) w.push([r.next() * days, 5 + r.next() * 10, 1.5 + r.next() * 3.5]);
    return { base: 0.4 + r.next() * 0.8, w };
  }

  /** Streams the group's history. Stops right after the `messages`-th member message. */
  *events(): Generator<SimEvent, void, undefined> {
    const N = this.spec.messages;
    const maxDays = this.spec.days * 3 + 60;
    for (let d = 0; d < maxDays && this.count < N; d++) {
      this.day = d;
      const dayStart = this.start + d * 86400;
      this.planDay(d, dayStart);
      const dayEnd = dayStart + 86400;
      while (this.heap.size > 0 && this.heap.peek().t < dayEnd) {
        this.exec(this.heap.pop());
        for (const ev of this.out) {
          ev.seq = ++this.seq;
          if (ev.type === 'msg') {
            this.count++;
            this.dayMsgs++;
          } else if (ev.type === 'join' || ev.type === 'invite') this.membersEverPresent++;
          yield ev;
          if (this.count >= N) return;
        }
        this.out.length = 0;
      }
      this.structuredEst = 0.8 * this.structuredEst + 0.2 * (this.dayMsgs - this.dayAmbient);
      this.dayMsgs = this.dayAmbient = 0;
    }
  }

  private at(dayStart: number, weekend: boolean): number {
    const cum = HOUR_CUM[weekend ? 1 : 0];
    const h = search(cum, this.rng.next() * cum[23]!);
    return dayStart + h * 3600 + this.rng.int(3600);
  }

  private push(a: Action): void {
    this.heap.push(a);
  }

  private planDay(d: number, dayStart: number): void {
    const r = this.rng;
    const dow = new Date(dayStart * 1000).getUTCDay();
    const weekend = dow === 0 || dow === 6;
    this.topicCum = cumulate(this.waves.map((tw, i) => {
      let x = tw.base;
      for (const [c, wd, amp] of tw.w) x += amp * Math.exp(-(((d - c) / wd) ** 2));
      return i === this.weekTopic ? x * 2.5 : x;
    }));
    if (dow === 1 || this.weekTopic < 0) {
      this.weekTopic = this.pickTopic();
      if (dow === 1) this.push({ k: 'bot', t: dayStart + 36000 + r.int(5), o: 0, what: 'weekly' });
    }
    this.push({ k: 'bot', t: dayStart + 8 * 3600 + r.int(4), o: 0, what: 'daily' });
    const camp = this.campaign.find(([a, b]) => d >= a && d <= b);
    if (camp) {
      if (d === camp[0]) {
        this.push({ k: 'bot', t: dayStart + 34200 + r.int(5), o: 0, what: 'campaign' });
        for (const m of this.members) {
          if (m.present && !m.ck && m.base >= 2 && m.role !== 'admin' && r.chance(0.2)) {
            m.ck = { n: 1, min: r.range(1200, 1380), style: 0, until: camp[1] };
          }
        }
      }
      this.push({ k: 'bot', t: dayStart + 77400 + r.int(5), o: 0, what: 'remind' });
    }
    for (const m of this.members) {
      if (m.present && m.ck && m.ck.until >= d && r.chance(weekend ? 0.55 : 0.75)) {
        this.push({ k: 'checkin', t: dayStart + Math.min(86399, Math.max(0, m.ck.min * 60 + r.range(-1200, 1200))), o: 0, m });
      }
      if (m.present && m.role !== 'bot' && r.chance(m.card ? 0.0025 : 0.001)) this.push({ k: 'card', t: this.at(dayStart, weekend), o: 0, m, card: recard(r, m.p) });
    }
    this.rebuildSamplers(d);
    for (const m of this.joinsByDay.get(d) ?? []) {
      const by = m.role === 'spammer' || r.chance(0.6) ? null : r.chance(0.3) ? this.admin : this.sample();
      this.push({ k: 'join', t: this.at(dayStart, weekend), o: 0, m, by: by === this.bot ? this.admin : by });
    }
    for (const m of this.leavesByDay.get(d) ?? []) this.push({ k: 'leave', t: this.at(dayStart, weekend), o: 0, m });
    const target = d < this.cumTarget.length ? this.cumTarget[d]! : this.spec.messages;
    const cap = (3 * this.spec.messages) / this.spec.days;
    let quota = Math.max(0, Math.min(cap, Math.round(target - this.count - this.structuredEst)));
    this.dayAmbient = quota;
    while (quota > 0) {
      let size = 1;
      while (size < quota && r.chance(0.82)) size++;
      quota -= size;
      const b: Burst = { topic: this.pickTopic(), left: size, n: 0, parts: [], last: null, prev: null };
      this.push({ k: 'burst', t: this.at(dayStart, weekend), o: 0, b });
    }
  }

  private pickTopic(): number {
    return search(this.topicCum, this.rng.next() * this.topicCum[this.topicCum.length - 1]!);
  }

  private rebuildSamplers(d: number): void {
    const s: Member[] = [];
    const w: number[] = [];
    const e: Member[] = [];
    const ew: number[] = [];
    for (const m of this.members) {
      if (!m.present || m.base === 0) continue;
      let x = m.base;
      if (d > m.churnDay) x *= 0.03;
      if (d - m.joinDay < 7) x *= 2;
      s.push(m);
      w.push(x);
      if (m.role === 'hub' || m.role === 'regular' || m.role === 'admin') {
        e.push(m);
        ew.push(m.draw * x);
      }
    }
    this.senders = s;
    this.senderCum = cumulate(w);
    this.experts = e;
    this.expertCum = cumulate(ew);
  }

  /** A present member chosen by activity; falls back to the admin when nobody fits. */
  private sample(not: Member | null = null, experts = false): Member {
    const list = experts ? this.experts : this.senders;
    const cum = experts ? this.expertCum : this.senderCum;
    for (let i = 0; i < 6 && list.length > 0; i++) {
      const m = list[search(cum, this.rng.next() * cum[cum.length - 1]!)]!;
      if (m.present && m !== not) return m;
    }
    return this.admin;
  }

  private words(topic: number): [string, string, number, string] {
    const r = this.rng;
    const ws = this.f.topics[topic]!.words;
    const i = r.int(ws.length);
    const j = (i + 1 + r.int(ws.length - 1)) % ws.length;
    return [ws[i]!, ws[j]!, r.range(3, 40), r.pick(this.f.tips)];
  }

  private msg(t: number, sender: Member, kind: MsgKind, text: string, tag: Tag, topic = -1): MsgEvent {
    return { type: 'msg', seq: 0, t, sender, name: sender.name, kind, text, pre: '', mention: null, mentionName: '', reply: null, tag, topic };
  }

  private member(type: MemberEvent['type'], t: number, subject: Member, actor: Member | null = null, prev = ''): void {
    this.out.push({ type, seq: 0, t, subject, name: subject.name, actor, actorName: actor ? actor.name : '', prev });
  }

  private mention(m: MsgEvent, who: Member, pre = ''): MsgEvent {
    m.mention = who;
    m.mentionName = who.name;
    m.pre = pre;
    return m;
  }

  /**
   * Emits a message, remembers it for replies and schedules follow-ups. Rarely the sender recalls
   * it instead (and often re-sends it): then false, and nothing may reply to it.
   */
  private emit(m: MsgEvent): boolean {
    const r = this.rng;
    if (m.kind === 'text' && (m.tag === 'chat' || m.tag === 'answer') && r.chance(0.006)) {
      this.member('recall', m.t, m.sender);
      if (r.chance(0.6)) this.push({ k: 'say', t: m.t + r.range(5, 40), o: 0, m: m.sender, text: m.text, tag: m.tag });
      return false;
    }
    this.out.push(m);
    if (m.kind === 'text' && m.tag !== 'bot' && m.tag !== 'spam') {
      if (this.recent.length >= 16) this.recent.shift();
      this.recent.push(m);
    }
    if (m.tag === 'question' && r.chance(0.4)) this.push({ k: 'answer', t: m.t + 60 + Math.round(r.exp(900)), o: 0, q: m });
    return true;
  }

  /** A recent message to reply to: hubs draw more replies, newer messages more than older. */
  private target(sender: Member): MsgEvent | null {
    let total = 0;
    const n = this.recent.length;
    for (let i = 0; i < n; i++) if (this.recent[i]!.sender !== sender) total += this.recent[i]!.sender.draw * 0.8 ** (n - 1 - i);
    let x = this.rng.next() * total;
    for (let i = 0; i < n; i++) {
      const m = this.recent[i]!;
      if (m.sender === sender) continue;
      x -= m.sender.draw * 0.8 ** (n - 1 - i);
      if (x <= 0) return m;
    }
    return null;
  }

  private exec(a: Action): void {
    const r = this.rng;
    const f = this.f;
    const g = this.spec.name;
    switch (a.k) {
      case 'burst':
        return this.burstStep(a.t, a.b);
      case 'bot': {
        const dt = new Date(a.t * 1000);
        let text: string;
        if (a.what === 'daily') {
          const lines = [1, 2, 3].map((i) => `${i}. ${r.pick(f.headlines)(...this.words(this.pickTopic()))}`);
          text = `【每日早报】${dt.getUTCMonth() + 1}月${dt.getUTCDate()}日 星期${WEEKDAYS[dt.getUTCDay()]} ${f.dailyTitle}\n${lines.join('\n')}\n每天一分钟，了解行业新动态！`;
        } else if (a.what === 'weekly') text = `【本周话题】${f.topics[this.weekTopic]!.name}，欢迎大家踊跃讨论！`;
        else text = a.what === 'campaign' ? f.campaign : CHECKIN_REMIND;
        this.emit(this.msg(a.t, this.bot, 'text', text, 'bot'));
        return;
      }
      case 'checkin': {
        const c = a.m.ck;
        if (!a.m.present || !c) return;
        const task = r.pick(f.tasks);
        const text = checkinText(c.style, c.n++, task);
        this.emit(this.msg(a.t, a.m, 'text', text, 'checkin'));
        return;
      }
      case 'join': {
        const m = a.m;
        m.present = true;
        m.joinDay = this.day;
        this.member(a.by ? 'invite' : 'join', a.t, m, a.by);
        if (m.role === 'spammer') {
          this.push({ k: 'spam', t: a.t + r.range(30, 600), o: 0, m, left: r.range(1, 2) });
          this.push({ k: 'remove', t: a.t + r.range(900, 3000), o: 0, m });
          return;
        }
        if (r.chance(0.9)) this.push({ k: 'welcome', t: a.t + r.range(60, 1200), o: 0, m });
        if (r.chance(m.role === 'silent' ? 0.5 : 0.8)) this.push({ k: 'intro', t: a.t + r.range(120, 3600), o: 0, m });
        if (r.chance(0.75)) this.push({ k: 'card', t: a.t + r.range(600, 172800), o: 0, m, card: cardOf(m.p) });
        return;
      }
      case 'welcome': {
        if (!a.m.present) return;
        const [pre, post] = r.pick(WELCOMES)(g);
        this.emit(this.mention(this.msg(a.t, this.admin, 'text', post, 'welcome'), a.m, pre));
        return;
      }
      case 'intro': {
        if (!a.m.present) return;
        const p = a.m.p;
        const nick = r.chance(0.5) ? p.nick : p.realName;
        const m = this.msg(a.t, a.m, 'text', r.pick(INTROS)(nick, p.city, p.industry, r.range(1, 12)), 'intro');
        this.emit(m);
        for (let i = r.range(0, 2); i > 0; i--) this.push({ k: 'greet', t: a.t + r.range(20, 900), o: 0, m: a.m, target: m });
        return;
      }
      case 'greet': {
        const who = this.sample(a.m);
        const m = this.msg(a.t, who, 'text', r.pick(GREETS), 'greet');
        if (r.chance(0.5)) m.reply = a.target;
        this.emit(m);
        return;
      }
      case 'card': {
        if (!a.m.present || a.m.name === a.card) return;
        const old = a.m.name;
        a.m.card = a.m.name = a.card;
        return this.member('rename', a.t, a.m, null, old);
      }
      case 'answer': {
        if (!a.q.sender.present && r.chance(0.5)) return;
        const who = this.sample(a.q.sender, true);
        const m = this.msg(a.t, who, 'text', r.pick(f.answers)(...this.words(a.q.topic)), 'answer', a.q.topic);
        m.reply = a.q;
        if (r.chance(0.35)) this.mention(m, a.q.sender);
        if (this.emit(m) && r.chance(0.3) && a.q.sender.present) this.push({ k: 'thanks', t: a.t + r.range(30, 600), o: 0, a: m });
        return;
      }
      case 'thanks': {
        if (!a.a.reply!.sender.present) return;
        const [pre, post] = r.pick(THANKS);
        const m = this.mention(this.msg(a.t, a.a.reply!.sender, 'text', post, 'thanks'), a.a.sender, pre);
        m.reply = a.a;
        this.emit(m);
        return;
      }
      case 'leave':
        if (!a.m.present) return;
        a.m.present = false;
        return this.member('leave', a.t, a.m);
      case 'remove':
        if (!a.m.present) return;
        a.m.present = false;
        this.member('remove', a.t, a.m, this.admin);
        this.push({ k: 'say', t: a.t + r.range(20, 120), o: 0, m: this.admin, text: r.pick(ADMIN_AFTER_SPAM), tag: 'admin' });
        return;
      case 'spam': {
        if (!a.m.present) return;
        const text = r.pick(SPAM).replace('{v}', 'vx' + r.range(10000000, 99999999));
        this.emit(this.msg(a.t, a.m, r.chance(0.25) ? 'image' : 'text', text, 'spam'));
        if (a.left > 1) this.push({ k: 'spam', t: a.t + r.range(20, 200), o: 0, m: a.m, left: a.left - 1 });
        return;
      }
      case 'say':
        if (a.m.present) this.emit(this.msg(a.t, a.m, 'text', a.text, a.tag));
        return;
    }
  }

  private burstStep(t: number, b: Burst): void {
    const r = this.rng;
    const f = this.f;
    let sender: Member;
    if (b.parts.length === 0 || r.chance(0.3) || (b.parts.length < 2 && r.chance(0.7))) {
      sender = this.sample(r.chance(0.85) ? b.last : null);
      if (!b.parts.includes(sender)) b.parts.push(sender);
    } else {
      sender = r.pick(b.parts);
      if (sender === b.last && b.parts.length > 1 && r.chance(0.85)) sender = b.parts.find((p) => p !== b.last)!;
    }
    if (!sender.present) sender = this.sample();
    if (b.last && b.last !== sender && b.last.role !== 'admin' && sender.role !== 'admin' && r.chance(0.006)) {
      this.member('poke', t, b.last, sender);
    }
    const first = b.n === 0;
    const prev = b.prev;
    const [w, x, n, tip] = this.words(b.topic);
    let m: MsgEvent;
    const u = r.next();
    if (u < (first ? 0.05 : 0.11)) {
      const v = r.next();
      const kind: MsgKind = v < 0.42 ? 'image' : v < 0.8 ? 'sticker' : v < 0.9 ? 'voice' : v < 0.96 ? 'video' : 'file';
      m = this.msg(t, sender, kind, kind === 'sticker' ? r.pick(STICKER_EMOJI) : kind === 'file' ? r.pick(FILES) : '', 'chat', b.topic);
    } else if (!first && prev && prev.tag === 'question' && prev.sender !== sender && r.chance(0.55)) {
      m = this.msg(t, sender, 'text', r.pick(f.answers)(w, x, n, tip), 'answer', b.topic);
      if (r.chance(0.6)) m.reply = prev;
    } else {
      const v = r.next();
      if (first ? v < 0.33 : v > 0.87) m = this.msg(t, sender, 'text', r.pick(f.questions)(w, x, n, tip), 'question', b.topic);
      else if (first ? v < 0.78 : v < 0.4) m = this.msg(t, sender, 'text', r.pick(f.statements)(w, x, n, tip), 'chat', b.topic);
      else if (first ? v < 0.86 : v < 0.45) m = this.msg(t, sender, 'text', r.pick(f.articles)(w, x, n, tip) + slug(r), 'chat', b.topic);
      else if (!first && v < 0.58) m = this.msg(t, sender, 'text', r.pick(f.answers)(w, x, n, tip), 'chat', b.topic);
      else m = this.msg(t, sender, 'text', r.pick(CHIT), 'chat', b.topic);
    }
    if (!first && !m.reply && r.chance(0.2)) m.reply = this.target(sender);
    if (m.kind === 'text' && r.chance(0.07)) {
      const who = m.reply?.sender ?? (b.last !== sender ? b.last : null);
      if (who && who.present) this.mention(m, who);
    }
    const sent = this.emit(m);
    b.n++;
    b.last = sender;
    b.prev = sent ? m : null;
    if (--b.left > 0) this.push({ k: 'burst', t: t + 5 + Math.min(900, Math.round(r.exp(50))), o: 0, b });
  }
}
