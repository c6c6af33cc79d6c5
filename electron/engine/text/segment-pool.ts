import { Worker } from 'node:worker_threads';
import { Segmenter } from './segmenter.js';

/** Batches queued at the thread beyond which the caller's thread segments too. */
const BEHIND = 2;

/**
 * Segments message texts on a second thread, so jieba runs while the main thread parses and
 * stages (imports use both cores); when the thread falls behind, the caller's thread takes
 * batches too. Falls back to segmenting in this thread when a worker cannot start (e.g. a host
 * that does not ship the worker file).
 */
export class SegmentPool {
  private worker: Worker | null = null;
  private ready: Promise<boolean> | null = null;
  private next = 1;
  private readonly pending = new Map<number, { resolve(t: string[]): void; reject(e: Error): void }>();
  private local: Segmenter | null = null;
  // Worker results are joined by the same separator the Stager uses.

  constructor(private readonly useWorker = true) {}

  private start(): Promise<boolean> {
    if (this.ready) return this.ready;
    this.ready = new Promise<boolean>((resolve) => {
      if (!this.useWorker) return resolve(false);
      try {
        const fromSource = import.meta.url.endsWith('.ts');
        const w = new Worker(new URL(fromSource ? './segment-worker-boot.mjs' : './segment-worker.js', import.meta.url));
        w.unref();
        w.on('message', (m: { ready?: boolean; id?: number; terms?: string[] }) => {
          if (m.ready) return resolve(true);
          const p = this.pending.get(m.id!);
          this.pending.delete(m.id!);
          p?.resolve(m.terms!);
        });
        // Stopped (release/close) before it was ready: segment in this thread instead.
        w.on('exit', () => resolve(false));
        w.on('error', (e) => {
          resolve(false);
          for (const p of this.pending.values()) p.reject(e);
          this.pending.clear();
          this.worker = null;
        });
        this.worker = w;
      } catch {
        resolve(false);
      }
    });
    return this.ready;
  }

  /** Terms of each text, joined by U+0001 ('' for none). */
  async segment(texts: string[]): Promise<string[]> {
    const threaded = await this.start();
    const w = this.worker;
    // A thread already holding BEHIND batches is the import's bottleneck (the parser would wait
    // for it): this thread segments the batch itself instead of idling. (A release() while the
    // thread was starting leaves none: segment here then too.)
    if (threaded && w && this.pending.size < BEHIND) {
      const id = this.next++;
      return new Promise<string[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.postMessage({ id, texts });
      });
    }
    this.local ??= new Segmenter();
    return texts.map((t) => this.local!.terms(t).join('\u0001'));
  }

  /** Stops the thread (and drops the in-thread fallback) until the next `segment` restarts it. */
  release(): void {
    this.local = null;
    void this.close();
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) p.reject(new Error('segmentation stopped'));
    this.pending.clear();
    if (w) await w.terminate();
  }
}
