import type { Message } from "../../domain/message.ts";
import type { PersonRecord, ProjectRecord } from "../../ports/project-records.ts";
import type { TeamActionRecord } from "../../ports/team-action-store.ts";
import type { Deps } from "../deps.ts";
import { leadIdsOf } from "../led-project.ts";
import { reply } from "../messages/reply.ts";
import { showTeamActionState } from "./team-action-state.ts";

export type Target = { action: TeamActionRecord; project: ProjectRecord };

/** The action and its project, when it is one of the person's organisation; else the reply saying so. */
export async function targetOf(deps: Deps, person: PersonRecord, actionId: string): Promise<Target | Message> {
  const action = actionId ? await deps.stores.teamActions.get(actionId) : null;
  const project = action ? await deps.stores.retro.project(action.projectId, deps.clock.now()) : null;
  if (!action || !project || project.organisationId !== person.organisationId) {
    return reply(deps.prompts, person.locale, "errors.not-found");
  }
  return { action, project };
}

/** Members and leads of the project: the people who take and rewrite its actions. */
export function inTeam(project: ProjectRecord, person: PersonRecord): boolean {
  return project.participants.some((participant) => participant.id === person.id);
}

/** A lead of the project, or an admin of its organisation acting as one. */
export function leadOf(project: ProjectRecord, person: PersonRecord): boolean {
  return leadIdsOf(project).includes(person.id) || person.roles.includes("admin");
}

/** Still to be done: it can be taken and assigned (a rewrite also needs it not yet under review). */
export function isOpen(action: TeamActionRecord): boolean {
  return action.status === "open" || action.status === "not-yet";
}

/** Enough for two or three people deciding on one action in the same moment. */
const SHOW_ATTEMPTS = 4;

/**
 * Shows the action as it is now in the messages that show it. When two people take it at once,
 * each one's rewrite may land after the other's: so after writing, each reads the action again
 * and writes once more if it changed meanwhile, and the message written last shows both. (No
 * lock is held across the write: the embedded database has one connection.)
 */
export async function refreshTeamAction(
  deps: Deps,
  target: Target,
  conversationRef: string | undefined,
): Promise<{ action: TeamActionRecord; source: Message | null }> {
  let action = (await deps.stores.teamActions.get(target.action.id)) ?? target.action;
  let source: Message | null = null;
  for (let attempt = 0; attempt < SHOW_ATTEMPTS; attempt++) {
    source = await showTeamActionState(deps, target.project, action, conversationRef);
    const now = (await deps.stores.teamActions.get(action.id)) ?? action;
    if (JSON.stringify(now) === JSON.stringify(action)) break;
    action = now;
  }
  return { action, source };
}

/** The source message as it now reads (when it was the one acted on), then the answer. */
export function withSource(source: Message | null, answer: Message): Message[] {
  return source ? [source, answer] : [answer];
}
