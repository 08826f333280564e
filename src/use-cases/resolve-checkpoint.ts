import { snoozeUntil } from "../domain/checkpoint-due.ts";
import { formatDateTime } from "../domain/format-date.ts";
import { SNOOZE_WEEKS } from "../domain/gate.ts";
import type { Message } from "../domain/message.ts";
import type { CheckpointDetail } from "../ports/gate-store.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { mayDecide } from "./gate-permission.ts";
import { showItemState } from "./message-state.ts";
import {
  CHECKPOINT_DONE_ACTION,
  CHECKPOINT_NOT_APPLICABLE_ACTION,
  CHECKPOINT_SNOOZE_ACTION,
  CHECKPOINT_UNDO_ACTION,
  checkpointButtons,
  checkpointItem,
  decidedCheckpointBlocks,
} from "./messages/checkpoint-state.ts";
import { alreadyDecidedReply, namedText, nameOf, undoButton } from "./messages/decided-item.ts";
import { reply } from "./messages/reply.ts";
import { definitionOf } from "./plan-checkpoints.ts";
import { personKeyFor, recordShownForm, shownFormCheck, splitFormValue } from "./shown-forms.ts";

export { CHECKPOINT_DONE_ACTION, CHECKPOINT_NOT_APPLICABLE_ACTION, CHECKPOINT_SNOOZE_ACTION };
/** Form submissions: the evidence note for done, the reason for not applicable. */
export const CHECKPOINT_DONE_SUBMIT = "checkpoint.done.submit";
export const CHECKPOINT_NOT_APPLICABLE_SUBMIT = "checkpoint.not-applicable.submit";

export const NOTE_KEY = "note";
const NOTE_MAX = 1000;

const BUTTONS = [
  CHECKPOINT_DONE_ACTION,
  CHECKPOINT_NOT_APPLICABLE_ACTION,
  CHECKPOINT_SNOOZE_ACTION,
  CHECKPOINT_UNDO_ACTION,
];
const SUBMITS = [CHECKPOINT_DONE_SUBMIT, CHECKPOINT_NOT_APPLICABLE_SUBMIT];

export function isCheckpointAction(actionId: string): boolean {
  return BUTTONS.includes(actionId);
}

export function isCheckpointSubmit(actionId: string): boolean {
  return SUBMITS.includes(actionId);
}

type Allowed = { checkpoint: CheckpointDetail; title: string } | { refusal: Message };

/** The checkpoint, if the person may decide on it: its project's managers and the organisation's admins. */
async function allowed(deps: Deps, person: PersonRecord, checkpointId: string): Promise<Allowed> {
  const checkpoint = checkpointId ? await deps.stores.gates.checkpoint(checkpointId) : null;
  if (!checkpoint) return { refusal: reply(deps.prompts, person.locale, "errors.not-found") };
  if (!(await mayDecide(deps, person, checkpoint.projectId))) {
    return { refusal: reply(deps.prompts, person.locale, "gates.not-allowed") };
  }
  const title = checkpointQuestion(deps, checkpoint.phase, checkpoint.key, person.locale) ?? checkpoint.key;
  return { checkpoint, title };
}

/**
 * A manager's button on a nudge: done and not applicable open a small form for the
 * evidence note or the reason; snooze (one, two or four weeks) is recorded at once; undo
 * opens a decided checkpoint again. On a decided checkpoint the others explain who decided.
 */
export async function resolveCheckpoint(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  value: string,
  conversationRef?: string,
): Promise<Message[]> {
  const { prompts } = deps;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(person.locale, key, vars);
  const [checkpointId = "", weeksText = "1"] = value.split(":");
  const target = await allowed(deps, person, checkpointId);
  if ("refusal" in target) return [target.refusal];
  const { checkpoint, title } = target;
  if (actionId === CHECKPOINT_UNDO_ACTION) return reopen(deps, person, checkpoint, conversationRef);
  if (checkpoint.status !== "open") {
    const source = await showCheckpointState(deps, person, checkpoint, conversationRef);
    const explanation = await alreadyDecided(deps, person, checkpoint, title);
    return source ? [source, explanation] : [explanation];
  }

  if (actionId === CHECKPOINT_SNOOZE_ACTION) {
    const asked = Number.parseInt(weeksText, 10);
    const weeks = (SNOOZE_WEEKS as readonly number[]).includes(asked) ? asked : 1;
    const now = deps.clock.now();
    const until = snoozeUntil(now, weeks);
    const organisationId = person.organisationId;
    await deps.unitOfWork(`project:${checkpoint.projectId}`, async (tx) => {
      await tx.gates.snoozeCheckpoint(checkpoint.id, until);
      await tx.audit.record({
        organisationId,
        actorId: person.id,
        kind: "checkpoint.snoozed",
        subject: checkpoint.id,
        data: { projectId: checkpoint.projectId, weeks, until: until.toISOString() },
      });
    });
    return [
      reply(prompts, person.locale, "gates.checkpoint.snoozed", {
        checkpoint: title,
        until: formatDateTime(until, person.locale),
      }),
    ];
  }

  const done = actionId === CHECKPOINT_DONE_ACTION;
  const form = done ? "gates.checkpoint.done-form" : "gates.checkpoint.not-applicable-form";
  const shown = done && checkpoint.evidence ? checkpoint.evidence : "";
  const submitValue = await recordShownForm(deps, {
    ownerKey: personKeyFor(deps.secret, person.id),
    kind: "checkpoint",
    subject: checkpoint.id,
    values: { [NOTE_KEY]: shown },
  });
  return [
    {
      fallback: `${t(`${form}.title`)}: ${title}`,
      blocks: [
        { type: "paragraph", text: [title] },
        {
          type: "form",
          formId: `checkpoint-${checkpoint.id}`,
          title: t(`${form}.title`),
          // Evidence the lead attached comes prefilled, so accepting it is one click.
          inputs: [
            {
              kind: "multiline",
              key: NOTE_KEY,
              label: t(`${form}.note`),
              required: true,
              maxLength: NOTE_MAX,
              ...(shown ? { value: shown } : {}),
            },
          ],
          submit: {
            actionId: done ? CHECKPOINT_DONE_SUBMIT : CHECKPOINT_NOT_APPLICABLE_SUBMIT,
            label: t(`${form}.submit`),
            value: submitValue,
            style: "primary",
          },
        },
      ],
    },
  ];
}

/** The evidence note or reason arrives: the checkpoint is decided, once, and audited. */
export async function submitCheckpointDecision(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  value: string,
  answers: Record<string, string>,
): Promise<Message[]> {
  const target = await allowed(deps, person, splitFormValue(value).subject);
  if ("refusal" in target) return [target.refusal];
  const { checkpoint, title } = target;
  const typed = (answers[NOTE_KEY] ?? "").trim().slice(0, NOTE_MAX);
  const shownWith = await shownFormCheck(deps, value, {
    ownerKey: personKeyFor(deps.secret, person.id),
    kind: "checkpoint",
  });
  // Left as the form showed it, the note is the evidence as it stands now: evidence the lead
  // attached after the form was opened is kept, not overwritten by the older text.
  const current = checkpoint.evidence?.trim() ?? "";
  const note =
    actionId === CHECKPOINT_DONE_SUBMIT && typed !== "" && current !== "" && shownWith(NOTE_KEY, typed)
      ? current
      : typed;
  if (note === "") {
    const problem = deps.prompts.t(person.locale, "gates.checkpoint.note-required");
    return [
      { fallback: problem, blocks: [{ type: "paragraph", text: [problem] }], fieldErrors: { [NOTE_KEY]: problem } },
    ];
  }
  const status = actionId === CHECKPOINT_DONE_SUBMIT ? "done" : "not-applicable";
  const now = deps.clock.now();
  const decided = await deps.unitOfWork(`project:${checkpoint.projectId}`, async (tx) => {
    if (!(await tx.gates.decideCheckpoint(checkpoint.id, { status, personId: person.id, note, at: now }))) return false;
    await tx.audit.record({
      organisationId: person.organisationId,
      actorId: person.id,
      kind: `checkpoint.${status}`,
      subject: checkpoint.id,
      data: { projectId: checkpoint.projectId, phase: checkpoint.phase, key: checkpoint.key },
    });
    return true;
  });
  const fresh = (await deps.stores.gates.checkpoint(checkpoint.id)) ?? checkpoint;
  // The form came from the nudge, not with it: the nudge is rewritten, the form answered as before.
  await showCheckpointState(deps, person, fresh, undefined);
  if (!decided) return [await alreadyDecided(deps, person, fresh, title)];
  return [reply(deps.prompts, person.locale, `gates.checkpoint.${status}`, { checkpoint: title })];
}

/** Undo: a decided checkpoint is open again, its nudges show its buttons again. */
async function reopen(
  deps: Deps,
  person: PersonRecord,
  checkpoint: CheckpointDetail,
  conversationRef: string | undefined,
): Promise<Message[]> {
  if (checkpoint.status === "open") return [reply(deps.prompts, person.locale, "state.checkpoint.nothing-to-undo")];
  const now = deps.clock.now();
  await deps.unitOfWork(`project:${checkpoint.projectId}`, async (tx) => {
    await tx.gates.syncCheckpoint(checkpoint.id, { status: "open", at: now });
    await tx.audit.record({
      organisationId: person.organisationId,
      actorId: person.id,
      kind: "checkpoint.reopened",
      subject: checkpoint.id,
      data: { projectId: checkpoint.projectId, was: checkpoint.status },
    });
  });
  const fresh = (await deps.stores.gates.checkpoint(checkpoint.id)) ?? checkpoint;
  const source = await showCheckpointState(deps, person, fresh, conversationRef);
  const answer = reply(deps.prompts, person.locale, "state.checkpoint.undone");
  return source ? [source, answer] : [answer];
}

/** The project's nudges that list the checkpoint, showing its state. */
async function showCheckpointState(
  deps: Deps,
  person: PersonRecord,
  checkpoint: CheckpointDetail,
  conversationRef: string | undefined,
): Promise<Message | null> {
  const decider = checkpoint.status === "open" ? "" : await nameOf(deps, checkpoint.decidedById, person.locale);
  return showItemState(deps, {
    organisationId: person.organisationId,
    keyPrefixes: [`nudge:${checkpoint.projectId}:`],
    item: checkpointItem(checkpoint.id),
    fallbackLocale: person.locale,
    ...(conversationRef ? { conversationRef } : {}),
    blocks: (locale) =>
      checkpoint.status === "open"
        ? [checkpointButtons(deps.prompts, locale, checkpoint.id)]
        : decidedCheckpointBlocks(deps.prompts, locale, checkpoint, decider),
  });
}

async function alreadyDecided(
  deps: Deps,
  person: PersonRecord,
  checkpoint: CheckpointDetail,
  title: string,
): Promise<Message> {
  const locale = person.locale;
  const status = deps.prompts.t(locale, `gates.checkpoint.status.${checkpoint.status}`);
  const name = await nameOf(deps, checkpoint.decidedById, locale);
  const text = [`${title}: `, ...namedText(deps.prompts, locale, "state.checkpoint.already", name, { status })];
  return alreadyDecidedReply(text, undoButton(deps.prompts, locale, CHECKPOINT_UNDO_ACTION, checkpoint.id));
}

export function checkpointQuestion(
  deps: Deps,
  phase: string,
  key: string,
  locale: PersonRecord["locale"],
): string | undefined {
  return definitionOf(deps, phase, key, locale)?.question;
}
