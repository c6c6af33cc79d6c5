import type { ImportProgress } from '../engine/ingest/import-file.js';

const MB = 1024 * 1024;

/**
 * Import progress on stderr: a redrawn bar on a terminal, a plain line at most once a second
 * otherwise (logs, CI). Never writes to stdout, which carries --json output.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update(p: ImportProgress): void; done(): void } {
  const tty = Boolean(stream.isTTY);
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (!tty && p.phase === 'parse' && now - last < 1000) return;
      last = now;
      const pct = p.totalBytes > 0 ? Math.min(100, (100 * p.bytesRead) / p.totalBytes) : 0;
      const secs = p.elapsedMs / 1000;
      const rate = secs > 0 ? p.bytesRead / MB / secs : 0;
      const left = rate > 0 ? (p.totalBytes - p.bytesRead) / MB / rate : 0;
      const name = p.file.length > 40 ? '…' + p.file.slice(-39) : p.file;
      const info = `${pct.toFixed(0).padStart(3)}% ${rate.toFixed(1)} MB/s ${p.records.toLocaleString('en')} records ${p.phase === 'merge' ? 'saving…' : p.phase === 'done' ? 'done' : `~${left.toFixed(0)}s left`}`;
      if (tty) {
        const width = 24;
        const fill = Math.round((pct / 100) * width);
        stream.write(`\r\x1b[2K${name} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${info}`);
        drawn = true;
        if (p.phase === 'done') {
          stream.write('\n');
          drawn = false;
        }
      } else {
        stream.write(`${name}: ${info}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
