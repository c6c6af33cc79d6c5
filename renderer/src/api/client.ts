import { connect, type CallOptions, type PortLike } from '../../../shared/rpc';
import type { DesktopApi } from '../../../shared/desktop';
import type { EngineMethod, EngineParamsOf, EngineResults } from '../../../shared/api';
import { electronPort, tokenFromLocation, webSocketPort } from './transport';

/** Typed Engine API client; the transport (MessagePort or WebSocket) is injected. */
export interface EngineClient {
  call<M extends EngineMethod>(method: M, params: EngineParamsOf<M>, opts?: CallOptions): Promise<EngineResults[M]>;
  /** Browser mode only: upload a file to the server, returning the path the engine can import. */
  upload?(file: File, onProgress?: (sent: number) => void): Promise<string>;
  mode: 'desktop' | 'browser';
}

export function clientOver(port: PortLike, mode: EngineClient['mode']): EngineClient {
  const rpc = connect(port);
  return {
    mode,
    call: (method, params, opts) => rpc.call(method, params, opts) as never,
  };
}

declare global {
  interface Window {
    qunxiDesktop?: DesktopApi;
  }
}

export async function connectEngine(): Promise<EngineClient> {
  if (window.qunxiDesktop) return clientOver(await electronPort(), 'desktop');
  const token = tokenFromLocation() ?? '';
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
  const client = clientOver(await webSocketPort(url), 'browser');
  client.upload = async (file, onProgress) => {
    // fetch has no upload progress; report start and end.
    onProgress?.(0);
    const r = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers: { 'x-qunxi-token': token }, body: file });
    if (!r.ok) throw new Error(`upload failed: ${r.status} ${await r.text()}`);
    onProgress?.(file.size);
    return ((await r.json()) as { path: string }).path;
  };
  return client;
}
