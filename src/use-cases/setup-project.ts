import { randomUUID } from "node:crypto";
import { SETUP_SUBMIT } from "../domain/chat-actions.ts";
import { formatDateTime } from "../domain/format-date.ts";
import type { FormInput, Message } from "../domain/message.ts";
import { PHASES } from "../domain/phase.ts";
import { PROJECT_FLAGS } from "../domain/project-flags.ts";
import { PROJECT_NAME_MAX, validateSetup } from "../domain/project-setup.ts";
import type { NewProject, SetUpOutcome } from "../ports/project-admin-store.ts";
import type { Address, PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { fieldErrorsMessage, reply } from "./messages/reply.ts";
import { nextOpenings } from "./schedule-commands.ts";

export const SETUP_OPEN = "setup.open";
export { SETUP_SUBMIT };

const NEW_CHANNEL = "new";
const THIS_CHANNEL = "channel";
const DEFAULT_TIMEZONE = "Europe/Amsterdam";

/**
 * Started in the person's own web chat with Leerlus (one of their stored direct
 * conversations): the project gets a new web channel. The reference itself stays opaque.
 */
function fromOwnWebDirect(person: PersonRecord, where: Address): boolean {
  return (
    where.platform === "web" &&
    person.directs.some(
      (direct) => direct.platform === where.platform && direct.conversationRef === where.conversationRef,
    )
  );
}

/**
 * Where a project will live: the channel the setup was started from, or a new web channel.
 * The form only says which of the two; the channel itself always comes from the conversation
 * the platform (or the signed-in web session) says the form was submitted in.
 */
function target(person: PersonRecord, where: Address): string {
  return fromOwnWebDirect(person, where) ? NEW_CHANNEL : THIS_CHANNEL;
}

/** A form's value: where the project goes and, after a `#`, the key of this form instance. */
const FORM_VALUE = /^(new|channel)#([\w-]{8,64})$/;

/**
 * Whether the form's value fits the conversation it came back from, and the form instance's
 * key when it has one (forms sent before had none, or named the channel).
 */
function readValue(value: string, person: PersonRecord, where: Address): { fits: boolean; setupKey: string | null } {
  const keyed = FORM_VALUE.exec(value);
  if (keyed) return { fits: keyed[1] === target(person, where), setupKey: keyed[2] ?? null };
  return {
    fits: value === target(person, where) || value === `${where.platform}|${where.conversationRef}`,
    setupKey: null,
  };
}

/** Whether the setup happens in the person's own direct chat with Leerlus rather than a channel. */
function isDirect(person: PersonRecord, where: Address): boolean {
  if (where.platform === "web") return where.conversationRef.startsWith("web:dm:");
  return person.directs.some((direct) => direct.conversationRef === where.conversationRef);
}

/**
 * A platform's own person picker answers with the person's account there (a Slack user id, an
 * Entra object id): the person fields are read as person ids. Someone without Leerlus stays
 * unknown, so the form says to pick someone else.
 */
function personAnswers(
  answers: Record<string, string>,
  people: { id: string; account?: string | null }[],
): Record<string, string> {
  const ids = new Set(people.map((p) => p.id));
  const byAccount = new Map(people.flatMap((p) => (p.account ? [[p.account, p.id] as const] : [])));
  const read = (value: string | undefined) =>
    value === undefined || ids.has(value) ? value : (byAccount.get(value) ?? value);
  const out = { ...answers };
  for (const key of ["lead", "manager", "adviser"]) {
    const value = read(answers[key]?.trim());
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Manager and adviser reach beyond the team (gate decisions, digests): only an admin picks themselves. */
function selfPromotion(person: PersonRecord, values: { managerId: string | null; adviserId: string | null }) {
  if (person.roles.includes("admin")) return [];
  return (["manager", "adviser"] as const).filter((key) => values[`${key}Id`] === person.id);
}

/**
 * The setup form: only what has no good default. Cadence comes prefilled (every two weeks,
 * Thursday 15:00); the person setting up is the lead unless they pick someone else.
 */
export async function openSetupForm(
  deps: Deps,
  person: PersonRecord,
  where: Address,
  direct = isDirect(person, where),
): Promise<Message[]> {
  const t = (key: string) => deps.prompts.t(person.locale, key);
  const existing = fromOwnWebDirect(person, where) ? null : await deps.stores.directory.projectByChannel(where);
  if (existing) return [reply(deps.prompts, person.locale, "setup.already")];
  const people = await deps.stores.projects.people(person.organisationId, where.platform);
  const choices = people.map((p) => ({ value: p.id, label: p.displayName, account: p.account ?? null }));
  const pick = (key: string, required: boolean, value?: string): FormInput => ({
    kind: "person",
    key,
    label: t(`setup.field.${key}`),
    required,
    people: choices,
    ...(value ? { value } : {}),
  });
  const inputs: FormInput[] = [
    { kind: "text", key: "name", label: t("setup.field.name"), required: true, maxLength: PROJECT_NAME_MAX },
    {
      kind: "choice",
      key: "phase",
      label: t("setup.field.phase"),
      required: true,
      options: PHASES.map((phase) => ({ value: phase, label: t(`phases.${phase}`) })),
      value: "explore",
    },
    {
      kind: "text",
      key: "cadence",
      label: t("setup.field.cadence"),
      required: true,
      maxLength: 80,
      value: t("setup.default-cadence"),
    },
    pick("lead", true, person.id),
    pick("manager", false),
    pick("adviser", false),
    // Yes/no facts that decide which checkpoints apply; the lead can change them later with `flags`.
    ...PROJECT_FLAGS.map(
      (flag): FormInput => ({
        kind: "choice",
        key: `flag-${flag}`,
        label: t(`gates.flags.question.${flag}`),
        required: false,
        options: [
          { value: "yes", label: t("gates.flags.yes") },
          { value: "no", label: t("gates.flags.no") },
        ],
      }),
    ),
  ];
  return [
    {
      fallback: t("setup.title"),
      blocks: [
        { type: "heading", text: [t("setup.title")] },
        // In a direct chat there is no channel whose members could join: the lead adds them.
        { type: "paragraph", text: [t(direct ? "setup.intro-direct" : "setup.intro")] },
        {
          type: "form",
          formId: "setup",
          title: t("setup.title"),
          inputs,
          // Each form carries its own key, so sending it twice (double click, retry) acts once.
          submit: {
            actionId: SETUP_SUBMIT,
            label: t("setup.submit"),
            value: `${target(person, where)}#${randomUUID()}`,
            style: "primary",
          },
        },
      ],
    },
  ];
}

/**
 * Creates the project unless this form made one already, the channel is a project, or an
 * active project has the name. One setup per organisation at a time (an advisory lock), so
 * two sends at once cannot both pass these checks; the form's unique key backs that up.
 */
async function createOnce(
  deps: Deps,
  person: PersonRecord,
  setupKey: string | null,
  project: NewProject,
): Promise<SetUpOutcome | { kind: "name-taken" }> {
  return deps.unitOfWork(`setup:${project.organisationId}`, async (tx) => {
    const earlier = setupKey ? await tx.projects.bySetupKey(setupKey) : null;
    if (earlier) return { kind: "sent-before", ...earlier };
    if (project.channel && (await tx.directory.projectByChannel(project.channel))) return { kind: "channel-taken" };
    if (await tx.projects.activeByName(project.organisationId, project.name)) return { kind: "name-taken" };
    const outcome: SetUpOutcome = setupKey
      ? await tx.projects.setUp(project, setupKey)
      : { kind: "created", id: await tx.projects.create(project) };
    if (outcome.kind === "created") {
      await tx.audit.record({
        organisationId: person.organisationId,
        actorId: person.id,
        kind: "project.created",
        subject: outcome.id,
      });
    }
    return outcome;
  });
}

/** The reply to a form sent again: the project it made, replacing the form like the first reply did. */
function sentBefore(deps: Deps, person: PersonRecord, name: string): Message {
  return { ...reply(deps.prompts, person.locale, "setup.sent-before", {}, { project: name }), replacesSource: true };
}

/** Two projects of one name would be told apart by nobody (portfolio, digests, chat): say so next to the field. */
function nameTaken(deps: Deps, person: PersonRecord, name: string): Message {
  const message = reply(deps.prompts, person.locale, "setup.name-taken", {}, { project: name });
  return { ...message, fieldErrors: { name: deps.prompts.t(person.locale, "setup.name-taken", { project: name }) } };
}

/**
 * Creates the project (channel, roles) all at once, or nothing with field-level errors. The
 * channel is the conversation the form was submitted in; a value naming another is refused.
 */
export async function submitSetup(
  deps: Deps,
  person: PersonRecord,
  value: string,
  answers: Record<string, string>,
  where: Address,
): Promise<Message[]> {
  const { prompts } = deps;
  const { fits, setupKey } = readValue(value, person, where);
  if (!fits) return [reply(prompts, person.locale, "errors.conversation-mismatch")];
  const earlier = setupKey ? await deps.stores.projects.bySetupKey(setupKey) : null;
  if (earlier) return [sentBefore(deps, person, earlier.name)];
  const people = await deps.stores.projects.people(person.organisationId, where.platform);
  const raw = personAnswers(answers, people);
  const validation = validateSetup(raw, new Set(people.map((p) => p.id)));
  // Every problem at once, each next to its field: not first the others, then this one.
  const chosen = { managerId: raw.manager?.trim() || null, adviserId: raw.adviser?.trim() || null };
  const problems = [
    ...(validation.ok ? [] : validation.problems),
    ...selfPromotion(person, chosen).map((key) => ({ key, code: "not-yourself" })),
  ];
  if (!validation.ok || problems.length > 0) {
    const fieldErrors = Object.fromEntries(
      problems.map((problem) => [problem.key, prompts.t(person.locale, `setup.problem.${problem.code}`)]),
    );
    return [fieldErrorsMessage(prompts.t(person.locale, "setup.invalid"), fieldErrors)];
  }
  const channel = target(person, where) === NEW_CHANNEL ? null : where;
  const { values } = validation;
  const outcome = await createOnce(deps, person, setupKey, {
    organisationId: person.organisationId,
    name: values.name,
    phase: values.phase,
    cadence: { ...values.cadence, timezone: person.timezone ?? DEFAULT_TIMEZONE },
    channel,
    leadId: values.leadId,
    managerIds: values.managerId ? [values.managerId] : [],
    adviserIds: values.adviserId ? [values.adviserId] : [],
    memberIds: [person.id],
    flags: values.flags,
  });
  if (outcome.kind === "sent-before") return [sentBefore(deps, person, outcome.name)];
  if (outcome.kind === "channel-taken") return [reply(prompts, person.locale, "setup.already")];
  if (outcome.kind === "name-taken") return [nameTaken(deps, person, values.name)];
  const projectId = outcome.id;
  // Everyone already in the channel takes part, not only those who join it later.
  if (channel) await deps.dispatcher.syncMembers(projectId);
  const dates = (await nextOpenings(deps, projectId, 3)).map((date) => formatDateTime(date, person.locale));
  return [
    {
      ...reply(prompts, person.locale, "setup.done", { dates: dates.join("; ") }, { project: values.name }),
      replacesSource: true,
    },
  ];
}
