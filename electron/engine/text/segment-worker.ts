/**
 * Segmentation thread: receives batches of message texts, answers with each message's terms
 * joined by SEP (one string per message: cheaper to pass between threads than nested arrays).
 * Answers go to the port the pool handed over (it reads them synchronously between batches).
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { Segmenter } from './segmenter.js';

const seg = new Segmenter();
const answers = (workerData as { port: MessagePort }).port;
parentPort!.on('message', (m: { id: number; texts: string[] }) => {
  const out = seg.termsMany(m.texts);
  answers.postMessage({ id: m.id, terms: out });
});
parentPort!.postMessage({ ready: true });
