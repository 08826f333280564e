import type { Platform } from "../domain/inbound-event.ts";
import type { Locale } from "../domain/locale.ts";
import type { Role } from "../domain/role.ts";
import type { QuietHours } from "../domain/working-time.ts";
import type { Address, PersonRecord } from "./project-records.ts";

/** One chat account of a person. */
export type ChatAccount = { platform: Platform; tenantId: string; platformUserId: string };

export type NewIdentity = {
  organisationId: string;
  platform: Platform;
  tenantId: string;
  platformUserId: string;
  displayName: string;
  locale: Locale | null;
  timezone: string | null;
  /** The person's direct conversation with the bot, when the platform told us. */
  directRef: string | null;
  /** Links the identity to a person imported with this email, when there is one. */
  email: string | null;
  roles: Role[];
};

export type DirectoryStore = {
  /** The organisation a workspace or Azure tenant belongs to, once installed. */
  organisationForTenant(platform: Platform, tenantId: string): Promise<string | null>;
  /**
   * Creates the organisation and install record for a new workspace or tenant; returns its id,
   * and whether this call created it (only then is the installer its first admin).
   */
  registerInstall(input: {
    platform: Platform;
    tenantId: string;
    organisationName: string;
    locale: Locale;
  }): Promise<{ organisationId: string; created: boolean }>;
  /** Finds or creates the person behind a platform identity; a known directRef is kept up to date. */
  registerIdentity(input: NewIdentity): Promise<PersonRecord>;
  personByIdentity(platform: Platform, tenantId: string, platformUserId: string): Promise<PersonRecord | null>;
  person(personId: string): Promise<PersonRecord | null>;
  /** Projects the person belongs to, with their role there. */
  projectsOf(personId: string): Promise<{ projectId: string; name: string; role: string }[]>;
  projectByChannel(address: Address): Promise<string | null>;
  /** Those of the keys that belong to chat accounts whose person erased their data. */
  erasedAmong(keys: readonly string[]): Promise<Set<string>>;
  advisers(organisationId: string): Promise<PersonRecord[]>;
  /** The organisation's Leerlus admins. */
  admins(organisationId: string): Promise<PersonRecord[]>;
  addAbsence(personId: string, from: Date, until: Date): Promise<void>;
  /** Ends every current or future absence of the person at `at`. */
  endAbsences(personId: string, at: Date): Promise<number>;
  activeProjectIds(organisationId?: string): Promise<string[]>;
  organisationIds(): Promise<string[]>;
  organisation(organisationId: string): Promise<{
    id: string;
    name: string;
    locale: Locale;
    timezone: string;
    quiet: QuietHours;
    minGroupSize: number;
  } | null>;
};
