import type { Message, Text } from "../domain/message.ts";
import type { ActionRecord, PersonRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";
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
            action.ownerName ? { user: action.ownerName } : t("retro.summary.no-owner"),
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

/** `actions <n> owner <name>`: the owner or the project's lead hands an action to a team member. */
export async function reassignAction(
  deps: Deps,
  person: PersonRecord,
  index: number,
  ownerName: string,
): Promise<Message[]> {
  const actions = await numberedActions(deps, person);
  const action = actions[index - 1];
  if (!action) return [reply(deps.prompts, person.locale, "actions.reassign.no-such", { count: actions.length })];
  const current = await deps.stores.retro.action(action.id);
  const roles = (await deps.stores.directory.projectsOf(person.id)).filter((m) => m.projectId === action.projectId);
  const allowed =
    current?.ownerId === person.id || roles.some((m) => m.role === "lead") || person.roles.includes("admin");
  if (!allowed) return [reply(deps.prompts, person.locale, "errors.owner-or-lead")];
  const project = await deps.stores.retro.project(action.projectId, deps.clock.now());
  const wanted = ownerName.toLowerCase();
  const candidates = (project?.participants ?? []).filter((p) => p.displayName.toLowerCase().startsWith(wanted));
  if (candidates.length !== 1) {
    const names = (project?.participants ?? []).map((p) => p.displayName).join(", ");
    return [reply(deps.prompts, person.locale, "actions.reassign.who", {}, { name: ownerName.slice(0, 40), names })];
  }
  const owner = candidates[0] as PersonRecord;
  await deps.stores.retro.setActionOwner(action.id, owner.id);
  return [reply(deps.prompts, person.locale, "actions.reassign.done", {}, { owner: owner.displayName })];
}
