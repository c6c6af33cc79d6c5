import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const OUT = join(ROOT, 'out');

/** The bundles that ship: main, the sandboxed preload, and the renderer page. */
export const BUNDLES = {
  main: join(OUT, 'main', 'index.js'),
  preload: join(OUT, 'preload', 'index.cjs'),
  html: join(OUT, 'renderer', 'index.html'),
} as const;

/** Newest modification time among the files under `dir` (recursively). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Makes sure out/ holds bundles built from the current sources: builds when a bundle is missing
 * or older than the main/preload sources or the page template, and throws when the build does not
 * produce them. A test of the bundles must never pass because there was nothing to inspect.
 */
export function ensureBuilt(): void {
  const missing = Object.values(BUNDLES).some((p) => !existsSync(p));
  const sources = Math.max(newest(join(ROOT, 'electron', 'main')), newest(join(ROOT, 'electron', 'preload')), statSync(join(ROOT, 'renderer', 'index.html')).mtimeMs);
  const stale = !missing && Object.values(BUNDLES).some((p) => statSync(p).mtimeMs < sources);
  if (missing || stale) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 15 * 60_000 });
  }
  for (const p of Object.values(BUNDLES)) if (!existsSync(p)) throw new Error(`npm run build did not produce ${p}`);
}

export const read = (p: string): string => readFileSync(p, 'utf8');

/** The renderer's own script and style assets (what index.html loads). */
export function rendererAssets(): string[] {
  const dir = join(OUT, 'renderer', 'assets');
  return readdirSync(dir).filter((f) => /\.(js|css)$/.test(f)).map((f) => join(dir, f));
}

/** Parses a CSP into directive → source list. */
export function parseCsp(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) m.set(name.toLowerCase(), values);
  }
  return m;
}

/**
 * Problems with a CSP: the rules the app promises (ARCHITECTURE: no remote content). `extra`
 * lists sources allowed beyond 'self'/'none'/data:/blob: per directive (documented in RELIABILITY.md).
 */
export function cspProblems(csp: string, extra: Record<string, string[]> = {}): string[] {
  const d = parseCsp(csp);
  const out: string[] = [];
  if (d.get('default-src')?.join(' ') !== "'self'" && d.get('default-src')?.join(' ') !== "'none'") out.push(`default-src is ${d.get('default-src')?.join(' ') ?? 'missing'}`);
  const script = d.get('script-src') ?? d.get('default-src') ?? [];
  if (script.some((s) => s !== "'self'" && s !== "'none'")) out.push(`script-src allows ${script.join(' ')}`);
  if (d.get('object-src')?.join(' ') !== "'none'") out.push('object-src is not none');
  if (d.get('base-uri')?.join(' ') !== "'none'" && d.get('base-uri')?.join(' ') !== "'self'") out.push('base-uri is not restricted');
  const base = new Set(["'self'", "'none'", 'data:', 'blob:']);
  for (const [name, values] of d) {
    for (const v of values) {
      if (/unsafe-eval|unsafe-hashes|strict-dynamic/.test(v)) {
        out.push(`${name} allows ${v}`);
        continue;
      }
      if (v === "'unsafe-inline'" && name !== 'style-src') out.push(`${name} allows 'unsafe-inline'`);
      if (v === "'unsafe-inline'" || base.has(v) || (extra[name] ?? []).includes(v)) continue;
      out.push(`${name} allows the origin ${v}`);
    }
  }
  return out;
}
