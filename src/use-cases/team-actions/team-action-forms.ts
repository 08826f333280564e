// *Rewrite* (anyone in the team) and *Assign* (leads): a button opens a small form (a Slack
// modal, a card in Teams, a form in the web chat); its submission changes the action and the
// channel's proposal message shows the change.
import type { Message } from "../../domain/message.ts";
import type { PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { reply } from "../messages/reply.ts";
import { inTeam, isOpen, leadOf, refreshTeamAction, type Target, targetOf } from "./team-action-access.ts";
import { TEAM_ACTION_ASSIGN_SUBMIT, TEAM_ACTION_REWRITE_SUBMIT } from "./team-action-message.ts";

export const TEXT_KEY = "text";
export const PERSON_KEY = "person";
const TEXT_MAX = 1000;

type Refusal = Message;

/** The form's one field was not filled as it must be: said beside it where the platform can. */
function fieldProblem(deps: Deps, person: PersonRecord, field: string, key: string): Message {
  const problem = deps.prompts.t(person.locale, `team-actions.${key}`);
  return { fallback: problem, blocks: [{ type: "paragraph", text: [problem] }], fieldErrors: { [field]: problem } };
}

/**
 * Whether the person may rewrite the action now. Until the next retro puts it up for review,
 * anyone in the team may; once someone took it, only its owners, so what they agreed to does
 * not change under them.
 */
function rewriteRefusal(deps: Deps, person: PersonRecord, target: Target): Refusal | null {
  const t = (key: string, user?: Record<string, string>) =>
    reply(deps.prompts, person.locale, `team-actions.${key}`, {}, user);
  const { action, project } = target;
  if (!inTeam(project, person)) return t("not-in-team");
  if (!isOpen(action) || action.reviewedInCycleId !== null) return t("rewrite-decided");
  const owners = action.owners;
  if (owners.length > 0 && !owners.some((owner) => owner.personId === person.id)) {
    return t("rewrite-taken", { names: owners.map((owner) => owner.displayName).join(", ") });
  }
  return null;
}

/** The action and its project when the person may act on it; otherwise the reply that says why not. */
async function allowedTarget(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  refusalOf: (deps: Deps, person: PersonRecord, target: Target) => Refusal | null,
): Promise<Target | Message> {
  const target = await targetOf(deps, person, actionId);
  if (!("action" in target)) return target;
  return refusalOf(deps, person, target) ?? target;
}

function assignRefusal(deps: Deps, person: PersonRecord, target: Target): Refusal | null {
  if (!leadOf(target.project, person)) return reply(deps.prompts, person.locale, "team-actions.assign-lead-only");
  if (!isOpen(target.action)) return reply(deps.prompts, person.locale, "team-actions.closed");
  return null;
}

/** The form to rewrite the action, filled with its text. */
export async function openRewriteForm(deps: Deps, person: PersonRecord, actionId: string): Promise<Message[]> {
  const t = (key: string) => deps.prompts.t(person.locale, `team-actions.${key}`);
  const target = await allowedTarget(deps, person, actionId, rewriteRefusal);
  if (!("action" in target)) return [target];
  return [
    {
      fallback: t("rewrite-form.title"),
      blocks: [
        { type: "paragraph", text: [t("rewrite-form.intro")] },
        {
          type: "form",
          formId: `team-action-${target.action.id}`,
          title: t("rewrite-form.title"),
          inputs: [
            {
              kind: "multiline",
              key: TEXT_KEY,
              label: t("rewrite-form.text"),
              required: true,
              maxLength: TEXT_MAX,
              value: target.action.text,
            },
          ],
          submit: {
            actionId: TEAM_ACTION_REWRITE_SUBMIT,
            label: t("rewrite-form.submit"),
            value: target.action.id,
            style: "primary",
          },
        },
      ],
    },
  ];
}

export async function submitRewrite(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  answers: Record<string, string>,
): Promise<Message[]> {
  const target = await allowedTarget(deps, person, actionId, rewriteRefusal);
  if (!("action" in target)) return [target];
  const text = (answers[TEXT_KEY] ?? "").trim().slice(0, TEXT_MAX);
  if (text === "") return [fieldProblem(deps, person, TEXT_KEY, "rewrite-form.required")];
  if (text === target.action.text) return [reply(deps.prompts, person.locale, "team-actions.rewrite-same")];
  // Refused in the store too when the next retro put it up for review meanwhile.
  if (!(await deps.stores.teamActions.rewrite(target.action.id, { text, personId: person.id }))) {
    return [reply(deps.prompts, person.locale, "team-actions.rewrite-decided")];
  }
  await refreshTeamAction(deps, target, undefined);
  return [reply(deps.prompts, person.locale, "team-actions.rewritten-reply")];
}

/** The lead's form: who in the team becomes an owner. */
export async function openAssignForm(deps: Deps, person: PersonRecord, actionId: string): Promise<Message[]> {
  const t = (key: string) => deps.prompts.t(person.locale, `team-actions.${key}`);
  const target = await allowedTarget(deps, person, actionId, assignRefusal);
  if (!("action" in target)) return [target];
  const owners = new Set(target.action.owners.map((owner) => owner.personId));
  const options = target.project.participants
    .filter((participant) => !owners.has(participant.id))
    .map((participant) => ({ value: participant.id, label: participant.displayName }));
  if (options.length === 0) return [reply(deps.prompts, person.locale, "team-actions.assign-everyone")];
  return [
    {
      fallback: t("assign-form.title"),
      blocks: [
        { type: "paragraph", text: [{ user: target.action.text }] },
        {
          type: "form",
          formId: `team-action-assign-${target.action.id}`,
          title: t("assign-form.title"),
          inputs: [{ kind: "choice", key: PERSON_KEY, label: t("assign-form.person"), required: true, options }],
          submit: {
            actionId: TEAM_ACTION_ASSIGN_SUBMIT,
            label: t("assign-form.submit"),
            value: target.action.id,
            style: "primary",
          },
        },
      ],
    },
  ];
}

export async function submitAssign(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  answers: Record<string, string>,
): Promise<Message[]> {
  const target = await allowedTarget(deps, person, actionId, assignRefusal);
  if (!("action" in target)) return [target];
  // The person chosen must be in the team: the form's options, checked again, never trusted.
  const chosen = target.project.participants.find((participant) => participant.id === answers[PERSON_KEY]);
  if (!chosen) return [fieldProblem(deps, person, PERSON_KEY, "assign-form.required")];
  const added = await deps.stores.teamActions.addOwner(target.action.id, chosen.id, person.id, deps.clock.now());
  await refreshTeamAction(deps, target, undefined);
  const key = added ? "team-actions.assigned" : "team-actions.assigned-already";
  return [reply(deps.prompts, person.locale, key, {}, { name: chosen.displayName })];
}
