import type { Platform } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import type { Role } from "../domain/role.ts";
import type { QuietHours } from "../domain/working-time.ts";
import type { Address, PersonRecord } from "../ports/store.ts";

const PLATFORM_PREFERENCE: Platform[] = ["slack", "teams", "web"];

export const personInclude = {
  identities: true,
  organisation: { select: { locale: true } },
} as const;

export type PersonRow = {
  id: string;
  organisationId: string;
  displayName: string;
  locale: string | null;
  timezone: string | null;
  roles: string[];
  identities: { platform: string; conversationRef: string | null }[];
  organisation: { locale: string };
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
    locale: toLocale(row.locale, toLocale(row.organisation.locale)),
    ownLocale: row.locale ? toLocale(row.locale) : null,
    timezone: row.timezone,
    roles: row.roles as Role[],
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
