/**
 * `npm run faults [-- --kills 100 --messages 20000 --seed S --keep]`: the kill campaign at full
 * size (see kill.ts). Five sample exports of a few MB each (every format, plus a second QQ file
 * merging into the same group); each import takes about a second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { killCampaign, reference } from './kill.js';
import { killSpecs, sampleFiles } from './lib.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '100' },
    messages: { type: 'string', default: '20000' },
    seed: { type: 'string', default: String(Date.now() % 100000) },
    keep: { type: 'boolean', default: false },
  },
});
const kills = Number(values.kills);
const messages = Number(values.messages);
const work = mkdtempSync(join(tmpdir(), 'qunxi-faults-'));
const log = (s: string) => process.stdout.write(s + '\n');
try {
  const t0 = Date.now();
  const files = await sampleFiles(join(work, 'data'), killSpecs(messages));
  log(`generated ${files.length} files (${messages} messages each) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const ref = await reference(files, join(work, 'reference.duckdb'));
  log(`clean import: ${(ref.importMs / 1000).toFixed(1)} s, ${ref.prefix.at(-1)!['messages']} messages; kill seed ${values.seed}`);
  const s = await killCampaign({ kills, seed: values.seed!, files, work, log }, ref);
  log('');
  log(`kills: ${s.kills}, survived: ${s.survived}, full re-runs completed: ${s.completedRuns}, commits that raced the kill: ${s.racedCommits}, WAL recoveries: ${s.walRecoveries}`);
  log(`kills by phase: ${Object.entries(s.byPhase).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  log(`time: ${s.seconds.toFixed(0)} s (seed ${values.seed})`);
  if (s.failures.length > 0) {
    log(`FAILURES (${s.failures.length}):\n${s.failures.join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  if (values.keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
