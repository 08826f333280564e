import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relatedLessonsQuery } from "../../src/persistence/related-lessons.ts";
import { createStores } from "../../src/persistence/unit-of-work.ts";
import { insertRow } from "../support/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// Learn from others scores only the lessons whose upper bound can still reach the top. This
// pins its ranking to the straightforward one (every candidate scored with ts_rank, as the
// lookup did before the bound) over a few hundred generated lessons: the same lessons, in
// the same order, for every project, alone and together.

// A small seeded generator, so every run builds the same library.
function generator(seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return { random, pick };
}

const WORDS = [
  "gebruikers betrokken vanaf de eerste schets",
  "de DPIA te laat gestart",
  "sensoren in de wijk met open data",
  "overdracht aan beheer zonder eigenaar",
  "werkend prototype voor de gemeenteraad",
  "data-analist en privacy officer samen",
  "users involved from the first sketch",
  "the procurement took three months",
  "handover to operations without an owner",
  "data quality of the parking data",
  "dashboard dashboard dashboard for the council",
  "algoritmes uitgelegd aan inwoners",
];
const THEMES = ["user-involvement", "scaling", "data-ethics-privacy", "collaboration", "data-quality", "technology"];
const PHASES = ["pilot", "pilot", "implement", "explore"];
const MISSIONS = ["", "Parkeerdruk meten met sensoren", "Fewer dashboards, more data quality", "data-analist"];

/** The lookup as it was: every candidate of the phase scored, best first. */
async function referenceRanking(database: TestDatabase, projectIds: string[], limit: number) {
  const rows = (
    await sql<{ forProjectId: string; id: string }>`
    WITH asking AS MATERIALIZED (
      SELECT pr.id, pr."organisationId", pr.phase,
        ARRAY(SELECT DISTINCT t FROM (SELECT rl.themes FROM "Lesson" rl WHERE rl."projectId" = pr.id
          AND rl.status <> 'dismissed' ORDER BY rl."createdAt" DESC, rl.id LIMIT 3) r, unnest(r.themes) t) AS themes,
        left(concat_ws(' ', pr.mission, (SELECT string_agg(r.text, ' ' ORDER BY r."createdAt" DESC, r.id) FROM (
          SELECT rl.text, rl."createdAt", rl.id FROM "Lesson" rl WHERE rl."projectId" = pr.id AND rl.status <> 'dismissed'
          ORDER BY rl."createdAt" DESC, rl.id LIMIT 3) r)), 1000) AS text
      FROM "Project" pr WHERE pr.id = ANY(${projectIds}::text[])),
    q AS MATERIALIZED (
      SELECT asking.*,
        nullif(replace(plainto_tsquery('dutch', asking.text)::text, ' & ', ' | '), '')::tsquery AS nl,
        nullif(replace(plainto_tsquery('english', asking.text)::text, ' & ', ' | '), '')::tsquery AS en
      FROM asking)
    SELECT q.id AS "forProjectId", v.id FROM q CROSS JOIN LATERAL (
      SELECT l.id FROM "Lesson" l
      WHERE l.phase = q.phase AND l.status = 'confirmed' AND l."projectId" IS DISTINCT FROM q.id
        AND (l.visibility = 'shared' OR (l."organisationId" = q."organisationId" AND l.visibility = 'organisation'))
        AND NOT EXISTS (SELECT 1 FROM "LessonShare" s WHERE s."lessonId" = l.id AND s."projectId" = q.id)
        AND ((cardinality(q.themes) = 0 AND q.nl IS NULL) OR l.themes && q.themes
          OR (q.nl IS NOT NULL AND l.search @@ q.nl) OR (q.en IS NOT NULL AND l.search @@ q.en))
      ORDER BY (cardinality(ARRAY(SELECT unnest(l.themes) INTERSECT SELECT unnest(q.themes)))
          + 10 * greatest(coalesce(ts_rank(l.search, q.nl), 0), coalesce(ts_rank(l.search, q.en), 0))
          + 0.1) * (l."usefulCount" + 2)::real / (l."notUsefulCount" + 2)::real DESC,
        l."createdAt" DESC, l.id
      LIMIT ${limit}) v`.execute(database.db)
  ).rows;
  const byProject = new Map<string, string[]>();
  for (const row of rows) byProject.set(row.forProjectId, [...(byProject.get(row.forProjectId) ?? []), row.id]);
  return byProject;
}

describe("learn from others ranks like scoring every lesson", () => {
  let database: TestDatabase;
  const projectIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const { random, pick } = generator(7);
    const organisations = [randomUUID(), randomUUID()];
    for (const [index, id] of organisations.entries()) {
      await insertRow(database.db, "Organisation", { id, name: `Gemeente ${index}` });
    }
    for (let index = 0; index < 14; index++) {
      const id = randomUUID();
      projectIds.push(id);
      await insertRow(database.db, "Project", {
        id,
        organisationId: organisations[index % 2] as string,
        name: `Project ${index}`,
        phase: PHASES[index % PHASES.length] as string,
        cadence: {},
        mission: MISSIONS[index % MISSIONS.length] as string,
      });
    }
    // One project that says nothing yet (no mission, no lessons): every lesson matches it.
    const silent = randomUUID();
    projectIds.push(silent);
    await insertRow(database.db, "Project", {
      id: silent,
      organisationId: organisations[0] as string,
      name: "Stil",
      phase: "pilot",
      cadence: {},
    });
    const start = Date.UTC(2026, 0, 1);
    const lessons = Array.from({ length: 600 }, () => {
      const words = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(WORDS)).join(", ");
      return {
        organisationId: pick(organisations),
        projectId: random() < 0.1 ? null : pick(projectIds.slice(0, 14)),
        phase: pick(PHASES),
        source: "manual",
        text: `${words}.`,
        recommendation: random() < 0.5 ? `${pick(WORDS)}.` : null,
        context: random() < 0.2 ? `${pick(WORDS)} ${pick(WORDS)}.` : null,
        themes: Array.from({ length: Math.floor(random() * 4) }, () => pick(THEMES)),
        visibility: pick(["organisation", "organisation", "team", "shared"]),
        status: pick(["confirmed", "confirmed", "confirmed", "proposed", "dismissed"]),
        usefulCount: random() < 0.6 ? 0 : Math.floor(random() * 12),
        notUsefulCount: random() < 0.7 ? 0 : Math.floor(random() * 6),
        // Whole days, so some lessons share a moment and the id decides.
        createdAt: new Date(start + Math.floor(random() * 60) * 86_400_000),
      };
    });
    await database.db.insertInto("Lesson").values(lessons).execute();
    const stored = await database.db.selectFrom("Lesson").select("id").orderBy("id").execute();
    // Some lessons were already shown to some projects.
    await database.db
      .insertInto("LessonShare")
      .values(
        stored
          .filter((_, index) => index % 9 === 0)
          .map((lesson, index) => ({
            lessonId: lesson.id,
            projectId: projectIds[index % projectIds.length] as string,
          })),
      )
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("offers the same lessons in the same order, one project at a time and all at once", async () => {
    const library = createStores(database.db).library;
    for (const limit of [3, 10]) {
      const expected = await referenceRanking(database, projectIds, limit);
      const together = await library.related(projectIds, limit);
      const actual = new Map([...together].map(([id, lessons]) => [id, lessons.map((lesson) => lesson.id)]));
      expect(actual).toEqual(expected);
      for (const projectId of projectIds) {
        const alone = await library.related([projectId], limit);
        expect((alone.get(projectId) ?? []).map((lesson) => lesson.id)).toEqual(expected.get(projectId) ?? []);
      }
      // Most projects are offered a full list: the comparison covers real rankings.
      const full = [...expected.values()].filter((ids) => ids.length === limit);
      expect(full.length).toBeGreaterThanOrEqual(10);
    }
  });

  // The lookup scores the best few by their bound first, then those further down the head
  // that can still reach the top, then any beyond it: with stages this small every one of
  // them is used, on rankings whose best exact scores sit below lessons with better bounds.
  it("offers the same lessons when the threshold has to be raised past the probe and the head", async () => {
    for (const [limit, stages] of [
      [3, { probe: 1, head: 4 }],
      [3, { probe: 3, head: 3 }],
      [10, { probe: 2, head: 12 }],
    ] as const) {
      const expected = await referenceRanking(database, projectIds, limit);
      const { rows } = await relatedLessonsQuery(projectIds, limit, stages).execute(database.db);
      const actual = new Map<string, string[]>();
      for (const row of rows) actual.set(row.forProjectId, [...(actual.get(row.forProjectId) ?? []), row.id]);
      expect(actual).toEqual(expected);
    }
  });

  it("keeps the bound columns in step with the searched text", async () => {
    const [row] = (
      await sql<{ lessons: number; differing: number }>`
      SELECT count(*)::int AS lessons,
        count(*) FILTER (WHERE search IS DISTINCT FROM lesson_search_vector(text, recommendation, context)
          OR "relatedBits" IS NULL OR "relatedCap" IS NULL)::int AS differing
      FROM "Lesson"`.execute(database.db)
    ).rows;
    expect(row).toEqual({ lessons: 600, differing: 0 });
  });
});
