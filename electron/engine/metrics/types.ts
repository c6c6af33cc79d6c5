import type { z } from 'zod';
import type { Database } from '../db/database.js';
import type { Filters } from '../../../shared/filters.js';

/** What every metric receives. `signal` aborts long work (the host maps it to DuckDB interrupt()). */
export interface MetricContext {
  db: Database;
  filters: Filters;
  signal?: AbortSignal;
}

/**
 * One metric: a key, a zod schema for its own arguments (beyond the common filters), and a run
 * function. SQL is built by pure functions next to it (tested apart), then run here.
 */
export interface MetricDef<K extends string, A extends z.ZodType, R> {
  key: K;
  title: { zh: string; en: string };
  args: A;
  run(ctx: MetricContext, args: z.infer<A>): Promise<R>;
}

export function defineMetric<K extends string, A extends z.ZodType, R>(m: MetricDef<K, A, R>): MetricDef<K, A, R> {
  return m;
}
