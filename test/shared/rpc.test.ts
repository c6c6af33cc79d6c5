import { describe, expect, it } from 'vitest';
import { connect, serve, type PortLike, type RpcMessage } from '../../shared/rpc.js';

/** Two in-memory ends of a channel; messages are delivered asynchronously like a real port. */
function pair(): [PortLike, PortLike] {
  const subs: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  const end = (mine: 0 | 1): PortLike => ({
    post: (m: RpcMessage) => queueMicrotask(() => subs[1 - mine]!.forEach((cb) => cb(structuredClone(m)))),
    listen: (cb) => (subs[mine].add(cb), () => subs[mine].delete(cb)),
  });
  return [end(0), end(1)];
}

describe('rpc', () => {
  it('returns results, streams progress and carries errors as data', async () => {
    const [a, b] = pair();
    serve(b, {
      add: async (p) => (p as { x: number; y: number }).x + (p as { x: number; y: number }).y,
      count: async (_p, ctx) => {
        for (let i = 1; i <= 3; i++) ctx.progress(i);
        return 'done';
      },
      fail: async () => {
        throw Object.assign(new Error('bad line 3'), { name: 'FormatError', detail: { line: 3 } });
      },
    });
    const c = connect(a);
    expect(await c.call('add', { x: 2, y: 3 })).toBe(5);
    const seen: unknown[] = [];
    expect(await c.call('count', {}, { onProgress: (d) => seen.push(d) })).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
    await expect(c.call('fail', {})).rejects.toMatchObject({ name: 'FormatError', message: 'bad line 3', detail: { line: 3 } });
    await expect(c.call('nope', {})).rejects.toMatchObject({ name: 'UnknownMethod' });
    // Inherited object keys are not methods.
    await expect(c.call('toString', {})).rejects.toMatchObject({ name: 'UnknownMethod' });
  });

  it('cancels a running request by id and keeps serving others', async () => {
    const [a, b] = pair();
    let aborted = false;
    serve(b, {
      slow: (_p, ctx) =>
        new Promise((_res, rej) => ctx.signal.addEventListener('abort', () => ((aborted = true), rej(Object.assign(new Error('cancelled'), { name: 'AbortError' }))))),
      fast: async () => 'ok',
    });
    const c = connect(a);
    const ac = new AbortController();
    const p = c.call('slow', {}, { signal: ac.signal });
    expect(await c.call('fast', {})).toBe('ok');
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(aborted).toBe(true);
  });

  it('ignores malformed messages instead of crashing', async () => {
    const [a, b] = pair();
    serve(b, { ping: async () => 'pong' });
    (a.post as (m: unknown) => void)('garbage');
    (a.post as (m: unknown) => void)({ t: 'req' });
    expect(await connect(a).call('ping', {})).toBe('pong');
  });
});
