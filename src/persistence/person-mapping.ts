import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Platform } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import type { Role } from "../domain/role.ts";
import type { QuietHours } from "../domain/working-time.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import type { Db } from "./database.ts";

const PLATFORM_PREFERENCE: Platform[] = ["slack", "teams", "web"];

/** People with their chat identities and their organisation's language, as {@link toPersonRecord} takes them. */
export function selectPeople(db: Db) {
  return db
    .selectFrom("Person as p")
    .innerJoin("Organisation as o", "o.id", "p.organisationId")
    .select((eb) => [
      "p.id",
      "p.organisationId",
      "p.displayName",
      "p.email",
      "p.locale",
      "p.timezone",
      "p.roles",
      "o.locale as organisationLocale",
      jsonArrayFrom(
        eb
          .selectFrom("ChatIdentity as i")
          .select(["i.platform", "i.conversationRef"])
          .whereRef("i.personId", "=", "p.id")
          .orderBy("i.id"),
      ).as("identities"),
    ]);
}

export type PersonRow = {
  id: string;
  organisationId: string;
  displayName: string;
  locale: string | null;
  timezone: string | null;
  roles: string[] | null;
  identities: { platform: string; conversationRef: string | null }[];
  organisationLocale: string;
};

export function toPersonRecord(row: PersonRow): PersonRecord {
  const directs: Address[] = row.identities
    .filter((identity) => identity.conversationRef)
    .map((identity) => ({
      platform: identity.platform as Platform,
      conversationRef: identity.conversationRef as string,
    }))
    .sort((a, b) => PLATFORM_PREFERENCE.indexOf(a.platform) - PLATFORM_PREFERENCE.indexOf(b.platform));
  return {
    id: row.id,
    organisationId: row.organisationId,
    displayName: row.displayName,
    locale: toLocale(row.locale, toLocale(row.organisationLocale)),
    ownLocale: row.locale ? toLocale(row.locale) : null,
    timezone: row.timezone,
    roles: (row.roles ?? []) as Role[],
    directs,
  };
}

type OrganisationHours = { quietHoursEnd: number; quietHoursStart: number; quietWeekends: boolean };

/** The organisation's messaging hours (stored as when quiet ends and starts). */
export function quietHoursOf(organisation: OrganisationHours): QuietHours {
  return {
    allowedFrom: organisation.quietHoursEnd,
    allowedUntil: organisation.quietHoursStart,
    weekends: organisation.quietWeekends,
  };
}
