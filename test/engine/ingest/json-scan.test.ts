import { describe, expect, it } from 'vitest';
import { JsonScanError, JsonScanner, type PathKey, type ScanEvent, type ScanOptions } from '../../../electron/engine/ingest/json-scan.js';

const enc = new TextEncoder();
const capMessages: ScanOptions['capture'] = (p) => p[p.length - 1] === 'messages';

/** Scans `data` fed in pieces cut at `cuts` (sorted offsets) and returns every event. */
function scanCuts(data: Uint8Array, cuts: number[], opts: Partial<ScanOptions> = {}): ScanEvent[] {
  const sc = new JsonScanner({ capture: capMessages, ...opts });
  const out: ScanEvent[] = [];
  let prev = 0;
  for (const c of [...cuts, data.length]) {
    sc.push(data.subarray(prev, c));
    out.push(...sc.take());
    prev = c;
  }
  sc.end();
  out.push(...sc.take());
  return out;
}

function scanChunks(data: Uint8Array, size: number, opts: Partial<ScanOptions> = {}): ScanEvent[] {
  const cuts: number[] = [];
  for (let i = size; i < data.length; i += size) cuts.push(i);
  return scanCuts(data, cuts, opts);
}

const scan = (s: string, opts: Partial<ScanOptions> = {}) => scanChunks(enc.encode(s), 1 << 20, opts);

function scanError(s: string | Uint8Array, size = 1 << 20): JsonScanError {
  try {
    scanChunks(typeof s === 'string' ? enc.encode(s) : s, size);
  } catch (e) {
    if (e instanceof JsonScanError) return e;
    throw e;
  }
  throw new Error('no error');
}

/** Compact view of events for table checks. */
const brief = (es: ScanEvent[]) =>
  es.map((e) => {
    const p = e.path.join('.');
    switch (e.kind) {
      case 'open':
        return `open ${p} ${e.array ? '[' : '{'}`;
      case 'close':
        return `close ${p} ${e.array ? ']' : '}'}`;
      case 'scalar':
        return `${p}=${JSON.stringify(e.value)}`;
      case 'item':
        return `item ${p}#${e.index} ${JSON.stringify(e.value)}`;
      case 'bad-item':
        return `bad ${p}#${e.index} ${e.raw}`;
    }
  });

// Escapes, brackets inside strings, multi-byte UTF-8, nested elements, literals, an empty array.
const TRICKY =
  '\ufeff{\n "name": "a \\"quoted\\" \\\\ name ]}",\n "id": -12.5e3, "ok": true, "none": null,\n' +
  ' "chats": {"list": [ {"name": "王小明 😀", "messages": [\n' +
  '  {"id": 1, "text": "br}ack]ets { [ \\\\", "e": [{"x": "\\\\\\""}]},\n' +
  '  {"id": 2, "text": "\\u00e9\\n"}, 7, "str\\"ing", [1, [2]], {}\n' +
  ' ]}, {"messages": []} ]},\n "tail": [1, "x", {"y": false}]\n}\n';

describe('JsonScanner events', () => {
  it('reports containers, scalars with their paths, and captured elements parsed whole', () => {
    expect(brief(scan(TRICKY))).toEqual([
      'open  {',
      'name="a \\"quoted\\" \\\\ name ]}"',
      'id=-12500',
      'ok=true',
      'none=null',
      'open chats {',
      'open chats.list [',
      'open chats.list.0 {',
      'chats.list.0.name="王小明 😀"',
      'open chats.list.0.messages [',
      'item chats.list.0.messages#0 {"id":1,"text":"br}ack]ets { [ \\\\","e":[{"x":"\\\\\\""}]}',
      'item chats.list.0.messages#1 {"id":2,"text":"é\\n"}',
      'item chats.list.0.messages#2 7',
      'item chats.list.0.messages#3 "str\\"ing"',
      'item chats.list.0.messages#4 [1,[2]]',
      'item chats.list.0.messages#5 {}',
      'close chats.list.0.messages ]',
      'close chats.list.0 }',
      'open chats.list.1 {',
      'open chats.list.1.messages [',
      'close chats.list.1.messages ]',
      'close chats.list.1 }',
      'close chats.list ]',
      'close chats }',
      'open tail [',
      'tail.0=1',
      'tail.1="x"',
      'open tail.2 {',
      'tail.2.y=false',
      'close tail.2 }',
      'close tail ]',
      'close  }',
    ]);
  });

  it('gives byte offsets (BOM counted) and 1-based lines of values and elements', () => {
    const es = scan(TRICKY);
    const name = es.find((e) => e.kind === 'scalar' && e.path[0] === 'name')!;
    expect([name.offset, name.line]).toEqual([14, 2]); // 3 BOM bytes + '{\n "name": '
    const items = es.filter((e) => e.kind === 'item');
    expect(items.map((e) => e.line)).toEqual([5, 6, 6, 6, 6, 6]);
    const bytes = enc.encode(TRICKY);
    for (const it of items) expect(bytes[it.offset]).toBe(it.index === 2 ? 0x37 : it.index === 3 ? 0x22 : it.index === 4 ? 0x5b : 0x7b);
  });

  it('limits open/close/scalar events to maxEventDepth but still cuts out deep captured arrays', () => {
    const es = scan('{"a": {"b": {"c": 1, "messages": [{"x": 1}]}}, "d": 2}', { maxEventDepth: 1 });
    expect(brief(es)).toEqual(['open  {', 'open a {', 'item a.b.messages#0 {"x":1}', 'close a }', 'd=2', 'close  }']);
  });

  it('scans a root array and root scalars too', () => {
    expect(brief(scan('[1, {"a": "b"}]'))).toEqual(['open  [', '0=1', 'open 1 {', '1.a="b"', 'close 1 }', 'close  ]']);
    expect(brief(scan(' 42 '))).toEqual(['=42']);
    expect(brief(scan('"x"'))).toEqual(['="x"']);
  });
});

describe('JsonScanner chunk boundaries', () => {
  const bytes = enc.encode(TRICKY);
  const whole = scan(TRICKY);

  it('gives identical events for a cut at every byte offset', () => {
    for (let k = 0; k <= bytes.length; k++) expect(scanCuts(bytes, [k])).toEqual(whole);
  });

  it.each([1, 2, 3, 7, 64])('gives identical events for %i-byte chunks', (size) => {
    expect(scanChunks(bytes, size)).toEqual(whole);
  });

  it('stitches a backslash run that ends exactly at a chunk boundary', () => {
    const doc = '{"messages": [{"t": "a\\\\"}, {"t": "\\\\\\""}, {"t": "\\"]"}]}';
    const ref = scan(doc);
    expect(brief(ref)).toEqual([
      'open  {',
      'open messages [',
      'item messages#0 {"t":"a\\\\"}',
      'item messages#1 {"t":"\\\\\\""}',
      'item messages#2 {"t":"\\"]"}',
      'close messages ]',
      'close  }',
    ]);
    const b = enc.encode(doc);
    for (let k = 0; k <= b.length; k++) for (let j = k; j <= Math.min(b.length, k + 3); j++) expect(scanCuts(b, [k, j])).toEqual(ref);
  });
});

describe('JsonScanner broken elements', () => {
  it('reports an element that JSON.parse refuses as bad-item and goes on', () => {
    const doc = '{"messages": [{"a": 1}, {"a": tru}, {"a": [1}], {"a": 3}]}';
    const es = scan(doc).filter((e) => e.kind === 'item' || e.kind === 'bad-item');
    expect(brief(es)).toEqual(['item messages#0 {"a":1}', 'bad messages#1 {"a": tru}', 'bad messages#2 {"a": [1}]', 'item messages#3 {"a":3}']);
    const bad = es[1]!;
    expect(bad.kind === 'bad-item' && bad.error.length > 0).toBe(true);
    expect(bad.offset).toBe(doc.indexOf('{"a": tru'));
  });

  it('cuts the raw text of a bad element to 2000 characters', () => {
    const doc = `{"messages": [{"a": "${'x'.repeat(5000)}" oops}]}`;
    const bad = scan(doc).find((e) => e.kind === 'bad-item');
    expect(bad?.kind === 'bad-item' && bad.raw.length).toBe(2000);
  });

  it('stops at an element larger than maxElementBytes', () => {
    const doc = `{"messages": [{"a": "${'x'.repeat(300)}`;
    const sc = new JsonScanner({ capture: capMessages, maxElementBytes: 100 });
    const b = enc.encode(doc);
    expect(() => {
      for (let i = 0; i < b.length; i += 64) sc.push(b.subarray(i, i + 64));
    }).toThrow(/larger than 100 bytes/);
  });
});

describe('JsonScanner errors', () => {
  const cases: Array<[string, string, number, number, RegExp]> = [
    ['garbage', 'hello', 0, 1, /unexpected 'h'/],
    ['object closed by ]', '{"a": 1]', 7, 1, /expected ',' or '}'/],
    ['missing colon', '{\n"a" 1}', 6, 2, /expected ':'/],
    ['key not a string', '{a: 1}', 1, 1, /expected a key/],
    ['trailing comma', '[1,]', 3, 1, /unexpected '\]'/],
    ['data after the end', '{}\n{}', 3, 2, /after the end/],
    ['bad literal', '{"a": tru}', 6, 1, /invalid JSON value/],
    ['missing comma between elements', '{"messages": [{} {}]}', 17, 1, /expected ','/],
    ['broken BOM', '\u00ef{}', 0, 1, /./],
  ];
  it.each(cases)('%s', (_name, doc, offset, line, reason) => {
    const e = scanError(doc);
    expect(e.truncated).toBe(false);
    expect([e.offset, e.line]).toEqual([offset, line]);
    expect(e.reason).toMatch(reason);
  });

  it('flags a broken byte-order mark at its byte', () => {
    const e = scanError(new Uint8Array([0xef, 0xbb, 0x7b, 0x7d]));
    expect([e.offset, e.reason]).toEqual([2, 'broken byte-order mark']);
  });

  it('reports a truncated file as truncated, at its length, with the partial element', () => {
    const doc = '{"messages": [{"a": 1}, {"a": "cut he';
    for (const size of [1, 7, 64, 4096]) {
      const e = scanError(doc, size);
      expect([e.truncated, e.offset, e.partial]).toEqual([true, doc.length, '{"a": "cut he']);
    }
    const e2 = scanError('{"a": [1, 2');
    expect([e2.truncated, e2.offset, e2.partial]).toEqual([true, 11, '']);
  });

  it('reports an empty input as truncated', () => {
    expect(scanError('  \n').truncated).toBe(true);
  });
});

it('keeps element values paths shared with the array path', () => {
  const es = scan('{"messages": [1, 2]}');
  const paths = es.filter((e) => e.kind === 'item').map((e) => e.path as PathKey[]);
  expect(paths[0]).toEqual(['messages']);
});

// Found by the fuzz tests (test/fuzz): every container opened outside a captured array copied its
// whole key path, so 100k-deep `[[[[…` or `{"a":{"a":…` took minutes (quadratic) before failing.
describe('JsonScanner on deep nesting', () => {
  // The error points at the container that would be level 1001: the 1001st '[' is at byte 1000;
  // the 1001st '{' of `{"a":` × n at 5 × 1000; under `{"x":` the 1000th '[' at 5 + 999.
  it.each([
    ['arrays', '['.repeat(100_000), 1000],
    ['objects', '{"a":'.repeat(100_000), 5000],
    ['under a top-level object', '{"x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}', 1004],
  ])('%s 100k deep: malformed past maxDepth, quickly', (_n, s, offset) => {
    const t0 = performance.now();
    const e = scanError(s, 4096);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect([e.reason, e.offset, e.truncated]).toEqual(['JSON nested deeper than 1000 levels', offset, false]);
  });

  it('maxDepth is configurable and counts containers outside captured elements only', () => {
    expect(scan('[[[1]]]', { maxDepth: 3 }).length).toBeGreaterThan(0);
    expect(() => scan('[[[[1]]]]', { maxDepth: 3 })).toThrow('JSON nested deeper than 3 levels');
    // Inside a captured element only bracket depth is counted: a deep element stays one item.
    const deep = '['.repeat(5000) + '1' + ']'.repeat(5000);
    const es = scanChunks(enc.encode(`{"messages":[${deep},2]}`), 4096, { maxDepth: 3 });
    expect(es.filter((e) => e.kind === 'item' || e.kind === 'bad-item').map((e) => (e as { index: number }).index)).toEqual([0, 1]);
  });

  it('capture still sees each array path, and captured paths are kept as copies', () => {
    const seen: string[] = [];
    const es = scan('{"a":[[1]],"messages":[{"x":1}]}', { capture: (p) => (seen.push(p.join('.')), p[0] === 'messages') });
    expect(seen).toEqual(['a', 'a.0', 'messages']);
    expect(es.filter((e) => e.kind === 'item').map((e) => e.path)).toEqual([['messages']]);
  });
});
