// What the admin commands and the digest page read of an organisation: its name, language
// and digest period, and whether one organisation is the only one (the CLI's default).
import { type Locale, toLocale } from "../domain/locale.ts";
import type { Db } from "./prisma-client.ts";

export type OrganisationSummary = {
  id: string;
  name: string;
  locale: Locale;
  digestEveryDays: number;
  minGroupSize: number;
};

export function createOrganisationLookup(db: Db) {
  return {
    async find(id: string): Promise<OrganisationSummary | null> {
      const row = await db.organisation.findUnique({ where: { id } });
      return row
        ? {
            id: row.id,
            name: row.name,
            locale: toLocale(row.locale),
            digestEveryDays: row.digestEveryDays,
            minGroupSize: row.minGroupSize,
          }
        : null;
    },
    /** Up to `limit` organisations' ids, so a caller can tell none, one and several apart. */
    async ids(limit: number): Promise<string[]> {
      const rows = await db.organisation.findMany({ select: { id: true }, take: limit, orderBy: { createdAt: "asc" } });
      return rows.map((row) => row.id);
    },
  };
}
