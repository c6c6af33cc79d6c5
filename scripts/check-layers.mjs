#!/usr/bin/env node
// Layering rules (ARCHITECTURE §6 rule 8), checked mechanically on every `npm test`:
//  - shared/ and renderer/ never import Node built-ins, Node-only packages, 'electron' or engine code;
//  - electron/engine/ and electron/cli/ never import 'electron' (the engine is plain Node).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { builtinModules } from 'node:module';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const NODE_ONLY = new Set(['@duckdb/node-api', '@node-rs/jieba', 'ws', 'yauzl', 'iconv-lite', 'graphology-metrics', 'stream-json']);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function* files(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (e === 'node_modules' || e.startsWith('.')) continue;
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|tsx|mts)$/.test(e)) yield p;
  }
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
const problems = [];

function check(dir, rule) {
  for (const f of files(join(root, dir))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const why = rule(spec, f);
      if (why) problems.push(`${relative(root, f)}: imports '${spec}': ${why}`);
    }
  }
}

const browserRule = (spec, f) => {
  if (builtins.has(spec) || spec.startsWith('node:')) return 'Node built-in in browser-side code';
  if (spec === 'electron' || spec.startsWith('electron/')) return "'electron' in browser-side code";
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  if (NODE_ONLY.has(pkg)) return 'Node-only package in browser-side code';
  if (spec.startsWith('.')) {
    const target = resolve(dirname(f), spec);
    if (relative(join(root, 'electron'), target).split(/[\\/]/)[0] !== '..') return 'engine/desktop code imported from browser-side code';
  }
  return null;
};
const engineRule = (spec) => (spec === 'electron' || spec.startsWith('electron/') ? "the engine must never import 'electron'" : null);

check('shared', browserRule);
check('renderer', browserRule);
check('electron/engine', engineRule);
check('electron/cli', engineRule);

if (problems.length) {
  console.error(`layering violations (${problems.length}):\n` + problems.join('\n'));
  process.exit(1);
}
console.log('layers ok: shared/ and renderer/ are browser-only; the engine never imports electron');
