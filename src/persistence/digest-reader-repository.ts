// Who is reading a digest: the person with their organisation and roles, where advising a
// project counts as the adviser role.
import { toLocale } from "../domain/locale.ts";
import type { Role } from "../domain/role.ts";
import type { Db } from "./prisma-client.ts";

export type DigestReader = {
  id: string;
  organisationId: string;
  organisationName: string;
  locale: ReturnType<typeof toLocale>;
  roles: Role[];
};

export async function findDigestReader(db: Db, personId: string): Promise<DigestReader | null> {
  const row = await db.person.findUnique({
    where: { id: personId },
    include: { organisation: true, memberships: { where: { role: "adviser" }, select: { id: true } } },
  });
  if (!row) return null;
  const roles = row.roles as Role[];
  return {
    id: row.id,
    organisationId: row.organisationId,
    organisationName: row.organisation.name,
    locale: toLocale(row.locale, toLocale(row.organisation.locale)),
    roles: row.memberships.length > 0 && !roles.includes("adviser") ? [...roles, "adviser"] : roles,
  };
}
