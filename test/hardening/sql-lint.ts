import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One `${…}` inside a template literal that reads as SQL. */
export interface Interpolation {
  file: string;
  line: number;
  expr: string;
}

/**
 * Template literals of a TypeScript source, with their `${…}` expressions (nested templates and
 * braces handled; comments and ordinary strings skipped).
 */
export function templates(src: string): { start: number; text: string; exprs: { at: number; expr: string }[] }[] {
  const out: { start: number; text: string; exprs: { at: number; expr: string }[] }[] = [];
  let i = 0;
  const skipString = (q: string) => {
    for (i++; i < src.length && src[i] !== q; i++) if (src[i] === '\\') i++;
    i++;
  };
  // Reads a template starting at src[i] === '`'; returns its literal text and expressions.
  const readTemplate = (): void => {
    const start = i;
    let text = '';
    const exprs: { at: number; expr: string }[] = [];
    for (i++; i < src.length && src[i] !== '`'; i++) {
      if (src[i] === '\\') {
        text += src[i]! + src[i + 1]!;
        i++;
      } else if (src[i] === '$' && src[i + 1] === '{') {
        const at = i;
        i += 2;
        const exprStart = i;
        let depth = 1;
        while (i < src.length && depth > 0) {
          const c = src[i]!;
          if (c === '{') depth++;
          else if (c === '}') depth--;
          else if (c === "'" || c === '"') {
            skipString(c);
            continue;
          } else if (c === '`') {
            readTemplate();
            continue;
          }
          if (depth > 0) i++;
        }
        exprs.push({ at, expr: src.slice(exprStart, i).trim() });
        text += '\u0000';
      } else text += src[i]!;
    }
    i++;
    out.push({ start, text, exprs });
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    else if (c === '/' && src[i + 1] === '*') i = src.indexOf('*/', i) + 2;
    else if (c === "'" || c === '"') skipString(c);
    else if (c === '`') readTemplate();
    else i++;
  }
  return out;
}

/** Upper-case SQL words that mark a template as SQL (our style writes keywords in capitals). */
const SQL_WORDS = /\b(SELECT|FROM|WHERE|JOIN|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|UNION|GROUP BY|ORDER BY|LIMIT|VALUES|CAST|INTERVAL|AND|OR|NOT|IN|IS|CASE|WHEN|THEN|OVER|FILTER|TABLE|COPY|ATTACH|PRAGMA|SET)\b|\b(list_contains|count|sum|coalesce|date_trunc|unnest)\(/;

export const isSql = (text: string): boolean => SQL_WORDS.test(text);

export function engineFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) out.push(p);
    }
  };
  walk(join(root, 'electron', 'engine'));
  return out.sort();
}

/** Every `${…}` inside a SQL template literal of the engine. */
export function sqlInterpolations(root: string): Interpolation[] {
  const out: Interpolation[] = [];
  for (const f of engineFiles(root)) {
    const src = readFileSync(f, 'utf8');
    for (const t of templates(src)) {
      if (!isSql(t.text)) continue;
      for (const e of t.exprs) out.push({ file: relative(root, f).replace(/\\/g, '/'), line: src.slice(0, e.at).split('\n').length, expr: e.expr.replace(/\s+/g, ' ') });
    }
  }
  return out;
}

/**
 * SQL written as an ordinary string glued to a non-literal with `+` ('… WHERE x = ' + v):
 * the lint covers that way of interpolating too.
 */
export function sqlConcatenations(root: string): Interpolation[] {
  const out: Interpolation[] = [];
  const re = /(['"])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\+\s*(?![\s'"`])([\w.$[\]()]+)|([\w.$[\]()]+)\s*\+\s*(['"])((?:(?!\5)[^\\\n]|\\.)*)\5/g;
  for (const f of engineFiles(root)) {
    const src = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, (m) => m.replace(/[^\n]/g, ' '));
    for (const m of src.matchAll(re)) {
      const lit = m[2] ?? m[6] ?? '';
      if (!isSql(lit) || !/\b(SELECT|FROM|WHERE|INSERT|UPDATE|DELETE|VALUES|AND|OR)\b/.test(lit)) continue;
      out.push({ file: relative(root, f).replace(/\\/g, '/'), line: src.slice(0, m.index).split('\n').length, expr: (m[3] ?? m[4])! });
    }
  }
  return out;
}
