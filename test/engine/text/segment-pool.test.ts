import { afterAll, describe, expect, it } from 'vitest';
import { SegmentPool } from '../../../electron/engine/text/segment-pool.js';
import { Segmenter } from '../../../electron/engine/text/segmenter.js';

const texts = ['我们在做私域运营，复购率很重要', '[图片]', '', 'hello world 社群运营'];
const seg = new Segmenter();
const expected = texts.map((t) => seg.terms(t).join('\u0001'));

describe('SegmentPool', () => {
  const pool = new SegmentPool(true);
  afterAll(() => pool.close());

  it('answers what the in-thread segmenter answers', async () => {
    expect(await pool.segment(texts)).toEqual(expected);
  });

  it('answers batches sent at once in order, whichever thread segments them', async () => {
    // Six batches at once: the thread takes three, this thread the rest (the thread is "behind").
    const batches = Array.from({ length: 6 }, (_, i) => texts.map((t) => `${t} 第${i}批`));
    const want = batches.map((b) => b.map((t) => seg.terms(t).join('\u0001')));
    expect(await Promise.all(batches.map((b) => pool.segment(b)))).toEqual(want);
  });

  it('reads answers the thread sent while this thread was busy, and does not segment a batch itself then', async () => {
    const p = new SegmentPool(true);
    try {
      await p.segment(texts); // started
      const ticks = async () => { for (let i = 0; i < 20; i++) await null; }; // microtasks only: no event-loop turn
      const first = [p.segment(texts), p.segment(texts), p.segment(texts)];
      await ticks();
      expect(p.stats).toEqual({ threaded: 4, local: 0 });
      // Busy without giving the event loop a turn (a parser between two file reads): the thread
      // answers meanwhile, but no 'message' event can be delivered.
      const until = Date.now() + 1500;
      while (Date.now() < until) { /* busy */ }
      const fourth = p.segment(texts);
      await ticks();
      expect(p.stats).toEqual({ threaded: 5, local: 0 });
      expect(await Promise.all([...first, fourth])).toEqual([expected, expected, expected, expected]);
    } finally {
      await p.close();
    }
  });

  it('starts again after a release, and a release while starting falls back to this thread', async () => {
    pool.release();
    expect(await pool.segment(texts)).toEqual(expected);
    const during = pool.segment(texts);
    pool.release();
    expect(await during).toEqual(expected);
    expect(await pool.segment(texts.slice(0, 1))).toEqual(expected.slice(0, 1));
  });

  it('works without a thread', async () => {
    const local = new SegmentPool(false);
    expect(await local.segment(texts)).toEqual(expected);
    local.release();
    expect(await local.segment(texts)).toEqual(expected);
  });
});
