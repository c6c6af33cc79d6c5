/**
 * Text patterns the metrics look for in message text: self-introductions (自我介绍), check-ins
 * (打卡/签到), questions and welcomes. This is the ONE place they are defined, for both engines:
 *
 *  - JS: `isSelfIntro(text)`, `isCheckIn(text)`, `isQuestion(text)`, `isWelcome(text)`;
 *  - DuckDB: `PATTERN_SQL.<name>`, a string for `regexp_matches(text, $param)` (bind it, never
 *    interpolate it). DuckDB uses RE2.
 *
 * Every source is written in the subset on which RE2 and JS (flags `iu`) agree, so SQL and JS
 * classify every text the same way (test/engine/text/patterns.test.ts checks a table of examples
 * in both):
 *  - no lookaround, no backreferences (RE2 has neither);
 *  - no `\s`: RE2's `\s` is ASCII-only while JS's includes U+3000 and U+00A0, so whitespace is
 *    spelled out as the class `WS`;
 *  - `\b` only next to ASCII letters/digits (both engines define it on ASCII word characters);
 *  - `^` and `$` mean the start and end of the whole message (no multi-line flag in either);
 *    `.` matches one code point but not a newline in both;
 *  - case-insensitive: `(?i)` prefix in SQL, flag `i` in JS.
 *
 * These are heuristics for group-chat Chinese and English. Known misses and false positives are
 * listed next to each pattern and in docs/METRICS.md.
 */

/** Whitespace, spelled out (see above): space, tab, CR, LF, no-break space, ideographic space. */
const WS = '[ \t\r\n\u00a0\u3000]';
/** Punctuation that may close a sentence or clause (full- and half-width). */
const CLOSE = `[ \t\r\n\u3000。.!！~～,，…?？)）]`;

/**
 * Self-introduction. Matches: 自我介绍; 介绍一下我/自己; 大家好…我是/我叫 (within 8 characters
 * of the greeting, in the same sentence); 我是…来自/从事; 新人报到/报道; 请(大家)多(多)关照;
 * English "my name is", "introduce myself", "I'm new here".
 * Misses introductions that are only a name and a job without any of these cues.
 */
const SELF_INTRO = [
  '自我介绍',
  '介绍一下(我|自己)',
  '大家好[^。！!？?\n]{0,8}我(是|叫)',
  '我是[^。！!？?\n]{1,12}(来自|从事)',
  '新人报[到道]',
  '请(大家)?多(多)?关照',
  'my name is',
  'introduce myself',
  "i'?m new here",
].join('|');

/**
 * Check-in (打卡 / 签到). Matches 打卡, 签到 (also traditional 簽到) anywhere, and messages that
 * START with "check-in"/"checkin"/"check in" or "day N" (optionally after #, 【 or [).
 * False positive: 打卡 in the sense of visiting a place (网红打卡地).
 */
const CHECK_IN = ['打卡', '签到', '簽到', `^${WS}*[#【\\[]?${WS}*(check[- ]?in|day ?[0-9]+)\\b`].join('|');

/**
 * Question. Matches:
 *  - a question mark (? or ？) anywhere;
 *  - 吗 followed by punctuation, whitespace or the end (so 吗啡 is not a question);
 *  - 呢 after an interrogative or "you" in the same clause (你呢, 在哪呢, 怎么办呢), not the
 *    declarative 我在吃饭呢;
 *  - interrogative words: 怎么 怎样 如何 咋 请问 有没有 有木有 哪里 哪儿 哪个 哪些 为什么 为啥
 *    是不是 能不能 可不可以 会不会 要不要 多少钱 什么时候 有人知道/用过/懂/了解;
 *  - 求 + a request (求助 求问 求教 求推荐 求解 求带 求链接 求资源 求分享 求大佬 求大神 求指点
 *    求指导 求科普), not 要求/需求/追求 on their own;
 *  - English: a message STARTING with what, how, why, where, who, which, whose, anyone, anybody,
 *    is there, are there, can someone, could someone, any idea (other English questions are
 *    caught by their question mark).
 * False positives: rhetorical questions; "How nice".
 */
const QUESTION = [
  '[?？]',
  `吗(${CLOSE}|$)`,
  '(谁|什么|啥|哪|怎|几|多少|咋|你|您)[^。.!！,，\n]{0,8}呢',
  '怎么|怎样|如何|咋|请问|有没有|有木有|哪里|哪儿|哪个|哪些|为什么|为啥',
  '是不是|能不能|可不可以|会不会|要不要|多少钱|什么时候',
  '有人(知道|用过|懂|了解)',
  '求(助|问|教|推荐|解|带|链接|资源|分享|大佬|大神|指点|指导|科普)',
  `^${WS}*(what|how|why|where|who|which|whose|anyone|anybody|is there|are there|can someone|could someone|any idea)\\b`,
].join('|');

/**
 * Welcome addressed to somebody: 欢迎 or "welcome" and an @ in the same line, in either order
 * (欢迎 @小王 / @小王 欢迎入群 / welcome @Ann). A bare 欢迎 without @ is not attributed to anyone.
 */
const WELCOME = '(欢迎|welcome).{0,40}@|@.{0,40}(欢迎|welcome)';

/** One pattern in both dialects. */
export interface TextPattern {
  /** Source in the RE2/JS common subset, without flags. */
  readonly source: string;
  /** For JS (flags iu). Not global, so `test` has no state. */
  readonly js: RegExp;
  /** For DuckDB `regexp_matches(text, $p)`: the source with an inline case-insensitive flag. */
  readonly sql: string;
}

function pattern(source: string): TextPattern {
  return { source, js: new RegExp(source, 'iu'), sql: `(?i)${source}` };
}

export const PATTERNS = {
  selfIntro: pattern(SELF_INTRO),
  checkIn: pattern(CHECK_IN),
  question: pattern(QUESTION),
  welcome: pattern(WELCOME),
} as const;

export type PatternName = keyof typeof PATTERNS;

/** The DuckDB (RE2) strings, by name. Bind as parameters: `regexp_matches(m.text, $p_question)`. */
export const PATTERN_SQL: Readonly<Record<PatternName, string>> = {
  selfIntro: PATTERNS.selfIntro.sql,
  checkIn: PATTERNS.checkIn.sql,
  question: PATTERNS.question.sql,
  welcome: PATTERNS.welcome.sql,
};

export const isSelfIntro = (text: string): boolean => PATTERNS.selfIntro.js.test(text);
export const isCheckIn = (text: string): boolean => PATTERNS.checkIn.js.test(text);
export const isQuestion = (text: string): boolean => PATTERNS.question.js.test(text);
export const isWelcome = (text: string): boolean => PATTERNS.welcome.js.test(text);
