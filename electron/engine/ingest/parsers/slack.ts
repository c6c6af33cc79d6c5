/**
 * Slack workspace export (FORMATS.md §6), a folder or zip: users.json, the conversation lists
 * (channels.json, groups.json = private channels, mpims.json, dms.json), and one folder per
 * conversation of `YYYY-MM-DD.json` day files, each a JSON array of messages. Each file is
 * streamed through JsonScanner (message elements cut out and JSON.parsed one by one).
 */
import type { ChatType } from '../../../../shared/model.js';
import { JsonScanError, JsonScanner } from '../json-scan.js';
import type { BundleInput, BundleParser, GroupRecord, ParsedRecord, RejectRecord } from '../types.js';
import { SlackNames, decodeSlack, mapSlack, personOf } from './slack-map.js';

const BATCH = 2000;
const USERS = 'users.json';
/** Conversation lists: file, chat type, and whether the day-file folder is named by id (DMs have no name). */
const LISTS: readonly [string, ChatType, boolean][] = [
  ['channels.json', 'channel', false],
  ['groups.json', 'channel', false],
  ['mpims.json', 'group', false],
  ['dms.json', 'private', true],
];
const DAY_FILE = /^([^/]+)\/\d{4}-\d{2}-\d{2}\.json$/;

type Json = Record<string, unknown>;
type Item = { value: unknown; line: number } | RejectRecord;

export const slackParser: BundleParser = {
  format: 'slack-export',
  platform: 'slack',
  detect: async (b) => detectSlack(b.files),
  parse,
};

/**
 * Where the export's files sit: '' when users.json is at the root, 'top/' when everything is in
 * one folder (a zip made of the unpacked export's folder); null when there is no users.json.
 */
function rootOf(files: readonly string[]): string | null {
  if (files.includes(USERS)) return '';
  const slash = files[0]?.indexOf('/') ?? -1;
  if (slash < 0) return null;
  const top = files[0]!.slice(0, slash + 1);
  return files.includes(top + USERS) && files.every((f) => f.startsWith(top)) ? top : null;
}

export function detectSlack(files: readonly string[]): number {
  const root = rootOf(files);
  if (root === null) return 0;
  const set = new Set(files);
  if (!LISTS.some(([f]) => set.has(root + f))) return 0;
  // The lists without any day file: an export of an empty workspace, or only its metadata.
  return files.some((f) => f.startsWith(root) && DAY_FILE.test(f.slice(root.length))) ? 0.95 : 0.3;
}

/**
 * Elements of a file whose top-level value is a JSON array, as they are read; an element that
 * does not parse is a reject at its index, a file that is not a JSON array one reject at line 1
 * (reading stops there; what was read before stays).
 */
async function* arrayItems(bundle: BundleInput, file: string): AsyncGenerator<Item[], void, undefined> {
  const scanner = new JsonScanner({ capture: (p) => p.length === 0, maxEventDepth: 0 });
  const fail = (reason: string, raw: string): RejectRecord => ({ type: 'reject', file, line: 1, reason, raw });
  let started = false;
  let out: Item[] = [];
  const drain = (): boolean => {
    for (const e of scanner.take()) {
      if (!started) {
        started = true;
        if (e.kind !== 'open' || !e.array) {
          out.push(fail('not a Slack message list: the file is not a JSON array', ''));
          return false;
        }
      }
      if (e.kind === 'item') out.push({ value: e.value, line: e.index + 1 });
      else if (e.kind === 'bad-item') {
        out.push({ type: 'reject', file, line: e.index + 1, reason: `invalid JSON at byte ${e.offset}: ${e.error}`, raw: e.raw });
      }
    }
    return true;
  };
  const step = (f: () => void): boolean => {
    try {
      f();
      return drain();
    } catch (err) {
      if (!(err instanceof JsonScanError)) throw err;
      drain();
      out.push(fail(`not valid JSON: ${err.reason} at byte ${err.offset} (line ${err.line})`, err.partial));
      return false;
    }
  };
  const input = await bundle.open(file);
  let ok = true;
  for await (const chunk of input.bytes()) {
    ok = step(() => scanner.push(chunk));
    if (out.length >= BATCH || !ok) {
      yield out;
      out = [];
    }
    if (!ok) return;
  }
  step(() => scanner.end());
  if (out.length) yield out;
}

interface Conversation {
  group: GroupRecord;
  folder: string;
}

async function* parse(bundle: BundleInput): AsyncGenerator<ParsedRecord[], void, undefined> {
  const names = new SlackNames();
  const root = rootOf(bundle.files) ?? '';
  const have = new Set(bundle.files);
  let out: ParsedRecord[] = [];

  if (have.has(root + USERS)) {
    for await (const items of arrayItems(bundle, root + USERS)) {
      for (const it of items) {
        if ('type' in it) out.push(it);
        else {
          const u = it.value as Json | null;
          const id = u && typeof u === 'object' && typeof u.id === 'string' ? u.id : '';
          if (id) names.users.set(id, personOf(id, u!));
        }
      }
    }
  }

  const conversations: Conversation[] = [];
  const seen = new Set<string>();
  const folders = new Set<string>();
  for (const [file, chatType, byId] of LISTS) {
    if (!have.has(root + file)) continue;
    for await (const items of arrayItems(bundle, root + file)) {
      for (const it of items) {
        if ('type' in it) {
          out.push(it);
          continue;
        }
        const c = it.value as Json | null;
        const id = c && typeof c === 'object' && typeof c.id === 'string' ? c.id.trim() : '';
        if (!id || seen.has(id)) continue;
        seen.add(id);
        const raw = typeof c!.name === 'string' ? c!.name.trim() : '';
        if (raw) names.channels.set(id, raw);
        const folder = byId || !raw ? id : raw;
        folders.add(folder);
        conversations.push({ group: group(id, id, conversationName(c!, raw, chatType, names), chatType), folder });
      }
    }
  }

  // Day files by folder (the file list is sorted, so each folder's days come in date order).
  const days = new Map<string, string[]>();
  for (const f of bundle.files) {
    const m = f.startsWith(root) ? DAY_FILE.exec(f.slice(root.length)) : null;
    if (!m) continue;
    let list = days.get(m[1]!);
    if (!list) days.set(m[1]!, (list = []));
    list.push(f);
  }
  // A folder of day files no list names (the list was cut or is missing) is still a conversation.
  for (const folder of days.keys()) {
    if (!folders.has(folder)) conversations.push({ group: group(`folder:${folder}`, null, '#' + folder, 'channel'), folder });
  }

  for (const { group: g, folder } of conversations) {
    out.push(g);
    names.files.clear();
    for (const file of days.get(folder) ?? []) {
      for await (const items of arrayItems(bundle, file)) {
        for (const it of items) {
          const r = 'type' in it ? it : mapSlack(it.value, g.key, file, it.line, names);
          if (r) out.push(r);
        }
        if (out.length >= BATCH) {
          yield out;
          out = [];
        }
      }
    }
  }
  if (out.length) yield out;
}

function group(key: string, externalId: string | null, name: string, chatType: ChatType): GroupRecord {
  return { type: 'group', key, platform: 'slack', externalId, name, chatType };
}

/** '#name' for channels; the members' names for group DMs and DMs (Slack names those by ids). */
function conversationName(c: Json, raw: string, chatType: ChatType, names: SlackNames): string {
  if (chatType === 'channel') return '#' + (raw || String(c.id));
  const members = Array.isArray(c.members) ? c.members.filter((m): m is string => typeof m === 'string') : [];
  if (members.length > 0) return members.map((m) => names.user(m).name).join(', ');
  return raw ? decodeSlack(raw, names).text : String(c.id);
}
