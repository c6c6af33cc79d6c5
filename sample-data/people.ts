/**
 * Seeded randomness and the pool of simulated people. Every person has one identity per platform
 * (QQ number, wxid, Telegram id, phone) so the same person can appear in several groups and formats.
 */
import { CITIES, EMOJI_SUFFIX, ENGLISH, GIVEN, INDUSTRIES, PERSONA, POETIC, SOFT, SURNAMES } from './vocab.js';

/** mulberry32: tiny, fast and identical on every platform (only integer ops). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Inclusive range. */
  range(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)]!;
  }
  char(s: string): string {
    return s[Math.floor(this.next() * s.length)]!;
  }
  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [arr[i], arr[j]] = [arr[j]!, arr[i]!];
    }
    return arr;
  }
}

/** FNV-1a over UTF-16 units, then one avalanche round so similar strings get unrelated seeds. */
export function hashSeed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export interface Person {
  idx: number;
  /** Profile nickname: the Telegram/WeChat name, the saved WhatsApp contact, the QQ name before a group card. */
  nick: string;
  realName: string;
  city: string;
  industry: string;
  qq: string;
  wxid: string;
  tgId: number;
  tgUser: string | null;
  /** `+86 138 0013 8000` as WhatsApp prints unsaved numbers. */
  phone: string;
  phoneDigits: string;
  /** WhatsApp shows the saved contact name; otherwise the phone number. */
  waSaved: boolean;
  /** A WeChat friend of the exporter, who gave them a remark (备注). */
  remark: string;
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MOBILE = ['138', '139', '137', '136', '135', '150', '151', '158', '159', '186', '187', '188', '189', '177', '180', '185', '199', '131', '133', '155', '166', '176'];
const QQ_LEN = [6, 7, 8, 8, 9, 9, 9, 9, 10, 10, 10, 10, 10];

/**
 * People are generated one after another from one seed, so person i is the same whichever groups
 * ask for them; uniqueness of names and ids is kept across the whole pool.
 */
export class PeoplePool {
  private readonly rng: Rng;
  private readonly people: Person[] = [];
  private readonly used = new Set<string>();

  constructor(seed: string) {
    this.rng = new Rng(hashSeed(seed + ':people'));
  }

  get(i: number): Person {
    while (this.people.length <= i) this.people.push(this.make(this.people.length));
    return this.people[i]!;
  }

  private unique(prefix: string, gen: () => string): string {
    for (;;) {
      const v = gen();
      if (!this.used.has(prefix + v)) {
        this.used.add(prefix + v);
        return v;
      }
    }
  }

  private digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.rng.int(10));
    return s;
  }

  private make(idx: number): Person {
    const r = this.rng;
    let tries = 0;
    const nick = this.unique('n:', () => {
      const base = nickName(r);
      return ++tries > 6 ? base + String(r.range(10, 99)) : base;
    });
    const qq = this.unique('q:', () => String(r.range(1, 9)) + this.digits(r.pick(QQ_LEN) - 1));
    const wxid = this.unique('w:', () => {
      if (r.chance(0.85)) {
        let s = 'wxid_';
        for (let i = 0; i < 14; i++) s += r.char(ALNUM);
        return s;
      }
      return r.pick(ENGLISH).toLowerCase() + this.digits(4);
    });
    const tgId = Number(this.unique('t:', () => String(r.range(100_000_000, 7_999_999_999))));
    const tgUser = r.chance(0.35) ? this.unique('u:', () => r.pick(ENGLISH).toLowerCase() + '_' + this.digits(3)) : null;
    const mobile = this.unique('p:', () => r.pick(MOBILE) + this.digits(8));
    const city = r.pick(CITIES);
    const industry = r.pick(INDUSTRIES);
    const realName = r.char(SURNAMES) + r.char(GIVEN) + (r.chance(0.6) ? r.char(GIVEN) : '');
    return {
      idx,
      nick,
      realName,
      city,
      industry,
      qq,
      wxid,
      tgId,
      tgUser,
      phone: `+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
      phoneDigits: '86' + mobile,
      waSaved: r.chance(0.7),
      remark: r.chance(0.3) ? `${city}${industry}-${realName}` : nick,
    };
  }
}

function nickName(r: Rng): string {
  let s: string;
  switch (r.int(10)) {
    case 0:
    case 1:
      s = '小' + r.char(r.chance(0.5) ? SOFT : GIVEN);
      break;
    case 2:
      s = r.char(SURNAMES) + r.pick(['老师', '姐', '哥', '总', '同学']);
      break;
    case 3:
      s = '阿' + r.char(GIVEN);
      break;
    case 4:
    case 5:
      s = r.pick(ENGLISH) + (r.chance(0.3) ? r.pick(['', ' ', '-']) + r.pick(PERSONA) : '');
      break;
    case 6:
      s = r.pick(POETIC);
      break;
    case 7: {
      const c = r.char(SOFT);
      s = c + c;
      break;
    }
    case 8:
      s = r.pick(PERSONA) + '小' + r.char(SOFT);
      break;
    default:
      s = r.char(SURNAMES) + r.char(GIVEN) + (r.chance(0.5) ? r.char(GIVEN) : '');
  }
  return r.chance(0.12) ? s + r.pick(EMOJI_SUFFIX) : s;
}
