import type { LessonStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";

type HitRow = { id: string; text: string; projectName: string | null; phase: string; themes: string[] };

export function createLessonRepository(db: DbClient): LessonStore {
  return {
    async createFromAnswers(items) {
      if (items.length === 0) return;
      await db.lesson.createMany({
        data: items.map((item) => ({ ...item, source: "answer", visibility: "organisation", status: "proposed" })),
        skipDuplicates: true,
      });
    },

    // Team-only lessons are visible to that team's members; organisation-wide to everyone in it.
    async search({ organisationId, personId, query, limit }) {
      const words = query.trim();
      if (words === "") {
        return db.$queryRaw<HitRow[]>`
          SELECT l.id, l.text, p.name AS "projectName", l.phase, l.themes
          FROM "Lesson" l LEFT JOIN "Project" p ON p.id = l."projectId"
          WHERE l."organisationId" = ${organisationId} AND l.status <> 'dismissed'
            AND (l.visibility <> 'team' OR EXISTS (
              SELECT 1 FROM "Membership" m WHERE m."projectId" = l."projectId" AND m."personId" = ${personId}))
          ORDER BY l."createdAt" DESC LIMIT ${limit}`;
      }
      return db.$queryRaw<HitRow[]>`
        WITH q AS (SELECT websearch_to_tsquery('dutch', ${words}) AS nl, websearch_to_tsquery('english', ${words}) AS en)
        SELECT l.id, l.text, p.name AS "projectName", l.phase, l.themes
        FROM "Lesson" l CROSS JOIN q LEFT JOIN "Project" p ON p.id = l."projectId"
        WHERE l."organisationId" = ${organisationId} AND l.status <> 'dismissed'
          AND (l.search @@ q.nl OR l.search @@ q.en)
          AND (l.visibility <> 'team' OR EXISTS (
            SELECT 1 FROM "Membership" m WHERE m."projectId" = l."projectId" AND m."personId" = ${personId}))
        ORDER BY greatest(ts_rank(l.search, q.nl), ts_rank(l.search, q.en)) DESC, l."createdAt" DESC
        LIMIT ${limit}`;
    },

    async get(lessonId) {
      return db.lesson.findUnique({
        where: { id: lessonId },
        select: { id: true, projectId: true, organisationId: true, status: true },
      });
    },

    async setStatus(lessonId, status) {
      await db.lesson.update({ where: { id: lessonId }, data: { status } });
    },

    async forCycle(cycleId) {
      const rows = await db.lesson.findMany({
        where: { cycleId },
        include: { project: { select: { name: true } } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((row) => ({
        id: row.id,
        text: row.text,
        projectName: row.project?.name ?? null,
        phase: row.phase,
        themes: row.themes,
      }));
    },

    async inPeriod(organisationId, from, to) {
      const rows = await db.lesson.findMany({
        where: { organisationId, createdAt: { gte: from, lt: to }, status: { not: "dismissed" } },
        include: { project: { select: { name: true } } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((row) => ({
        id: row.id,
        text: row.text,
        projectName: row.project?.name ?? "",
        themes: row.themes,
      }));
    },
  };
}
