/**
 * The peer, chat-analytics (https://github.com/mlomb/chat-analytics): installed on demand into a
 * scratch folder (never into our package.json) and run through its own CLI, as its README shows:
 * `chat-analytics -p <platform> -i <files> -o report.html`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MiB } from './lib.js';
import { runMeasured } from './proc.js';
import type { BenchFormat } from './data.js';

export const PEER_PACKAGE = 'chat-analytics';
/** Pinned so that runs compare against the same peer; override with --peer-version. */
export const PEER_VERSION = '1.1.2';

export interface Peer {
  version: string;
  /** Absolute path of the CLI script (package.json "bin"). */
  cli: string;
}

export interface PeerRun {
  ok: boolean;
  /** Why there is no number: 'unsupported', 'OOM', 'timeout', 'exit 1', … */
  failure: string | null;
  wallS: number | null;
  peakRssMB: number | null;
  /** Messages the peer says its report contains. */
  messages: number | null;
  detail: string;
}

/** chat-analytics platforms for our formats; QQ has none. */
export const PEER_PLATFORM: Partial<Record<BenchFormat, string>> = { whatsapp: 'whatsapp', telegram: 'telegram' };

function installedCli(prefix: string, version: string): Peer | null {
  const dir = join(prefix, 'node_modules', PEER_PACKAGE);
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string; bin?: string | Record<string, string> };
    if (pkg.version !== version) return null;
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.[PEER_PACKAGE] ?? Object.values(pkg.bin ?? {})[0];
    if (!bin) return null;
    const cli = join(dir, bin);
    return existsSync(cli) ? { version: pkg.version, cli } : null;
  } catch {
    return null;
  }
}

/** Installs chat-analytics@version under `prefix` unless it is already there. */
export async function ensurePeer(prefix: string, version: string, log: (s: string) => void): Promise<Peer> {
  const have = installedCli(prefix, version);
  if (have) return have;
  log(`installing ${PEER_PACKAGE}@${version} into ${prefix} …`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await new Promise<void>((resolve, reject) => {
    const c = spawn(npm, ['install', `${PEER_PACKAGE}@${version}`, '--no-save', '--no-audit', '--no-fund', '--prefix', prefix], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: prefix,
    });
    let err = '';
    c.stderr.setEncoding('utf8').on('data', (s: string) => (err = (err + s).slice(-4000)));
    c.once('error', reject);
    c.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm install ${PEER_PACKAGE}@${version} failed (exit ${code}): ${err}`))));
  });
  const got = installedCli(prefix, version);
  if (!got) throw new Error(`${PEER_PACKAGE}@${version} installed but its CLI was not found under ${prefix}`);
  return got;
}

/** Runs the peer on one file; failures become a PeerRun with `failure` set, never an exception. */
export async function runPeer(peer: Peer, format: BenchFormat, file: string, workDir: string, timeoutMs: number): Promise<PeerRun> {
  const platform = PEER_PLATFORM[format];
  if (!platform) return { ok: false, failure: 'unsupported', wallS: null, peakRssMB: null, messages: null, detail: `${PEER_PACKAGE} has no ${format} importer` };
  const out = join(workDir, `peer-${format}.html`);
  rmSync(out, { force: true });
  // fast-glob reads -i as a glob: escape its special characters so the path means itself.
  const glob = file.replace(/[*?[\]{}()!@+\\]/g, '\\$&');
  const r = await runMeasured(process.execPath, [peer.cli, '-p', platform, '-i', glob, '-o', out], { cwd: workDir, timeoutMs });
  rmSync(out, { force: true });
  const m = / \[\*\] (\d+) messages/.exec(r.stdout);
  const base = { wallS: r.wallMs / 1000, peakRssMB: r.peakRss > 0 ? r.peakRss / MiB : null, messages: m ? Number(m[1]) : null };
  if (r.timedOut) return { ok: false, failure: 'timeout', ...base, detail: `killed after ${(timeoutMs / 1000).toFixed(0)} s` };
  if (r.code !== 0) {
    // V8's heap limit, and its cap on one string's length (a whole file read into one string).
    const kind = /heap out of memory|Allocation failed/i.test(r.stderr) ? 'OOM'
      : /Invalid string length|Cannot create a string longer/i.test(r.stderr) ? 'string too long'
      : `exit ${r.code ?? r.signal}`;
    // The error's own line says more than the stack under it.
    const lines = r.stderr.trim().split('\n').map((l) => l.trim()).filter(Boolean);
    const why = lines.find((l) => /^(\w*Error\b|FATAL ERROR)/.test(l)) ?? lines.slice(-3).join(' ⏎ ');
    return { ok: false, failure: kind, ...base, detail: why.slice(0, 600) };
  }
  if (base.messages === null) return { ok: false, failure: 'no report', ...base, detail: r.stdout.slice(-600) };
  return { ok: true, failure: null, ...base, detail: '' };
}
