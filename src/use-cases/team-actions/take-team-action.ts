import type { Message } from "../../domain/message.ts";
import type { PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { formatDay } from "../messages/format-day.ts";
import { reply } from "../messages/reply.ts";
import { inTeam, isOpen, refreshTeamAction, type Target, targetOf, withSource } from "./team-action-access.ts";
import { TEAM_ACTION_STEP_BACK } from "./team-action-message.ts";

/**
 * *I'll take it*: anyone in the team becomes an owner, beside those who took it before. A take
 * clicked twice or replayed counts once; the second click says so and offers *Step back*, so
 * stepping back is a choice of its own and never the accident of a double click.
 */
export async function takeTeamAction(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  conversationRef?: string,
): Promise<Message[]> {
  const t = (key: string, vars?: Record<string, string>, user?: Record<string, string>) =>
    reply(deps.prompts, person.locale, `team-actions.${key}`, vars, user);
  const target = await targetOf(deps, person, actionId);
  if (!("action" in target)) return [target];
  if (!inTeam(target.project, person)) return [t("not-in-team")];
  if (!isOpen(target.action)) return [t("closed")];
  const added = await deps.stores.teamActions.addOwner(target.action.id, person.id, null, deps.clock.now());
  const { action, source } = await refreshTeamAction(deps, target, conversationRef);
  if (!added) {
    const already = t("already-owner");
    const stepBack = {
      actionId: TEAM_ACTION_STEP_BACK,
      label: deps.prompts.t(person.locale, "team-actions.step-back"),
      value: action.id,
    };
    return withSource(source, { ...already, blocks: [...already.blocks, { type: "actions", buttons: [stepBack] }] });
  }
  return withSource(source, t("taken", { due: dueText(deps, person, target, action.dueAt) }, { text: action.text }));
}

/** *Step back*: an owner is no longer one; the action stays, for others to take. */
export async function stepBackFromTeamAction(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  conversationRef?: string,
): Promise<Message[]> {
  const target = await targetOf(deps, person, actionId);
  if (!("action" in target)) return [target];
  if (!isOpen(target.action)) return [reply(deps.prompts, person.locale, "team-actions.closed")];
  const removed = await deps.stores.teamActions.removeOwner(target.action.id, person.id);
  const { source } = await refreshTeamAction(deps, target, conversationRef);
  return withSource(
    source,
    reply(deps.prompts, person.locale, `team-actions.${removed ? "stepped-back" : "not-owner"}`),
  );
}

/** The due date in words: a day, or the next retro when none is set. */
export function dueText(deps: Deps, person: PersonRecord, target: Target, dueAt: Date | null): string {
  return dueAt
    ? formatDay(dueAt, person.locale, target.project.timezone)
    : deps.prompts.t(person.locale, "team-actions.next-retro");
}
