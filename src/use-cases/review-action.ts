import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";
import { ACTION_DONE, ACTION_DROP, ACTION_NOT_YET } from "./messages/action-review-message.ts";
import { reply } from "./messages/reply.ts";

const STATUS = { [ACTION_DONE]: "done", [ACTION_NOT_YET]: "not-yet", [ACTION_DROP]: "dropped" } as const;

export function isActionReview(actionId: string): actionId is keyof typeof STATUS {
  return actionId in STATUS;
}

/** The action's owner or the project's lead marks it done, not yet (carried over) or dropped. */
export async function reviewAction(
  deps: Deps,
  person: PersonRecord,
  actionId: keyof typeof STATUS,
  itemId: string,
): Promise<Message[]> {
  const action = await deps.stores.retro.action(itemId);
  if (!action) return [reply(deps.prompts, person.locale, "errors.not-found")];
  const roles = (await deps.stores.directory.projectsOf(person.id)).filter((m) => m.projectId === action.projectId);
  const allowed =
    action.ownerId === person.id || roles.some((m) => m.role === "lead") || person.roles.includes("admin");
  if (!allowed || roles.length === 0) return [reply(deps.prompts, person.locale, "errors.owner-or-lead")];
  await deps.stores.retro.reviewAction(action.id, STATUS[actionId], deps.clock.now());
  return [reply(deps.prompts, person.locale, `actions.review.marked-${STATUS[actionId]}`)];
}
