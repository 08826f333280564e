// Who is reading a digest: the person with their organisation and roles, where advising a
// project counts as the adviser role.
import { toLocale } from "../domain/locale.ts";
import type { Role } from "../domain/role.ts";
import type { DigestReader } from "../ports/digest-view.ts";
import type { Db } from "./database.ts";

export async function findDigestReader(db: Db, personId: string): Promise<DigestReader | null> {
  const row = await db
    .selectFrom("Person as p")
    .innerJoin("Organisation as o", "o.id", "p.organisationId")
    .select((eb) => [
      "p.id",
      "p.organisationId",
      "p.roles",
      "p.locale",
      "o.name as organisationName",
      "o.locale as organisationLocale",
      eb
        .exists(
          eb
            .selectFrom("Membership as m")
            .select("m.id")
            .whereRef("m.personId", "=", "p.id")
            .where("m.role", "=", "adviser"),
        )
        .as("advises"),
    ])
    .where("p.id", "=", personId)
    .executeTakeFirst();
  if (!row) return null;
  const roles = row.roles as Role[];
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    locale: toLocale(row.locale, toLocale(row.organisationLocale)),
    roles: row.advises && !roles.includes("adviser") ? [...roles, "adviser"] : roles,
  };
}
