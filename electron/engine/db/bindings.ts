import { createRequire } from 'node:module';

let bindings: unknown = null;

/**
 * The raw DuckDB C-API bindings @duckdb/node-api itself loads (resolved from its own location, so
 * the very same native module): for the few calls its classes make slow (per-value caches, BigInt
 * validity masks). Each caller names the calls it uses in its own interface `T`.
 */
export function duckdbBindings<T>(): T {
  if (!bindings) {
    const api = createRequire(import.meta.url).resolve('@duckdb/node-api');
    bindings = createRequire(api)('@duckdb/node-bindings');
  }
  return bindings as T;
}
