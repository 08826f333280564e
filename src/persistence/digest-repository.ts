import type { DigestContent } from "../domain/digest-content.ts";
import type { DigestStore } from "../ports/digest-store.ts";
import { type Db, json } from "./database.ts";
import { queryDigestFacts } from "./digest-queries.ts";

export function createDigestRepository(db: Db): DigestStore {
  return {
    async lastPeriodEnd(organisationId, audience) {
      const row = await db
        .selectFrom("Digest")
        .select("periodEnd")
        .where("organisationId", "=", organisationId)
        .where("audience", "=", audience)
        .orderBy("periodEnd", "desc")
        .limit(1)
        .executeTakeFirst();
      return row?.periodEnd ?? null;
    },
    async create(input) {
      const row = await db
        .insertInto("Digest")
        .values({ ...input, content: json(input.content) })
        .onConflict((conflict) => conflict.doNothing())
        .returning("id")
        .executeTakeFirst();
      return row?.id ?? null;
    },
    async everyDays(organisationId) {
      const row = await db
        .selectFrom("Organisation")
        .select("digestEveryDays")
        .where("id", "=", organisationId)
        .executeTakeFirst();
      return row?.digestEveryDays ?? null;
    },
    facts(input) {
      return queryDigestFacts(db, input);
    },
    async get(digestId) {
      const row = await db.selectFrom("Digest").selectAll().where("id", "=", digestId).executeTakeFirst();
      if (!row) return null;
      return { ...row, content: row.content as unknown as DigestContent };
    },
    async list(organisationId, audience) {
      return db
        .selectFrom("Digest")
        .select(["id", "periodStart", "periodEnd", "createdAt"])
        .where("organisationId", "=", organisationId)
        .where("audience", "=", audience)
        .orderBy("periodEnd", "desc")
        .limit(200)
        .execute();
    },
  };
}
