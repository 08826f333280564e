import type { Locale } from "../../domain/locale.ts";
import type { Block, Message, Span } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { ActionRecord } from "../../ports/retro-store.ts";

export const ACTION_DONE = "action.done";
export const ACTION_NOT_YET = "action.not-yet";
export const ACTION_DROP = "action.drop";
export const ACTION_UNDO = "action.undo";

export const actionItem = (actionId: string) => `action:${actionId}`;

/** Done / not yet / drop for one action under review. */
export function actionButtons(prompts: PromptCatalog, locale: Locale, actionId: string, onlyFor?: string[]): Block {
  const t = (key: string) => prompts.t(locale, key);
  return {
    type: "actions",
    item: actionItem(actionId),
    locale,
    ...(onlyFor ? { onlyFor } : {}),
    buttons: [
      { actionId: ACTION_DONE, label: t("actions.review.done"), value: actionId, style: "primary" },
      { actionId: ACTION_NOT_YET, label: t("actions.review.not-yet"), value: actionId },
      { actionId: ACTION_DROP, label: t("actions.review.drop"), value: actionId },
    ],
  };
}

/** Who may answer an action's review: its owners and the project's leads. */
export function actionDeciders(ownerIds: readonly string[], leadIds: string[]): string[] {
  return [...ownerIds.filter((id) => !leadIds.includes(id)), ...leadIds];
}

/** Its owners' names, or that nobody took it yet. */
export function ownersText(prompts: PromptCatalog, locale: Locale, ownerNames: readonly string[]): Span {
  return ownerNames.length > 0 ? { user: ownerNames.join(", ") } : prompts.t(locale, "retro.summary.no-owner");
}

/**
 * At the start of a cycle: each open action (and its work item in the team's tracker) with
 * done / not yet / drop, for its owner and the leads.
 */
export function actionReviewMessage(
  prompts: PromptCatalog,
  locale: Locale,
  actions: ActionRecord[],
  tracked: (actionId: string) => Span[] = () => [],
  leadIds?: string[],
): Message {
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  const blocks: Block[] = [{ type: "heading", text: [t("actions.review.heading", { count: actions.length })] }];
  for (const action of actions) {
    blocks.push({
      type: "paragraph",
      text: [{ user: action.text }, " — ", ownersText(prompts, locale, action.ownerNames), ...tracked(action.id)],
    });
    blocks.push(actionButtons(prompts, locale, action.id, leadIds && actionDeciders(action.ownerIds, leadIds)));
  }
  return { fallback: t("actions.review.heading", { count: actions.length }), blocks, locale };
}
