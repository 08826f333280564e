import { DateTime } from "luxon";
import type { Message, Text } from "../domain/message.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { ActionRecord } from "../ports/retro-store.ts";
import type { Deps } from "./deps.ts";
import { ownersText } from "./messages/action-review-message.ts";
import { reply } from "./messages/reply.ts";
import { dueText } from "./team-actions/take-team-action.ts";
import { leadOf, refreshTeamAction, type Target, targetOf } from "./team-actions/team-action-access.ts";
import { actionTracking, sendButtons } from "./trackers/action-links.ts";
import { sendAction } from "./trackers/send-action.ts";

/** The open actions of the person's projects, in the order `actions` numbers them. */
export async function numberedActions(deps: Deps, person: PersonRecord): Promise<ActionRecord[]> {
  const projects = await deps.stores.directory.projectsOf(person.id);
  return deps.stores.retro.openActions([...new Set(projects.map((project) => project.projectId))]);
}

/**
 * `actions`: numbered, with owners, so one can be handed over with `actions 2 owner Lotte`;
 * with each one's work item in the team's tracker, and for leads a button to send it there.
 */
export async function listActions(deps: Deps, person: PersonRecord): Promise<Message> {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(person.locale, key, vars);
  const actions = await numberedActions(deps, person);
  if (actions.length === 0) return reply(deps.prompts, person.locale, "actions.none");
  const tracking = await actionTracking(deps, deps.stores, actions);
  const memberships = await deps.stores.directory.projectsOf(person.id);
  const leads = new Set(memberships.filter((m) => m.role === "lead").map((m) => m.projectId));
  const mayPress = (projectId: string) => leads.has(projectId) || person.roles.includes("admin");
  const buttons = sendButtons(
    deps,
    person.locale,
    actions.flatMap((action, index) => (mayPress(action.projectId) ? [{ id: action.id, number: index + 1 }] : [])),
    tracking,
  );
  return {
    fallback: t("actions.heading", { count: actions.length }),
    blocks: [
      { type: "heading", text: [t("actions.heading", { count: actions.length })] },
      {
        type: "list",
        items: actions.map(
          (action, index): Text => [
            `${index + 1}. `,
            { user: action.text },
            " — ",
            ownersText(deps.prompts, person.locale, action.ownerNames),
            " · ",
            { user: action.projectName },
            ...tracking.spans(action.id, person.locale),
          ],
        ),
      },
      ...(buttons.length > 0 ? [{ type: "actions" as const, buttons }] : []),
      { type: "context", text: [t("actions.reassign.hint")] },
    ],
  };
}

/** `actions <n> send`: the action goes to its project's tracker now. */
export async function sendNumberedAction(deps: Deps, person: PersonRecord, index: number): Promise<Message[]> {
  const actions = await numberedActions(deps, person);
  const action = actions[index - 1];
  if (!action) return [reply(deps.prompts, person.locale, "actions.reassign.no-such", { count: actions.length })];
  return sendAction(deps, person, action.id);
}

/**
 * `actions <n> owner <name>`: an owner hands the action over (the named person becomes an owner
 * in their place); a lead who does not own it adds the named person as an owner.
 */
export async function reassignAction(
  deps: Deps,
  person: PersonRecord,
  index: number,
  ownerName: string,
): Promise<Message[]> {
  const found = await numberedTarget(deps, person, index);
  if (!("action" in found)) return [found];
  const { action, project } = found;
  const owner = action.owners.some((o) => o.personId === person.id);
  const lead = leadOf(project, person);
  if (!owner && !lead) return [reply(deps.prompts, person.locale, "errors.owner-or-lead")];
  const wanted = ownerName.toLowerCase();
  const candidates = project.participants.filter((p) => p.displayName.toLowerCase().startsWith(wanted));
  if (candidates.length !== 1) {
    const names = project.participants.map((p) => p.displayName).join(", ");
    return [reply(deps.prompts, person.locale, "actions.reassign.who", {}, { name: ownerName.slice(0, 40), names })];
  }
  const chosen = candidates[0] as PersonRecord;
  await deps.stores.teamActions.addOwner(action.id, chosen.id, person.id, deps.clock.now());
  if (owner && chosen.id !== person.id) await deps.stores.teamActions.removeOwner(action.id, person.id);
  await refreshTeamAction(deps, found, undefined);
  return [reply(deps.prompts, person.locale, "actions.reassign.done", {}, { owner: chosen.displayName })];
}

/** `actions <n> due <date>`: an owner or the project's lead moves the action's due date (end of that day). */
export async function setActionDue(
  deps: Deps,
  person: PersonRecord,
  index: number,
  date: string | null,
): Promise<Message[]> {
  if (!date) return [reply(deps.prompts, person.locale, "team-actions.due-unclear")];
  const found = await numberedTarget(deps, person, index);
  if (!("action" in found)) return [found];
  const { action, project } = found;
  if (!action.owners.some((o) => o.personId === person.id) && !leadOf(project, person)) {
    return [reply(deps.prompts, person.locale, "team-actions.due-not-allowed")];
  }
  const due = DateTime.fromISO(date, { zone: project.timezone }).endOf("day");
  if (due.toJSDate() < deps.clock.now()) return [reply(deps.prompts, person.locale, "team-actions.due-past")];
  await deps.stores.teamActions.setDue(action.id, due.toJSDate());
  const { action: fresh } = await refreshTeamAction(deps, found, undefined);
  const shown = dueText(deps, person, found, fresh.dueAt);
  return [reply(deps.prompts, person.locale, "team-actions.due-set", { due: shown }, { text: fresh.text })];
}

/** The n-th of the person's open actions (as `actions` numbers them), with its project. */
async function numberedTarget(deps: Deps, person: PersonRecord, index: number): Promise<Target | Message> {
  const actions = await numberedActions(deps, person);
  const action = actions[index - 1];
  if (!action) return reply(deps.prompts, person.locale, "actions.reassign.no-such", { count: actions.length });
  return targetOf(deps, person, action.id);
}
