/** Small pure statistics over aggregates (never over raw messages). */
import type { SurvivalPoint } from '../../../../shared/metrics/core.js';

export type { SurvivalPoint };

/**
 * Gini coefficient of non-negative values: 0 = everyone equal, → 1 = one holds everything.
 * G = 2·Σ i·x(i) / (n·Σx) − (n+1)/n with x sorted ascending, i = 1..n. 0 for n = 0 or Σx = 0.
 */
export function gini(values: readonly number[]): number {
  const n = values.length;
  const xs = [...values].sort((a, b) => a - b);
  const sum = xs.reduce((s, x) => s + x, 0);
  if (n === 0 || sum === 0) return 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * xs[i]!;
  return (2 * weighted) / (n * sum) - (n + 1) / n;
}

/** Quantile with linear interpolation between order statistics (as DuckDB quantile_cont). */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const xs = [...values].sort((a, b) => a - b);
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number | null => quantile(values, 0.5);

/** One subject of a survival analysis: follow-up time and whether the event (churn) happened. */
export interface SurvivalSubject {
  time: number;
  event: boolean;
}

/**
 * Kaplan–Meier estimator. S(t) = Π over event times tᵢ ≤ t of (1 − dᵢ/nᵢ), nᵢ = subjects with
 * time ≥ tᵢ (censored at tᵢ still count as at risk at tᵢ). Starts with {t: 0, survival: 1};
 * one point per distinct time that has an event or a censoring.
 */
export function kaplanMeier(subjects: readonly SurvivalSubject[]): SurvivalPoint[] {
  const byTime = new Map<number, { d: number; c: number }>();
  for (const s of subjects) {
    const e = byTime.get(s.time) ?? { d: 0, c: 0 };
    if (s.event) e.d++;
    else e.c++;
    byTime.set(s.time, e);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const out: SurvivalPoint[] = [{ t: 0, survival: 1, atRisk: subjects.length, events: 0, censored: 0 }];
  let atRisk = subjects.length;
  let s = 1;
  for (const t of times) {
    const { d, c } = byTime.get(t)!;
    if (d > 0) s *= 1 - d / atRisk;
    const point = { t, survival: s, atRisk, events: d, censored: c };
    if (t === 0) out[0] = point;
    else out.push(point);
    atRisk -= d + c;
  }
  return out;
}

/** First time at which S(t) ≤ 0.5, or null when the curve never gets there. */
export function medianSurvival(curve: readonly SurvivalPoint[]): number | null {
  for (const p of curve) if (p.survival <= 0.5) return p.t;
  return null;
}
