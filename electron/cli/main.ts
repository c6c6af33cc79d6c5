import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { Engine } from '../engine/engine.js';
import { FORMATS, type FormatId } from '../../shared/model.js';
import { progressPrinter } from './progress.js';
import { printImportSummary, importJson } from './summary.js';

const USAGE = `qunxi — 群析 command line

  qunxi import <files|folders|zips…> --db <path> [--json] [--format <id>]
  qunxi groups --db <path>
  qunxi sql --db <path> "<SELECT …>"

Options
  --db <path>      database file (created if missing)
  --json           print the import summary as JSON on stdout (use npm run -s to hide npm's banner)
  --format <id>    skip format detection: ${FORMATS.join(', ')}
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
    },
  });
  if (values.format && !(FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`unknown format '${values.format}'; one of ${FORMATS.join(', ')}`);
  }
  switch (cmd) {
    case 'import': {
      if (positionals.length === 0) throw new UsageError('import: give at least one file');
      if (!values.db) throw new UsageError('import: --db <path> is required');
      const engine = await Engine.open(values.db);
      try {
        const bar = progressPrinter();
        const report = await engine.import(positionals, { format: values.format as FormatId | undefined, onProgress: (p) => bar.update(p) });
        bar.done();
        if (values.json) process.stdout.write(JSON.stringify(importJson(report), null, 2) + '\n');
        else printImportSummary(report, process.stdout);
        for (const e of report.errors) process.stderr.write(`error: ${formatError(e)}\n`);
        return report.errors.length > 0 ? 1 : 0;
      } finally {
        engine.close();
      }
    }
    case 'groups': {
      if (!values.db) throw new UsageError('groups: --db <path> is required');
      const engine = await Engine.open(values.db);
      try {
        const gs = await engine.groups();
        if (values.json) process.stdout.write(JSON.stringify(gs, null, 2) + '\n');
        else for (const g of gs) process.stdout.write(`${g.id}\t${g.platform}\t${g.name}\t${g.messages} messages\t${g.members} members\t${g.from ?? ''} → ${g.to ?? ''}\n`);
        return 0;
      } finally {
        engine.close();
      }
    }
    case 'sql': {
      if (!values.db) throw new UsageError('sql: --db <path> is required');
      const engine = await Engine.open(values.db, { readOnly: true });
      try {
        const rows = await engine.db.all(positionals.join(' '));
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return 0;
      } finally {
        engine.close();
      }
    }
    default:
      throw new UsageError(`unknown command '${cmd}'\n\n${USAGE}`);
  }
}

class UsageError extends Error {
  override name = 'UsageError';
}

function formatError(e: { file: string; line: number | null; offset: number | null; reason: string }): string {
  const at = e.line !== null ? `:${e.line}` : e.offset !== null && e.offset > 0 ? ` (byte ${e.offset})` : '';
  return `${e.file}${at}: ${e.reason}`;
}

export async function writeJsonFile(path: string, data: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(data, null, 2) + '\n');
}

// Run when executed directly (tsx electron/cli/main.ts …), not when imported by tests.
if (process.argv[1] && /cli[\\/]main\.[cm]?[jt]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`qunxi: ${e.name === 'UsageError' ? '' : e.name + ': '}${e.message}\n`);
      process.exit(2);
    },
  );
}
