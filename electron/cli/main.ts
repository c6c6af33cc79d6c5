import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { analyze } from '../engine/analyze.js';
import { renderReport } from '../engine/report/html.js';
import { pseudonymize } from '../engine/report/pseudonymize.js';
import { Engine } from '../engine/engine.js';
import { FORMATS, type FormatId } from '../../shared/model.js';
import { parseMappingSpec, type ColumnMapping, type MappingFormat } from '../../shared/column-mapping.js';
import { previewFile } from '../engine/ingest/preview.js';
import { listIdentityOps, mergeMembers, splitMember, undoIdentity } from '../engine/identity.js';
import { progressPrinter } from './progress.js';
import { printImportSummary, importJson } from './summary.js';

const USAGE = `qunxi — 群析 command line

  qunxi import <files|folders|zips…> --db <path> [--json] [--format <id>]
  qunxi import <csv|jsonl files…> --db <path> --map time=<col>,sender=<col>,text=<col>[,…] [--map-format csv|jsonl]
  qunxi analyze <files…> | --db <path>  --json <out.json> [--from D] [--to D] [--inactivity-days N]
  qunxi report <files…> | --db <path>   --out <report.html> [--pseudonymize] [--lang zh|en]
  qunxi groups --db <path>
  qunxi members --db <path> [--group <id>] [--json]     members with their ids, names and person
  qunxi identity list|undo --db <path>                   hand-made identity decisions
  qunxi identity merge <member id> <member id…> --db <path>   one person (the first stands for the rest of its group)
  qunxi identity split <member id> --db <path>           take a member out of its merge
  qunxi sql --db <path> "<SELECT …>"

Options
  --db <path>      database file (created if missing)
  --json           print the import summary as JSON on stdout (use npm run -s to hide npm's banner)
  --format <id>    skip format detection: ${FORMATS.join(', ')}
  --map <spec>     read generic CSV / JSON Lines with this column mapping (import, analyze, report):
                   comma-separated key=column with keys time, sender, text (required), sender-id,
                   reply, id, group, kind, time-format, delimiter. Columns are CSV header names or
                   dotted JSON paths (author.name). time-format: auto (default), iso, epoch-s,
                   epoch-ms or a pattern such as DD/MM/YYYY HH:mm or M/D/YY, h:mm A.
                   delimiter: comma, semicolon, tab or pipe (default: from the header line)
  --map-format <f> csv or jsonl (default: from the first file's extension, else its content)

analyze and report import the files they are given into a temporary database (deleted
afterwards) unless --db names one; with --db and files, the files are added to that database.
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
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'inactivity-days': { type: 'string' },
      pseudonymize: { type: 'boolean', default: false },
      lang: { type: 'string', default: 'zh' },
      map: { type: 'string', multiple: true },
      group: { type: 'string' },
      'map-format': { type: 'string' },
    },
  });
  if (values.format && !(FORMATS as readonly string[]).includes(values.format)) {
    throw new UsageError(`unknown format '${values.format}'; one of ${FORMATS.join(', ')}`);
  }
  if (values['map-format'] && !values.map) throw new UsageError('--map-format needs --map');
  const mapping = await mappingArg(values.map, values['map-format'] ?? genericOf(values.format), positionals);
  if (mapping && values.format && genericOf(values.format) !== mapping.format) {
    throw new UsageError(`--format ${values.format} conflicts with --map (a ${mapping.format} mapping)`);
  }
  if (!mapping && genericOf(values.format)) throw new UsageError(`--format ${values.format} needs --map (which column holds what)`);
  const format = (mapping ? `generic-${mapping.format}` : values.format) as FormatId | undefined;
  switch (cmd) {
    case 'import': {
      if (positionals.length === 0) throw new UsageError('import: give at least one file');
      if (!values.db) throw new UsageError('import: --db <path> is required');
      const engine = await Engine.open(values.db);
      try {
        const bar = progressPrinter();
        const report = await engine.import(positionals, { format, mapping, onProgress: (p) => bar.update(p) });
        bar.done();
        if (values.json) process.stdout.write(JSON.stringify(importJson(report), null, 2) + '\n');
        else printImportSummary(report, process.stdout);
        for (const e of report.errors) process.stderr.write(`error: ${formatError(e)}\n`);
        return report.errors.length > 0 ? 1 : 0;
      } finally {
        engine.close();
      }
    }
    case 'analyze':
    case 'report': {
      const jsonOut = cmd === 'analyze' ? (values.out ?? jsonPathArg(rest)) : undefined;
      if (cmd === 'analyze' && !jsonOut) throw new UsageError('analyze: --json <out.json> is required');
      if (cmd === 'report' && !values.out) throw new UsageError('report: --out <report.html> is required');
      const inputs = positionals.filter((p) => p !== jsonOut);
      if (!values.db && inputs.length === 0) throw new UsageError(`${cmd}: give files to analyse or --db <path>`);
      if (values.lang !== 'zh' && values.lang !== 'en') throw new UsageError(`${cmd}: --lang is zh or en`);
      const day = /^\d{4}-\d{2}-\d{2}$/;
      for (const k of ['from', 'to'] as const) if (values[k] && !day.test(values[k]!)) throw new UsageError(`${cmd}: --${k} must be YYYY-MM-DD`);
      const inactivity = values['inactivity-days'] ? Number(values['inactivity-days']) : 30;
      if (!Number.isInteger(inactivity) || inactivity < 1) throw new UsageError(`${cmd}: --inactivity-days must be a positive whole number`);
      const tmp = values.db ? null : mkdtempSync(join(tmpdir(), 'qunxi-'));
      const engine = await Engine.open(values.db ?? join(tmp!, 'analyze.duckdb'));
      try {
        let errors = 0;
        if (inputs.length > 0) {
          const bar = progressPrinter();
          const report = await engine.import(inputs, { format, mapping, onProgress: (p) => bar.update(p) });
          bar.done();
          for (const e of report.errors) process.stderr.write(`error: ${formatError(e)}\n`);
          errors = report.errors.length;
        }
        const filters = { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) };
        const doc = await analyze(engine.db, { filters, inactivityDays: inactivity });
        if (cmd === 'analyze') {
          await writeJsonFile(jsonOut!, doc);
          process.stderr.write(`wrote ${doc.groups.length} group(s) to ${jsonOut}\n`);
        } else {
          const lang = values.lang as 'zh' | 'en';
          const shown = values.pseudonymize ? pseudonymize(doc, lang) : doc;
          await writeFile(values.out!, renderReport(shown, { lang, pseudonymized: values.pseudonymize }));
          process.stderr.write(`wrote the report of ${doc.groups.length} group(s) to ${values.out}\n`);
        }
        return errors > 0 ? 1 : 0;
      } finally {
        engine.close();
        if (tmp) rmSync(tmp, { recursive: true, force: true });
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
    case 'members': {
      if (!values.db) throw new UsageError('members: --db <path> is required');
      const engine = await Engine.open(values.db);
      try {
        const group = values.group === undefined ? null : Number(values.group);
        if (group !== null && !Number.isInteger(group)) throw new UsageError('members: --group takes a group id (see qunxi groups)');
        const rows = await engine.db.all<{ id: number; group_id: number; person_id: number; merged_into: number | null; is_bot: boolean; name: string; names: string[]; messages: number }>(
          `SELECT m.id, m.group_id, m.person_id, m.merged_into, m.is_bot, m.name,
             coalesce((SELECT list(DISTINCT n.name ORDER BY n.name) FROM member_names n WHERE n.member_id = m.id), []) AS names,
             (SELECT count(*) FROM messages x WHERE x.author_id = m.id) AS messages
           FROM members m WHERE $g IS NULL OR m.group_id = $g ORDER BY m.group_id, messages DESC, m.id`,
          { g: group },
        );
        if (values.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else {
          for (const r of rows) {
            const extra = [r.merged_into !== null ? `merged into ${r.merged_into}` : '', r.is_bot ? 'bot' : ''].filter(Boolean).join(', ');
            process.stdout.write(`${r.id}\tgroup ${r.group_id}\tperson ${r.person_id}\t${r.name}\t${r.messages} messages\t${r.names.join(' / ')}${extra ? `\t(${extra})` : ''}\n`);
          }
        }
        return 0;
      } finally {
        engine.close();
      }
    }
    case 'identity': {
      if (!values.db) throw new UsageError('identity: --db <path> is required');
      const [action, ...ids] = positionals;
      const nums = ids.map(Number);
      if (nums.some((n) => !Number.isInteger(n) || n <= 0)) throw new UsageError('identity: member ids are positive integers (see qunxi members)');
      const engine = await Engine.open(values.db);
      try {
        if (action === 'merge') {
          if (nums.length < 2) throw new UsageError('identity merge: give two or more member ids');
          await mergeMembers(engine.db, nums);
        } else if (action === 'split') {
          if (nums.length !== 1) throw new UsageError('identity split: give one member id');
          await splitMember(engine.db, nums[0]!);
        } else if (action === 'undo') await undoIdentity(engine.db);
        else if (action !== 'list' && action !== undefined) throw new UsageError(`identity: unknown action '${action}' (list, merge, split, undo)`);
        const ops = await listIdentityOps(engine.db);
        if (values.json) process.stdout.write(JSON.stringify(ops, null, 2) + '\n');
        else {
          for (const o of ops) {
            const who = o.members.map((m) => `${m.id} ${m.name} (${m.group})`).join(' + ');
            process.stdout.write(`#${o.id}\t${o.op}\t${who}\t${o.createdAt}${o.undoneAt ? `\tundone ${o.undoneAt}` : ''}\n`);
          }
        }
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

/** `--json <path>` for analyze (where --json takes a value, unlike import's flag). */
function jsonPathArg(args: string[]): string | undefined {
  const i = args.indexOf('--json');
  const v = i >= 0 ? args[i + 1] : undefined;
  return v && !v.startsWith('--') ? v : undefined;
}

class UsageError extends Error {
  override name = 'UsageError';
}

const genericOf = (format: string | undefined): MappingFormat | undefined =>
  format === 'generic-csv' ? 'csv' : format === 'generic-jsonl' ? 'jsonl' : undefined;

/**
 * The column mapping `--map` gives (undefined without it). Its format is --map-format, else the
 * first file's extension, else what its content looks like.
 */
export async function mappingArg(map: string[] | undefined, mapFormat: string | undefined, files: readonly string[]): Promise<ColumnMapping | undefined> {
  if (!map || map.length === 0) return undefined;
  let format: MappingFormat;
  if (mapFormat !== undefined) {
    if (mapFormat !== 'csv' && mapFormat !== 'jsonl') throw new UsageError(`--map-format is csv or jsonl, not '${mapFormat}'`);
    format = mapFormat;
  } else {
    const first = files[0];
    if (!first) throw new UsageError('--map: give the files to read');
    const ext = extname(first).toLowerCase();
    if (['.jsonl', '.ndjson', '.jsonlines'].includes(ext)) format = 'jsonl';
    else if (['.csv', '.tsv'].includes(ext)) format = 'csv';
    else {
      try {
        format = (await previewFile(first)).format;
      } catch (e) {
        throw new UsageError(`--map: cannot tell whether ${first} is CSV or JSON Lines (${(e as Error).message}); give --map-format csv|jsonl`);
      }
    }
  }
  const r = parseMappingSpec(map, format);
  if ('error' in r) throw new UsageError(`${r.error}\n  e.g. --map time=Date,sender=Author,sender-id=AuthorID,text=Content`);
  return r.mapping;
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
