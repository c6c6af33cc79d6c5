/**
 * docs/LICENSES.md lists the production dependency tree as installed, and nothing in it is
 * strong copyleft or without a licence (scripts/licenses.mjs --check).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './built.js';

describe('production dependency licences', () => {
  it('docs/LICENSES.md is current and flags no copyleft', () => {
    let out = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'licenses.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      out = String((e as { stderr?: string }).stderr ?? e);
    }
    expect(out).toBe('');
    const md = readFileSync(join(ROOT, 'docs', 'LICENSES.md'), 'utf8');
    const direct = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    for (const d of direct) expect(md, d).toMatch(new RegExp(`^\\| ${d.replace(/[/@.]/g, '\\$&')} \\| [^|]+ \\| [^|]+ \\| yes \\|`, 'm'));
  }, 60_000);
});
