import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { Segmenter } from './segmenter.js';

/** Batches queued at the thread beyond which the caller's thread segments too. */
const BEHIND = 3;

type Answer = { id: number; terms: string[] };

/**
 * Segments message texts on a second thread, so jieba runs while the main thread parses and
 * stages (imports use both cores); when the thread falls behind, the caller's thread takes
 * batches too. Falls back to segmenting in this thread when a worker cannot start (e.g. a host
 * that does not ship the worker file).
 *
 * Answers come back on a MessagePort that `segment` also drains synchronously
 * (`receiveMessageOnPort`): a parser that runs batch after batch in microtasks never gives the
 * event loop a turn, so an answer delivered as an event would sit unread while the thread idles,
 * and the caller, counting it as still queued, would segment the next batch itself.
 */
export class SegmentPool {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private ready: Promise<boolean> | null = null;
  private next = 1;
  private readonly pending = new Map<number, { resolve(t: string[]): void; reject(e: Error): void }>();
  private local: Segmenter | null = null;
  /** Batches segmented by the thread and by the caller's thread (for tests and the benchmark). */
  readonly stats = { threaded: 0, local: 0 };

  constructor(private readonly useWorker = true) {}

  private start(): Promise<boolean> {
    if (this.ready) return this.ready;
    this.ready = new Promise<boolean>((resolve) => {
      if (!this.useWorker) return resolve(false);
      try {
        const fromSource = import.meta.url.endsWith('.ts');
        const { port1, port2 } = new MessageChannel();
        const w = new Worker(new URL(fromSource ? './segment-worker-boot.mjs' : './segment-worker.js', import.meta.url), {
          workerData: { port: port2 },
          transferList: [port2],
        });
        w.unref();
        port1.unref();
        port1.on('message', (m: Answer) => this.answer(m));
        w.on('message', (m: { ready?: boolean }) => {
          if (m.ready) resolve(true);
        });
        // Stopped (release/close) before it was ready: segment in this thread instead.
        w.on('exit', () => resolve(false));
        w.on('error', (e) => {
          resolve(false);
          for (const p of this.pending.values()) p.reject(e);
          this.pending.clear();
          this.worker = null;
          this.port = null;
        });
        this.worker = w;
        this.port = port1;
      } catch {
        resolve(false);
      }
    });
    return this.ready;
  }

  private answer(m: Answer): void {
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    p?.resolve(m.terms);
  }

  /** Takes every answer already sent by the thread, without waiting for the event loop. */
  poll(): void {
    const port = this.port;
    if (!port) return;
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) this.answer(m.message as Answer);
  }

  /** Terms of each text, joined by U+0001 ('' for none). */
  async segment(texts: string[]): Promise<string[]> {
    const threaded = await this.start();
    const w = this.worker;
    this.poll();
    // A thread already holding BEHIND batches is the import's bottleneck (the parser would wait
    // for it): this thread segments the batch itself instead of idling. (A release() while the
    // thread was starting leaves none: segment here then too.)
    if (threaded && w && this.pending.size < BEHIND) {
      const id = this.next++;
      this.stats.threaded++;
      return new Promise<string[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.postMessage({ id, texts });
      });
    }
    this.stats.local++;
    this.local ??= new Segmenter();
    return this.local.termsMany(texts);
  }

  /** Stops the thread (and drops the in-thread fallback) until the next `segment` restarts it. */
  release(): void {
    this.local = null;
    void this.close();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.port?.close();
    this.port = null;
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) p.reject(new Error('segmentation stopped'));
    this.pending.clear();
    if (w) await w.terminate();
  }
}
