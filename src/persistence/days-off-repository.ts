import type { DaysOffStore } from "../ports/store.ts";
import type { DbClient } from "./client-types.ts";

/** A local date as the DATE column takes it: midnight UTC of that day. */
const asDate = (date: string) => new Date(`${date}T00:00:00Z`);

export function createDaysOffRepository(db: DbClient): DaysOffStore {
  return {
    async list(organisationId, from) {
      const rows = await db.organisationDayOff.findMany({
        where: { organisationId, date: { gte: asDate(from) } },
        select: { date: true },
        orderBy: { date: "asc" },
      });
      return rows.map((row) => row.date.toISOString().slice(0, 10));
    },

    async add(organisationId, dates) {
      const result = await db.organisationDayOff.createMany({
        data: dates.map((date) => ({ organisationId, date: asDate(date) })),
        skipDuplicates: true,
      });
      return result.count;
    },

    async remove(organisationId, dates) {
      const result = await db.organisationDayOff.deleteMany({
        where: { organisationId, date: { in: dates.map(asDate) } },
      });
      return result.count;
    },
  };
}
