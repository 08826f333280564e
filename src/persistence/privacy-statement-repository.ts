import { privacyFields } from "../domain/privacy-statement.ts";
import type { PrivacyStatementStore } from "../ports/privacy-statement-store.ts";
import { OUTBOX_RETENTION_DAYS } from "../use-cases/privacy.ts";
import { type Db, json } from "./database.ts";

export function createPrivacyStatementRepository(db: Db): PrivacyStatementStore {
  return {
    async facts(organisationId) {
      const query = db
        .selectFrom("Organisation")
        .select(["name", "privacyStatement", "retentionMonths", "minGroupSize"]);
      const organisation = await (organisationId
        ? query.where("id", "=", organisationId)
        : query.orderBy("createdAt").orderBy("id").limit(1)
      ).executeTakeFirst();
      if (!organisation) return null;
      return {
        organisationName: organisation.name,
        fields: privacyFields(organisation.privacyStatement),
        retentionMonths: organisation.retentionMonths > 0 ? organisation.retentionMonths : null,
        outboxRetentionDays: OUTBOX_RETENTION_DAYS,
        minGroupSize: organisation.minGroupSize,
      };
    },

    async update(organisationId, changes) {
      return db.transaction().execute(async (trx) => {
        // Locked, so two edits at once each merge into the other's result.
        const organisation = await trx
          .selectFrom("Organisation")
          .select("privacyStatement")
          .where("id", "=", organisationId)
          .forUpdate()
          .executeTakeFirst();
        if (!organisation) return null;
        const current = privacyFields(organisation.privacyStatement);
        const merged: Record<string, string | null | undefined> = { ...current, ...changes };
        const fields = privacyFields(merged);
        await trx
          .updateTable("Organisation")
          .set({ privacyStatement: json(fields) })
          .where("id", "=", organisationId)
          .execute();
        return fields;
      });
    },
  };
}
