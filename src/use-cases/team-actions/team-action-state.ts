import type { Message } from "../../domain/message.ts";
import type { ProjectRecord } from "../../ports/project-records.ts";
import type { TeamActionRecord } from "../../ports/team-action-store.ts";
import type { Deps } from "../deps.ts";
import { leadIdsOf } from "../led-project.ts";
import { showItemState } from "../message-state.ts";
import { nameOf } from "../messages/decided-item.ts";
import { type TeamActionView, teamActionBlocks, teamActionItem, teamActionsKeyPrefix } from "./team-action-message.ts";

/**
 * Who may use an action's buttons, and who rewrote it. In an anonymous project the rewriter is
 * not named: a writer rewriting their own answer would be pointed at. Owners are named
 * everywhere: taking an action is a public choice.
 */
export async function teamActionView(
  deps: Deps,
  project: ProjectRecord,
  action: TeamActionRecord,
): Promise<TeamActionView> {
  const rewriterName =
    action.previousText === null || project.anonymous ? null : await nameOf(deps, action.rewrittenById, project.locale);
  return {
    teamIds: project.participants.map((person) => person.id),
    leadIds: leadIdsOf(project),
    rewriterName,
    timezone: project.timezone,
  };
}

/**
 * Rewrites the proposal messages that show the action to show it as it is now (owners, text,
 * due date), where they were sent. Returns the one in `conversationRef`, the message acted on.
 */
export async function showTeamActionState(
  deps: Deps,
  project: ProjectRecord,
  action: TeamActionRecord,
  conversationRef: string | undefined,
): Promise<Message | null> {
  if (!action.cycleId) return null;
  const view = await teamActionView(deps, project, action);
  return showItemState(deps, {
    organisationId: project.organisationId,
    keyPrefixes: [teamActionsKeyPrefix(action.cycleId)],
    item: teamActionItem(action.id),
    fallbackLocale: project.locale,
    ...(conversationRef ? { conversationRef } : {}),
    blocks: (locale) => teamActionBlocks(deps.prompts, locale, action, view),
  });
}
