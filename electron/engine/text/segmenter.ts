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

  constructor(extraUserDict: string[] = [], extraStopwords: string[] = []) {
    this.jieba = Jieba.withDict(dict);
    const words = [...USER_DICT, ...extraUserDict];
    // Frequency high enough that jieba keeps the phrase whole.
    this.jieba.loadDict(Buffer.from(words.map((w) => `${w} 20000 n`).join('\n')));
    this.stop = new Set([...STOPWORDS, ...extraStopwords.map((w) => w.toLowerCase())]);
  }

  /** Distinct content terms of one message, in order of first appearance. */
  terms(text: string): string[] {
    const cleaned = clean(text);
    if (cleaned.length === 0) return [];
    const out: string[] = [];
    const seen = new Set<string>();
    for (const raw of this.jieba.cut(cleaned, false)) {
      const t = raw.trim().toLowerCase();
      if (!keep(t) || this.stop.has(t) || seen.has(t)) continue;
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
  return text.replace(URL_RE, ' ').replace(MENTION_RE, ' ').replace(BRACKET_RE, ' ');
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
