import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../electron/cli/main.js';

/** Runs the CLI in-process and captures what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return { code: await main(argv), out: chunks.join('') };
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
}

describe('qunxi members / identity', () => {
  it('merges the same person across two groups, lists and undoes the decision', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qunxi-idcli-'));
    writeFileSync(join(dir, 'WhatsApp Chat with A.txt'), '12/01/2024, 09:00 - Ann: hi\n12/01/2024, 09:05 - +86 138 0013 8000: hello\n13/01/2024, 10:00 - Lee Wei: yo\n');
    writeFileSync(join(dir, 'WhatsApp Chat with B.txt'), '14/01/2024, 08:00 - +86 138-0013-8000: 二群\n14/01/2024, 08:01 - Bo: hi\n');
    const db = join(dir, 'lib.duckdb');
    expect((await cli('import', dir, '--db', db, '--json')).code).toBe(0);

    type Row = { id: number; group_id: number; person_id: number; merged_into: number | null; name: string };
    const members = async () => JSON.parse((await cli('members', '--db', db, '--json')).out) as Row[];
    const m0 = await members();
    const id = (g: number, name: string) => m0.find((r) => r.group_id === g && r.name === name)!.id;
    // The phone number, spelled two ways, is one person in both groups before any decision.
    const telA = m0.find((r) => r.group_id === 1 && r.name.startsWith('+86'))!;
    const telB = m0.find((r) => r.group_id === 2 && r.name.startsWith('+86'))!;
    expect(telA.person_id).toBe(telB.person_id);

    // Lee Wei (group 1) and the number (group 1): one member; across groups: one person.
    const merged = JSON.parse((await cli('identity', 'merge', String(id(1, 'Lee Wei')), String(telA.id), '--db', db, '--json')).out);
    expect(merged).toHaveLength(1);
    const m1 = await members();
    expect(m1.find((r) => r.id === telA.id)!.merged_into).toBe(id(1, 'Lee Wei'));
    expect(new Set([id(1, 'Lee Wei'), telA.id, telB.id].map((x) => m1.find((r) => r.id === x)!.person_id)).size).toBe(1);
    expect(m1.find((r) => r.name === 'Ann')!.person_id).not.toBe(m1.find((r) => r.id === telB.id)!.person_id);

    await cli('identity', 'undo', '--db', db);
    const m2 = await members();
    expect(m2.find((r) => r.id === telA.id)!.merged_into).toBeNull();
    expect(m2.find((r) => r.id === id(1, 'Lee Wei'))!.person_id).not.toBe(m2.find((r) => r.id === telA.id)!.person_id);

    await expect(cli('identity', 'merge', '1', '--db', db)).rejects.toThrow(/two or more/);
    await expect(cli('identity', 'merge', '1', '999', '--db', db)).rejects.toThrow(/no member with id 999/);
  });
});
