import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { STOPWORDS } from './stopwords.js';
import { USER_DICT } from './user-dict.js';

/**
 * Chinese-aware segmentation for topic statistics. jieba (via @node-rs/jieba, same output as
 * Python jieba) with a community-operations user dictionary; then the tokens are normalised and
 * filtered so that only content words remain: no stopwords, placeholders, URLs, @mentions,
 * numbers, punctuation or single CJK characters.
 */
export class Segmenter {
  private readonly jieba: Jieba;
  private readonly stop: ReadonlySet<string>;
  /** jieba token → kept term (or '' when dropped). Tokens repeat heavily, so this saves most filtering. */
  private readonly memo = new Map<string, string>();

  constructor(extraUserDict: string[] = [], extraStopwords: string[] = []) {
    this.jieba = Jieba.withDict(dict);
    const words = [...USER_DICT, ...extraUserDict];
    // Frequency high enough that jieba keeps the phrase whole.
    this.jieba.loadDict(Buffer.from(words.map((w) => `${w} 20000 n`).join('\n')));
    this.stop = new Set([...STOPWORDS, ...extraStopwords.map((w) => w.toLowerCase())]);
  }

  /** Terms of many messages, each joined by U+0001 (the Stager's TermSource, in this thread). */
  async segment(texts: string[]): Promise<string[]> {
    return texts.map((t) => this.terms(t).join('\u0001'));
  }

  /** Distinct content terms of one message, in order of first appearance. */
  terms(text: string): string[] {
    const cleaned = clean(text);
    if (cleaned.length === 0) return [];
    const out: string[] = [];
    const seen = new Set<string>();
    for (const raw of this.jieba.cut(cleaned, false)) {
      let t = this.memo.get(raw);
      if (t === undefined) {
        const n = raw.trim().toLowerCase();
        t = keep(n) && !this.stop.has(n) ? n : '';
        if (this.memo.size < 500_000) this.memo.set(raw, t);
      }
      if (t === '' || seen.has(t)) continue;
      seen.add(t);
      out.push(t);
    }
    return out;
  }
}

const URL_RE = /https?:\/\/\S+|www\.\S+/gi;
const MENTION_RE = /@[^\s@，。,.!！?？:：]{1,32}/g;
// [图片], [捂脸], <Media omitted>, <attached: …>: placeholders and emoji names are never topics.
const BRACKET_RE = /\[[^\]\n]{1,12}\]|<[^>\n]{1,60}>/g;

export function clean(text: string): string {
  // Most messages hold none of these; skip the regex passes for them.
  let s = text;
  if (s.includes('http') || s.includes('www.')) s = s.replace(URL_RE, ' ');
  if (s.includes('@')) s = s.replace(MENTION_RE, ' ');
  if (s.includes('[') || s.includes('<')) s = s.replace(BRACKET_RE, ' ');
  return s;
}

const HAS_CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const HAS_LETTER = /\p{L}/u;
const ALL_DIGITS_OR_PUNCT = /^[\p{N}\p{P}\p{S}\s]+$/u;

function keep(t: string): boolean {
  if (t.length === 0 || t.length > 24) return false;
  if (ALL_DIGITS_OR_PUNCT.test(t)) return false;
  if (!HAS_LETTER.test(t)) return false;
  if (HAS_CJK.test(t)) return t.length >= 2;
  return t.length >= 2;
}
