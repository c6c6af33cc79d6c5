import type { EventKind } from '../../../../shared/model.js';
import type { PersonRef } from '../types.js';
import { isXml, stripCdata, xmlTag, xmlToText } from './wechat-common.js';

/** WeChat system notices (MSG Type 10000/10002): what happened, by whom, to whom. */
export interface Notice {
  kind: EventKind;
  actor: PersonRef | null;
  subjects: PersonRef[];
}

/** Phrases that only system notices contain; used where the syntax cannot tell (WeChatMsg TXT). */
const PHRASES = [
  '撤回了一条消息',
  '加入了群聊',
  '加入群聊',
  '移出了群聊',
  '移出群聊',
  '退出了群聊',
  '拍了拍',
  '修改群名为',
  '创建了群聊',
  '与群里其他人都不是朋友关系',
  '现在可以开始聊天了',
  '以上是打招呼的内容',
  '开启了朋友验证',
  '成为新群主',
  '发起了语音通话',
  '发起了视频通话',
  '领取了',
];

export function isSystemNotice(s: string): boolean {
  for (const p of PHRASES) if (s.includes(p)) return true;
  return false;
}

/**
 * The notice as a reader sees it: CDATA unwrapped, the recall notice's "重新编辑" link dropped,
 * other links reduced to their label, and `<sysmsg>` XML reduced to its human text.
 */
export function cleanNotice(raw: string): string {
  let s = raw.trim();
  if (isXml(s)) s = sysmsgText(s);
  s = stripCdata(s);
  if (s.indexOf('<a') >= 0) s = unwrapLinks(dropLinks(s, 'revoke_edit_click'));
  return s.trim();
}

const WS = /\s/;
const isWs = (s: string, i: number): boolean => WS.test(s[i]!);

/** Start of the next `<a` + whitespace at or after `from`, or -1. */
function nextAnchor(s: string, from: number): number {
  for (let p = s.indexOf('<a', from); p >= 0; p = s.indexOf('<a', p + 1)) if (p + 2 < s.length && isWs(s, p + 2)) return p;
  return -1;
}

/**
 * Removes `<a …marker…>…</a>` links and the blanks before them, as
 * `replace(/\s*<a\s[^>]*marker[^>]*>[\s\S]*?<\/a>/g, '')` would, in linear time: the positions of
 * the next '>', marker and '</a>' are cached, so a long run of blanks or of unclosed `<a ` tags is
 * not rescanned from every position.
 */
function dropLinks(s: string, marker: string): string {
  let out = '';
  let last = 0;
  let gt = -1;
  let mk = -1;
  let close = -1;
  for (let p = nextAnchor(s, 0); p >= 0; ) {
    if (gt < p) gt = s.indexOf('>', p);
    if (gt < 0) break;
    if (mk < p + 3) {
      mk = s.indexOf(marker, p + 3);
      if (mk < 0) mk = Infinity; // none left: never search again
    }
    if (mk + marker.length <= gt) {
      if (close <= gt) close = s.indexOf('</a>', gt + 1);
      if (close < 0) break;
      let start = p;
      while (start > last && isWs(s, start - 1)) start--;
      out += s.slice(last, start);
      last = close + 4;
      p = nextAnchor(s, last);
    } else {
      p = nextAnchor(s, p + 1);
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

/** `<a …>label</a>` → `label`, as `replace(/<a\s[^>]*>([\s\S]*?)<\/a>/g, '$1')`, in linear time. */
function unwrapLinks(s: string): string {
  let out = '';
  let last = 0;
  for (let p = nextAnchor(s, 0); p >= 0; p = nextAnchor(s, last)) {
    const gt = s.indexOf('>', p);
    if (gt < 0) break;
    const close = s.indexOf('</a>', gt + 1);
    if (close < 0) break;
    out += s.slice(last, p) + s.slice(gt + 1, close);
    last = close + 4;
  }
  return last === 0 ? s : out + s.slice(last);
}

function sysmsgText(xml: string): string {
  const replace = xmlTag(xml, 'replacemsg');
  if (replace) return replace;
  const tpl = xmlTag(xml, 'template');
  if (tpl) {
    // Pat templates name people as ${wxid}; sysmsgtemplate ones as $key$ with a <link name="key"> list.
    return tpl
      .replace(/\$\{([^}]{1,64})\}/g, '$1')
      .replace(/\$([A-Za-z_][A-Za-z0-9_]{0,31})\$/g, (_m, key: string) => linkNames(xml, key) ?? key);
  }
  return xmlToText(xml);
}

function linkNames(xml: string, key: string): string | null {
  const start = xml.indexOf(`<link name="${key}"`);
  if (start < 0) return null;
  const end = xml.indexOf('</link>', start);
  const names: string[] = [];
  let i = start;
  for (;;) {
    const n = xmlTag(xml, 'nickname', i, end < 0 ? xml.length : end);
    if (n === null) break;
    names.push(n);
    i = xml.indexOf('</nickname>', i) + 1;
    if (i <= 0) break;
  }
  return names.length > 0 ? names.join('、') : null;
}

const QUOTES = '"“”「」';
const WXID = /^wxid_[A-Za-z0-9_-]+$/;

function unquote(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (QUOTES.includes(s[a]!) || s[a] === ' ')) a++;
  while (b > a && (QUOTES.includes(s[b - 1]!) || s[b - 1] === ' ')) b--;
  return s.slice(a, b).trim();
}

function person(raw: string, self: PersonRef): PersonRef | null {
  const n = unquote(raw);
  if (n === '') return null;
  if (n === '你' || n === '我') return self;
  // Pat templates name people by wxid only.
  return { id: WXID.test(n) ? n : null, name: n };
}

function people(raw: string, self: PersonRef): PersonRef[] {
  let t = raw.trim();
  const out: PersonRef[] = [];
  if (t.startsWith('你和')) {
    out.push(self);
    t = t.slice(2);
  }
  for (const part of t.split('、')) {
    const p = person(part, self);
    if (p) out.push(p);
  }
  return out;
}

/**
 * Index of `kw` outside quoted names (a name may contain 邀请 or 将); when the quotes do not
 * balance, the first occurrence anywhere.
 */
function find(t: string, kw: string, from = 0): number {
  const first = t.indexOf(kw, from);
  if (first < 0) return -1;
  let inQ = false;
  let close = '';
  let scanned = 0;
  const advance = (to: number): void => {
    for (; scanned < to; scanned++) {
      const c = t[scanned]!;
      if (inQ) {
        if (c === close) inQ = false;
      } else if (c === '"' || c === '“' || c === '「') {
        inQ = true;
        close = c === '"' ? '"' : c === '“' ? '”' : '」';
      }
    }
  };
  for (let i = first; i >= 0; i = t.indexOf(kw, i + 1)) {
    advance(i);
    if (!inQ) return i;
  }
  advance(t.length);
  return inQ ? first : -1;
}

/** Reads a system notice; `self` stands for 你/我 (the exporting user). */
export function classifyNotice(text: string, self: PersonRef): Notice {
  const t = text.trim();
  const ev = (kind: EventKind, actor: PersonRef | null, subjects: PersonRef[] = []): Notice => ({ kind, actor, subjects });
  let i: number;
  let j: number;
  if ((i = find(t, '撤回了一条消息')) >= 0) {
    const who = t.slice(0, i).trim();
    return ev('recall', who === '对方' ? null : person(who, self));
  }
  if ((i = find(t, '修改群名为')) >= 0) return ev('title', person(t.slice(0, i), self));
  if ((i = find(t, '邀请')) >= 0 && (j = find(t, '加入了群聊', i)) > i) {
    return ev('invite', person(t.slice(0, i), self), people(t.slice(i + 2, j), self));
  }
  j = find(t, '加入群聊');
  if (j < 0) j = find(t, '加入了群聊');
  if (j >= 0 && (i = find(t, '通过')) >= 0 && i < j) {
    // "Y"通过扫描"X"分享的二维码加入群聊 / "Y"通过"X"分享的链接加入群聊: Y joined on their own; X shared.
    const k = find(t, '分享的', i);
    const from = i + (t.startsWith('通过扫描', i) ? 4 : 2);
    return ev('join', k > i ? person(t.slice(from, k), self) : null, people(t.slice(0, i), self));
  }
  j = find(t, '移出了群聊');
  if (j < 0) j = find(t, '移出群聊');
  if (j >= 0) {
    if ((i = find(t, '将')) >= 0 && i < j) return ev('remove', person(t.slice(0, i), self), people(t.slice(i + 1, j), self));
    if ((i = find(t, '被')) >= 0 && i < j) return ev('remove', person(t.slice(i + 1, j), self), people(t.slice(0, i), self));
    return ev('remove', null, people(t.slice(0, j), self));
  }
  if ((j = find(t, '退出了群聊')) >= 0) return ev('leave', null, people(t.slice(0, j), self));
  if ((j = find(t, '加入了群聊')) >= 0) return ev('join', null, people(t.slice(0, j), self));
  if ((i = find(t, '拍了拍')) >= 0) {
    const actor = person(t.slice(0, i), self);
    return ev('poke', actor, pokeTarget(t.slice(i + 3).trim(), actor, self));
  }
  if ((i = find(t, '创建了群聊')) >= 0) return ev('create', person(t.slice(0, i), self));
  return ev('other', null);
}

/** `"Y"`, `"Y" 的小脑袋`, `我`, `自己`, or a bare name up to the first space. */
function pokeTarget(rest: string, actor: PersonRef | null, self: PersonRef): PersonRef[] {
  if (rest === '') return [];
  const c = rest[0]!;
  const close = c === '"' ? '"' : c === '“' ? '”' : c === '「' ? '」' : '';
  let p: PersonRef | null;
  if (close) {
    const e = rest.indexOf(close, 1);
    p = person(e > 0 ? rest.slice(1, e) : rest.slice(1), self);
  } else if (rest.startsWith('自己')) {
    p = actor;
  } else if (c === '我' || c === '你') {
    p = self;
  } else {
    const sp = rest.search(/\s/);
    p = person(sp < 0 ? rest : rest.slice(0, sp), self);
  }
  return p ? [p] : [];
}
