import { describe, expect, it } from 'vitest';
import {
  descendants, displayWidth, markdownTable, num, parseProcStatus, parseSize, parseSizes, parseStatPpid, percentile,
  randomFilters, ratio, Rng, sizeLabel, summariseProfile, Tail, type CpuProfile,
} from '../../bench/lib.js';

describe('sizes', () => {
  it.each([
    ['100k', 100_000],
    ['1m', 1_000_000],
    ['10M', 10_000_000],
    ['2.5k', 2_500],
    ['1_000', 1_000],
    [' 42 ', 42],
  ])('parseSize(%s) = %d', (s, n) => expect(parseSize(s)).toBe(n));

  it.each(['', 'abc', '1g', '-5', '0', '1.5.2k'])('rejects %j', (s) => expect(() => parseSize(s)).toThrow());

  it('parses a list, dropping duplicates and keeping order', () => {
    expect(parseSizes('1m, 100k,1m,')).toEqual([1_000_000, 100_000]);
    expect(() => parseSizes(' , ')).toThrow(/at least one/);
  });

  it.each([
    [100_000, '100k'],
    [1_000_000, '1m'],
    [10_000_000, '10m'],
    [2_500, '2.5k'],
    [1_500_000, '1.5m'],
    [999, '999'],
  ])('sizeLabel(%d) = %s', (n, s) => expect(sizeLabel(n)).toBe(s));
});

describe('percentile (nearest rank)', () => {
  const ten = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5];
  it.each([
    [50, 5],
    [95, 10],
    [90, 9],
    [10, 1],
    [0, 1],
    [100, 10],
  ])('p%d of 1..10 = %d', (p, v) => expect(percentile(ten, p)).toBe(v));

  it('twenty samples: p95 is the 19th smallest, p50 the 10th', () => {
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(percentile(xs, 95)).toBe(19);
    expect(percentile(xs, 50)).toBe(10);
  });

  it('one sample, no sample; input not mutated', () => {
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('/proc parsing', () => {
  const status = [
    'Name:\tnode',
    'Umask:\t0022',
    'State:\tS (sleeping)',
    'Tgid:\t4242',
    'PPid:\t4100',
    'VmPeak:\t 1234567 kB',
    'VmHWM:\t  512000 kB',
    'VmRSS:\t  256000 kB',
    'Threads:\t11',
  ].join('\n');

  it('reads VmRSS, VmHWM (kB → bytes) and PPid, not VmPeak', () => {
    expect(parseProcStatus(status)).toEqual({ rss: 256_000 * 1024, hwm: 512_000 * 1024, ppid: 4100 });
  });

  it('a zombie has no Vm lines', () => {
    expect(parseProcStatus('Name:\tnode\nState:\tZ (zombie)\nPPid:\t1\n')).toEqual({ rss: null, hwm: null, ppid: 1 });
  });

  it('ppid from /proc/<pid>/stat, even when the command holds spaces and parentheses', () => {
    expect(parseStatPpid('4242 (node) S 4100 4242 4100 0 -1')).toBe(4100);
    expect(parseStatPpid('77 (my (weird) cmd) R 12 77 77 0')).toBe(12);
    expect(parseStatPpid('garbage')).toBeNull();
  });

  it('descendants walks the whole tree, not the root, not strangers', () => {
    const parents = new Map([[2, 1], [3, 2], [4, 3], [5, 2], [9, 8], [1, 0]]);
    expect(descendants(1, parents).sort()).toEqual([2, 3, 4, 5]);
    expect(descendants(4, parents)).toEqual([]);
  });
});

describe('Rng and randomFilters', () => {
  it('is deterministic per seed and in [0, 1)', () => {
    const a = new Rng('qunxi:overview');
    const b = new Rng('qunxi:overview');
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Rng('other').next()).not.toBe(xs[0]);
  });

  it('int stays within bounds, both ends reachable', () => {
    const r = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(r.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  const space = { groupId: 7, from: '2024-03-14 00:11:41', to: '2024-07-11 22:43:36', members: [11, 12, 13, 14, 15, 16] };

  it('filters stay in the group, dates inside the history and ordered, excludes distinct known members', () => {
    const rng = new Rng('x');
    let dated = 0;
    let excluding = 0;
    for (let i = 0; i < 200; i++) {
      const f = randomFilters(rng, space);
      expect(f.groups).toEqual([7]);
      if (f.from) {
        dated++;
        expect(f.from >= '2024-03-14' && f.to! <= '2024-07-11' && f.from <= f.to!).toBe(true);
        expect(f.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      if (f.exclude) {
        excluding++;
        expect(new Set(f.exclude).size).toBe(f.exclude.length);
        expect(f.exclude.length).toBeGreaterThanOrEqual(1);
        expect(f.exclude.length).toBeLessThanOrEqual(5);
        expect(f.exclude.every((m) => space.members.includes(m))).toBe(true);
      }
    }
    // Mostly dated, about half excluding: both kinds of change are exercised.
    expect(dated).toBeGreaterThan(150);
    expect(excluding).toBeGreaterThan(60);
    expect(excluding).toBeLessThan(140);
  });

  it('same seed ⇒ same filter sequence', () => {
    const a = new Rng('s');
    const b = new Rng('s');
    for (let i = 0; i < 20; i++) expect(randomFilters(a, space)).toEqual(randomFilters(b, space));
  });

  it('an empty group gets only the group filter', () => {
    const f = randomFilters(new Rng(3), { groupId: 1, from: null, to: null, members: [] });
    expect(f).toEqual({ groups: [1] });
  });
});

describe('formatting', () => {
  it('markdownTable pads columns, aligns right where asked', () => {
    const t = markdownTable(['size', 'n'], [['100k', '5'], ['1m', '12,345']], ['l', 'r']);
    expect(t.split('\n')).toEqual([
      '| size |      n |',
      '|:-----|-------:|',
      '| 100k |      5 |',
      '| 1m   | 12,345 |',
    ]);
  });

  it('CJK counts double so columns line up in a terminal', () => {
    expect(displayWidth('群析')).toBe(4);
    expect(displayWidth('qq')).toBe(2);
    const t = markdownTable(['name'], [['群析'], ['abcdef']]);
    expect(t.split('\n')[2]).toBe('| 群析   |');
  });

  it.each([
    [1234.567, 1, '1,234.6'],
    [0.5, 2, '0.50'],
    [12345, 0, '12,345'],
    [null, 1, '–'],
    [NaN, 1, '–'],
    [Infinity, 0, '–'],
  ])('num(%s, %d) = %s', (x, d, s) => expect(num(x, d)).toBe(s));

  it.each([
    [90, 6, '15×'],
    [9, 6, '1.5×'],
    [3, 6, '0.5×'],
    [6.5, 286.7, '0.023×'],
    [1, 0, '–'],
    [null, 2, '–'],
  ])('ratio(%s, %s) = %s', (a, b, s) => expect(ratio(a, b)).toBe(s));

  it('Tail keeps only the end of a long stream', () => {
    const t = new Tail(10);
    for (let i = 0; i < 1000; i++) t.push('abcdefghij');
    t.push('0123456789');
    expect(t.toString()).toBe('0123456789');
  });
});

describe('summariseProfile', () => {
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 100_000,
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3] },
      { id: 2, callFrame: { functionName: 'parseLine', url: 'file:///repo/electron/a.ts', lineNumber: 9 }, children: [4] },
      { id: 3, callFrame: { functionName: 'cut', url: 'file:///repo/electron/b.ts', lineNumber: 0 } },
      { id: 4, callFrame: { functionName: 'parseLine', url: 'file:///repo/electron/a.ts', lineNumber: 9 } },
    ],
    // Time of sample i is timeDeltas[i+1] (µs).
    samples: [2, 3, 4, 2, 3],
    timeDeltas: [0, 10_000, 30_000, 20_000, 10_000],
  };

  it('sums self time per function across nodes, largest first, with shares', () => {
    const top = summariseProfile(profile, 10, '/repo');
    expect(top.map((e) => [e.name, e.where, e.ms])).toEqual([
      ['parseLine', 'electron/a.ts:10', 40],
      ['cut', 'electron/b.ts:1', 30],
    ]);
    expect(top[0]!.share).toBeCloseTo(40 / 70);
  });

  it('by file sums every function of a file; native frames keep their name', () => {
    const p: CpuProfile = {
      ...profile,
      nodes: [...profile.nodes, { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } }],
      samples: [2, 3, 5, 4],
      timeDeltas: [0, 5_000, 5_000, 5_000],
    };
    // a.ts: node 2 (5 ms) + node 4 (the last sample has no following delta: 0 ms); b.ts: 5 ms; GC: 5 ms.
    expect(summariseProfile(p, 10, '/repo', 'file').map((e) => [e.name, e.where, e.ms])).toEqual([
      ['', 'electron/a.ts', 5],
      ['', 'electron/b.ts', 5],
      ['(garbage collector)', '', 5],
    ]);
  });

  it('top limits the list', () => {
    expect(summariseProfile(profile, 1)).toHaveLength(1);
  });
});
