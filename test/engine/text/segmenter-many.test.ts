import { describe, expect, it } from 'vitest';
import { Segmenter } from '../../../electron/engine/text/segmenter.js';

const seg = new Segmenter();
const one = (t: string) => seg.terms(t).join('\u0001');

describe('Segmenter.termsMany (one jieba call per batch)', () => {
  it('gives each text the terms a call of its own gives, where words could run across the joins', () => {
    // Adjacent texts whose edges could merge into one word if the separator did not cut them:
    // latin runs ("abc" + "def"), CJK runs ("社群" + "运营" is a dictionary word), digits, and a
    // text holding the separator itself.
    const texts = [
      'abc', 'def', '社群', '运营', '2024', '年度总结', '', '！', '？', '   ',
      '复购率很重要\n下一行写私域流量', 'see https://example.com/x?y=1 and www.test.cn', '@张三 你好 [图片]',
      'a\u0001b 社群\u0001运营', '😀😀 表情包', '<Media omitted>', 'The quick brown fox', '打卡第十天',
    ];
    expect(seg.termsMany(texts)).toEqual(texts.map(one));
    // Worked out by hand for the two that matter most: "社群" and "运营" alone stay apart.
    expect(seg.termsMany(['社群', '运营'])).toEqual(['社群', '运营']);
    expect(seg.termsMany(['社群运营'])).toEqual(['社群运营']);
  });

  it('answers one string per text, also for an empty batch and all-empty texts', () => {
    expect(seg.termsMany([])).toEqual([]);
    expect(seg.termsMany(['', '', ''])).toEqual(['', '', '']);
    expect(seg.termsMany(['', '社群运营', ''])).toEqual(['', '社群运营', '']);
  });
});
