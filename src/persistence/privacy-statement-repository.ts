import { privacyFields } from "../domain/privacy-statement.ts";
import type { PrivacyStatementStore } from "../ports/privacy-statement-store.ts";
import { OUTBOX_RETENTION_DAYS } from "../use-cases/privacy.ts";
import type { Db } from "./prisma-client.ts";

export function createPrivacyStatementRepository(db: Db): PrivacyStatementStore {
  return {
    async facts(organisationId) {
      const select = { name: true, privacyStatement: true, retentionMonths: true, minGroupSize: true } as const;
      const organisation = organisationId
        ? await db.organisation.findUnique({ where: { id: organisationId }, select })
        : await db.organisation.findFirst({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select });
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
      return db.$transaction(async (tx) => {
        const organisation = await tx.organisation.findUnique({
          where: { id: organisationId },
          select: { privacyStatement: true },
        });
        if (!organisation) return null;
        const current = privacyFields(organisation.privacyStatement);
        const merged: Record<string, string | null | undefined> = { ...current, ...changes };
        const fields = privacyFields(merged);
        await tx.organisation.update({ where: { id: organisationId }, data: { privacyStatement: fields } });
        return fields;
      });
    },
  };
}
