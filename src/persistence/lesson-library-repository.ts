// The lessons library on PostgreSQL. Full-text parts use the generated, weighted `search`
// tsvector (Dutch and English) and its GIN index, through Kysely's `sql` templates and
// fragments: every value is a bound parameter.

import { randomUUID } from "node:crypto";
import { type RawBuilder, sql } from "kysely";
import type {
  LessonEdit,
  LessonFilters,
  LessonLibraryStore,
  LessonShareRecord,
  LessonView,
  LessonViewer,
} from "../ports/lesson-library.ts";
import { type Db, json } from "./database.ts";
import { FEEDBACK, REVIEWED, toView, VIEW_COLUMNS, VIEW_JOINS, type ViewRow } from "./lesson-view-sql.ts";
import { findRelatedLessons } from "./related-lessons.ts";

function visibleTo(viewer: LessonViewer): RawBuilder<unknown> {
  // IN (subquery) is planned as one hashed lookup of the viewer's teams, not a probe per row.
  return sql`(l.visibility = 'shared' OR (l."organisationId" = ${viewer.organisationId} AND (
    l.visibility <> 'team' OR l."projectId" IN (
      SELECT m."projectId" FROM "Membership" m WHERE m."personId" = ${viewer.personId}))))`;
}

function filtered(filters: LessonFilters): RawBuilder<unknown> {
  return sql`(cardinality(${filters.themes}::text[]) = 0 OR l.themes && ${filters.themes}::text[])
    AND (cardinality(${filters.phases}::text[]) = 0 OR l.phase = ANY(${filters.phases}::text[]))
    AND (cardinality(${filters.disciplines}::text[]) = 0 OR l.disciplines && ${filters.disciplines}::text[])
    AND (cardinality(${filters.domains ?? []}::text[]) = 0 OR l.domain = ANY(${filters.domains ?? []}::text[]))
    AND (cardinality(${filters.projects}::text[]) = 0 OR l."projectId" IN (
      SELECT fp.id FROM "Project" fp, unnest(${filters.projects}::text[]) f WHERE strpos(lower(fp.name), lower(f)) > 0))`;
}

function toShare(row: {
  id: string;
  lessonId: string;
  projectId: string;
  useful: boolean | null;
  applied: boolean | null;
}): LessonShareRecord {
  return { id: row.id, lessonId: row.lessonId, projectId: row.projectId, useful: row.useful, applied: row.applied };
}

export function createLessonLibraryRepository(db: Db): LessonLibraryStore {
  async function view(where: RawBuilder<unknown>): Promise<LessonView[]> {
    const { rows } = await sql<ViewRow>`SELECT ${VIEW_COLUMNS} FROM "Lesson" l ${VIEW_JOINS} WHERE ${where}`.execute(
      db,
    );
    return rows.map(toView);
  }

  return {
    async stemWords(words) {
      const unique = [...new Set(words)].filter((word) => word.length > 0 && word.length <= 100);
      if (unique.length === 0) return new Map();
      const rows = (
        await sql<{ word: string; stems: string[] }>`
        SELECT w AS word, array_remove(
          coalesce(ts_lexize('dutch_stem', w), '{}') || coalesce(ts_lexize('english_stem', w), '{}'), NULL) AS stems
        FROM unnest(${unique}::text[]) w`.execute(db)
      ).rows;
      return new Map(rows.map((row) => [row.word, [...new Set(row.stems)]]));
    },

    async search({ viewer, query, filters, limit }) {
      const words = query.trim();
      if (words === "") {
        const rows = (
          await sql<ViewRow>`
          SELECT ${VIEW_COLUMNS} FROM "Lesson" l ${VIEW_JOINS}
          WHERE ${REVIEWED} AND ${visibleTo(viewer)} AND ${filtered(filters)}
          ORDER BY l."createdAt" DESC, l.id LIMIT ${limit}`.execute(db)
        ).rows;
        return rows.map(toView);
      }
      // Rank and cut on the lesson table alone; join names for the few rows shown.
      const rows = (
        await sql<ViewRow>`
        WITH q AS (SELECT websearch_to_tsquery('dutch', ${words}) AS nl, websearch_to_tsquery('english', ${words}) AS en),
        hits AS (
          SELECT l.id, greatest(ts_rank(l.search, q.nl), ts_rank(l.search, q.en)) * ${FEEDBACK} AS score, l."createdAt"
          FROM "Lesson" l CROSS JOIN q
          WHERE (l.search @@ q.nl OR l.search @@ q.en) AND ${REVIEWED}
            AND ${visibleTo(viewer)} AND ${filtered(filters)}
          ORDER BY score DESC, l."createdAt" DESC, l.id
          LIMIT ${limit})
        SELECT ${VIEW_COLUMNS} FROM hits JOIN "Lesson" l ON l.id = hits.id ${VIEW_JOINS}
        ORDER BY hits.score DESC, hits."createdAt" DESC, l.id`.execute(db)
      ).rows;
      return rows.map(toView);
    },

    related(projectIds, limit) {
      return findRelatedLessons(db, projectIds, limit);
    },

    async projectsOf(organisationId) {
      return db
        .selectFrom("Project")
        .select(["id", "name"])
        .where("organisationId", "=", organisationId)
        .orderBy("name")
        .execute();
    },

    async find(lessonId) {
      const [row] = await view(sql`l.id = ${lessonId}`);
      return row ?? null;
    },

    async create(lesson) {
      const created = await db.insertInto("Lesson").values(lesson).returning("id").executeTakeFirstOrThrow();
      return created.id;
    },

    async createMany(lessons) {
      if (lessons.length === 0) return 0;
      // The batch as one JSON parameter: one statement for thousands of lessons, and one
      // string to hold instead of a parameter per field.
      const rows = lessons.map((lesson) => ({
        ...lesson,
        id: randomUUID(),
        domain: lesson.domain ?? null,
        createdAt: lesson.createdAt?.toISOString() ?? null,
      }));
      const [inserted] = (
        await sql<{ count: number }>`
        WITH input AS (
          SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(
            id text, "organisationId" text, "projectId" text, phase text, text text, context text,
            recommendation text, themes text[], disciplines text[], source text, visibility text, status text,
            publisher text, licence text, contact text, "appliedIn" text[], domain text, "createdAt" text)),
        inserted AS (
          INSERT INTO "Lesson" (id, "organisationId", "projectId", phase, text, context, recommendation, themes,
            disciplines, source, visibility, status, publisher, licence, contact, "appliedIn", domain, "createdAt", "updatedAt")
          SELECT id, "organisationId", "projectId", phase, text, context, recommendation, themes, disciplines,
            source, visibility, status, publisher, licence, contact, "appliedIn", domain,
            coalesce("createdAt"::timestamp(3), now() AT TIME ZONE 'UTC'), now() AT TIME ZONE 'UTC'
          FROM input
          RETURNING 1)
        SELECT count(*)::int AS count FROM inserted`.execute(db)
      ).rows;
      return inserted?.count ?? 0;
    },

    async edit(lessonId, edit: LessonEdit, editorId) {
      const before = await db
        .selectFrom("Lesson")
        .select(["text", "context", "recommendation", "themes", "disciplines", "visibility"])
        .where("id", "=", lessonId)
        .executeTakeFirst();
      if (!before) return;
      await db
        .insertInto("LessonRevision")
        .values({ lessonId, editorId, before: json(before) })
        .execute();
      await db
        .updateTable("Lesson")
        .set({ ...edit, updatedAt: new Date() })
        .where("id", "=", lessonId)
        .execute();
    },

    async revisions(lessonId) {
      const rows = await db
        .selectFrom("LessonRevision")
        .select(["before", "createdAt"])
        .where("lessonId", "=", lessonId)
        .orderBy("createdAt")
        .execute();
      return rows.map((row) => ({ before: row.before as Record<string, unknown>, createdAt: row.createdAt }));
    },

    async *textPages(organisationId, pageSize) {
      // Keyset pages: an organisation's lessons are never all in memory at once.
      let after = "";
      for (;;) {
        const rows = await db
          .selectFrom("Lesson")
          .select(["id", "text"])
          .where("organisationId", "=", organisationId)
          .where("id", ">", after)
          .orderBy("id")
          .limit(pageSize)
          .execute();
        if (rows.length > 0) yield rows.map((row) => row.text);
        if (rows.length < pageSize) return;
        after = (rows.at(-1) as { id: string }).id;
      }
    },

    async ofOrganisation(organisationId) {
      const rows = (
        await sql<ViewRow>`
        SELECT ${VIEW_COLUMNS} FROM "Lesson" l ${VIEW_JOINS}
        WHERE l."organisationId" = ${organisationId} AND ${REVIEWED}
        ORDER BY l."createdAt", l.id`.execute(db)
      ).rows;
      return rows.map(toView);
    },

    async share(offers) {
      const data = offers.flatMap(({ projectId, cycleId, lessonIds }) =>
        lessonIds.map((lessonId) => ({ lessonId, projectId, cycleId })),
      );
      if (data.length === 0) return [];
      await db
        .insertInto("LessonShare")
        .values(data)
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      const rows = await db
        .selectFrom("LessonShare")
        .selectAll()
        .where((eb) =>
          eb.or(
            offers
              .filter(({ lessonIds }) => lessonIds.length > 0)
              .map(({ projectId, cycleId, lessonIds }) =>
                eb.and([
                  eb("projectId", "=", projectId),
                  cycleId === null ? eb("cycleId", "is", null) : eb("cycleId", "=", cycleId),
                  eb("lessonId", "in", lessonIds),
                ]),
              ),
          ),
        )
        .execute();
      const order = new Map(data.map((item, index) => [`${item.projectId}|${item.lessonId}`, index]));
      const rank = (row: { projectId: string; lessonId: string }) => order.get(`${row.projectId}|${row.lessonId}`) ?? 0;
      return rows.sort((a, b) => rank(a) - rank(b)).map(toShare);
    },

    async shareById(shareId) {
      const row = await db.selectFrom("LessonShare").selectAll().where("id", "=", shareId).executeTakeFirst();
      return row ? toShare(row) : null;
    },

    async feedback(shareId, useful, personId) {
      // One statement: the share's previous answer decides which counts move, so two
      // clicks at once (or a repeated one) cannot count twice.
      await sql`
        WITH old AS (SELECT id, "lessonId", useful FROM "LessonShare" WHERE id = ${shareId} FOR UPDATE),
        changed AS (
          UPDATE "LessonShare" s SET useful = ${useful}, "feedbackById" = ${personId}
          FROM old WHERE s.id = old.id AND old.useful IS DISTINCT FROM ${useful}
          RETURNING old."lessonId", old.useful AS previous)
        UPDATE "Lesson" l SET
          "usefulCount" = l."usefulCount" + (CASE WHEN ${useful} THEN 1 ELSE 0 END)
            - (CASE WHEN changed.previous IS TRUE THEN 1 ELSE 0 END),
          "notUsefulCount" = l."notUsefulCount" + (CASE WHEN ${useful} THEN 0 ELSE 1 END)
            - (CASE WHEN changed.previous IS FALSE THEN 1 ELSE 0 END)
        FROM changed WHERE l.id = changed."lessonId"`.execute(db);
    },

    async sharesDueForAppliedQuestion(cycles, cyclesAgo) {
      if (cycles.length === 0) return [];
      const shares = (
        await sql<LessonShareRecord>`
        SELECT s.id, s."lessonId", s."projectId", s.useful, s.applied
        FROM "LessonShare" s JOIN "RetroCycle" c ON c.id = s."cycleId"
        JOIN unnest(${cycles.map((cycle) => cycle.projectId)}::text[], ${cycles.map((cycle) => cycle.sequence)}::int[])
          AS asking("projectId", sequence) ON asking."projectId" = s."projectId"
        WHERE s."appliedAskedAt" IS NULL AND c.sequence <= asking.sequence - ${cyclesAgo}
        ORDER BY s."createdAt", s.id`.execute(db)
      ).rows;
      if (shares.length === 0) return [];
      const lessons = await view(sql`l.id = ANY(${shares.map((share) => share.lessonId)}::text[])`);
      const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
      return shares.flatMap((share) => {
        const lesson = byId.get(share.lessonId);
        return lesson ? [{ share: toShare(share), lesson }] : [];
      });
    },

    async markAppliedAsked(shareIds, at) {
      if (shareIds.length === 0) return;
      await db.updateTable("LessonShare").set({ appliedAskedAt: at }).where("id", "in", shareIds).execute();
    },

    async recordApplied(shareId, applied, evidence) {
      const share = await db
        .updateTable("LessonShare")
        .set({ applied })
        .where("id", "=", shareId)
        .where("applied", "is", null)
        .returning("lessonId")
        .executeTakeFirst();
      if (!share) return false;
      if (applied) {
        await db
          .updateTable("Lesson")
          .set({ appliedIn: sql`array_append("appliedIn", ${evidence}::text)`, updatedAt: new Date() })
          .where("id", "=", share.lessonId)
          .execute();
      }
      return true;
    },
  };
}
