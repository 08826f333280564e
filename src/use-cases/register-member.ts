import type { InboundEvent } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";

/**
 * The first meeting: an install creates the organisation (the installer becomes its admin);
 * anyone in an installed workspace or tenant becomes a person Leerlus can reach. Safe to
 * repeat: platforms resend these events.
 */
export async function registerMember(deps: Deps, event: InboundEvent): Promise<PersonRecord | null> {
  const { directory } = deps.stores;
  const locale = event.profile?.locale ? toLocale(event.profile.locale.slice(0, 2), "nl") : null;
  let organisationId = await directory.organisationForTenant(event.platform, event.tenantId);
  if (!organisationId && event.type === "installed") {
    organisationId = await directory.registerInstall({
      platform: event.platform,
      tenantId: event.tenantId,
      organisationName: event.tenantName ?? event.tenantId,
      locale: locale ?? "nl",
    });
  }
  if (!organisationId) return null;
  const directRef = event.type === "installed" || event.type === "memberJoined" ? (event.directRef ?? null) : null;
  return directory.registerIdentity({
    organisationId,
    platform: event.platform,
    tenantId: event.tenantId,
    platformUserId: event.platformUserId,
    displayName: event.profile?.displayName ?? event.platformUserId,
    locale,
    timezone: event.profile?.timezone ?? null,
    directRef,
    roles: event.type === "installed" ? ["member", "admin"] : ["member"],
  });
}

export async function welcome(deps: Deps, event: InboundEvent): Promise<Message[]> {
  const person = await registerMember(deps, event);
  if (!person || event.type !== "installed") return [];
  return [reply(deps.prompts, person.locale, "welcome.installed")];
}
