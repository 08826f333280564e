import type { DaysOffStore } from "../ports/days-off-store.ts";
import type { Db } from "./database.ts";

/** A local date as the DATE column takes it: midnight UTC of that day. */
const asDate = (date: string) => new Date(`${date}T00:00:00Z`);

export function createDaysOffRepository(db: Db): DaysOffStore {
  return {
    async list(organisationId, from) {
      const rows = await db
        .selectFrom("OrganisationDayOff")
        .select("date")
        .where("organisationId", "=", organisationId)
        .where("date", ">=", asDate(from))
        .orderBy("date")
        .execute();
      return rows.map((row) => row.date.toISOString().slice(0, 10));
    },

    async add(organisationId, dates) {
      if (dates.length === 0) return 0;
      const rows = await db
        .insertInto("OrganisationDayOff")
        .values(dates.map((date) => ({ organisationId, date: asDate(date) })))
        .onConflict((conflict) => conflict.doNothing())
        .returning("id")
        .execute();
      return rows.length;
    },

    async remove(organisationId, dates) {
      if (dates.length === 0) return 0;
      const result = await db
        .deleteFrom("OrganisationDayOff")
        .where("organisationId", "=", organisationId)
        .where("date", "in", dates.map(asDate))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
