import type { StoredAnswer } from "../domain/answer-changes.ts";
import { OPEN_FORM_ACTION } from "../domain/chat-actions.ts";
import { formatDateTime } from "../domain/format-date.ts";
import type { Locale } from "../domain/locale.ts";
import { type Block, type Message, withUserText } from "../domain/message.ts";
import type { Question } from "../domain/retro-format.ts";
import type { OpenRetro } from "../ports/form-store.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { CycleRecord } from "../ports/retro-store.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";
import { ASK_ACTION } from "./messages/retro-prompt-message.ts";
import { responseKeyFor, storedAnswers } from "./submit-answers.ts";

export { ASK_ACTION };
export const LATER_ACTION = "retro.later";

/** Where a person answers question by question: the question their next message answers. */
type Asking = { asking: string | null; snoozed: boolean };

export const askingId = (responseKey: string) => `asking:${responseKey}`;

/** The open retro typed text is for: the one being answered question by question, else the newest. */
export type CurrentRetro = OpenRetro & { responseKey: string; asking: Asking | null };

export async function currentRetro(deps: Deps, person: PersonRecord, cycleId?: string): Promise<CurrentRetro | null> {
  const open = (await deps.stores.forms.openRetrosOf(person.id, deps.clock.now())).filter(
    (retro) => !cycleId || retro.cycleId === cycleId,
  );
  const found: CurrentRetro[] = [];
  for (const retro of open) {
    const responseKey = responseKeyFor(deps.secret, retro.deliveryId);
    const row = await deps.stores.forms.get(askingId(responseKey));
    found.push({ ...retro, responseKey, asking: row ? (row.data as Asking) : null });
  }
  return found.find((retro) => retro.asking?.asking) ?? found[0] ?? null;
}

export function nextQuestion(questions: Question[], stored: ReadonlyMap<string, StoredAnswer>, after?: string) {
  return questions.find((question) => question.key !== after && !stored.has(question.key)) ?? null;
}

export async function setAsking(deps: Deps, retro: CurrentRetro, asking: Asking): Promise<void> {
  const id = askingId(retro.responseKey);
  const now = deps.clock.now();
  const data = { ...asking };
  if (!(await deps.stores.forms.update(id, data, now))) {
    await deps.stores.forms.put({ id, ownerKey: retro.responseKey, kind: "asking", subject: retro.cycleId, data }, now);
  }
}

/** One question, asked on its own: its number, the project, and how to answer or put it off. */
export function questionBlocks(deps: Deps, locale: Locale, retro: OpenRetro, cycle: CycleRecord, question: Question) {
  const t = (key: string, vars?: Record<string, string | number>) => deps.prompts.t(locale, key, vars);
  const questions = cycle.questions[locale];
  const text = question.hint ? `${question.text} (${question.hint})` : question.text;
  const number = questions.findIndex((candidate) => candidate.key === question.key) + 1;
  const blocks: Block[] = [
    {
      type: "paragraph",
      text: withUserText(
        (user) => t("retro.typed.question", { number, total: questions.length, question: text, ...user }),
        { project: retro.projectName },
      ),
    },
    { type: "context", text: [t("retro.typed.how")] },
    {
      type: "actions",
      buttons: [
        { actionId: LATER_ACTION, label: t("retro.typed.later"), value: retro.cycleId },
        { actionId: OPEN_FORM_ACTION, label: t("retro.typed.open-form"), value: retro.cycleId },
      ],
    },
  ];
  return blocks;
}

/** `vraag voor vraag` or its button: asks the first question not answered yet; the next message answers it. */
export async function askNextQuestion(deps: Deps, person: PersonRecord, cycleId?: string): Promise<Message[]> {
  const retro = await currentRetro(deps, person, cycleId);
  if (!retro) return [reply(deps.prompts, person.locale, "retro.typed.no-retro")];
  const cycle = await deps.stores.retro.cycle(retro.cycleId);
  if (!cycle) return [reply(deps.prompts, person.locale, "retro.typed.no-retro")];
  const stored = await storedAnswers(deps.stores, cycle.id, retro.responseKey);
  const question = nextQuestion(cycle.questions[person.locale], stored);
  if (!question) return [allAnswered(deps, person.locale, retro)];
  await setAsking(deps, retro, { asking: question.key, snoozed: false });
  const blocks = questionBlocks(deps, person.locale, retro, cycle, question);
  return [{ fallback: question.text, blocks }];
}

/** `later`: stops asking for now; the cycle's reminder comes to this person even if they answered some. */
export async function answerLater(deps: Deps, person: PersonRecord, cycleId?: string): Promise<Message[]> {
  const retro = await currentRetro(deps, person, cycleId);
  if (!retro) return [reply(deps.prompts, person.locale, "retro.typed.no-retro")];
  const cycle = await deps.stores.retro.cycle(retro.cycleId);
  if (!cycle) return [reply(deps.prompts, person.locale, "retro.typed.no-retro")];
  await setAsking(deps, retro, { asking: null, snoozed: true });
  const closes = formatDateTime(cycle.closesAt, person.locale);
  const now = deps.clock.now();
  if (cycle.remindedAt === null && cycle.remindsAt > now) {
    const remind = formatDateTime(cycle.remindsAt, person.locale);
    return [reply(deps.prompts, person.locale, "retro.typed.snoozed", { remind, closes })];
  }
  return [reply(deps.prompts, person.locale, "retro.typed.snoozed-no-reminder", { closes })];
}

export function allAnswered(deps: Deps, locale: Locale, retro: OpenRetro): Message {
  const message = reply(deps.prompts, locale, "retro.typed.all-answered", {}, { project: retro.projectName });
  const change = {
    actionId: OPEN_FORM_ACTION,
    label: deps.prompts.t(locale, "retro.answer.change"),
    value: retro.cycleId,
  };
  return { ...message, blocks: [...message.blocks, { type: "actions", buttons: [change] }] };
}
