// The aggregate SQL behind a digest: everything is counted in PostgreSQL, so building a
// digest for 100,000 lessons reads a few hundred rows. Anonymous projects come back
// without a name; the domain hides every figure over too few people. Lessons count once a
// lead saved them (or someone added them): a proposed one is still a colleague's raw answer.
import { type RawBuilder, sql } from "kysely";
import {
  DIGEST_HISTORY_PERIODS,
  type DigestFacts,
  IGNORED_NUDGES,
  LESSONS_PER_THEME,
  UNTHEMED,
} from "../domain/digest-content.ts";
import { PHASE_TARGET_DAYS } from "../domain/phase.ts";
import { PULSE_PREFIX } from "../domain/team-pulse.ts";
import type { Db } from "./database.ts";

export type DigestQueryInput = { organisationId: string; periodStart: Date; periodEnd: Date; history?: number };

/** Runs the digest's aggregate queries; the bench times them alone against building a whole digest. */
export async function queryDigestFacts(db: Db, input: DigestQueryInput): Promise<DigestFacts> {
  const rowsOf = async <Row>(query: RawBuilder<Row>) => (await query.execute(db)).rows;
  const org = input.organisationId;
  const from = input.periodStart;
  const to = input.periodEnd;
  const lengthMs = to.getTime() - from.getTime();
  if (!(lengthMs > 0)) throw new RangeError("DIGEST_PERIOD_INVALID: the period must end after it starts");
  const history = input.history ?? DIGEST_HISTORY_PERIODS;
  const since = new Date(from.getTime() - history * lengthMs);
  const toS = to.getTime() / 1000;
  const lenS = lengthMs / 1000;
  const targets = JSON.stringify(PHASE_TARGET_DAYS);

  const lessonsPerBucket = rowsOf(sql<DigestFacts["lessonsPerBucket"][number]>`
    SELECT floor((${toS}::float8 - extract(epoch from l."createdAt")) / ${lenS}::float8)::int AS bucket,
           count(*)::int AS lessons
    FROM "Lesson" l
    WHERE l."organisationId" = ${org} AND l."createdAt" >= ${since} AND l."createdAt" < ${to}
      AND l.status = 'confirmed'
    GROUP BY 1`);

  const themeBuckets = rowsOf(sql<DigestFacts["themeBuckets"][number]>`
    SELECT t.theme AS "themeId",
           floor((${toS}::float8 - extract(epoch from l."createdAt")) / ${lenS}::float8)::int AS bucket,
           count(*)::int AS lessons, count(DISTINCT l."projectId")::int AS projects
    FROM "Lesson" l
    CROSS JOIN LATERAL unnest(CASE WHEN cardinality(l.themes) = 0 THEN ARRAY[${UNTHEMED}]::text[] ELSE l.themes END) AS t(theme)
    WHERE l."organisationId" = ${org} AND l."createdAt" >= ${since} AND l."createdAt" < ${to}
      AND l.status = 'confirmed'
    GROUP BY 1, 2`);

  // Team-only lessons count in the figures but their text stays within the team.
  const topLessons = rowsOf(sql<DigestFacts["topLessons"][number]>`
    SELECT id, text, "projectName", themes, "usefulCount" FROM (
      SELECT l.id, l.text, l.themes, l."usefulCount",
             CASE WHEN p.anonymous THEN NULL ELSE coalesce(p.name, '') END AS "projectName",
             row_number() OVER (PARTITION BY t.theme ORDER BY l."usefulCount" DESC, l."createdAt" DESC, l.id) AS rank
      FROM "Lesson" l
      CROSS JOIN LATERAL unnest(CASE WHEN cardinality(l.themes) = 0 THEN ARRAY[${UNTHEMED}]::text[] ELSE l.themes END) AS t(theme)
      LEFT JOIN "Project" p ON p.id = l."projectId"
      WHERE l."organisationId" = ${org} AND l."createdAt" >= ${from} AND l."createdAt" < ${to}
        AND l.status = 'confirmed' AND l.visibility <> 'team'
    ) ranked WHERE rank <= ${LESSONS_PER_THEME}`);

  // Anonymous projects are counted together, as one group without a name.
  const participation = rowsOf(sql<DigestFacts["participation"][number]>`
    SELECT CASE WHEN p.anonymous THEN NULL ELSE p.name END AS "projectName",
           count(DISTINCT d."personId")::int AS people, count(d.id)::int AS invited,
           count(d."answeredAt")::int AS answered
    FROM "RetroCycle" c
    JOIN "Project" p ON p.id = c."projectId"
    JOIN "Delivery" d ON d."cycleId" = c.id
    WHERE p."organisationId" = ${org} AND c.status = 'closed' AND c."closedAt" >= ${from} AND c."closedAt" < ${to}
    GROUP BY CASE WHEN p.anonymous THEN NULL ELSE p.id END, 1`);

  const participationBuckets = rowsOf(sql<DigestFacts["participationBuckets"][number]>`
    SELECT floor((${toS}::float8 - extract(epoch from c."closedAt")) / ${lenS}::float8)::int AS bucket,
           count(DISTINCT d."personId")::int AS people, count(d.id)::int AS invited,
           count(d."answeredAt")::int AS answered
    FROM "RetroCycle" c
    JOIN "Project" p ON p.id = c."projectId"
    JOIN "Delivery" d ON d."cycleId" = c.id
    WHERE p."organisationId" = ${org} AND c.status = 'closed' AND c."closedAt" >= ${since} AND c."closedAt" < ${to}
    GROUP BY 1`);

  // People: those who answered the cycles the scores come from (answers of anonymous
  // projects name nobody, so persons are counted from the deliveries).
  const learningScores = rowsOf(sql<DigestFacts["learningScores"][number]>`
    WITH s AS (
      SELECT a."cycleId", a.score,
             floor((${toS}::float8 - extract(epoch from a."createdAt")) / ${lenS}::float8)::int AS bucket
      FROM "Answer" a
      JOIN "RetroCycle" c ON c.id = a."cycleId"
      JOIN "Project" p ON p.id = c."projectId"
      WHERE p."organisationId" = ${org} AND a."questionKey" = 'learning-score' AND a.score IS NOT NULL
        AND a."createdAt" >= ${since} AND a."createdAt" < ${to}
    )
    SELECT s.bucket, count(*)::int AS responses, avg(s.score)::float8 AS average,
           (SELECT count(DISTINCT d."personId") FROM "Delivery" d
            WHERE d."answeredAt" IS NOT NULL
              AND d."cycleId" IN (SELECT s2."cycleId" FROM s s2 WHERE s2.bucket = s.bucket))::int AS people
    FROM s GROUP BY s.bucket`);

  // The team pulse per closed cycle; the domain leaves out cycles too few people answered.
  const pulse = `${PULSE_PREFIX}%`;
  const pulseScores = rowsOf(sql<DigestFacts["pulseScores"][number]>`
    SELECT floor((${toS}::float8 - extract(epoch from c."closedAt")) / ${lenS}::float8)::int AS bucket,
           c.id AS "cycleId", a."questionKey", count(*)::int AS responses, sum(a.score)::int AS sum,
           (SELECT count(DISTINCT r."responseKey") FROM "Answer" r
            WHERE r."cycleId" = c.id AND r."questionKey" LIKE ${pulse} AND r.score IS NOT NULL)::int AS respondents
    FROM "RetroCycle" c
    JOIN "Project" p ON p.id = c."projectId"
    JOIN "Answer" a ON a."cycleId" = c.id
    WHERE p."organisationId" = ${org} AND c.status = 'closed' AND c."closedAt" >= ${since} AND c."closedAt" < ${to}
      AND a."questionKey" LIKE ${pulse} AND a.score IS NOT NULL
    GROUP BY 1, c.id, a."questionKey"`);

  const followThrough = rowsOf(sql<DigestFacts["followThrough"][number] & { anonymous: boolean }>`
    WITH members AS (
      SELECT m."projectId", count(DISTINCT m."personId")::int AS people
      FROM "Membership" m JOIN "Project" p ON p.id = m."projectId"
      WHERE p."organisationId" = ${org} AND m.role IN ('member', 'lead')
      GROUP BY m."projectId"
    )
    SELECT floor((${toS}::float8 - extract(epoch from a."reviewedAt")) / ${lenS}::float8)::int AS bucket,
           p.name AS "projectName", p.anonymous, coalesce(max(members.people), 0)::int AS people,
           count(*) FILTER (WHERE a.status IN ('done', 'not-yet', 'dropped'))::int AS reviewed,
           count(*) FILTER (WHERE a.status = 'done')::int AS done,
           count(*) FILTER (WHERE a.status = 'not-yet')::int AS "notYet",
           count(*) FILTER (WHERE a.status = 'dropped')::int AS dropped
    FROM "ActionItem" a
    JOIN "Project" p ON p.id = a."projectId"
    LEFT JOIN members ON members."projectId" = p.id
    WHERE p."organisationId" = ${org} AND a."reviewedAt" >= ${new Date(from.getTime() - lengthMs)}
      AND a."reviewedAt" < ${to}
    GROUP BY 1, p.id`);

  const stalled = rowsOf(sql<DigestFacts["stalled"][number]>`
    SELECT CASE WHEN p.anonymous THEN NULL ELSE p.name END AS "projectName", p.phase,
           coalesce((SELECT count(*) = 2 AND bool_and(NOT last.answered) FROM (
              SELECT c.status = 'closed' AND EXISTS (
                SELECT 1 FROM "Delivery" d WHERE d."cycleId" = c.id AND d."answeredAt" IS NOT NULL) AS answered
              FROM "RetroCycle" c
              WHERE c."projectId" = p.id AND c.status IN ('closed', 'skipped') AND c."opensAt" < ${to}
              ORDER BY c.sequence DESC LIMIT 2) last), false) AS "quietCycles",
           floor((${toS}::float8 - extract(epoch from coalesce(p."gateDate", p."phaseSince" + make_interval(days =>
              coalesce((o."phaseTargets" ->> p.phase)::int, (${targets}::jsonb ->> p.phase)::int, 0))))) / 86400)::int
             AS "overdueDays",
           (SELECT count(*) FROM "Checkpoint" k
            WHERE k."projectId" = p.id AND k.phase = p.phase AND k.status = 'open'
              AND k."nudgesSent" >= ${IGNORED_NUDGES})::int AS "ignoredCheckpoints"
    FROM "Project" p JOIN "Organisation" o ON o.id = p."organisationId"
    WHERE p."organisationId" = ${org} AND p.active AND p.phase <> 'stopped'`);

  const [lessons, themes, top, part, partBuckets, scores, pulseRows, follow, stuck] = await Promise.all([
    lessonsPerBucket,
    themeBuckets,
    topLessons,
    participation,
    participationBuckets,
    learningScores,
    pulseScores,
    followThrough,
    stalled,
  ]);

  // Anonymous projects' follow-through is reported together, never per project.
  const followRows: DigestFacts["followThrough"] = [];
  for (const row of follow) {
    const projectName = row.anonymous ? null : row.projectName;
    const same = row.anonymous
      ? followRows.find((other) => other.projectName === null && other.bucket === row.bucket)
      : undefined;
    if (same) {
      same.people += row.people;
      same.reviewed += row.reviewed;
      same.done += row.done;
      same.notYet += row.notYet;
      same.dropped += row.dropped;
    } else {
      followRows.push({
        bucket: row.bucket,
        projectName,
        people: row.people,
        reviewed: row.reviewed,
        done: row.done,
        notYet: row.notYet,
        dropped: row.dropped,
      });
    }
  }
  return {
    lessonsPerBucket: lessons,
    themeBuckets: themes,
    topLessons: top,
    participation: part,
    participationBuckets: partBuckets,
    learningScores: scores,
    pulseScores: pulseRows,
    followThrough: followRows,
    stalled: stuck.map((row) => ({ ...row, overdueDays: (row.overdueDays ?? 0) > 0 ? row.overdueDays : null })),
  };
}
