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
    return this.termsMany(texts);
  }

  /** Distinct content terms of one message, in order of first appearance. */
  terms(text: string): string[] {
    const cleaned = clean(text);
    if (cleaned.length === 0) return [];
    const out: string[] = [];
    const seen = new Set<string>();
    for (const raw of this.jieba.cut(cleaned, false)) {
      const t = this.term(raw);
      if (t === '' || seen.has(t)) continue;
      seen.add(t);
      out.push(t);
    }
    return out;
  }

  /**
   * `terms(text).join(SEP)` of each text, with one jieba call for all of them: the texts are cut
   * as one string joined by SEP (≈ 15 % less time than a call per message at 400k messages, same
   * output). jieba cuts text outside CJK/alphanumeric runs into single characters, so SEP always
   * comes back as a token of its own and no word spans two messages; a SEP inside a text is blanked.
   */
  termsMany(texts: readonly string[]): string[] {
    if (texts.length === 0) return [];
    const joined = texts.map((t) => (t.includes(SEP) ? clean(t).replaceAll(SEP, ' ') : clean(t))).join(SEP);
    const out: string[] = [];
    let cur: string[] = [];
    let seen = new Set<string>();
    for (const raw of this.jieba.cut(joined, false)) {
      if (raw === SEP) {
        out.push(cur.join(SEP));
        cur = [];
        seen = new Set();
        continue;
      }
      const t = this.term(raw);
      if (t === '' || seen.has(t)) continue;
      seen.add(t);
      cur.push(t);
    }
    out.push(cur.join(SEP));
    if (out.length !== texts.length) throw new Error(`segmentation: ${out.length} results for ${texts.length} texts`);
    return out;
  }

  /** The kept term of a jieba token ('' when dropped); tokens repeat heavily, so it is memoised. */
  private term(raw: string): string {
    let t = this.memo.get(raw);
    if (t === undefined) {
      const n = raw.trim().toLowerCase();
      t = keep(n) && !this.stop.has(n) ? n : '';
      if (this.memo.size < 500_000) this.memo.set(raw, t);
    }
    return t;
  }
}

const SEP = '\u0001';

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
