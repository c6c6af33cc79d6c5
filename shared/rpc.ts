/**
 * A small RPC over any message port (Electron MessagePort, worker port, WebSocket adapter):
 * request ids, cancellation, progress events, and errors as data (tad / VS Code style).
 * Pure TS: no Node, no DOM.
 */

/** The least a transport must offer. `transfer` carries ArrayBuffers (Arrow IPC) without copying. */
export interface PortLike {
  post(msg: RpcMessage, transfer?: ArrayBuffer[]): void;
  /** Subscribes; returns an unsubscribe function. */
  listen(cb: (msg: unknown) => void): () => void;
}

export interface RpcError {
  name: string;
  message: string;
  detail?: unknown;
}

export type RpcMessage =
  | { t: 'req'; id: number; method: string; params: unknown }
  | { t: 'cancel'; id: number }
  | { t: 'progress'; id: number; data: unknown }
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: RpcError };

export interface CallContext {
  signal: AbortSignal;
  progress(data: unknown): void;
}

export type Handler = (params: unknown, ctx: CallContext) => Promise<unknown>;

export function toRpcError(e: unknown): RpcError {
  if (e && typeof e === 'object') {
    const o = e as { name?: unknown; message?: unknown; detail?: unknown };
    return { name: String(o.name ?? 'Error'), message: String(o.message ?? e), detail: o.detail };
  }
  return { name: 'Error', message: String(e) };
}

/** Raised on the client side with the server's error as data. */
export class RemoteError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

function isMessage(m: unknown): m is RpcMessage {
  return typeof m === 'object' && m !== null && typeof (m as { t?: unknown }).t === 'string' && typeof (m as { id?: unknown }).id === 'number';
}

/** Serves handlers on a port. Requests run concurrently; each can be cancelled by id. */
export function serve(port: PortLike, handlers: Record<string, Handler>): () => void {
  const running = new Map<number, AbortController>();
  return port.listen(async (raw) => {
    if (!isMessage(raw)) return;
    if (raw.t === 'cancel') {
      running.get(raw.id)?.abort();
      return;
    }
    if (raw.t !== 'req') return;
    const { id, method, params } = raw;
    const handler = Object.prototype.hasOwnProperty.call(handlers, method) ? handlers[method] : undefined;
    if (!handler) {
      port.post({ t: 'res', id, ok: false, error: { name: 'UnknownMethod', message: `unknown method '${String(method)}'` } });
      return;
    }
    const ac = new AbortController();
    running.set(id, ac);
    try {
      const result = await handler(params, { signal: ac.signal, progress: (data) => port.post({ t: 'progress', id, data }) });
      const transfer = result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : undefined;
      port.post({ t: 'res', id, ok: true, result }, transfer);
    } catch (e) {
      port.post({ t: 'res', id, ok: false, error: toRpcError(e) });
    } finally {
      running.delete(id);
    }
  });
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (data: unknown) => void;
}

/** Client side: `call(method, params)` resolves with the result or rejects with a RemoteError. */
export function connect(port: PortLike): { call(method: string, params: unknown, opts?: CallOptions): Promise<unknown>; close(): void } {
  let next = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; onProgress?: (d: unknown) => void }>();
  const stop = port.listen((raw) => {
    if (!isMessage(raw)) return;
    const p = pending.get(raw.id);
    if (!p) return;
    if (raw.t === 'progress') p.onProgress?.(raw.data);
    else if (raw.t === 'res') {
      pending.delete(raw.id);
      if (raw.ok) p.resolve(raw.result);
      else p.reject(new RemoteError(raw.error.name, raw.error.message, raw.error.detail));
    }
  });
  return {
    call(method, params, opts = {}) {
      const id = next++;
      return new Promise((resolve, reject) => {
        if (opts.signal?.aborted) return reject(new RemoteError('AbortError', 'cancelled'));
        pending.set(id, { resolve, reject, onProgress: opts.onProgress });
        opts.signal?.addEventListener('abort', () => port.post({ t: 'cancel', id }), { once: true });
        port.post({ t: 'req', id, method, params });
      });
    },
    close() {
      stop();
      for (const p of pending.values()) p.reject(new RemoteError('Disconnected', 'engine connection closed'));
      pending.clear();
    },
  };
}
