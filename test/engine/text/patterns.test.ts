import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../electron/engine/db/database.js';
import {
  PATTERN_SQL,
  PATTERNS,
  isCheckIn,
  isQuestion,
  isSelfIntro,
  isWelcome,
  type PatternName,
} from '../../../electron/engine/text/patterns.js';

// [text, selfIntro, checkIn, question, welcome] — expectations written by reading each pattern's rule.
type Row = [string, boolean, boolean, boolean, boolean];
const EXAMPLES: Row[] = [
  ['大家好，我是小王，来自杭州，做私域运营的', true, false, false, false],
  ['先做个自我介绍：老李，电商', true, false, false, false],
  ['介绍一下自己，我在深圳', true, false, false, false],
  ['我是阿强，从事社群运营五年', true, false, false, false],
  ['新人报到，请大家多多关照', true, false, false, false],
  ['Hi all, my name is Ann and I run a shop', true, false, false, false],
  ["I'm new here, hello", true, false, false, false],
  ['我是说这个方案不行', false, false, false, false],
  ['打卡 Day 12！今天完成了朋友圈文案的练习', false, true, false, false],
  ['今日签到', false, true, false, false],
  ['#Day 3 done', false, true, false, false],
  ['【check-in】跑步5公里', false, true, false, false],
  ['Checkin: read 20 pages', false, true, false, false],
  ['someday 3 of us will meet', false, false, false, false],
  ['今天社群裂变活动的转化率怎么样？@张三', false, false, true, false],
  ['这个能用吗', false, false, true, false],
  ['这个能用吗。谢谢', false, false, true, false],
  ['吗啡是一种药', false, false, false, false],
  ['你呢', false, false, true, false],
  ['我在吃饭呢', false, false, false, false],
  ['求推荐一个排版工具', false, false, true, false],
  ['这是客户的要求', false, false, false, false],
  ['请问群主在吗', false, false, true, false],
  ['有没有人做过小红书', false, false, true, false],
  ['为啥我的号被限流了', false, false, true, false],
  ['how do I export the chat', false, false, true, false],
  ['What time is the call', false, false, true, false],
  ['anyone tried the new API', false, false, true, false],
  ['I know how it works', false, false, false, false],
  ['Is this ok?', false, false, true, false],
  ['欢迎 @小王 加入！', false, false, false, true],
  ['@Ann welcome aboard', false, false, false, true],
  ['Welcome @Bob', false, false, false, true],
  ['欢迎新朋友', false, false, false, false],
  ['@小王 收到', false, false, false, false],
  ['大家好我是新人，有没有打卡群？', true, true, true, false],
  ['[图片]', false, false, false, false],
  ['', false, false, false, false],
  // U+3000 before "day": JS \s would match it but RE2 \s would not — the explicit class keeps them equal.
  ['\u3000Day 5 跑步', false, true, false, false],
];

const JS: Record<PatternName, (t: string) => boolean> = {
  selfIntro: isSelfIntro,
  checkIn: isCheckIn,
  question: isQuestion,
  welcome: isWelcome,
};
const NAMES: PatternName[] = ['selfIntro', 'checkIn', 'question', 'welcome'];

describe('text patterns', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(':memory:');
  });
  afterAll(() => db.close());

  it.each(EXAMPLES)('JS: %s', (text, ...expected) => {
    expect(NAMES.map((n) => JS[n](text))).toEqual(expected);
  });

  it('DuckDB regexp_matches agrees with JS and the expectations on every example', async () => {
    for (const [text, ...expected] of EXAMPLES) {
      const row = await db.one<Record<PatternName, boolean>>(
        `SELECT regexp_matches($t, $selfIntro) AS "selfIntro", regexp_matches($t, $checkIn) AS "checkIn",
                regexp_matches($t, $question) AS question, regexp_matches($t, $welcome) AS welcome`,
        { t: text, ...PATTERN_SQL },
      );
      expect(NAMES.map((n) => row![n]), text).toEqual(expected);
    }
  });

  it('sources stay in the RE2/JS common subset', () => {
    for (const n of NAMES) {
      const src = PATTERNS[n].source;
      expect(src, n).not.toMatch(/\\s|\(\?[=!<]|\\[1-9]/);
      expect(PATTERNS[n].sql).toBe(`(?i)${src}`);
      expect(PATTERNS[n].js.flags).toBe('iu');
    }
  });
});
