// `lessons starter` (`lessen startbibliotheek`) in chat: an admin loads the starter library
// into their organisation. Loading again adds nothing and says so.
import type { Message } from "../../domain/message.ts";
import type { PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { reply } from "../messages/reply.ts";
import { loadStarterLibrary } from "./starter-library.ts";

export async function starterLibraryCommand(deps: Deps, person: PersonRecord): Promise<Message> {
  if (!person.roles.includes("admin")) return reply(deps.prompts, person.locale, "lessons.starter.admins-only");
  const result = await loadStarterLibrary(deps, person.organisationId);
  const key = result.added > 0 ? "lessons.starter.loaded" : "lessons.starter.already";
  return reply(deps.prompts, person.locale, key, {
    count: result.added,
    present: result.present,
    publisher: result.publisher,
  });
}
