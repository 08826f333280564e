import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";
import { findPerson } from "./project-settings-commands.ts";

/**
 * `role <name> admin`: only an admin makes someone an admin of their own organisation. The
 * audit event names the actor and the subject by id, never by name.
 */
export async function grantAdmin(deps: Deps, person: PersonRecord, name: string): Promise<Message[]> {
  const { prompts, stores } = deps;
  if (!person.roles.includes("admin")) return [reply(prompts, person.locale, "errors.admin-only-grant")];
  const found = await findPerson(deps, person, name);
  if (!found) return [reply(prompts, person.locale, "project.who", {}, { name: name.slice(0, 40) })];
  if (await stores.projects.grantOrganisationRole(person.organisationId, found.id, "admin")) {
    await stores.audit.record({
      organisationId: person.organisationId,
      actorId: person.id,
      kind: "role.granted",
      subject: found.id,
      data: { role: "admin" },
    });
  }
  return [reply(prompts, person.locale, "project.admin-set", {}, { person: found.displayName })];
}
