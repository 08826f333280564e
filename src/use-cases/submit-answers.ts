import { createHmac } from "node:crypto";
import { answerValue, planAnswerChanges, type StoredAnswer } from "../domain/answer-changes.ts";
import type { AnswerProblem } from "../domain/answer-validation.ts";
import type { Locale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import type { Question } from "../domain/retro-format.ts";
import { DISCIPLINES, type Discipline } from "../domain/role.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { CycleRecord } from "../ports/retro-store.ts";
import type { Stores } from "../ports/stores.ts";
import type { Deps } from "./deps.ts";
import { answerChangeMessage } from "./messages/answer-change-message.ts";
import { reply } from "./messages/reply.ts";
import { DISCIPLINE_KEY } from "./messages/retro-prompt-message.ts";
import { shownFormCheck, splitFormValue } from "./shown-forms.ts";

/** The person's invitation to an open cycle, or the reply that says why there is none. */
export type OpenDelivery =
  | { refused: Message }
  | { cycle: CycleRecord; delivery: { id: string; personId: string }; responseKey: string };

export async function openDelivery(deps: Deps, person: PersonRecord, cycleId: string): Promise<OpenDelivery> {
  const cycle = await deps.stores.retro.cycle(cycleId);
  const delivery = cycle
    ? (await deps.stores.retro.deliveries(cycle.id)).find((candidate) => candidate.personId === person.id)
    : undefined;
  if (!cycle || !delivery) return { refused: reply(deps.prompts, person.locale, "errors.not-invited") };
  if (cycle.status !== "open" || deps.clock.now() >= cycle.closesAt) {
    return { refused: reply(deps.prompts, person.locale, "retro.answer.closed") };
  }
  return { cycle, delivery, responseKey: responseKeyFor(deps.secret, delivery.id) };
}

/** One person's answers in a cycle, by question key. */
export async function storedAnswers(stores: Pick<Stores, "retro">, cycleId: string, responseKey: string) {
  return new Map<string, StoredAnswer>(
    (await stores.retro.answers(cycleId))
      .filter((answer) => answer.responseKey === responseKey)
      .map((answer) => [answer.questionKey, { text: answer.text, score: answer.score }]),
  );
}

/**
 * Saves what a person changed in their answers to an open cycle. Only fields they changed
 * change: one left as the form showed it keeps the stored answer (so a form sent again after
 * a reload erases nothing), and one shown filled and emptied clears it. The reply says what
 * changed. After the cycle closes a late answer is politely refused (the summary has gone out).
 * Invalid input saves nothing.
 */
export async function submitAnswers(
  deps: Deps,
  person: PersonRecord,
  value: string,
  raw: Record<string, string>,
): Promise<Message[]> {
  const { prompts } = deps;
  const locale = person.locale;
  const open = await openDelivery(deps, person, splitFormValue(value).subject);
  if ("refused" in open) return [open.refused];
  const { cycle, delivery, responseKey } = open;
  const { [DISCIPLINE_KEY]: discipline, ...answered } = raw;
  const questions = cycle.questions[locale];
  const shownWith = await shownFormCheck(deps, value, { ownerKey: responseKey, kind: "retro" });
  // One person's sends are compared and saved one at a time: two at once (a double click, two
  // tabs) would otherwise both read the answers before either saved and both report a change.
  const outcome = await deps.unitOfWork(`answers:${cycle.id}:${responseKey}`, async (stores) => {
    const stored = await storedAnswers(stores, cycle.id, responseKey);
    const plan = planAnswerChanges({ questions, stored, submitted: answered, shownWith });
    if (!plan.ok) return { plan, stored };
    const project = await stores.retro.project(cycle.projectId, deps.clock.now());
    await stores.retro.saveAnswers({
      cycleId: cycle.id,
      deliveryId: delivery.id,
      personId: (project?.anonymous ?? true) ? null : person.id,
      responseKey,
      answers: plan.set,
      clear: plan.cleared,
      at: deps.clock.now(),
    });
    return { plan, stored };
  });
  const { plan, stored } = outcome;
  if (!plan.ok) return [problemsMessage(deps, locale, questions, plan.problems)];
  if (discipline && DISCIPLINES.includes(discipline as Discipline)) {
    await deps.stores.projects.setDiscipline(cycle.projectId, person.id, discipline);
  }
  if (plan.set.length > 0 || plan.cleared.length > 0) await deps.dispatcher.tickProject(cycle.projectId);
  const saved = answerChangeMessage({
    prompts,
    locale,
    cycle,
    first: stored.size === 0,
    updated: plan.set.map((answer) => answer.questionKey),
    cleared: plan.cleared,
  });
  return [{ ...saved, replacesSource: true }];
}

function problemsMessage(deps: Deps, locale: Locale, questions: Question[], problems: AnswerProblem[]): Message {
  const labels = new Map(questions.map((question) => [question.key, question.text]));
  const fieldErrors = Object.fromEntries(
    problems.map((problem) => [
      problem.questionKey,
      deps.prompts.t(locale, `retro.answer.problem.${problem.code}`, {
        question: labels.get(problem.questionKey) ?? problem.questionKey,
        // "3.000" in Dutch, "3,000" in English.
        limit: problem.limit ?? 0,
      }),
    ]),
  );
  const texts = Object.values(fieldErrors);
  const text = deps.prompts.t(locale, "retro.answer.invalid");
  return {
    fallback: `${text} ${texts.join(" ")}`,
    blocks: [
      { type: "paragraph", text: [text] },
      { type: "list", items: texts.map((problem) => [problem]) },
    ],
    fieldErrors,
  };
}

/** What a person's answers are, as the values a form shows. */
export function answerValues(stored: ReadonlyMap<string, StoredAnswer>): Record<string, string> {
  return Object.fromEntries([...stored].map(([key, answer]) => [key, answerValue(answer)]));
}

/** Groups one person's answers in a cycle without naming them (HMAC of their delivery). */
export function responseKeyFor(secret: string, deliveryId: string): string {
  return createHmac("sha256", secret).update(deliveryId).digest("base64url");
}
