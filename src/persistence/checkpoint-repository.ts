import type { CheckpointStore } from "../ports/checkpoint-store.ts";
import type { Db } from "./database.ts";

export function createCheckpointRepository(db: Db): CheckpointStore {
  return {
    async ensure(projectId, items) {
      if (items.length === 0) return;
      await db
        .insertInto("Checkpoint")
        .values(items.map((item) => ({ ...item, projectId })))
        .onConflict((conflict) => conflict.doNothing())
        .execute();
    },
    async open(projectId, phase) {
      return db
        .selectFrom("Checkpoint")
        .selectAll()
        .where("projectId", "=", projectId)
        .where("phase", "=", phase)
        .where("status", "=", "open")
        .orderBy("dueAt")
        .execute();
    },
    async get(checkpointId) {
      return (await db.selectFrom("Checkpoint").selectAll().where("id", "=", checkpointId).executeTakeFirst()) ?? null;
    },
    async recordNudges(checkpointIds, at) {
      if (checkpointIds.length === 0) return;
      await db
        .updateTable("Checkpoint")
        .set((eb) => ({ lastNudgedAt: at, nudgesSent: eb("nudgesSent", "+", 1) }))
        .where("id", "in", checkpointIds)
        .execute();
    },
    async decide(checkpointId, input) {
      await db
        .updateTable("Checkpoint")
        .set({ status: input.status, decidedById: input.personId, evidence: input.evidence, decidedAt: input.at })
        .where("id", "=", checkpointId)
        .execute();
    },
    async snooze(checkpointId, until) {
      await db.updateTable("Checkpoint").set({ snoozedUntil: until }).where("id", "=", checkpointId).execute();
    },
  };
}
