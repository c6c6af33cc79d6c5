import { EngineParams, type ColumnMapping, type EngineInfo, type EngineMethod } from '../../../shared/api.js';
import type { FormatId } from '../../../shared/model.js';
import { previewFile } from '../ingest/preview.js';
import type { Handler } from '../../../shared/rpc.js';
import { SCHEMA_VERSION } from '../db/schema.js';
import type { Engine } from '../engine.js';
import { getMetric } from '../metrics/registry.js';
import { queryMessages } from '../query/messages.js';
import { analyze } from '../analyze.js';
import { renderReport } from '../report/html.js';
import { pseudonymize } from '../report/pseudonymize.js';
import { listIdentityOps, mergeMembers, splitMember, undoIdentity } from '../identity.js';

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly detail: unknown,
  ) {
    super(message);
  }
}

function parse<M extends EngineMethod>(method: M, params: unknown) {
  const r = EngineParams[method].safeParse(params ?? {});
  if (!r.success) {
    throw new ValidationError(`${method}: invalid request: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`, r.error.issues);
  }
  return r.data as import('zod').infer<(typeof EngineParams)[M]>;
}

/**
 * The format a generic import runs as: a mapping implies generic-csv / generic-jsonl (which also
 * keeps folders from being read as bundles); those formats need a mapping; others conflict with one.
 */
export function mappedFormat(method: string, format: FormatId | undefined, mapping: ColumnMapping | undefined): FormatId | undefined {
  if (!mapping) {
    if (format === 'generic-csv' || format === 'generic-jsonl') throw new ValidationError(`${method}: format ${format} needs a column mapping`, { format });
    return format;
  }
  const implied: FormatId = mapping.format === 'csv' ? 'generic-csv' : 'generic-jsonl';
  if (format && format !== implied) throw new ValidationError(`${method}: format ${format} conflicts with a ${mapping.format} column mapping`, { format });
  return implied;
}

export interface HostOptions {
  version: string;
  demo: boolean;
  /** Called to approve a path before import (browser mode only allows chosen/uploaded files). */
  allowPath?: (path: string) => boolean;
}

/**
 * The Engine API served over RPC: every request validated (zod) before it runs; cancellation
 * interrupts DuckDB; errors travel back as data.
 */
export function engineHandlers(engine: Engine, o: HostOptions): Record<EngineMethod, Handler> {
  const interruptOnAbort = (signal: AbortSignal) => {
    const stop = () => engine.db.interrupt();
    signal.addEventListener('abort', stop, { once: true });
    return () => signal.removeEventListener('abort', stop);
  };
  return {
    info: async (p) => {
      parse('info', p);
      const info: EngineInfo = { dbPath: engine.db.path, schemaVersion: SCHEMA_VERSION, version: o.version, demo: o.demo };
      return info;
    },
    listGroups: async (p) => (parse('listGroups', p), engine.groups()),
    listSources: async (p) => (parse('listSources', p), engine.sources()),
    listRejects: async (p) => {
      const { limit, offset } = parse('listRejects', p);
      return engine.rejects(limit, offset);
    },
    importFiles: async (p, ctx) => {
      const { paths, format: given, mapping } = parse('importFiles', p);
      for (const path of paths) {
        if (o.allowPath && !o.allowPath(path)) throw new ValidationError(`importFiles: path not allowed: ${path}`, { path });
      }
      const format = mappedFormat('importFiles', given, mapping);
      return engine.import(paths, { format, mapping, signal: ctx.signal, onProgress: (pr) => ctx.progress(pr) });
    },
    previewFile: async (p) => {
      const { path, ...opts } = parse('previewFile', p);
      if (o.allowPath && !o.allowPath(path)) throw new ValidationError(`previewFile: path not allowed: ${path}`, { path });
      return previewFile(path, opts);
    },
    runMetric: async (p, ctx) => {
      const { key, filters, args } = parse('runMetric', p);
      const metric = getMetric(key);
      if (!metric) throw new ValidationError(`runMetric: unknown metric '${key}'`, { key });
      const a = metric.args.safeParse(args);
      if (!a.success) throw new ValidationError(`runMetric ${key}: invalid args: ${a.error.message}`, a.error.issues);
      const done = interruptOnAbort(ctx.signal);
      try {
        return await metric.run({ db: engine.db, filters, signal: ctx.signal }, a.data);
      } finally {
        done();
      }
    },
    messages: async (p, ctx) => {
      const q = parse('messages', p);
      const done = interruptOnAbort(ctx.signal);
      try {
        return await queryMessages(engine.db, q);
      } finally {
        done();
      }
    },
    report: async (p, ctx) => {
      const { filters, pseudonymize: pseudo, lang } = parse('report', p);
      const { groups, ...rest } = filters;
      const done = interruptOnAbort(ctx.signal);
      try {
        const doc = await analyze(engine.db, { filters: rest, groupIds: groups, signal: ctx.signal });
        return { html: renderReport(pseudo ? pseudonymize(doc, lang) : doc, { lang, pseudonymized: pseudo }) };
      } finally {
        done();
      }
    },
    identity: async (p) => {
      const q = parse('identity', p);
      if (q.action === 'merge') await mergeMembers(engine.db, q.members);
      else if (q.action === 'split') await splitMember(engine.db, q.member);
      else if (q.action === 'undo') await undoIdentity(engine.db);
      return listIdentityOps(engine.db);
    },
  };
}
