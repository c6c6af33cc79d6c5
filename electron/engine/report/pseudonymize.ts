import type { AnalysisDocument, GroupAnalysis } from '../analyze.js';

/**
 * Replaces member names with stable aliases everywhere in an analysis: every `{id|memberId, name}`
 * object, nickname lists, and names written inside chat text (longest first, so a name that
 * contains another is replaced whole). Aliases follow member ids, so the same database always
 * gives the same alias to the same member.
 */
export function pseudonymize(doc: AnalysisDocument, lang: 'zh' | 'en'): AnalysisDocument {
  return { ...doc, groups: doc.groups.map((g) => pseudonymizeGroup(g, lang)) };
}

function pseudonymizeGroup(g: GroupAnalysis, lang: 'zh' | 'en'): GroupAnalysis {
  const ids = [...new Set(g.members.map((m) => m.id))].sort((a, b) => a - b);
  const width = String(ids.length).length;
  const alias = new Map(ids.map((id, i) => [id, `${lang === 'zh' ? '成员' : 'Member '}${String(i + 1).padStart(Math.max(3, width), '0')}`]));
  const byName: [string, string][] = [];
  for (const m of g.members) {
    const a = alias.get(m.id)!;
    for (const n of new Set([m.name, ...m.names])) if (n.trim().length >= 2) byName.push([n, a]);
  }
  byName.sort((x, y) => y[0].length - x[0].length);
  const scrubText = (s: string): string => {
    let out = s;
    for (const [n, a] of byName) if (out.includes(n)) out = out.split(n).join(a);
    return out;
  };
  const walk = (v: unknown, key: string): unknown => {
    if (Array.isArray(v)) return key === 'names' ? v.map((x) => (typeof x === 'string' ? scrubText(x) : walk(x, ''))) : v.map((x) => walk(x, key));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const id = typeof o['memberId'] === 'number' ? o['memberId'] : typeof o['id'] === 'number' ? o['id'] : null;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) {
        if (k === 'name' && typeof x === 'string') out[k] = id !== null && alias.has(id) ? alias.get(id) : scrubText(x);
        else if (k === 'names' && Array.isArray(x)) out[k] = x.map((n) => (typeof n === 'string' ? alias.get(id ?? -1) ?? scrubText(n) : walk(n, '')));
        else out[k] = walk(x, k);
      }
      return out;
    }
    if (typeof v === 'string' && (key === 'text' || key === 'zh' || key === 'en')) return scrubText(v);
    return v;
  };
  const { name: groupName, ...rest } = g;
  return { name: groupName, ...(walk(rest, '') as Omit<GroupAnalysis, 'name'>) };
}
