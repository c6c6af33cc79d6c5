/**
 * Child processes measured from outside: wall time, and peak RSS of the whole process tree
 * polled from /proc every 100 ms (threads share their process's RSS, so worker threads are in).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { descendants, parseProcStatus, parseStatPpid, Tail } from './lib.js';

export const HAS_PROC = (() => {
  try {
    readFileSync('/proc/self/status', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

function readStatus(pid: number | 'self') {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** This process's own peak RSS in bytes (VmHWM), null where /proc is missing. */
export function selfPeakRss(): number | null {
  return readStatus('self')?.hwm ?? null;
}

function parentMap(): Map<number, number> {
  const m = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const pp = parseStatPpid(readFileSync(`/proc/${e}/stat`, 'utf8'));
      if (pp !== null) m.set(Number(e), pp);
    } catch {
      // Exited between readdir and read.
    }
  }
  return m;
}

/**
 * Tracks the peak of Σ VmRSS over a process and its descendants, and the largest VmHWM any of
 * them reported (HWM is monotonic, so a short spike between two polls is still caught).
 */
export class TreeRssPoller {
  peakSum = 0;
  peakHwm = 0;
  private timer: NodeJS.Timeout | null = null;
  private tick = 0;
  private kids: number[] = [];

  constructor(private readonly pid: number, private readonly everyMs = 100) {}

  start(): this {
    if (!HAS_PROC) return this;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
    return this;
  }

  /** The peak so far: the larger of the two views, bytes. */
  get peak(): number {
    return Math.max(this.peakSum, this.peakHwm);
  }

  sample(): void {
    // Rescanning /proc for children costs more than a status read; once a second is enough.
    if (this.tick++ % 10 === 0) this.kids = descendants(this.pid, parentMap());
    let sum = 0;
    for (const p of [this.pid, ...this.kids]) {
      const s = readStatus(p);
      if (!s) continue;
      sum += s.rss ?? 0;
      this.peakHwm = Math.max(this.peakHwm, s.hwm ?? 0);
    }
    this.peakSum = Math.max(this.peakSum, sum);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** Peak RSS of the tree, bytes (0 without /proc). */
  peakRss: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface MeasureOptions extends SpawnOptions {
  timeoutMs?: number;
  /** Called with the child right after spawn (IPC listeners, …). */
  onSpawn?: (c: ChildProcess, poller: TreeRssPoller) => void;
  /** Streams the child's stderr here as it comes (progress lines). */
  echoStderr?: (chunk: string) => void;
}

/** Runs a command to completion, measuring wall time and peak tree RSS; never rejects on exit codes. */
export function runMeasured(cmd: string, args: readonly string[], o: MeasureOptions = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const { timeoutMs, onSpawn, echoStderr, ...spawnOpts } = o;
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOpts });
    const out = new Tail();
    const err = new Tail();
    child.stdout?.setEncoding('utf8').on('data', (s: string) => out.push(s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      err.push(s);
      echoStderr?.(s);
    });
    let timedOut = false;
    let timer: NodeJS.Timeout | null = null;
    child.once('error', reject);
    if (child.pid === undefined) return;
    const poller = new TreeRssPoller(child.pid).start();
    onSpawn?.(child, poller);
    if (timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
    }
    child.once('close', (code, signal) => {
      const wallMs = performance.now() - t0;
      poller.stop();
      if (timer) clearTimeout(timer);
      resolve({ code, signal, wallMs, peakRss: poller.peak, stdout: out.toString(), stderr: err.toString(), timedOut });
    });
  });
}
