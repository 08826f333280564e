// Learn from others: for each asking project, the best lessons other projects learned in
// its phase. The ranking is ts_rank on the asking project's words, shared themes and
// feedback; computing it for every lesson of a phase does not scale. So each lesson first
// gets a cheap upper bound of its score from two generated columns ("relatedBits", a
// 1024-bit set of its lexemes and themes, and "relatedCap", the most one lexeme adds to
// ts_rank; see migration 20261207065000), read through an index-only scan that keeps only
// the best few hundred by bound (nothing is materialised per candidate). The exact score of
// the best few by that bound gives a threshold; the rest of that head whose bound reaches it
// is scored to raise it; lessons past the head are scored only if their bound still reaches
// it, which needs a second scan only when the head's last bound does. The same lessons, in
// the same order, as scoring all of them.
import { type RawBuilder, sql } from "kysely";
import type { LessonView } from "../ports/lesson-library.ts";
import type { Db } from "./database.ts";
import { FEEDBACK, REVIEWED, toView, VIEW_COLUMNS, VIEW_JOINS, type ViewRow } from "./lesson-view-sql.ts";

// How many lessons, best bound first, are scored exactly to set the threshold; then those
// of the next ones, up to HEAD, whose bound reaches it, to raise it (lessons that say the
// same words tie on their bound: the best exact scores may be a few groups down).
const PROBE = 48;
const HEAD = 512;

// The asking project's (alias pr) three latest lessons, for what it is about; its own
// unreviewed ones count here, as they only steer what it is offered.
const RECENT_LESSONS = sql`SELECT rl.text, rl.themes, rl."createdAt", rl.id FROM "Lesson" rl
  WHERE rl."projectId" = pr.id AND rl.status <> 'dismissed' ORDER BY rl."createdAt" DESC, rl.id LIMIT 3`;

// The exact score: shared themes, then the asking words in Dutch or English, times feedback.
// The asking themes are distinct, so counting those the lesson has (array_position matches
// as IS NOT DISTINCT FROM) counts the intersection, without a hash table per lesson.
const SCORE = sql`((SELECT count(*) FROM unnest(q.themes) t WHERE array_position(l.themes, t) IS NOT NULL)
  + 10 * greatest(coalesce(ts_rank(l.search, q.nl), 0), coalesce(ts_rank(l.search, q.en), 0))
  + 0.1) * ${FEEDBACK}`;

// Any of the asking words, or a shared theme; everything when the project says nothing yet.
const MATCHES = sql`((cardinality(q.themes) = 0 AND q.nl IS NULL) OR l.themes && q.themes
  OR (q.nl IS NOT NULL AND l.search @@ q.nl) OR (q.en IS NOT NULL AND l.search @@ q.en))`;

// ts_rank of an OR query is the mean over its distinct lexemes of what each adds: a lesson
// adds at most "relatedCap" per lexeme it holds, and it can hold only lexemes whose bit it
// has set (plus as many as share a bit with another query lexeme). A theme is shared only if
// its bit ("#theme") is set. Per query (q) the constants: "nlScale" is 10 / its lexemes (0
// without any), and "noBound" is huge when ts_rank does not rank a query as an OR query (one
// phrase), so every lesson is scored exactly. The threshold leaves a margin for float rounding.
const UPPER_BOUND = sql`((least(q."themeCount", bit_count(l."relatedBits" & q."themeBits") + q."themeShared")
  + l."relatedCap" * greatest(
    least(q."nlCount", bit_count(l."relatedBits" & q."nlBits") + q."nlShared") * q."nlScale",
    least(q."enCount", bit_count(l."relatedBits" & q."enBits") + q."enShared") * q."enScale")
  + q."noBound" + 0.1) * (l."usefulCount" + 2)::float8 / (l."notUsefulCount" + 2)::float8)`;

// A project that says nothing yet (no themes, no words) matches every lesson, and each scores
// exactly 0.1 × feedback (as SCORE computes it): that is its bound, and the ranking follows
// from it, so the many equal scores need no exact scoring one by one.
const BOUND = sql`CASE WHEN q.silent THEN (0.1::float8 * (l."usefulCount" + 2)::real) / (l."notUsefulCount" + 2)::real
  ELSE ${UPPER_BOUND} END`;

// The distinct lexemes of a query, from its text form: each quoted, with ' and \ escaped.
const OPERAND = String.raw`'((?:[^'\\]|''|\\.)*)'`;
const ESCAPED = String.raw`'(')|\\(.)`;
const UNESCAPED = String.raw`\1\2`;

// The candidates: reviewed lessons of the phase from other projects, not shown to this one
// yet, in two ranges of the index: its own organisation's, and those shared by any.
const CANDIDATE = sql`l.phase = q.phase AND ${REVIEWED} AND l."projectId" IS DISTINCT FROM q.id
  AND l.id NOT IN (SELECT s."lessonId" FROM "LessonShare" s WHERE s."projectId" = q.id)`;

// The exact score of the lesson with id b.id, if it matches (LIMIT 1 keeps it a lookup by
// id per lesson, rather than a join the planner might hash over the whole table).
const SCORED = sql`SELECT l.id, l."createdAt", ${SCORE} AS score FROM "Lesson" l
  WHERE l.id = b.id AND ${MATCHES} LIMIT 1`;

// Each candidate's bound: its own organisation's lessons and those shared by any, as two
// ranges of the index.
const BOUNDS = sql`SELECT l.id, l."createdAt", ${BOUND} AS ub FROM "Lesson" l
  WHERE ${CANDIDATE} AND l.visibility = 'organisation' AND l."organisationId" = q."organisationId"
  UNION ALL
  SELECT l.id, l."createdAt", ${BOUND} AS ub FROM "Lesson" l WHERE ${CANDIDATE} AND l.visibility = 'shared'`;

/**
 * The least score a lesson needs to enter the top `limit` of the lessons scored in `scored`
 * (none while they are fewer), with a margin for the float rounding of the bound.
 */
const threshold = (scored: RawBuilder<unknown>, limit: number) =>
  sql`SELECT CASE WHEN count(*) < ${limit} THEN '-Infinity'::float8
    ELSE min(p.score) / 1.001 - 0.000001 END FROM (SELECT ${scored}.score FROM ${scored} ORDER BY ${scored}.score DESC LIMIT ${limit}) p`;

/**
 * For each project, up to `limit` reviewed lessons of its phase from other projects, not
 * shown to it yet: same organisation (not team-only) or shared, ranked by shared themes and
 * the words of its mission and three latest lessons (any of them, plainto_tsquery's AND
 * turned into OR, in Dutch and English), weighed by feedback; then newest first.
 */
export async function findRelatedLessons(
  db: Db,
  projectIds: readonly string[],
  limit: number,
): Promise<Map<string, LessonView[]>> {
  if (projectIds.length === 0) return new Map();
  const { rows } = await relatedLessonsQuery(projectIds, limit).execute(db);
  const byProject = new Map<string, LessonView[]>();
  for (const { forProjectId, ...row } of rows) {
    byProject.set(forProjectId, [...(byProject.get(forProjectId) ?? []), toView(row)]);
  }
  return byProject;
}

/** The query behind findRelatedLessons: one row per lesson offered, with "forProjectId". */
export function relatedLessonsQuery(
  projectIds: readonly string[],
  limit: number,
  stages: { probe: number; head: number } = { probe: PROBE, head: HEAD },
): RawBuilder<ViewRow & { forProjectId: string }> {
  const headSize = Math.max(stages.head, limit);
  const probeSize = Math.max(stages.probe, limit);
  return sql<ViewRow & { forProjectId: string }>`
    WITH asking AS MATERIALIZED (
      SELECT pr.id, pr."organisationId", pr.phase,
        ARRAY(SELECT DISTINCT t FROM (${RECENT_LESSONS}) r, unnest(r.themes) t) AS themes,
        left(concat_ws(' ', pr.mission,
          (SELECT string_agg(r.text, ' ' ORDER BY r."createdAt" DESC, r.id) FROM (${RECENT_LESSONS}) r)), 1000) AS text
      FROM "Project" pr WHERE pr.id = ANY(${[...projectIds]}::text[])),
    queries AS MATERIALIZED (
      SELECT a.*,
        nullif(replace(plainto_tsquery('dutch', a.text)::text, ' & ', ' | '), '') AS "nlQuery",
        nullif(replace(plainto_tsquery('english', a.text)::text, ' & ', ' | '), '') AS "enQuery"
      FROM asking a),
    terms AS MATERIALIZED (
      SELECT qs.*,
        ARRAY(SELECT DISTINCT regexp_replace(x[1], ${ESCAPED}, ${UNESCAPED}, 'g')
          FROM regexp_matches(coalesce(qs."nlQuery", ''), ${OPERAND}, 'g') x) AS "nlItems",
        ARRAY(SELECT DISTINCT regexp_replace(x[1], ${ESCAPED}, ${UNESCAPED}, 'g')
          FROM regexp_matches(coalesce(qs."enQuery", ''), ${OPERAND}, 'g') x) AS "enItems",
        lesson_lexeme_bits(ARRAY(SELECT '#' || coalesce(t, '') FROM unnest(qs.themes) t)) AS "themeBits"
      FROM queries qs),
    q AS MATERIALIZED (
      SELECT t.id, t."organisationId", t.phase, t.themes, t."nlQuery"::tsquery AS nl, t."enQuery"::tsquery AS en,
        cardinality(t."nlItems") AS "nlCount", lesson_lexeme_bits(t."nlItems") AS "nlBits",
        cardinality(t."nlItems") - bit_count(lesson_lexeme_bits(t."nlItems")) AS "nlShared",
        CASE WHEN t."nlQuery" IS NULL OR cardinality(t."nlItems") = 0 THEN 0
          ELSE 10.0 / cardinality(t."nlItems") END::float8 AS "nlScale",
        cardinality(t."enItems") AS "enCount", lesson_lexeme_bits(t."enItems") AS "enBits",
        cardinality(t."enItems") - bit_count(lesson_lexeme_bits(t."enItems")) AS "enShared",
        CASE WHEN t."enQuery" IS NULL OR cardinality(t."enItems") = 0 THEN 0
          ELSE 10.0 / cardinality(t."enItems") END::float8 AS "enScale",
        CASE WHEN (t."nlQuery" IS NOT NULL AND (cardinality(t."nlItems") = 0
            OR (cardinality(t."nlItems") > 1 AND strpos(t."nlQuery", ' | ') = 0)))
          OR (t."enQuery" IS NOT NULL AND (cardinality(t."enItems") = 0
            OR (cardinality(t."enItems") > 1 AND strpos(t."enQuery", ' | ') = 0)))
          THEN 1e9 ELSE 0 END::float8 AS "noBound",
        cardinality(t.themes) AS "themeCount", t."themeBits",
        (cardinality(t.themes) = 0 AND t."nlQuery" IS NULL AND t."enQuery" IS NULL) AS silent,
        cardinality(t.themes) - bit_count(t."themeBits") AS "themeShared"
      FROM terms t)
    SELECT top."forProjectId", ${VIEW_COLUMNS}
    FROM (
      SELECT q.id AS "forProjectId", v.* FROM q CROSS JOIN LATERAL (
        WITH head AS MATERIALIZED (
          SELECT h.id, h.ub, row_number() OVER (ORDER BY h.ub DESC, h."createdAt" DESC, h.id) AS n
          FROM (SELECT b.* FROM (${BOUNDS}) b ORDER BY b.ub DESC, b."createdAt" DESC, b.id LIMIT ${headSize}) h),
        probed AS MATERIALIZED (
          SELECT s.* FROM head b CROSS JOIN LATERAL (${SCORED}) s
          WHERE b.n <= ${probeSize} AND (NOT q.silent OR b.n <= ${limit})),
        raised AS MATERIALIZED (
          SELECT s.* FROM head b CROSS JOIN LATERAL (${SCORED}) s
          WHERE b.n > ${probeSize} AND NOT q.silent AND b.ub >= (${threshold(sql`probed`, limit)})),
        scored AS MATERIALIZED (SELECT * FROM probed UNION ALL SELECT * FROM raised)
        SELECT x.* FROM (
          SELECT * FROM scored
          UNION ALL
          SELECT s.* FROM (${BOUNDS}) b CROSS JOIN LATERAL (${SCORED}) s
          WHERE NOT q.silent AND (SELECT count(*) = ${headSize} AND min(head.ub) >= (${threshold(sql`scored`, limit)}) FROM head)
            AND b.ub >= (${threshold(sql`scored`, limit)}) AND b.id NOT IN (SELECT head.id FROM head)) x
        ORDER BY x.score DESC, x."createdAt" DESC, x.id
        LIMIT ${limit}) v) top
    JOIN "Lesson" l ON l.id = top.id ${VIEW_JOINS}
    ORDER BY top."forProjectId", top.score DESC, top."createdAt" DESC, l.id`;
}
