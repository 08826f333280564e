import type { InboundEvent } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";
import { SETUP_OPEN } from "./setup-project.ts";

/**
 * The first meeting: an install creates the organisation (the installer becomes its admin);
 * anyone in an installed workspace or tenant becomes a person Leerlus can reach. Safe to
 * repeat: platforms resend these events. Installing again, adding the bot to a channel or a
 * personal install in an organisation that already exists grants nothing: admins make admins.
 */
export async function registerMember(deps: Deps, event: InboundEvent): Promise<PersonRecord | null> {
  const { directory } = deps.stores;
  const locale = event.profile?.locale ? toLocale(event.profile.locale.slice(0, 2), "nl") : null;
  let organisationId = await directory.organisationForTenant(event.platform, event.tenantId);
  let founder = false;
  if (!organisationId && event.type === "installed") {
    const install = await directory.registerInstall({
      platform: event.platform,
      tenantId: event.tenantId,
      organisationName: event.tenantName ?? event.tenantId,
      locale: locale ?? "nl",
    });
    organisationId = install.organisationId;
    founder = install.created;
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
    email: event.profile?.email?.toLowerCase() ?? null,
    roles: founder ? ["member", "admin"] : ["member"],
  });
}

/**
 * Installed or added to a channel: the person who did it is welcomed, with a button to set
 * up that channel as a project. Someone joining a project's channel becomes a member of it
 * (they can opt out with `leave`).
 */
export async function welcome(deps: Deps, event: InboundEvent): Promise<Message[]> {
  const person = await registerMember(deps, event);
  if (!person) return [];
  const inChannel = event.type === "installed" && event.directRef !== event.conversationRef;
  const where = { platform: event.platform, conversationRef: event.conversationRef };
  if (event.type === "memberJoined") {
    const projectId = await deps.stores.directory.projectByChannel(where);
    if (projectId) await deps.stores.projects.setRole(projectId, person.id, "member", true);
    return [];
  }
  // Until the person picks a language, the one their chat client reports (as handleEvent does).
  const client = event.profile?.locale?.slice(0, 2);
  const locale = person.ownLocale === null && client ? toLocale(client, person.locale) : person.locale;
  const welcomeText = reply(deps.prompts, locale, "welcome.installed");
  if (!inChannel || (await deps.stores.directory.projectByChannel(where))) return [welcomeText];
  return [
    {
      ...welcomeText,
      blocks: [
        ...welcomeText.blocks,
        {
          type: "actions",
          buttons: [
            {
              actionId: SETUP_OPEN,
              label: deps.prompts.t(locale, "setup.button"),
              value: "channel",
              style: "primary",
            },
          ],
        },
      ],
    },
  ];
}
