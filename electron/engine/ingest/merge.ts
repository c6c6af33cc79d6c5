import type { Database } from '../db/database.js';
import { refreshDerived, stagedGroups } from '../derive.js';
import type { FormatId } from '../../../shared/model.js';
import { insertMessages, type Run } from './merge-messages.js';
import { SEP } from './stage.js';
import type { GroupRecord } from './types.js';

export interface SourceMeta {
  path: string;
  name: string;
  sha256: string;
  format: FormatId;
  encoding: string;
  bytes: number;
  seconds: number;
  /** Group name to use when the export does not name the conversation (the file's stem). */
  fallbackName: string;
}

export interface MergeResult {
  sourceId: number;
  newMessages: number;
  newEvents: number;
}

/** How a conversation is identified across files: the platform's chat id, else its name. */
export function groupExtKey(g: GroupRecord, fallbackName: string): { extKey: string; name: string } {
  const name = g.name.trim() || fallbackName;
  return { extKey: g.externalId ? `id:${g.externalId}` : `name:${name}`, name };
}

/**
 * Moves one staged file into the canonical tables in ONE transaction: groups, members, messages
 * (de-duplicated by fingerprint), nickname history, events (persons resolved by id, else by the
 * name they had), rejects and the source row. Any failure rolls back to the state before the file.
 */
export async function mergeStaged(db: Database, groups: GroupRecord[], meta: SourceMeta, onStep?: () => void): Promise<MergeResult> {
  // Merges of 10^7 rows take tens of seconds, and the UI must hear from us at least once a second:
  // statements run off this thread (the connection's async calls), so a timer keeps ticking
  // through every statement and the commit. (Running them task by task here, in between ticks,
  // left gaps of a second and more: one task can be that long.)
  const tick = () => onStep?.();
  const heartbeat = onStep ? setInterval(tick, 250) : null;
  try {
    return await merge(db, groups, meta, tick);
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
}

async function merge(db: Database, groups: GroupRecord[], meta: SourceMeta, tick: () => void): Promise<MergeResult> {
  const run: Run = async (sql, params) => {
    await db.run(sql, params);
    tick();
  };
  await run(`CREATE OR REPLACE TEMP TABLE stg_groups (key VARCHAR, platform VARCHAR, ext_key VARCHAR, name VARCHAR, chat_type VARCHAR)`);
  for (const g of groups) {
    const { extKey, name } = groupExtKey(g, meta.fallbackName);
    await run(`INSERT INTO stg_groups VALUES ($k, $p, $e, $n, $c)`, { k: g.key, p: g.platform, e: extKey, n: name, c: g.chatType });
  }

  return db.transaction(async () => {
    const src = await db.one<{ id: number }>(`SELECT nextval('seq_source')::INTEGER AS id`);
    const sourceId = src!.id;

    // Groups: new ones get the next ids; a known group whose name was unknown takes the new name.
    await run(`INSERT INTO groups
      SELECT (SELECT coalesce(max(id), 0) FROM groups) + row_number() OVER (ORDER BY s.key), s.platform, s.ext_key, s.name, s.chat_type
      FROM stg_groups s WHERE NOT EXISTS (SELECT 1 FROM groups g WHERE g.platform = s.platform AND g.ext_key = s.ext_key)`);
    await run(`CREATE OR REPLACE TEMP TABLE stg_gmap AS
      SELECT s.key, g.id AS group_id FROM stg_groups s JOIN groups g ON g.platform = s.platform AND g.ext_key = s.ext_key`);

    // Senders of this file with their conversation, and people with a stable key: every sender,
    // and event persons the export identifies by id.
    await run(`CREATE OR REPLACE TEMP TABLE stg_people AS
      SELECT group_id, key, any_value(pid) AS pid, arg_max(name, ts) AS name, bool_or(bot) AS is_bot FROM (
        SELECT gm.group_id, s.sender_key AS key, s.sender_pid AS pid, s.sender_name AS name, l.ts, s.sender_bot AS bot
          FROM (SELECT sender, max(ts) AS ts FROM stg_msg GROUP BY sender) l
          JOIN stg_senders s ON s.idx = l.sender JOIN stg_gmap gm ON gm.key = s.group_key
        UNION ALL
        SELECT gm.group_id, e.actor_key, e.actor_pid, e.actor_name, e.ts, false
          FROM stg_events e JOIN stg_gmap gm ON gm.key = e.group_key WHERE e.actor_pid IS NOT NULL
        UNION ALL
        SELECT gm.group_id, e.subject_key, e.subject_pid, e.subject_name, e.ts, false
          FROM stg_events e JOIN stg_gmap gm ON gm.key = e.group_key WHERE e.subject_pid IS NOT NULL
      ) GROUP BY group_id, key`);
    await run(`UPDATE members SET is_bot = true FROM stg_people p
      WHERE p.is_bot AND NOT members.is_bot AND members.group_id = p.group_id AND members.key = p.key`);
    await insertMembers(run, 'stg_people');
    await run(`CREATE OR REPLACE TEMP TABLE stg_sm AS
      SELECT s.*, gm.group_id, coalesce(mem.merged_into, mem.id) AS member_id, mem.id AS author_id
      FROM stg_senders s JOIN stg_gmap gm ON gm.key = s.group_key
      JOIN members mem ON mem.group_id = gm.group_id AND mem.key = s.sender_key`);

    const newMessages = await insertMessages(db, run, sourceId);

    // Nickname history from the messages this file added (stg_sagg: per staged sender).
    await run(`INSERT INTO member_names
      SELECT author_id, sender_name, min(first_seen), max(last_seen), sum(n)::BIGINT
      FROM stg_sagg GROUP BY author_id, sender_name
      ON CONFLICT (member_id, name) DO UPDATE SET
        first_seen = least(member_names.first_seen, excluded.first_seen),
        last_seen = greatest(member_names.last_seen, excluded.last_seen),
        messages = member_names.messages + excluded.messages`);
    // Other names the export gives beside the shown one (Discord account name, Slack real name).
    await run(`INSERT INTO member_names
      SELECT author_id, alias, min(first_seen), max(last_seen), 0
      FROM (SELECT author_id, first_seen, last_seen, unnest(string_split(sender_aliases, $sep)) AS alias FROM stg_sagg WHERE sender_aliases IS NOT NULL)
      GROUP BY author_id, alias
      ON CONFLICT (member_id, name) DO UPDATE SET
        first_seen = least(member_names.first_seen, excluded.first_seen),
        last_seen = greatest(member_names.last_seen, excluded.last_seen)`, { sep: SEP });

    // A quote that names its author by id and by display name (WeChat refermsg: chatusr +
    // displayname) teaches us that member's group card, which notices and @mentions use.
    await run(`INSERT INTO member_names
      SELECT mem.id, s.quote_name, min(s.ts), max(s.ts), 0
      FROM stg_quotes s JOIN members mem ON mem.group_id = s.group_id AND mem.key = s.quote_key
      WHERE s.quote_key IS NOT NULL AND s.quote_name IS NOT NULL AND length(s.quote_name) > 0
      GROUP BY mem.id, s.quote_name
      ON CONFLICT (member_id, name) DO UPDATE SET
        first_seen = least(member_names.first_seen, excluded.first_seen),
        last_seen = greatest(member_names.last_seen, excluded.last_seen)`);

    await resolveReplies(db, run, sourceId);
    const newEvents = await mergeEvents(db, run, sourceId);
    await refreshMemberNames(db);
    await refreshDerived(db, await stagedGroups(db), tick);

    await run(
      `INSERT INTO rejects SELECT $src, coalesce(file, $file), line, reason, raw FROM stg_rejects`,
      { src: sourceId, file: meta.path },
    );
    const counts = (await db.one<{ m: number; e: number; r: number }>(
      `SELECT (SELECT count(*) FROM stg_msg) AS m, (SELECT count(DISTINCT seq) FROM stg_events) AS e,
              (SELECT count(*) FROM stg_rejects) AS r`,
    ))!;
    await run(
      `INSERT INTO sources VALUES ($id, $path, $name, $sha, $fmt, $enc, $bytes, now()::TIMESTAMP, $m, $nm, $e, $r, $sec)`,
      {
        id: sourceId, path: meta.path, name: meta.name, sha: meta.sha256, fmt: meta.format, enc: meta.encoding,
        bytes: meta.bytes, m: counts.m, nm: newMessages, e: counts.e, r: counts.r, sec: meta.seconds,
      },
    );
    return { sourceId, newMessages, newEvents };
  });
}

/**
 * Inserts the rows of `table` (group_id, key, pid, name, is_bot) that are not members yet. A new
 * member is the same person as a known member of another group with the same platform id (or,
 * on WhatsApp, the same phone number); else a person of their own.
 */
async function insertMembers(run: Run, table: string): Promise<void> {
  await run(`INSERT INTO members
    SELECT (SELECT coalesce(max(id), 0) FROM members) + row_number() OVER (ORDER BY p.group_id, p.key), p.group_id, p.key, p.pid, p.name,
      p.is_bot, NULL, NULL
    FROM ${table} p WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.group_id = p.group_id AND m.key = p.key)`);
  await run(`UPDATE members SET person_id = coalesce(d.known, members.id) FROM (
      SELECT n.id, (SELECT min(coalesce(o.person_id, o.id)) FROM members o JOIN groups og ON og.id = o.group_id
                    WHERE og.platform = g.platform AND coalesce(o.person_id, o.id) > 0
                      AND coalesce(o.platform_id, CASE WHEN starts_with(o.key, 'tel:') THEN o.key END) = n.ident) AS known
      FROM (SELECT id, group_id, coalesce(platform_id, CASE WHEN starts_with(key, 'tel:') THEN key END) AS ident
            FROM members WHERE person_id IS NULL) n JOIN groups g ON g.id = n.group_id) d
    WHERE members.id = d.id`);
}

/** Replies by platform id; WeChat-style quotes by the quoted member's name and text. */
async function resolveReplies(db: Database, run: Run, sourceId: number): Promise<void> {
  await run(`UPDATE messages SET reply_to = t.id FROM messages t
    WHERE messages.reply_to IS NULL AND messages.reply_ext IS NOT NULL
      AND t.group_id = messages.group_id AND t.ext_id = messages.reply_ext
      AND messages.group_id IN (SELECT group_id FROM stg_gmap)`);
  // The quoted member: by platform id where the export gives one (WeChat chatusr), else by a
  // name they bore. The quoted message: their latest earlier message with that text.
  // The quoting messages are collected first into a small table: joining `messages` to itself
  // on time before filtering would be quadratic.
  const quotes = (await db.one<{ n: number }>(`SELECT count(*) AS n FROM stg_quotes`))!.n;
  if (quotes === 0) return;
  const byQuote = async (who: string) => {
    await run(
      `CREATE OR REPLACE TEMP TABLE stg_q AS
       SELECT m.id, m.group_id, m.ts, m.quote_text, qm.member_id
       FROM stg_quotes s
       JOIN messages m ON m.group_id = s.group_id AND m.fp = s.fp AND m.source_id = $src
       ${who}
       WHERE m.reply_to IS NULL`,
      { src: sourceId },
    );
    await run(`UPDATE messages SET reply_to = q.target FROM (
         SELECT q.id, arg_max(t.id, t.ts) AS target
         FROM stg_q q
         JOIN messages t ON t.member_id = q.member_id AND t.group_id = q.group_id
         WHERE t.ts <= q.ts AND t.id <> q.id AND length(t.text) > 0
           AND (t.text = q.quote_text OR starts_with(t.text, q.quote_text) OR starts_with(q.quote_text, t.text))
         GROUP BY q.id) q
       WHERE messages.id = q.id`);
  };
  await byQuote(`JOIN (SELECT coalesce(merged_into, id) AS member_id, group_id, key FROM members) qm ON qm.group_id = s.group_id AND qm.key = s.quote_key`);
  await byQuote(`JOIN member_names_eff qm ON qm.name = s.quote_name`);
}

/**
 * Events: persons with ids map by key; name-only persons (QQ join notices, WhatsApp) map to the
 * member who bore that name in the group (one with a platform id first), else become name-keyed
 * members of their own, silent until they speak.
 */
async function mergeEvents(db: Database, run: Run, sourceId: number): Promise<number> {
  await run(`CREATE OR REPLACE TEMP TABLE stg_pnames AS
    SELECT DISTINCT gm.group_id, p.key, p.name FROM (
      SELECT group_key, actor_key AS key, actor_name AS name FROM stg_events WHERE actor_key IS NOT NULL AND actor_pid IS NULL
      UNION ALL
      SELECT group_key, subject_key, subject_name FROM stg_events WHERE subject_key IS NOT NULL AND subject_pid IS NULL
    ) p JOIN stg_gmap gm ON gm.key = p.group_key`);
  await run(`CREATE OR REPLACE TEMP TABLE stg_pmap AS
    SELECT p.group_id, p.key, arg_min(mem.id, (mem.platform_id IS NULL)::INTEGER * 1000000000 - n.messages) AS member_id
    FROM stg_pnames p
    JOIN members mem ON mem.group_id = p.group_id
    JOIN member_names n ON n.member_id = mem.id AND n.name = p.name
    GROUP BY p.group_id, p.key`);
  await run(`CREATE OR REPLACE TEMP TABLE stg_people AS
    SELECT p.group_id, p.key, NULL::VARCHAR AS pid, p.name, false AS is_bot FROM stg_pnames p
    WHERE NOT EXISTS (SELECT 1 FROM stg_pmap x WHERE x.group_id = p.group_id AND x.key = p.key)`);
  await insertMembers(run, 'stg_people');
  await run(`INSERT INTO stg_pmap SELECT p.group_id, p.key, m.id FROM stg_people p
    JOIN members m ON m.group_id = p.group_id AND m.key = p.key`);
  // Silent members still get a name row so they can be found by name.
  await run(`INSERT INTO member_names
    SELECT m.id, p.name, min(CAST(e.ts AS TIMESTAMP)), max(CAST(e.ts AS TIMESTAMP)), 0
    FROM stg_people p JOIN members m ON m.group_id = p.group_id AND m.key = p.key
    JOIN stg_gmap gm ON gm.group_id = p.group_id
    JOIN stg_events e ON e.group_key = gm.key AND (e.subject_key = p.key OR e.actor_key = p.key)
    GROUP BY m.id, p.name
    ON CONFLICT (member_id, name) DO NOTHING`);

  const person = (col: 'actor' | 'subject') => `coalesce(
      (SELECT x.member_id FROM stg_pmap x WHERE x.group_id = gm.group_id AND x.key = e.${col}_key AND e.${col}_pid IS NULL),
      (SELECT m.id FROM members m WHERE m.group_id = gm.group_id AND m.key = e.${col}_key))`;
  await run(`CREATE OR REPLACE TEMP TABLE stg_enew AS
    SELECT gm.group_id, e.*, ${person('actor')} AS actor_id, ${person('subject')} AS subject_id,
      hash(e.kind, e.ts, e.text, coalesce(e.subject_key, ''), e.occ) AS fp
    FROM (SELECT *, row_number() OVER (PARTITION BY group_key, kind, ts, text, subject_key ORDER BY line, seq) AS occ
          FROM stg_events) e
    JOIN stg_gmap gm ON gm.key = e.group_key`);
  await run(`DELETE FROM stg_enew WHERE EXISTS (SELECT 1 FROM events x WHERE x.group_id = stg_enew.group_id AND x.fp = stg_enew.fp)`);
  await run(
    `INSERT INTO events
     SELECT (SELECT coalesce(max(id), 0) FROM events) + row_number() OVER (ORDER BY e.ts, e.line, e.seq),
       e.group_id, $src, e.line, CAST(e.ts AS TIMESTAMP),
       CASE WHEN e.utc_ms IS NULL THEN NULL ELSE to_timestamp(e.utc_ms / 1000) END,
       e.kind, coalesce(a.merged_into, a.id), coalesce(b.merged_into, b.id), e.text, e.fp, e.actor_id, e.subject_id
     FROM stg_enew e LEFT JOIN members a ON a.id = e.actor_id LEFT JOIN members b ON b.id = e.subject_id`,
    { src: sourceId },
  );
  return (await db.one<{ n: number }>(`SELECT count(DISTINCT (line, seq)) AS n FROM stg_enew`))!.n;
}

/** A member's shown name is the one they used last. */
export async function refreshMemberNames(db: Database, all = false): Promise<void> {
  await db.run(`UPDATE members SET name = n.name FROM (
      SELECT member_id, arg_max(name, (last_seen, messages)) AS name FROM member_names_eff GROUP BY member_id) n
    WHERE members.id = n.member_id AND members.name <> n.name
      ${all ? '' : 'AND members.group_id IN (SELECT group_id FROM stg_gmap)'}`);
}
