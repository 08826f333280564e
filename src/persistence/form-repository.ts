import { sql } from "kysely";
import type { FormKind } from "../domain/record-status.ts";
import type { FormStore } from "../ports/form-store.ts";
import { type Db, json } from "./database.ts";

export function createFormRepository(db: Db): FormStore {
  return {
    async put(instance, at) {
      const created = await db
        .insertInto("FormInstance")
        .values({ ...instance, data: json(instance.data), createdAt: at, updatedAt: at })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      return Number(created.numInsertedOrUpdatedRows ?? 0) === 1;
    },

    async get(id) {
      const row = await db.selectFrom("FormInstance").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? { ...row, kind: row.kind as FormKind, data: (row.data ?? {}) as Record<string, unknown> } : null;
    },

    async update(id, data, at) {
      const result = await db
        .updateTable("FormInstance")
        .set({ data: json(data), updatedAt: at })
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async remove(id) {
      await db.deleteFrom("FormInstance").where("id", "=", id).execute();
    },

    async openRetrosOf(personId, now) {
      const rows = await db
        .selectFrom("Delivery as d")
        .innerJoin("RetroCycle as c", "c.id", "d.cycleId")
        .innerJoin("Project as p", "p.id", "c.projectId")
        .select([
          "d.id as deliveryId",
          "c.id as cycleId",
          "c.opensAt",
          "c.closesAt",
          "p.id as projectId",
          "p.name as projectName",
          "p.anonymous",
        ])
        .where("d.personId", "=", personId)
        .where("c.status", "=", "open")
        .where("c.closesAt", ">", now)
        .orderBy("c.opensAt", "desc")
        .execute();
      return rows;
    },

    async snoozedIn(cycleId) {
      const rows = await db
        .selectFrom("FormInstance")
        .select("ownerKey")
        .where("kind", "=", "asking")
        .where("subject", "=", cycleId)
        .where(sql<boolean>`data -> 'snoozed' = 'true'::jsonb`)
        .execute();
      return rows.map((row) => row.ownerKey);
    },

    async prune(before) {
      await db.deleteFrom("FormInstance").where("createdAt", "<", before).execute();
    },
  };
}
