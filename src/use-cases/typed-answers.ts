import { createHash, randomUUID } from "node:crypto";
import type { StoredAnswer } from "../domain/answer-changes.ts";
import { isProblem, validateAnswer } from "../domain/answer-validation.ts";
import { OPEN_FORM_ACTION } from "../domain/chat-actions.ts";
import { formatDateTime } from "../domain/format-date.ts";
import type { Locale } from "../domain/locale.ts";
import { type Block, type Message, withUserText } from "../domain/message.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { CycleRecord } from "../ports/retro-store.ts";
import type { Deps } from "./deps.ts";
import { questionList } from "./messages/answer-change-message.ts";
import { reply } from "./messages/reply.ts";
import { allAnswered, type CurrentRetro, currentRetro, nextQuestion, questionBlocks, setAsking } from "./one-by-one.ts";
import { openDelivery, storedAnswers } from "./submit-answers.ts";

export const UNDO_ACTION = "retro.undo";

/** An answer typed in chat, kept so that it can be undone: the answer it replaced. */
type TypedRecord = { questionKey: string; before: StoredAnswer | null; undone?: boolean };

/**
 * Free text a person types in their direct conversation while a retro is open for them: the
 * answer to the current question (the one asked question by question, else the first one not
 * answered yet), confirmed in one line with an undo button. Answering question by question, the
 * next question follows. Only for direct conversations: in a shared channel others read along.
 * Null when no retro is open for the person. The same message handled again (`eventKey`, after
 * a failure) is confirmed again, not saved as the answer to the next question.
 */
export async function answerTyped(
  deps: Deps,
  person: PersonRecord,
  text: string,
  eventKey?: string,
): Promise<Message[] | null> {
  const retro = await currentRetro(deps, person);
  if (!retro) return null;
  const locale = person.locale;
  const open = await openDelivery(deps, person, retro.cycleId);
  if ("refused" in open) return [open.refused];
  const { cycle, delivery } = open;
  const undoId = eventKey
    ? `typed:${createHash("sha256").update(`${retro.responseKey}\n${eventKey}`).digest("base64url")}`
    : randomUUID();
  const seen = eventKey ? await deps.stores.forms.get(undoId) : null;
  if (seen?.kind === "typed") {
    const asked = questionsOf(cycle, locale).find((q) => q.key === retro.asking?.asking);
    const next = asked ? questionBlocks(deps, locale, retro, cycle, asked) : [];
    return [savedMessage(deps, locale, retro, cycle, (seen.data as TypedRecord).questionKey, undoId, next)];
  }
  const stored = await storedAnswers(deps.stores, cycle.id, retro.responseKey);
  const questions = cycle.questions[locale];
  const question =
    questions.find((candidate) => candidate.key === retro.asking?.asking) ?? nextQuestion(questions, stored);
  if (!question) return [allAnswered(deps, locale, retro)];
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(locale, key, vars);
  const named = questionList(cycle, locale, [question.key]);
  const result = validateAnswer(question, text);
  if (isProblem(result)) {
    const problem = result.code === "too-long" ? "too-long" : "not-a-score";
    const message = reply(deps.prompts, locale, `retro.typed.${problem}`, {
      question: named,
      limit: result.limit ?? 0,
    });
    const form = { actionId: OPEN_FORM_ACTION, label: t("retro.typed.open-form"), value: cycle.id };
    return [{ ...message, blocks: [...message.blocks, { type: "actions", buttons: [form] }] }];
  }
  const now = deps.clock.now();
  await deps.stores.retro.saveAnswers({
    cycleId: cycle.id,
    deliveryId: delivery.id,
    personId: retro.anonymous ? null : person.id,
    responseKey: retro.responseKey,
    answers: [result],
    clear: [],
    at: now,
  });
  const record: TypedRecord = { questionKey: question.key, before: stored.get(question.key) ?? null };
  await deps.stores.forms.put(
    { id: undoId, ownerKey: retro.responseKey, kind: "typed", subject: cycle.id, data: record },
    now,
  );
  await deps.dispatcher.tickProject(cycle.projectId);
  const next = retro.asking?.asking ? await askAfter(deps, person, retro, question.key, stored) : [];
  return [savedMessage(deps, locale, retro, cycle, question.key, undoId, next)];
}

const questionsOf = (cycle: CycleRecord, locale: Locale) => cycle.questions[locale];

/** "Saved as your answer to …", with Undo, and what follows when answering question by question. */
function savedMessage(
  deps: Deps,
  locale: Locale,
  retro: CurrentRetro,
  cycle: CycleRecord,
  questionKey: string,
  undoId: string,
  next: Block[],
): Message {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(locale, key, vars);
  const named = questionList(cycle, locale, [questionKey]);
  const saved = withUserText((user) => t("retro.typed.saved", { question: named, ...user }), {
    project: retro.projectName,
  });
  const blocks: Block[] = [
    { type: "paragraph", text: saved },
    { type: "actions", buttons: [{ actionId: UNDO_ACTION, label: t("retro.typed.undo"), value: undoId }] },
    ...next,
  ];
  return { fallback: t("retro.typed.saved", { question: named, project: retro.projectName }), blocks };
}

/** Answering question by question: the next question, or the thanks when that was the last. */
async function askAfter(
  deps: Deps,
  person: PersonRecord,
  retro: CurrentRetro,
  answered: string,
  stored: ReadonlyMap<string, StoredAnswer>,
): Promise<Block[]> {
  const cycle = await deps.stores.retro.cycle(retro.cycleId);
  if (!cycle) return [];
  const next = nextQuestion(cycle.questions[person.locale], stored, answered);
  await setAsking(deps, retro, { asking: next?.key ?? null, snoozed: false });
  if (next) return questionBlocks(deps, person.locale, retro, cycle, next);
  const closes = formatDateTime(cycle.closesAt, person.locale);
  return [{ type: "paragraph", text: [deps.prompts.t(person.locale, "retro.typed.done", { closes })] }];
}

/** The undo button of a typed answer: puts back the answer it replaced, once. Only its owner can. */
export async function undoTyped(deps: Deps, person: PersonRecord, undoId: string): Promise<Message[]> {
  const locale = person.locale;
  const record = await deps.stores.forms.get(undoId);
  if (record?.kind !== "typed") return [reply(deps.prompts, locale, "errors.unknown-action")];
  const open = await openDelivery(deps, person, record.subject);
  if ("refused" in open) return [open.refused];
  // The owner comes from the request's verified person: someone else's undo id changes nothing.
  if (open.responseKey !== record.ownerKey) return [reply(deps.prompts, locale, "errors.unknown-action")];
  const typed = record.data as TypedRecord;
  if (typed.undone) return [reply(deps.prompts, locale, "retro.typed.undone-before")];
  const { cycle, delivery, responseKey } = open;
  const retro = await currentRetro(deps, person, cycle.id);
  await deps.stores.retro.saveAnswers({
    cycleId: cycle.id,
    deliveryId: delivery.id,
    personId: retro?.anonymous === false ? person.id : null,
    responseKey,
    answers: typed.before ? [{ questionKey: typed.questionKey, ...typed.before }] : [],
    clear: typed.before ? [] : [typed.questionKey],
    at: deps.clock.now(),
  });
  await deps.stores.forms.update(undoId, { ...typed, undone: true }, deps.clock.now());
  // Answering question by question, the undone question is the one asked again.
  if (retro?.asking) await setAsking(deps, retro, { asking: typed.questionKey, snoozed: false });
  await deps.dispatcher.tickProject(cycle.projectId);
  const named = questionList(cycle, locale, [typed.questionKey]);
  return [{ ...reply(deps.prompts, locale, "retro.typed.undone", { question: named }), replacesSource: true }];
}
