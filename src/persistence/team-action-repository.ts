import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { ActionStatus } from "../domain/record-status.ts";
import type { ActionOwnerRecord, TeamActionRecord, TeamActionStore } from "../ports/team-action-store.ts";
import type { Db } from "./database.ts";

export function createTeamActionRepository(db: Db): TeamActionStore {
  const select = () =>
    db
      .selectFrom("ActionItem as a")
      .select((eb) => [
        "a.id",
        "a.projectId",
        "a.cycleId",
        "a.proposalKey",
        "a.text",
        "a.previousText",
        "a.rewrittenById",
        "a.dueAt",
        "a.status",
        "a.reviewedInCycleId",
        jsonArrayFrom(
          eb
            .selectFrom("ActionOwner as o")
            .innerJoin("Person as p", "p.id", "o.personId")
            .select(["o.personId", "p.displayName", "o.assignedById"])
            .whereRef("o.actionId", "=", "a.id")
            .orderBy("o.createdAt")
            .orderBy("o.personId"),
        ).as("owners"),
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof select>["execute"]>>[number];
  const toRecord = (row: Row): TeamActionRecord => ({
    ...row,
    dueAt: row.dueAt ? new Date(row.dueAt) : null,
    status: row.status as ActionStatus,
    owners: row.owners as ActionOwnerRecord[],
  });

  return {
    async propose(items) {
      if (items.length === 0) return [];
      // One proposal per (cycle, key), however often it is proposed: the first one's text stays.
      await db
        .insertInto("ActionItem")
        .values(items.map((item) => ({ ...item })))
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      const rows = await select()
        .where("a.cycleId", "in", [...new Set(items.map((item) => item.cycleId))])
        .where(
          "a.proposalKey",
          "in",
          items.map((item) => item.proposalKey),
        )
        .execute();
      const byKey = new Map(rows.map((row) => [`${row.cycleId}:${row.proposalKey}`, toRecord(row)]));
      return items.flatMap((item) => byKey.get(`${item.cycleId}:${item.proposalKey}`) ?? []);
    },

    async get(actionId) {
      const row = await select().where("a.id", "=", actionId).executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async many(actionIds) {
      if (actionIds.length === 0) return [];
      return (await select().where("a.id", "in", actionIds).execute()).map(toRecord);
    },

    async addOwner(actionId, personId, assignedById, at) {
      // A take clicked twice, replayed or racing another: the key keeps one row per person.
      const added = await db
        .insertInto("ActionOwner")
        .values({ actionId, personId, assignedById, createdAt: at })
        .onConflict((conflict) => conflict.columns(["actionId", "personId"]).doNothing())
        .executeTakeFirst();
      return Number(added.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async removeOwner(actionId, personId) {
      const removed = await db
        .deleteFrom("ActionOwner")
        .where("actionId", "=", actionId)
        .where("personId", "=", personId)
        .executeTakeFirst();
      return Number(removed.numDeletedRows) > 0;
    },

    async rewrite(actionId, input) {
      const changed = await db
        .updateTable("ActionItem")
        .set((eb) => ({ previousText: eb.ref("text"), text: input.text, rewrittenById: input.personId }))
        .where("id", "=", actionId)
        .where("status", "=", "open")
        .where("reviewedInCycleId", "is", null)
        .where("text", "<>", input.text)
        .executeTakeFirst();
      return Number(changed.numUpdatedRows) > 0;
    },

    async setDue(actionId, dueAt) {
      await db.updateTable("ActionItem").set({ dueAt }).where("id", "=", actionId).execute();
    },
  };
}
