/**
 * An engine in a child process, for tests that must kill, lock out or starve a real one.
 *
 *   import --db P files…   import in one call; after each file is COMMITTED prints `done <file>`
 *                          (synchronously, so a line on stdout means the commit happened before it)
 *   open --db P            open (migrating) and print `ok <sources>` or `error <name>: <message>`
 *   hold --db P            open, print `held`, keep the database open until stdin closes
 *   raw --db P             open with DuckDB alone (no Qunxi checks), print `ok` or `error …`
 */
import { writeSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { Engine } from '../../electron/engine/engine.js';

const say = (line: string) => writeSync(1, line + '\n');

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const at = rest.indexOf('--db');
  const db = at >= 0 ? rest[at + 1] : undefined;
  const files = rest.filter((_, i) => i !== at && i !== at + 1);
  if (!db) throw new Error('--db is required');
  if (cmd === 'raw') {
    try {
      (await DuckDBInstance.create(db)).closeSync();
      say('ok');
      return 0;
    } catch (e) {
      say(`error ${(e as Error).message}`);
      return 1;
    }
  }
  let engine: Engine;
  try {
    engine = await Engine.open(db);
  } catch (e) {
    say(`error ${(e as Error).name}: ${(e as Error).message}`);
    return 1;
  }
  say('opened');
  try {
    switch (cmd) {
      case 'open': {
        say(`ok ${(await engine.sources()).length}`);
        return 0;
      }
      case 'hold': {
        say('held');
        await new Promise<void>((r) => {
          process.stdin.on('end', r);
          process.stdin.on('close', r);
          process.stdin.resume();
        });
        return 0;
      }
      case 'import': {
        const seen = new Set<string>();
        const report = await engine.import(files, {
          onProgress: (p) => {
            const k = `${p.phase} ${p.file}`;
            if (seen.has(k)) return;
            seen.add(k);
            say(p.phase === 'done' ? `done ${p.file}` : `phase ${p.phase} ${p.file}`);
          },
        });
        say(`imported ${JSON.stringify({ files: report.results.length, errors: report.errors })}`);
        return report.errors.length > 0 ? 1 : 0;
      }
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  } catch (e) {
    say(`error ${(e as Error).name}: ${(e as Error).message}`);
    return 1;
  } finally {
    engine.close();
    say('closed');
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(3);
  },
);
