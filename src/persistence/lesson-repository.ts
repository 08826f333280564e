import type { LessonStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";

export function createLessonRepository(db: DbClient): LessonStore {
  return {
    async createFromAnswers(items) {
      if (items.length === 0) return;
      await db.lesson.createMany({
        data: items.map((item) => ({ ...item, source: "answer", visibility: "organisation", status: "proposed" })),
        skipDuplicates: true,
      });
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
        where: { organisationId, createdAt: { gte: from, lt: to }, status: "confirmed" },
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
