import type { z } from 'zod';
import { coreMetrics } from './core/index.js';
import { networkMetrics } from './network/index.js';
import type { MetricDef } from './types.js';

/**
 * Every metric the product shows, keyed by metric key. Keys, argument and result types are
 * derived from this one object (chat-analytics Blocks.ts style), so hosts and the renderer
 * never repeat a string.
 */
export const Metrics = { ...coreMetrics, ...networkMetrics } as const;

export type MetricKey = keyof typeof Metrics;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyMetric = MetricDef<string, z.ZodType, any>;
export type MetricArgs<K extends MetricKey> = (typeof Metrics)[K] extends MetricDef<string, infer A, unknown>
  ? z.input<A>
  : never;
export type MetricResult<K extends MetricKey> = (typeof Metrics)[K] extends MetricDef<string, z.ZodType, infer R> ? R : never;

export const metricKeys = (): MetricKey[] => Object.keys(Metrics) as MetricKey[];
export const getMetric = (key: string): AnyMetric | undefined => (Metrics as Record<string, AnyMetric>)[key];
