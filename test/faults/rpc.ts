/** The Engine API served on a real MessageChannel, as the hosts do (structured clone, async delivery). */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { Engine } from '../../electron/engine/engine.js';
import { engineHandlers } from '../../electron/engine/host/handlers.js';
import { connect, serve, type PortLike } from '../../shared/rpc.js';

export const nodePort = (p: MessagePort): PortLike => ({
  post: (msg, transfer) => p.postMessage(msg, transfer ?? []),
  listen(cb) {
    p.on('message', cb);
    return () => p.off('message', cb);
  },
});

export function rpcClient(engine: Engine) {
  const { port1, port2 } = new MessageChannel();
  const stop = serve(nodePort(port1), engineHandlers(engine, { version: 'test', demo: false }));
  const client = connect(nodePort(port2));
  return {
    call: client.call,
    close() {
      client.close();
      stop();
      port1.close();
    },
  };
}
