/**
 * Reads the gray-tip (小灰条) notices QQ Chat Exporter writes as `system` messages
 * (docs/FORMATS-QCE.md §Notices): which kind of event, and the names the text gives.
 * Plain indexOf scans, no regular expressions: notices are short but there can be millions.
 */
import type { EventKind } from '../../../../shared/model.js';

export interface Notice {
  kind: EventKind;
  /** Who did it, as named in the text. */
  actor: string | null;
  /** Who it happened to, as named in the text. */
  subjects: string[];
}

const GROUP_WORDS = ['本群', '群聊', '该群', '群'];
const NAME_MAX = 64;

/** A name cut out of a notice, or null when it is empty or implausibly long. */
function nameOf(s: string): string | null {
  let t = s.trim();
  // "张三 已被移出群聊" / "用户 张三": fillers around the name.
  if (t.endsWith('已')) t = t.slice(0, -1).trim();
  if (t.startsWith('成员') || t.startsWith('欢迎')) t = t.slice(2).trim();
  if (t.startsWith('“') && t.endsWith('”')) t = t.slice(1, -1).trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length > 1) t = t.slice(1, -1).trim();
  return t && t.length <= NAME_MAX ? t : null;
}

/** Several names joined with 、 or , (one invite can add many). */
function namesOf(s: string): string[] {
  const out: string[] = [];
  for (const part of s.split(/[、,，]/)) {
    const n = nameOf(part);
    if (n) out.push(n);
  }
  return out;
}

/** Text before the first of `words` that follows `from`, or -1. */
function indexOfAny(text: string, words: readonly string[], from = 0): number {
  let best = -1;
  for (const w of words) {
    const i = text.indexOf(w, from);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

const some = (text: string, words: readonly string[]): boolean => words.some((w) => text.includes(w));

/**
 * Classifies a notice. `[1]` is how QCE's MessageParser path writes a revoke gray tip (it only
 * prints the gray tip's subElementType, 1 = revoke), so it is a recall without names.
 */
export function readNotice(raw: string): Notice {
  const text = raw.trim();
  const none = (kind: EventKind): Notice => ({ kind, actor: null, subjects: [] });
  if (text === '[1]') return none('recall');

  let i = text.indexOf('撤回了');
  if (i >= 0) {
    // "A 撤回了一条消息" / "A 撤回了 B 的消息" / "A撤回了成员B的消息"
    const actor = nameOf(text.slice(0, i));
    const rest = text.slice(i + 3);
    const of = rest.indexOf('的消息');
    const subject = of > 0 ? nameOf(rest.slice(0, of)) : null;
    return { kind: 'recall', actor, subjects: subject ? [subject] : actor ? [actor] : [] };
  }
  for (const verb of ['拍了拍', '戳了戳']) {
    i = text.indexOf(verb);
    if (i >= 0) return { kind: 'poke', actor: nameOf(text.slice(0, i)), subjects: [] };
  }
  i = indexOfAny(text, ['移出', '踢出']);
  if (i >= 0) {
    const head = text.slice(0, i);
    const by = head.indexOf('被');
    if (by >= 0) {
      // "A 被 B 移出群聊" / "A 已被移出群聊"
      const subject = nameOf(head.slice(0, by));
      return { kind: 'remove', actor: nameOf(head.slice(by + 1)), subjects: subject ? [subject] : [] };
    }
    const jiang = head.indexOf('将');
    if (jiang >= 0) {
      // "B 将 A 移出了群聊"
      return { kind: 'remove', actor: nameOf(head.slice(0, jiang)), subjects: namesOf(head.slice(jiang + 1)) };
    }
    return none('remove');
  }
  i = text.indexOf('退出');
  if (i >= 0 && some(text.slice(i), GROUP_WORDS)) {
    const subject = nameOf(text.slice(0, i));
    return { kind: 'leave', actor: null, subjects: subject ? [subject] : [] };
  }
  i = text.indexOf('加入');
  if (i >= 0 && some(text.slice(i), GROUP_WORDS)) {
    const head = text.slice(0, i);
    const inv = head.indexOf('邀请');
    if (inv >= 0) {
      // "A 邀请 B、C 加入了群聊"
      return { kind: 'invite', actor: nameOf(head.slice(0, inv)), subjects: namesOf(head.slice(inv + 2)) };
    }
    // "A 通过扫描 B 分享的二维码加入群聊": A joined by themselves.
    const via = head.indexOf('通过');
    const subject = nameOf(via >= 0 ? head.slice(0, via) : head);
    return { kind: 'join', actor: null, subjects: subject ? [subject] : [] };
  }
  if (some(text, ['修改群名称', '修改了群名称', '群名称修改为', '群名称已修改', '更改了群名称'])) return none('title');
  if (some(text, ['精华消息', '设为精华', '设置了精华', '置顶'])) return none('pin');
  if (some(text, ['语音通话', '视频通话', '通话时长'])) return none('call');
  return none('other');
}
