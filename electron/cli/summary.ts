import type { ImportReport } from '../engine/ingest/import.js';

/** The `import --json` document: one entry per conversation found, plus per-file facts and errors. */
export function importJson(r: ImportReport) {
  return {
    groups: r.results.flatMap((f) =>
      f.groups.map((g) => ({
        file: f.file,
        format: g.format,
        group: g.group,
        messages: g.messages,
        senders: g.senders,
        events: g.events,
        rejected: g.rejected,
        from: g.from,
        to: g.to,
      })),
    ),
    files: r.results.map((f) => ({
      file: f.file,
      format: f.format,
      encoding: f.encoding,
      bytes: f.bytes,
      messages: f.messages,
      newMessages: f.newMessages,
      events: f.events,
      rejected: f.rejected,
      duplicateOf: f.duplicateOf,
      seconds: Number(f.seconds.toFixed(3)),
    })),
    errors: r.errors,
    skipped: r.skipped,
  };
}

export function printImportSummary(r: ImportReport, out: NodeJS.WritableStream): void {
  for (const f of r.results) {
    const dup = f.duplicateOf ? ` — identical to ${f.duplicateOf}, nothing new` : '';
    out.write(`${f.file}  [${f.format}, ${f.encoding}, ${(f.bytes / 1024).toFixed(0)} KiB, ${f.seconds.toFixed(2)} s]${dup}\n`);
    for (const g of f.groups) {
      const ev = Object.entries(g.events).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
      out.write(`  ${g.group}: ${g.messages} messages from ${g.senders} senders, events: ${ev}, rejected ${g.rejected}, ${g.from ?? '—'} → ${g.to ?? '—'}\n`);
    }
    out.write(`  stored ${f.newMessages} new messages and ${f.newEvents} new events\n`);
  }
  for (const s of r.skipped) out.write(`skipped ${s.file}: ${s.reason}\n`);
  if (r.results.length === 0 && r.errors.length === 0) out.write('nothing to import\n');
}
