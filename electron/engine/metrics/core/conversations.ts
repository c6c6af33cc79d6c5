import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { filterSql, type SqlPart } from '../filter-sql.js';
import { defineMetric } from '../types.js';
import { streamScope, type Params } from './common.js';
import type { ConversationsResult, UnansweredQuestion } from '../../../../shared/metrics/core.js';

export type { UnansweredQuestion, ConversationsResult };

export interface ConversationArgs {
  gapMinutes: number;
  responseWindowHours: number;
  topStarters: number;
  limit: number;
}

/**
 * Response times (turn changes inside conversations, selected responders) as a histogram of whole
 * seconds, and their median and 90th percentile read from it exactly as quantile_cont computes them
 * (position h = (n − 1)·q, interpolated between the values at floor(h) and ceil(h)), without
 * collecting every value.
 */
const RESPONSE_QUANTILES = `rt AS (
  SELECT epoch(ts - prev_ts) AS v, count(*) AS c FROM f WHERE sel AND NOT conv_start AND prev_member <> member_id GROUP BY 1),
rtc AS (SELECT v, sum(c) OVER (ORDER BY v ROWS UNBOUNDED PRECEDING) AS upto FROM rt),
rtn AS (SELECT sum(c) AS n FROM rt HAVING sum(c) > 0),
rth AS (SELECT q, (n - 1)::DOUBLE * q AS h FROM rtn CROSS JOIN (SELECT unnest([0.5, 0.9]::DOUBLE[]) AS q)),
rtq AS (
  SELECT q, lo + (hi - lo) * (h - floor(h)) AS x FROM (
    SELECT q, h, (SELECT min(v) FROM rtc WHERE upto > floor(h)) AS lo, (SELECT min(v) FROM rtc WHERE upto > ceil(h)) AS hi FROM rth))`;

/**
 * Pure SQL for the whole metric in one statement, over the derived message order (d_seq: order,
 * neighbours and question flags computed at import).
 *
 * The stream: messages of the selected groups without excluded members, from `from` to
 * `to` + the response window (answers may come after the period). `inp` marks messages inside the
 * period; `sel` those inside it and written by the selected members (all when no member filter).
 * Conversations are counted when they start inside the period and contain a selected message;
 * response times are those of selected responders; questions those asked by selected members.
 *
 * Without `exclude` the stream is a contiguous stretch of each group, so every message's neighbours
 * in it are its precomputed neighbours (cut at the stream's ends) and a question's first answer is
 * the precomputed first later message by someone else (if inside the stream). With `exclude`, only
 * the messages next to runs of excluded ones change (excludingStream).
 */
export function buildConversationsSql(f: Filters, a: ConversationArgs): SqlPart {
  const scope = streamScope(f, 'm');
  const params: Params = { ...scope.params, a_gap: a.gapMinutes, a_window: a.responseWindowHours };
  const conds = [scope.sql];
  let inp = 'TRUE';
  if (f.from) {
    conds.push(`m.ts >= CAST($f_from AS TIMESTAMP)`);
    params['f_from'] = f.from;
  }
  if (f.to) {
    conds.push(`m.ts < CAST($f_to AS TIMESTAMP) + INTERVAL 1 DAY + to_hours(CAST($a_window AS BIGINT))`);
    inp = `m.ts < CAST($f_to AS TIMESTAMP) + INTERVAL 1 DAY`;
    params['f_to'] = f.to;
  }
  let sel = inp;
  if (f.members && f.members.length > 0) {
    sel = `(${inp}) AND list_contains($f_members, m.member_id)`;
    params['f_members'] = listValue(f.members);
  }
  const cols: SqlPart = { sql: `m.id, m.group_id, m.member_id, m.ts, m.rn, ${inp} AS inp, ${sel} AS sel, m.isq AND (${sel}) AS isq`, params: {} };
  const where: SqlPart = { sql: conds.join(' AND '), params: {} };
  // The stretch of each group the stream is cut from: the same conditions but `exclude`.
  const groups = filterSql({ groups: f.groups }, 'm');
  const stretch: SqlPart = { sql: [groups.sql, ...conds.slice(1)].join(' AND '), params: groups.params };
  const stream = f.exclude && f.exclude.length > 0 ? excludingStream(f, cols, where, stretch) : contiguousStream(f, cols, where);
  // With a member filter, a conversation counts when one of its messages is selected: each
  // selected message finds its conversation start by an ASOF join (latest start at or before it).
  const convs = f.members && f.members.length > 0
    ? `selconv AS (
  SELECT DISTINCT st.group_id, st.rn
  FROM (SELECT group_id, rn FROM f WHERE sel) x
  ASOF JOIN (SELECT group_id, rn FROM f WHERE conv_start) st ON x.group_id = st.group_id AND x.rn >= st.rn),
convs AS (SELECT starts.* FROM starts SEMI JOIN selconv ON selconv.group_id = starts.group_id AND selconv.rn = starts.rn WHERE starts.inp)`
    : `convs AS (SELECT * FROM starts WHERE inp)`;
  // Conversations are measured on their start rows only (`sp`, with their position in the
  // stream): length = next start's position − this one's, end = the next start's previous message.
  const sql = `WITH RECURSIVE ${stream.sql},
f AS NOT MATERIALIZED (SELECT *, (prev_ts IS NULL OR prev_ts <= ts - to_minutes(CAST($a_gap AS BIGINT))) AS conv_start FROM s),
${stream.positions.sql},
starts AS (
  SELECT sp.group_id, sp.rn, sp.member_id AS starter, sp.inp,
    coalesce(lead(sp.pos) OVER ws, gl.last_pos + 1) - sp.pos AS len,
    epoch(coalesce(lead(sp.prev_ts) OVER ws, gl.last_ts) - sp.ts) AS secs
  FROM sp JOIN gl ON gl.group_id = sp.group_id
  WINDOW ws AS (PARTITION BY sp.group_id ORDER BY sp.rn)),
${convs},
${stream.answers.sql},
endd AS (SELECT max(last_ts) AS t FROM gl),
qa AS (
  SELECT nx.*, epoch(other_ts - ts) AS wait,
    coalesce(other_ts <= ts + to_hours(CAST($a_window AS BIGINT)), false) AS answered,
    other_ts IS NULL OR other_ts > ts + to_hours(CAST($a_window AS BIGINT)) AS late
  FROM nx),
qp AS (SELECT qa.*, late AND qa.ts + to_hours(CAST($a_window AS BIGINT)) > endd.t AS pending FROM qa CROSS JOIN endd),
${RESPONSE_QUANTILES}
SELECT
  (SELECT {'count': count(*)::BIGINT, 'meanLength': avg(len), 'medianLength': median(len)::DOUBLE,
           'singles': count(*) FILTER (WHERE len = 1)::BIGINT, 'medianMinutes': median(secs) / 60} FROM convs) AS conversations,
  (SELECT coalesce(list({'memberId': t.starter, 'name': mem.name, 'conversations': t.n} ORDER BY t.n DESC, t.starter), [])
     FROM (SELECT starter, count(*)::BIGINT AS n FROM convs GROUP BY 1 ORDER BY n DESC, starter LIMIT $a_top) t
     JOIN members mem ON mem.id = t.starter) AS starters,
  (SELECT {'count': coalesce((SELECT n FROM rtn), 0)::BIGINT, 'medianSeconds': (SELECT x FROM rtq WHERE q = 0.5),
           'p90Seconds': (SELECT x FROM rtq WHERE q = 0.9)}) AS "responseTime",
  (SELECT {'count': count(*)::BIGINT, 'answered': count(*) FILTER (WHERE answered)::BIGINT,
           'unanswered': count(*) FILTER (WHERE NOT answered AND NOT pending)::BIGINT,
           'pending': count(*) FILTER (WHERE pending)::BIGINT,
           'medianResponseSeconds': median(wait) FILTER (WHERE answered),
           'p90ResponseSeconds': quantile_cont(wait, 0.9) FILTER (WHERE answered)} FROM qp) AS questions,
  (SELECT coalesce(list({'id': u.id, 'groupId': u.group_id, 'memberId': u.member_id, 'name': mem.name,
           'ts': strftime(u.ts, '%Y-%m-%d %H:%M:%S'), 'text': mm.text} ORDER BY u.ts DESC, u.id DESC), [])
     FROM (SELECT * FROM qp WHERE NOT answered AND NOT pending ORDER BY ts DESC, id DESC LIMIT $a_limit) u
     JOIN members mem ON mem.id = u.member_id
     JOIN messages mm ON mm.id = u.id AND mm.group_id = u.group_id) AS unanswered`;
  return { sql, params: { ...params, ...stream.params, a_top: a.topStarters, a_limit: a.limit } };
}

/**
 * How the stream is read: CTE `s` (one row per stream message: id, group_id, member_id, ts, rn,
 * inp, sel, isq, prev_ts and prev_member within the stream, ans_ts, ans_ex), CTEs `sp` (start rows
 * with their position in the stream) and `gl` (per group: last position, last ts), and CTE `nx`
 * (questions with the time of their first answer, other_ts).
 */
interface Stream {
  sql: string;
  positions: SqlPart;
  answers: SqlPart;
  params: Params;
}

/** `col` before the end of the stream (`to` + the response window), or TRUE without `to`. */
function beforeEnd(f: Filters, col: 'm.ans_ts' | 'w.ts' | 'ts'): SqlPart {
  if (!f.to) return { sql: 'TRUE', params: {} };
  const END = `CAST($f_to AS TIMESTAMP) + INTERVAL 1 DAY + to_hours(CAST($a_window AS BIGINT))`;
  const sql = { 'm.ans_ts': `m.ans_ts < ${END}`, 'w.ts': `w.ts < ${END}`, ts: `ts < ${END}` }[col];
  return { sql, params: { f_to: f.to } };
}

/** The precomputed previous message, when it is inside the stream (on or after `from`). */
function prevIn(f: Filters): SqlPart {
  return f.from ? { sql: `m.prev_ts >= CAST($f_from AS TIMESTAMP)`, params: { f_from: f.from } } : { sql: 'TRUE', params: {} };
}

/** Start rows: their position in the stream is their rn (the stream is a stretch of each group). */
const PLAIN_POSITIONS = `sp AS (SELECT group_id, rn, rn AS pos, member_id, inp, ts, prev_ts FROM f WHERE conv_start),
gl AS (SELECT group_id, max(rn) AS last_pos, max(ts) AS last_ts FROM f GROUP BY 1)`;

/**
 * No exclusion: the stream is a stretch of each group; a neighbour outside it is none, and so is
 * an answer at or after its end. A question's answer is its precomputed one.
 */
function contiguousStream(f: Filters, cols: SqlPart, where: SqlPart): Stream {
  const prev = prevIn(f);
  const ans = beforeEnd(f, 'm.ans_ts');
  return {
    sql: `s AS NOT MATERIALIZED (
  SELECT ${cols.sql},
    CASE WHEN ${prev.sql} THEN m.prev_ts END AS prev_ts, CASE WHEN ${prev.sql} THEN m.prev_member END AS prev_member,
    CASE WHEN ${ans.sql} THEN m.ans_ts END AS ans_ts
  FROM d_seq m WHERE ${where.sql})`,
    positions: { sql: PLAIN_POSITIONS, params: {} },
    answers: { sql: `nx AS (SELECT id, group_id, member_id, ts, ans_ts AS other_ts FROM f WHERE isq)`, params: {} },
    params: { ...prev.params, ...ans.params },
  };
}

/**
 * With exclusion the stream loses the excluded members' messages. Runs of consecutive excluded
 * messages are found (few rows), and only a kept message right after a run changes its previous
 * message (to the one before the run). A position is a rn less the excluded messages before it.
 * A question keeps its precomputed answer unless an excluded member wrote it; then the answer is
 * found by hopping from message to "first later message by another member" (whole runs at a time)
 * while the message reached is the asker's or an excluded member's: usually one or two hops.
 */
function excludingStream(f: Filters, cols: SqlPart, where: SqlPart, stretch: SqlPart): Stream {
  const prev = prevIn(f);
  const ans = beforeEnd(f, 'm.ans_ts');
  const hop = beforeEnd(f, 'w.ts');
  const found = beforeEnd(f, 'ts');
  return {
    sql: `s0 AS NOT MATERIALIZED (SELECT m.*, list_contains($f_exclude, m.member_id) AS gone FROM d_seq m WHERE ${stretch.sql}),
ex AS (SELECT group_id, rn, rn - row_number() OVER (ORDER BY rn) AS isl FROM s0 WHERE gone),
runs AS (SELECT group_id, min(rn) AS a, max(rn) AS b FROM ex GROUP BY group_id, isl),
pp AS (SELECT r.b + 1 AS rn, p.ts AS prev_ts, p.member_id AS prev_member FROM runs r LEFT JOIN s0 p ON p.rn = r.a - 1),
s AS NOT MATERIALIZED (
  SELECT ${cols.sql},
    CASE WHEN pp.rn IS NOT NULL THEN pp.prev_ts WHEN ${prev.sql} THEN m.prev_ts END AS prev_ts,
    CASE WHEN pp.rn IS NOT NULL THEN pp.prev_member WHEN ${prev.sql} THEN m.prev_member END AS prev_member,
    CASE WHEN ${ans.sql} THEN m.ans_ts END AS ans_ts, m.nxo_rn,
    coalesce(list_contains($f_exclude, m.ans_member) AND ${ans.sql}, false) AS ans_ex
  FROM s0 m LEFT JOIN pp ON pp.rn = m.rn
  WHERE ${where.sql})`,
    positions: {
      sql: `cum AS (SELECT group_id, b, sum(b - a + 1) OVER (PARTITION BY group_id ORDER BY b ROWS UNBOUNDED PRECEDING) AS n FROM runs),
sp AS (
  SELECT x.group_id, x.rn, x.rn - coalesce(cum.n, 0) AS pos, x.member_id, x.inp, x.ts, x.prev_ts
  FROM (SELECT * FROM f WHERE conv_start) x ASOF LEFT JOIN cum ON cum.group_id = x.group_id AND x.rn > cum.b),
gl AS (
  SELECT g.group_id, g.last_rn - coalesce(cum.n, 0) AS last_pos, g.last_ts
  FROM (SELECT group_id, max(rn) AS last_rn, max(ts) AS last_ts FROM f GROUP BY 1) g
  ASOF LEFT JOIN cum ON cum.group_id = g.group_id AND g.last_rn > cum.b)`,
      params: {},
    },
    answers: {
      sql: `walk (id, asker, rn, ts, member, nxt) AS (
  SELECT q.id, q.member_id, p.rn, p.ts, p.member_id, p.nxo_rn
  FROM (SELECT * FROM f WHERE isq AND ans_ex) q JOIN d_seq p ON p.rn = q.nxo_rn
  UNION ALL
  SELECT w.id, w.asker, n.rn, n.ts, n.member_id, n.nxo_rn
  FROM walk w JOIN d_seq n ON n.rn = w.nxt
  WHERE (list_contains($f_exclude, w.member) OR w.member = w.asker) AND ${hop.sql}),
nx AS (
  SELECT id, group_id, member_id, ts, ans_ts AS other_ts FROM f WHERE isq AND NOT ans_ex
  UNION ALL
  SELECT q.id, q.group_id, q.member_id, q.ts, a.ts
  FROM (SELECT * FROM f WHERE isq AND ans_ex) q
  LEFT JOIN (SELECT id, ts FROM walk WHERE NOT list_contains($f_exclude, member) AND member <> asker AND ${found.sql}) a ON a.id = q.id)`,
      params: {},
    },
    params: { ...prev.params, ...ans.params, ...stretch.params },
  };
}

type Raw = Omit<ConversationsResult, 'questions'> & { questions: Omit<ConversationsResult['questions'], 'unansweredRate'> };

export const conversations = defineMetric({
  key: 'conversations',
  title: { zh: '对话', en: 'Conversations' },
  args: z
    .object({
      gapMinutes: z.number().int().min(1).max(24 * 60).default(30),
      responseWindowHours: z.number().int().min(1).max(24 * 30).default(24),
      topStarters: z.number().int().min(0).max(100).default(10),
      limit: z.number().int().min(0).max(1000).default(50),
    })
    .strict(),
  async run({ db, filters }, args): Promise<ConversationsResult> {
    const b = buildConversationsSql(filters, args);
    const r = (await db.one<Raw>(b.sql, b.params))!;
    const decided = r.questions.answered + r.questions.unanswered;
    return {
      ...r,
      questions: { ...r.questions, unansweredRate: decided === 0 ? null : r.questions.unanswered / decided },
    };
  },
});
