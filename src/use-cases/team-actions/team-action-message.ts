// How a proposed team action reads in the team's channel: its text, who took it, when it is
// due, what a rewrite changed, and the buttons to take, rewrite or (leads) assign it.
import type { Locale } from "../../domain/locale.ts";
import { type Block, type Message, type Text, withUserText } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { TeamActionRecord } from "../../ports/team-action-store.ts";
import { formatDay } from "../messages/format-day.ts";

export const TEAM_ACTION_TAKE = "team-action.take";
export const TEAM_ACTION_STEP_BACK = "team-action.step-back";
export const TEAM_ACTION_REWRITE = "team-action.rewrite";
export const TEAM_ACTION_ASSIGN = "team-action.assign";
export const TEAM_ACTION_REWRITE_SUBMIT = "team-action.rewrite.submit";
export const TEAM_ACTION_ASSIGN_SUBMIT = "team-action.assign.submit";

export const teamActionItem = (actionId: string) => `team-action:${actionId}`;

/** The outbox keys of a cycle's proposal messages start with this; their state is found by it. */
export const teamActionsKeyPrefix = (cycleId: string) => `team-actions:${cycleId}:`;

/** What the blocks of one action need to know besides the action. */
export type TeamActionView = {
  /** Who may take and rewrite it (the team), and who may assign it (the leads): ids for per-viewer surfaces. */
  teamIds: string[];
  leadIds: string[];
  /** Who rewrote it last, when that may be shown (never in anonymous projects). */
  rewriterName: string | null;
  timezone: string;
};

/** One action's blocks, all marked with its item so they are rewritten together. */
export function teamActionBlocks(
  prompts: PromptCatalog,
  locale: Locale,
  action: TeamActionRecord,
  view: TeamActionView,
): Block[] {
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, `team-actions.${key}`, vars);
  const item = teamActionItem(action.id);
  const names = action.owners.map((owner) => owner.displayName).join(", ");
  const status: Text =
    action.owners.length > 0 ? withUserText((user) => t("owners", user), { names }) : [t("no-owners")];
  const due = action.dueAt ? [" · ", t("due", { due: formatDay(action.dueAt, locale, view.timezone) })] : [];
  const blocks: Block[] = [
    { type: "paragraph", item, locale, text: [{ user: action.text }] },
    { type: "context", item, locale, text: [...status, ...due] },
  ];
  if (action.previousText !== null) {
    const previous = { previous: action.previousText };
    blocks.push({
      type: "context",
      item,
      locale,
      text:
        view.rewriterName === null
          ? withUserText((user) => t("rewritten-anonymous", user), previous)
          : withUserText((user) => t("rewritten", user), { ...previous, name: view.rewriterName }),
    });
  }
  if (action.status !== "open" && action.status !== "not-yet") {
    blocks.push({ type: "context", item, locale, text: [prompts.t(locale, `state.action.status.${action.status}`)] });
    return blocks;
  }
  blocks.push({
    type: "actions",
    item,
    locale,
    onlyFor: view.teamIds,
    buttons: [
      { actionId: TEAM_ACTION_TAKE, label: t("take"), value: action.id, style: "primary" },
      { actionId: TEAM_ACTION_REWRITE, label: t("rewrite"), value: action.id },
    ],
  });
  blocks.push({
    type: "actions",
    item,
    locale,
    onlyFor: view.leadIds,
    buttons: [{ actionId: TEAM_ACTION_ASSIGN, label: t("assign"), value: action.id }],
  });
  return blocks;
}

/** The channel message that proposes the actions, in one language. */
export function teamActionsMessage(
  prompts: PromptCatalog,
  locale: Locale,
  actions: { action: TeamActionRecord; view: TeamActionView }[],
): Message {
  const heading = prompts.t(locale, "team-actions.heading", { count: actions.length });
  return {
    fallback: heading,
    locale,
    blocks: [
      { type: "heading", text: [heading] },
      { type: "context", text: [prompts.t(locale, "team-actions.intro")] },
      ...actions.flatMap(({ action, view }) => teamActionBlocks(prompts, locale, action, view)),
    ],
  };
}
