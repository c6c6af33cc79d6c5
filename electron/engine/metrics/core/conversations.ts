import { listValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Filters } from '../../../../shared/filters.js';
import { PATTERN_SQL } from '../../text/patterns.js';
import type { SqlPart } from '../filter-sql.js';
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
 * Pure SQL for the whole metric in one statement (the windowed stream is computed once).
 *
 * The stream: messages of the selected groups without excluded members, from `from` to
 * `to` + the response window (answers may come after the period). `inp` marks messages inside the
 * period; `sel` those inside it and written by the selected members (all when no member filter).
 * Conversations are counted when they start inside the period and contain a selected message;
 * response times are those of selected responders; questions those asked by selected members.
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
  // With a member filter, a conversation counts when one of its messages is selected: each
  // selected message finds its conversation start by an ASOF join (latest start at or before it).
  const convs = f.members && f.members.length > 0
    ? `selconv AS (
  SELECT DISTINCT st.group_id, st.rn
  FROM (SELECT group_id, rn FROM f WHERE sel) x
  ASOF JOIN (SELECT group_id, rn FROM f WHERE conv_start) st ON x.group_id = st.group_id AND x.rn >= st.rn),
convs AS (SELECT starts.* FROM starts SEMI JOIN selconv ON selconv.group_id = starts.group_id AND selconv.rn = starts.rn WHERE starts.inp)`
    : `convs AS (SELECT * FROM starts WHERE inp)`;
  // One sort of the stream, without the text (row_number/lag/lead share the window; the question
  // pattern is tested during the scan, on selected messages only); conversations are then
  // measured on their start rows only: length = next start's row number − this one's, end = the
  // next start's previous message.
  const sql = `WITH s AS (
  SELECT m.id, m.group_id, m.member_id, m.ts, ${inp} AS inp, ${sel} AS sel,
    CASE WHEN ${sel} THEN regexp_matches(m.text, $p_question) ELSE false END AS isq,
    row_number() OVER w AS rn, lag(m.ts) OVER w AS prev_ts, lag(m.member_id) OVER w AS prev_member,
    lead(m.ts) OVER w AS next_ts, lead(m.member_id) OVER w AS next_member
  FROM messages m WHERE ${conds.join(' AND ')}
  WINDOW w AS (PARTITION BY m.group_id ORDER BY m.ts, m.id)),
f AS MATERIALIZED (SELECT *, (prev_ts IS NULL OR prev_ts <= ts - to_minutes(CAST($a_gap AS BIGINT))) AS conv_start FROM s),
gl AS (SELECT group_id, max(rn) AS last_rn, max(ts) AS last_ts FROM f GROUP BY 1),
starts AS (
  SELECT f.group_id, f.rn, f.member_id AS starter, f.inp,
    coalesce(lead(f.rn) OVER ws, gl.last_rn + 1) - f.rn AS len,
    epoch(coalesce(lead(f.prev_ts) OVER ws, gl.last_ts) - f.ts) AS secs
  FROM f JOIN gl ON gl.group_id = f.group_id WHERE f.conv_start
  WINDOW ws AS (PARTITION BY f.group_id ORDER BY f.rn)),
${convs},
q AS (SELECT id, group_id, member_id, ts, rn, next_ts, next_member FROM f WHERE isq),
-- The first message by someone else after a question: the next message when its author differs;
-- otherwise the message after the end of the asker's run. That end is the asker's first run-end at
-- or after the question: an ASOF join on the run-ends of askers who have such questions only.
tail AS (SELECT * FROM q WHERE next_member = member_id),
ends AS (
  SELECT f.group_id, f.member_id, f.rn, f.next_ts FROM f
  WHERE f.next_member IS DISTINCT FROM f.member_id AND f.member_id IN (SELECT member_id FROM tail)),
nx AS (
  SELECT id, group_id, member_id, ts, next_ts AS other_ts FROM q WHERE next_member IS DISTINCT FROM member_id
  UNION ALL
  SELECT t.id, t.group_id, t.member_id, t.ts, e.next_ts
  FROM tail t ASOF JOIN ends e ON t.group_id = e.group_id AND t.member_id = e.member_id AND e.rn >= t.rn),
endd AS (SELECT max(last_ts) AS t FROM gl),
qa AS (
  SELECT nx.*, epoch(other_ts - ts) AS wait,
    coalesce(other_ts <= ts + to_hours(CAST($a_window AS BIGINT)), false) AS answered,
    other_ts IS NULL OR other_ts > ts + to_hours(CAST($a_window AS BIGINT)) AS late
  FROM nx),
qp AS (SELECT qa.*, late AND qa.ts + to_hours(CAST($a_window AS BIGINT)) > endd.t AS pending FROM qa CROSS JOIN endd)
SELECT
  (SELECT {'count': count(*)::BIGINT, 'meanLength': avg(len), 'medianLength': median(len)::DOUBLE,
           'singles': count(*) FILTER (WHERE len = 1)::BIGINT, 'medianMinutes': median(secs) / 60} FROM convs) AS conversations,
  (SELECT coalesce(list({'memberId': t.starter, 'name': mem.name, 'conversations': t.n} ORDER BY t.n DESC, t.starter), [])
     FROM (SELECT starter, count(*)::BIGINT AS n FROM convs GROUP BY 1 ORDER BY n DESC, starter LIMIT $a_top) t
     JOIN members mem ON mem.id = t.starter) AS starters,
  (SELECT {'count': n::BIGINT, 'medianSeconds': qs[1], 'p90Seconds': qs[2]}
     FROM (SELECT count(*) AS n, quantile_cont(epoch(ts - prev_ts), [0.5, 0.9]) AS qs
           FROM f WHERE sel AND NOT conv_start AND prev_member <> member_id)) AS "responseTime",
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
  return { sql, params: { ...params, a_top: a.topStarters, a_limit: a.limit, p_question: PATTERN_SQL.question } };
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
