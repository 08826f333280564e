import type { LessonStore } from "../ports/lesson-store.ts";
import type { Db } from "./database.ts";

export function createLessonRepository(db: Db): LessonStore {
  const withProjectName = () =>
    db
      .selectFrom("Lesson as l")
      .leftJoin("Project as p", "p.id", "l.projectId")
      .select(["l.id", "l.text", "l.phase", "l.themes", "p.name as projectName"]);
  return {
    async createFromAnswers(items) {
      if (items.length === 0) return;
      await db
        .insertInto("Lesson")
        .values(items.map((item) => ({ ...item, source: "answer", visibility: "organisation", status: "proposed" })))
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },

    async get(lessonId) {
      const row = await db
        .selectFrom("Lesson")
        .select(["id", "projectId", "organisationId", "cycleId", "source", "status", "reviewedById"])
        .where("id", "=", lessonId)
        .executeTakeFirst();
      return row ?? null;
    },

    async review(lessonId, input) {
      const updated = await db
        .updateTable("Lesson")
        .set({ status: input.status, reviewedById: input.personId, reviewedAt: input.at, updatedAt: new Date() })
        .where("id", "=", lessonId)
        .where("status", "=", "proposed")
        .executeTakeFirst();
      return updated.numUpdatedRows === 1n;
    },

    async undoReview(lessonId) {
      const updated = await db
        .updateTable("Lesson")
        .set({ status: "proposed", reviewedById: null, reviewedAt: null, updatedAt: new Date() })
        .where("id", "=", lessonId)
        .where("source", "=", "answer")
        .where("status", "in", ["confirmed", "dismissed"])
        .executeTakeFirst();
      return updated.numUpdatedRows === 1n;
    },

    async forCycle(cycleId) {
      const rows = await withProjectName().where("l.cycleId", "=", cycleId).orderBy("l.createdAt").execute();
      return rows.map((row) => ({
        id: row.id,
        text: row.text,
        projectName: row.projectName ?? null,
        phase: row.phase,
        themes: row.themes ?? [],
      }));
    },

    async inPeriod(organisationId, from, to) {
      const rows = await withProjectName()
        .where("l.organisationId", "=", organisationId)
        .where("l.createdAt", ">=", from)
        .where("l.createdAt", "<", to)
        .where("l.status", "=", "confirmed")
        .orderBy("l.createdAt")
        .execute();
      return rows.map((row) => ({
        id: row.id,
        text: row.text,
        projectName: row.projectName ?? "",
        themes: row.themes ?? [],
      }));
    },
  };
}
