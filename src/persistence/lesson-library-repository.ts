// The lessons library on PostgreSQL. Full-text parts use the generated, weighted `search`
// tsvector (Dutch and English) and its GIN index, through $queryRaw tagged templates and
// Prisma.sql fragments only: every value is a bound parameter.

import { randomUUID } from "node:crypto";
import type {
  LessonEdit,
  LessonFilters,
  LessonLibraryStore,
  LessonShareRecord,
  LessonView,
  LessonViewer,
} from "../ports/lesson-library.ts";
import type { DbClient } from "./client-types.ts";
import type { DriverSql } from "./driver-sql.ts";
import { Prisma } from "./generated/client.ts";
import { FEEDBACK, REVIEWED, toView, VIEW_COLUMNS, VIEW_JOINS, type ViewRow } from "./lesson-view-sql.ts";
import { findRelatedLessons } from "./related-lessons.ts";

function visibleTo(viewer: LessonViewer): Prisma.Sql {
  // IN (subquery) is planned as one hashed lookup of the viewer's teams, not a probe per row.
  return Prisma.sql`(l.visibility = 'shared' OR (l."organisationId" = ${viewer.organisationId} AND (
    l.visibility <> 'team' OR l."projectId" IN (
      SELECT m."projectId" FROM "Membership" m WHERE m."personId" = ${viewer.personId}))))`;
}

function filtered(filters: LessonFilters): Prisma.Sql {
  return Prisma.sql`(cardinality(${filters.themes}::text[]) = 0 OR l.themes && ${filters.themes}::text[])
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

export function createLessonLibraryRepository(db: DbClient, sql: DriverSql): LessonLibraryStore {
  async function view(where: Prisma.Sql): Promise<LessonView[]> {
    const rows = await db.$queryRaw<ViewRow[]>`SELECT ${VIEW_COLUMNS} FROM "Lesson" l ${VIEW_JOINS} WHERE ${where}`;
    return rows.map(toView);
  }

  return {
    async stemWords(words) {
      const unique = [...new Set(words)].filter((word) => word.length > 0 && word.length <= 100);
      if (unique.length === 0) return new Map();
      const rows = await db.$queryRaw<{ word: string; stems: string[] }[]>`
        SELECT w AS word, array_remove(
          coalesce(ts_lexize('dutch_stem', w), '{}') || coalesce(ts_lexize('english_stem', w), '{}'), NULL) AS stems
        FROM unnest(${unique}::text[]) w`;
      return new Map(rows.map((row) => [row.word, [...new Set(row.stems)]]));
    },

    async search({ viewer, query, filters, limit }) {
      const words = query.trim();
      if (words === "") {
        const rows = await db.$queryRaw<ViewRow[]>`
          SELECT ${VIEW_COLUMNS} FROM "Lesson" l ${VIEW_JOINS}
          WHERE ${REVIEWED} AND ${visibleTo(viewer)} AND ${filtered(filters)}
          ORDER BY l."createdAt" DESC, l.id LIMIT ${limit}`;
        return rows.map(toView);
      }
      // Rank and cut on the lesson table alone; join names for the few rows shown.
      const rows = await db.$queryRaw<ViewRow[]>`
        WITH q AS (SELECT websearch_to_tsquery('dutch', ${words}) AS nl, websearch_to_tsquery('english', ${words}) AS en),
        hits AS (
          SELECT l.id, greatest(ts_rank(l.search, q.nl), ts_rank(l.search, q.en)) * ${FEEDBACK} AS score, l."createdAt"
          FROM "Lesson" l CROSS JOIN q
          WHERE (l.search @@ q.nl OR l.search @@ q.en) AND ${REVIEWED}
            AND ${visibleTo(viewer)} AND ${filtered(filters)}
          ORDER BY score DESC, l."createdAt" DESC, l.id
          LIMIT ${limit})
        SELECT ${VIEW_COLUMNS} FROM hits JOIN "Lesson" l ON l.id = hits.id ${VIEW_JOINS}
        ORDER BY hits.score DESC, hits."createdAt" DESC, l.id`;
      return rows.map(toView);
    },

    related(projectIds, limit) {
      return findRelatedLessons(db, projectIds, limit);
    },

    async projectsOf(organisationId) {
      return db.project.findMany({
        where: { organisationId },
        select: { id: true, name: true },
        orderBy: { name: "asc" },
      });
    },

    async find(lessonId) {
      const [row] = await view(Prisma.sql`l.id = ${lessonId}`);
      return row ?? null;
    },

    async create(lesson) {
      const created = await db.lesson.create({ data: lesson, select: { id: true } });
      return created.id;
    },

    async createMany(lessons) {
      if (lessons.length === 0) return 0;
      // On the driver, the batch as one JSON parameter: Prisma keeps its last hundred debug
      // records, each with a whole statement's values, so an import's batches would pile up
      // in memory (and in the old generation, where they wait for a full collection).
      const rows = lessons.map((lesson) => ({
        ...lesson,
        id: randomUUID(),
        domain: lesson.domain ?? null,
        createdAt: lesson.createdAt?.toISOString() ?? null,
      }));
      const [inserted] = await sql<{ count: number }>`
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
        SELECT count(*)::int AS count FROM inserted`;
      return inserted?.count ?? 0;
    },

    async edit(lessonId, edit: LessonEdit, editorId) {
      const before = await db.lesson.findUnique({
        where: { id: lessonId },
        select: {
          text: true,
          context: true,
          recommendation: true,
          themes: true,
          disciplines: true,
          visibility: true,
        },
      });
      if (!before) return;
      await db.lessonRevision.create({ data: { lessonId, editorId, before } });
      await db.lesson.update({ where: { id: lessonId }, data: edit });
    },

    async revisions(lessonId) {
      const rows = await db.lessonRevision.findMany({
        where: { lessonId },
        orderBy: { createdAt: "asc" },
        select: { before: true, createdAt: true },
      });
      return rows.map((row) => ({ before: row.before as Record<string, unknown>, createdAt: row.createdAt }));
    },

    async *textPages(organisationId, pageSize) {
      // Keyset pages: an organisation's lessons are never all in memory at once.
      let after = "";
      for (;;) {
        const rows = await db.lesson.findMany({
          where: { organisationId, id: { gt: after } },
          select: { id: true, text: true },
          orderBy: { id: "asc" },
          take: pageSize,
        });
        if (rows.length > 0) yield rows.map((row) => row.text);
        if (rows.length < pageSize) return;
        after = (rows.at(-1) as { id: string }).id;
      }
    },

    async ofOrganisation(organisationId) {
      const rows = await db.$queryRaw<ViewRow[]>`
        SELECT ${VIEW_COLUMNS} FROM "Lesson" l ${VIEW_JOINS}
        WHERE l."organisationId" = ${organisationId} AND ${REVIEWED}
        ORDER BY l."createdAt", l.id`;
      return rows.map(toView);
    },

    async share(offers) {
      const data = offers.flatMap(({ projectId, cycleId, lessonIds }) =>
        lessonIds.map((lessonId) => ({ lessonId, projectId, cycleId })),
      );
      if (data.length === 0) return [];
      await db.lessonShare.createMany({ data, skipDuplicates: true });
      const rows = await db.lessonShare.findMany({
        where: {
          OR: offers.map(({ projectId, cycleId, lessonIds }) => ({ projectId, cycleId, lessonId: { in: lessonIds } })),
        },
      });
      const order = new Map(data.map((item, index) => [`${item.projectId}|${item.lessonId}`, index]));
      const rank = (row: { projectId: string; lessonId: string }) => order.get(`${row.projectId}|${row.lessonId}`) ?? 0;
      return rows.sort((a, b) => rank(a) - rank(b)).map(toShare);
    },

    async shareById(shareId) {
      const row = await db.lessonShare.findUnique({ where: { id: shareId } });
      return row ? toShare(row) : null;
    },

    async feedback(shareId, useful, personId) {
      // One statement: the share's previous answer decides which counts move, so two
      // clicks at once (or a repeated one) cannot count twice.
      await db.$executeRaw`
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
        FROM changed WHERE l.id = changed."lessonId"`;
    },

    async sharesDueForAppliedQuestion(cycles, cyclesAgo) {
      if (cycles.length === 0) return [];
      const shares = await db.$queryRaw<LessonShareRecord[]>`
        SELECT s.id, s."lessonId", s."projectId", s.useful, s.applied
        FROM "LessonShare" s JOIN "RetroCycle" c ON c.id = s."cycleId"
        JOIN unnest(${cycles.map((cycle) => cycle.projectId)}::text[], ${cycles.map((cycle) => cycle.sequence)}::int[])
          AS asking("projectId", sequence) ON asking."projectId" = s."projectId"
        WHERE s."appliedAskedAt" IS NULL AND c.sequence <= asking.sequence - ${cyclesAgo}
        ORDER BY s."createdAt", s.id`;
      if (shares.length === 0) return [];
      const lessons = await view(Prisma.sql`l.id = ANY(${shares.map((share) => share.lessonId)}::text[])`);
      const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
      return shares.flatMap((share) => {
        const lesson = byId.get(share.lessonId);
        return lesson ? [{ share: toShare(share), lesson }] : [];
      });
    },

    async markAppliedAsked(shareIds, at) {
      if (shareIds.length === 0) return;
      await db.lessonShare.updateMany({ where: { id: { in: shareIds } }, data: { appliedAskedAt: at } });
    },

    async recordApplied(shareId, applied, evidence) {
      const updated = await db.lessonShare.updateMany({ where: { id: shareId, applied: null }, data: { applied } });
      if (updated.count === 0) return false;
      if (applied) {
        const share = await db.lessonShare.findUnique({ where: { id: shareId }, select: { lessonId: true } });
        if (share) await db.lesson.update({ where: { id: share.lessonId }, data: { appliedIn: { push: evidence } } });
      }
      return true;
    },
  };
}
