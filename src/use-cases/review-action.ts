import type { Locale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { ActionReviewState } from "../ports/retro-store.ts";
import type { Deps } from "./deps.ts";
import { leadIdsOf } from "./led-project.ts";
import { showItemState } from "./message-state.ts";
import {
  ACTION_DONE,
  ACTION_DROP,
  ACTION_NOT_YET,
  ACTION_UNDO,
  actionButtons,
  actionDeciders,
  actionItem,
} from "./messages/action-review-message.ts";
import { alreadyDecidedReply, decidedBlocks, namedText, nameOf, undoButton } from "./messages/decided-item.ts";
import { reply } from "./messages/reply.ts";

const STATUS = { [ACTION_DONE]: "done", [ACTION_NOT_YET]: "not-yet", [ACTION_DROP]: "dropped" } as const;

export function isActionReview(actionId: string): actionId is keyof typeof STATUS | typeof ACTION_UNDO {
  return actionId in STATUS || actionId === ACTION_UNDO;
}

/**
 * The action's owner or the project's lead marks it done, not yet (carried over) or dropped,
 * once per review, or undoes that. A second click explains who answered what and offers Undo;
 * the review message shows the answer in place of the buttons.
 */
export async function reviewAction(
  deps: Deps,
  person: PersonRecord,
  actionId: keyof typeof STATUS | typeof ACTION_UNDO,
  itemId: string,
  conversationRef?: string,
): Promise<Message[]> {
  const action = await deps.stores.retro.action(itemId);
  if (!action) return [reply(deps.prompts, person.locale, "errors.not-found")];
  const roles = (await deps.stores.directory.projectsOf(person.id)).filter((m) => m.projectId === action.projectId);
  const allowed =
    action.ownerIds.includes(person.id) || roles.some((m) => m.role === "lead") || person.roles.includes("admin");
  if (!allowed || roles.length === 0) return [reply(deps.prompts, person.locale, "errors.owner-or-lead")];

  let answer: Message;
  if (actionId === ACTION_UNDO) {
    const undone = await deps.stores.retro.undoActionReview(action.id);
    answer = reply(deps.prompts, person.locale, undone ? "state.action.undone" : "state.action.nothing-to-undo");
  } else {
    const status = STATUS[actionId];
    const at = deps.clock.now();
    if (await deps.stores.retro.reviewAction(action.id, { status, personId: person.id, at })) {
      answer = reply(deps.prompts, person.locale, `actions.review.marked-${status}`);
    } else {
      answer = await explain(deps, person.locale, (await deps.stores.retro.action(action.id)) ?? action);
    }
  }
  const current = (await deps.stores.retro.action(action.id)) ?? action;
  const project = await deps.stores.retro.project(action.projectId, deps.clock.now());
  const deciders = project ? actionDeciders(current.ownerIds, leadIdsOf(project)) : undefined;
  const source = await showActionState(deps, person, current, deciders, conversationRef);
  return source ? [source, answer] : [answer];
}

async function explain(deps: Deps, locale: Locale, action: ActionReviewState): Promise<Message> {
  if (!action.reviewedById) return reply(deps.prompts, locale, "errors.try-again");
  const status = deps.prompts.t(locale, `state.action.status.${action.status}`);
  return alreadyDecidedReply(
    namedText(deps.prompts, locale, "state.action.already", await nameOf(deps, action.reviewedById, locale), {
      status,
    }),
    undoButton(deps.prompts, locale, ACTION_UNDO, action.id),
  );
}

/** The review message of the cycle that put the action up for review, showing its answer. */
async function showActionState(
  deps: Deps,
  person: PersonRecord,
  action: ActionReviewState,
  deciders: string[] | undefined,
  conversationRef: string | undefined,
): Promise<Message | null> {
  if (!action.reviewedInCycleId) return null;
  const decider = action.reviewedById ? await nameOf(deps, action.reviewedById, person.locale) : null;
  return showItemState(deps, {
    organisationId: person.organisationId,
    keyPrefixes: [`action-review:${action.reviewedInCycleId}:`],
    item: actionItem(action.id),
    fallbackLocale: person.locale,
    ...(conversationRef ? { conversationRef } : {}),
    blocks: (locale) =>
      decider === null
        ? [actionButtons(deps.prompts, locale, action.id, deciders)]
        : decidedBlocks(
            { name: actionItem(action.id), locale },
            namedText(deps.prompts, locale, `state.action.${action.status}`, decider),
            undoButton(deps.prompts, locale, ACTION_UNDO, action.id),
            deciders,
          ),
  });
}
