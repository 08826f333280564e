import type { CheckpointStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";

export function createCheckpointRepository(db: DbClient): CheckpointStore {
  return {
    async ensure(projectId, items) {
      if (items.length === 0) return;
      await db.checkpoint.createMany({ data: items.map((item) => ({ ...item, projectId })), skipDuplicates: true });
    },
    async open(projectId, phase) {
      return db.checkpoint.findMany({ where: { projectId, phase, status: "open" }, orderBy: { dueAt: "asc" } });
    },
    async get(checkpointId) {
      return db.checkpoint.findUnique({ where: { id: checkpointId } });
    },
    async recordNudges(checkpointIds, at) {
      await db.checkpoint.updateMany({
        where: { id: { in: checkpointIds } },
        data: { lastNudgedAt: at, nudgesSent: { increment: 1 } },
      });
    },
    async decide(checkpointId, input) {
      await db.checkpoint.update({
        where: { id: checkpointId },
        data: { status: input.status, decidedById: input.personId, evidence: input.evidence, decidedAt: input.at },
      });
    },
    async snooze(checkpointId, until) {
      await db.checkpoint.update({ where: { id: checkpointId }, data: { snoozedUntil: until } });
    },
  };
}
