// `guest add|remove`, `guests` (`gast toevoegen|verwijderen`, `gasten`): a lead invites partners
// and residents outside the organisation's chat to the project's retros, by email address.
import { z } from "zod";
import type { GuestRequest } from "../../domain/guest-command.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Message } from "../../domain/message.ts";
import type { Sector } from "../../domain/role.ts";
import type { Address, PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { ledProject } from "../led-project.ts";
import { reply } from "../messages/reply.ts";

/** What a lead may type as a guest's address: one mailbox, at most 254 characters (RFC 5321). */
export const guestEmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((email) => email.toLowerCase());

export async function guestCommand(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  request: GuestRequest,
): Promise<Message[]> {
  const locale = person.locale;
  const say = (key: string, vars: Record<string, string> = {}, user: Record<string, string> = {}) =>
    reply(deps.prompts, locale, `guests.command.${key}`, vars, user);
  const led = await ledProject(deps, person, where);
  if ("problem" in led) {
    return [reply(deps.prompts, locale, led.problem === "errors.lead-only" ? "guests.command.lead-only" : led.problem)];
  }
  const project = await deps.stores.retro.project(led.projectId, deps.clock.now());
  if (!project) return [reply(deps.prompts, locale, "errors.lead-only")];
  const named = { project: project.name };

  if (request.kind === "unclear") return [say("usage")];
  if (request.kind === "list") return [await guestList(deps, locale, project.id, project.name)];

  const parsed = guestEmailSchema.safeParse(request.email);
  if (!parsed.success) return [say("invalid-email", {}, { email: request.email.slice(0, 254) })];
  const email = parsed.data;
  const existing = await deps.stores.guests.personByEmail(project.organisationId, email);

  if (request.kind === "remove") {
    const removed = existing ? await deps.stores.guests.removeGuest(project.id, existing.id) : false;
    if (!removed || !existing) return [say("not-guest", {}, { email, ...named })];
    await audit(deps, person, "guest.removed", existing.id, project.id);
    return [say("removed", {}, { email, ...named })];
  }

  if (request.sector === "invalid") return [say("invalid-sector")];
  if (request.language === "invalid") return [say("invalid-language")];
  if (existing?.inChat) return [say("colleague", {}, { email })];
  if (existing) {
    const guest = await deps.stores.guests.guest(project.id, existing.id);
    // Someone who unsubscribed is not signed up again by someone else.
    if (guest?.unsubscribedAt) return [say("unsubscribed", {}, { email, ...named })];
    if (guest) return [say("already", {}, { email, ...named })];
  }
  const personId =
    existing?.id ??
    (await deps.stores.guests.createGuestPerson({
      organisationId: project.organisationId,
      email,
      locale: request.language,
      at: deps.clock.now(),
    }));
  const added = await deps.stores.guests.addGuest({
    projectId: project.id,
    personId,
    sector: request.sector,
    at: deps.clock.now(),
  });
  if (!added) return [say("already", {}, { email, ...named })];
  await audit(deps, person, "guest.added", personId, project.id);
  const guest = await deps.stores.guests.guest(project.id, personId);
  const messages = [
    say(
      "added",
      {
        sector: sectorLabel(deps, locale, request.sector),
        language: deps.prompts.t(locale, `guests.language.${guest?.locale ?? project.locale}`),
      },
      { email, ...named },
    ),
  ];
  if (!deps.mailer) messages.push(say("no-mail"));
  return messages;
}

async function guestList(deps: Deps, locale: Locale, projectId: string, projectName: string): Promise<Message> {
  const guests = await deps.stores.guests.guests(projectId);
  if (guests.length === 0) {
    return reply(deps.prompts, locale, "guests.command.list-empty", {}, { project: projectName });
  }
  const title = reply(deps.prompts, locale, "guests.command.list-title", {}, { project: projectName });
  const textOf = (message: Message) => (message.blocks[0]?.type === "paragraph" ? message.blocks[0].text : []);
  const items = guests.map((guest) => {
    const vars = {
      sector: sectorLabel(deps, locale, guest.sector),
      language: deps.prompts.t(locale, `guests.language.${guest.locale}`),
    };
    const key = guest.unsubscribedAt ? "guests.command.list-unsubscribed" : "guests.command.list-item";
    return textOf(reply(deps.prompts, locale, key, vars, { email: guest.email }));
  });
  return {
    fallback: title.fallback,
    blocks: [
      { type: "heading", text: textOf(title) },
      { type: "list", items },
    ],
  };
}

export function sectorLabel(deps: Pick<Deps, "prompts">, locale: Locale, sector: Sector | null): string {
  return deps.prompts.t(locale, `guests.sector.${sector ?? "none"}`);
}

/** Who added or removed a guest, never the address: the audit log is read by admins. */
async function audit(deps: Deps, actor: PersonRecord, kind: string, subject: string, projectId: string) {
  await deps.stores.audit.record({
    organisationId: actor.organisationId,
    actorId: actor.id,
    kind,
    subject,
    data: { projectId },
  });
}
