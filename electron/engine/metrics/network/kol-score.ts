/**
 * Pure scoring of KOL candidates: four engagement components, each normalised to 0..1 over the
 * candidates, combined by a weighted mean. No component counts messages sent, so volume alone
 * scores zero on three of them and only what PageRank gives it on the fourth.
 */
import type { KolCandidate, KolComponent, KolRaw, KolWeights, Normalisation, Reason } from '../../../../shared/metrics/network.js';

export type { KolComponent, KolWeights, Normalisation, KolRaw, Reason, KolCandidate };

export const KOL_COMPONENTS = ['drawnIn', 'pagerank', 'repliesPerMessage', 'conversationsDrawing'] as const satisfies readonly KolComponent[];
export const DEFAULT_KOL_WEIGHTS: KolWeights = { drawnIn: 0.35, pagerank: 0.25, repliesPerMessage: 0.2, conversationsDrawing: 0.2 };

/**
 * 'max': value / largest value among candidates (0 when all are 0) — keeps proportions.
 * 'rank': share of the other candidates with a strictly smaller value — robust to one outlier;
 * a zero value always maps to 0.
 */
export function normalise(values: readonly number[], how: Normalisation): number[] {
  if (how === 'max') {
    const max = Math.max(0, ...values);
    return values.map((v) => (max > 0 ? v / max : 0));
  }
  const sorted = [...values].sort((a, b) => a - b);
  const n = values.length;
  return values.map((v) => {
    if (v <= 0) return 0;
    if (n === 1) return 1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo / (n - 1);
  });
}

const fmt = (x: number): string => (Math.round(x * 100) / 100).toString();

function reasonFor(c: KolComponent, r: KolRaw, prRank: number, total: number, minOthers: number): Reason {
  switch (c) {
    case 'drawnIn':
      return { zh: `${r.drawnIn} 位成员回复或 @ 过 TA`, en: `${r.drawnIn} member${r.drawnIn === 1 ? '' : 's'} replied to or @mentioned them` };
    case 'pagerank':
      return { zh: `互动网络 PageRank 在 ${total} 位候选人中排第 ${prRank}`, en: `PageRank #${prRank} of ${total} candidates in the interaction network` };
    case 'repliesPerMessage':
      return {
        zh: `每发 1 条消息平均收到 ${fmt(r.repliesPerMessage)} 次回复或 @（共 ${r.repliesReceived} 次 / ${r.messages} 条）`,
        en: `${fmt(r.repliesPerMessage)} replies or @mentions received per message sent (${r.repliesReceived} / ${r.messages})`,
      };
    case 'conversationsDrawing':
      return {
        zh: `发起的对话中有 ${r.conversationsDrawing} 场吸引了至少 ${minOthers} 位其他成员参与`,
        en: `Started ${r.conversationsDrawing} conversation${r.conversationsDrawing === 1 ? '' : 's'} that drew in ${minOthers}+ other members`,
      };
  }
}

/** Scores, sorts best first (ties by id) and explains every candidate. */
export function scoreKol(raws: readonly KolRaw[], weights: KolWeights, how: Normalisation, minOthers: number): KolCandidate[] {
  const norm = Object.fromEntries(KOL_COMPONENTS.map((c) => [c, normalise(raws.map((r) => r[c]), how)])) as Record<KolComponent, number[]>;
  const wsum = KOL_COMPONENTS.reduce((s, c) => s + weights[c], 0);
  const prOrder = [...raws].sort((a, b) => b.pagerank - a.pagerank || a.id - b.id);
  const prRank = new Map(prOrder.map((r, i) => [r.id, i + 1]));
  const out = raws.map((r, i): KolCandidate => {
    const components = Object.fromEntries(KOL_COMPONENTS.map((c) => [c, norm[c][i]!])) as Record<KolComponent, number>;
    const score = wsum > 0 ? KOL_COMPONENTS.reduce((s, c) => s + weights[c] * components[c], 0) / wsum : 0;
    const strong = KOL_COMPONENTS.filter((c) => components[c] > 0 && weights[c] > 0).sort(
      (a, b) => weights[b] * components[b] - weights[a] * components[a],
    );
    const reasons = strong.map((c) => reasonFor(c, r, prRank.get(r.id)!, raws.length, minOthers));
    if (r.drawnIn === 0 && r.conversationsDrawing === 0) {
      reasons.push({ zh: `发言 ${r.messages} 条，但没有引来回复或 @`, en: `${r.messages} messages sent, but no replies or @mentions drawn` });
    }
    const { id, name, ...raw } = r;
    return { id, name, score, components, raw, reasons };
  });
  return out.sort((a, b) => b.score - a.score || a.id - b.id);
}
