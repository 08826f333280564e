import type { Message } from "../../domain/message.ts";
import type { PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { digestMessage } from "../messages/digest-message.ts";
import { reply } from "../messages/reply.ts";
import { ADVISERS_AUDIENCE, sendDigest } from "../send-digest.ts";
import { digestLink, digestLinkSigner } from "./digest-link.ts";
import { digestView } from "./digest-view.ts";

/**
 * `digest` in chat: the current digest's headlines with a fresh link, for advisers and admins;
 * asking again shows the same one. `digest new` (fresh) first builds one for the time since the
 * last, for the asker alone (the others get theirs on schedule; all see it on the digest page).
 */
export async function latestDigest(deps: Deps, person: PersonRecord, fresh = false): Promise<Message> {
  const advisers = await deps.stores.directory.advisers(person.organisationId);
  if (!person.roles.includes("admin") && !advisers.some((adviser) => adviser.id === person.id)) {
    return reply(deps.prompts, person.locale, "errors.advisers-only");
  }
  if (fresh) await sendDigest(deps, person.organisationId, { force: true, quiet: true });
  const [latest] = await deps.stores.digests.list(person.organisationId, ADVISERS_AUDIENCE);
  const digest = latest ? await deps.stores.digests.get(latest.id) : null;
  const organisation = await deps.stores.directory.organisation(person.organisationId);
  if (!digest || !organisation) return reply(deps.prompts, person.locale, "digest.none-yet");
  const link = digestLink({
    signer: digestLinkSigner(deps.secret),
    publicUrl: deps.publicUrl,
    digestId: digest.id,
    organisationId: person.organisationId,
    personId: person.id,
    now: deps.clock.now(),
  });
  const view = digestView({
    prompts: deps.prompts,
    locale: person.locale,
    organisationName: organisation.name,
    content: digest.content,
  });
  return digestMessage({ prompts: deps.prompts, locale: person.locale, view, link });
}
