import type { DigestContent } from "../domain/digest-content.ts";
import type { DigestStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";
import { queryDigestFacts } from "./digest-queries.ts";

export function createDigestRepository(db: DbClient): DigestStore {
  return {
    async lastPeriodEnd(organisationId, audience) {
      const row = await db.digest.findFirst({ where: { organisationId, audience }, orderBy: { periodEnd: "desc" } });
      return row?.periodEnd ?? null;
    },
    async create(input) {
      const created = await db.digest.createMany({ data: [input], skipDuplicates: true });
      if (created.count === 0) return null;
      const row = await db.digest.findUnique({
        where: {
          organisationId_audience_periodStart: {
            organisationId: input.organisationId,
            audience: input.audience,
            periodStart: input.periodStart,
          },
        },
      });
      return row?.id ?? null;
    },
    async everyDays(organisationId) {
      const row = await db.organisation.findUnique({
        where: { id: organisationId },
        select: { digestEveryDays: true },
      });
      return row?.digestEveryDays ?? null;
    },
    facts(input) {
      return queryDigestFacts(db, input);
    },
    async get(digestId) {
      const row = await db.digest.findUnique({ where: { id: digestId } });
      if (!row) return null;
      return { ...row, content: row.content as DigestContent };
    },
    async list(organisationId, audience) {
      return db.digest.findMany({
        where: { organisationId, audience },
        select: { id: true, periodStart: true, periodEnd: true, createdAt: true },
        orderBy: { periodEnd: "desc" },
        take: 200,
      });
    },
  };
}
