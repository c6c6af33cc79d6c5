import type { PortLike, RpcMessage } from '../../../shared/rpc';

/** Browser mode: RPC as JSON frames over a WebSocket to the 127.0.0.1 server, token from the URL fragment. */
export function webSocketPort(url: string): Promise<PortLike> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const listeners = new Set<(m: unknown) => void>();
    const queue: string[] = [];
    ws.onmessage = (e) => {
      let m: unknown;
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return;
      }
      for (const l of listeners) l(m);
    };
    ws.onopen = () => {
      for (const q of queue.splice(0)) ws.send(q);
      resolve(port);
    };
    ws.onerror = () => reject(new Error('cannot connect to the Qunxi engine'));
    const port: PortLike = {
      post: (msg: RpcMessage) => {
        const s = JSON.stringify(msg);
        if (ws.readyState === WebSocket.OPEN) ws.send(s);
        else queue.push(s);
      },
      listen: (cb) => (listeners.add(cb), () => listeners.delete(cb)),
    };
  });
}

/** Desktop: the preload forwards a MessagePort to the engine's utility process via window.postMessage. */
export function electronPort(): Promise<PortLike> {
  return new Promise((resolve) => {
    const onMsg = (e: MessageEvent) => {
      if (e.source !== window || e.data !== 'qunxi:engine-port' || !e.ports[0]) return;
      window.removeEventListener('message', onMsg);
      const p = e.ports[0];
      resolve({
        post: (msg, transfer) => p.postMessage(msg, transfer ?? []),
        listen(cb) {
          const h = (ev: MessageEvent) => cb(ev.data);
          p.addEventListener('message', h);
          p.start();
          return () => p.removeEventListener('message', h);
        },
      });
    };
    window.addEventListener('message', onMsg);
  });
}

export const tokenFromLocation = (): string | null => new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
