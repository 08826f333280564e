import { createHmac } from "node:crypto";
import { validateAnswers } from "../domain/answer-validation.ts";
import type { Message } from "../domain/message.ts";
import { DISCIPLINES, type Discipline } from "../domain/role.ts";
import type { PersonRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";
import { formatDateTime } from "./messages/format-date.ts";
import { reply } from "./messages/reply.ts";
import { DISCIPLINE_KEY } from "./messages/retro-prompt-message.ts";

/**
 * Saves a person's answers to an open cycle. Answers can be changed until the cycle
 * closes; after that a late answer is politely refused (the summary has already gone
 * out, so adding to it silently would mislead). Invalid input saves nothing and keeps
 * whatever was saved before.
 */
export async function submitAnswers(
  deps: Deps,
  person: PersonRecord,
  cycleId: string,
  raw: Record<string, string>,
): Promise<Message[]> {
  const { prompts } = deps;
  const locale = person.locale;
  const now = deps.clock.now();
  const cycle = await deps.stores.retro.cycle(cycleId);
  const deliveries = cycle ? await deps.stores.retro.deliveries(cycle.id) : [];
  const delivery = deliveries.find((candidate) => candidate.personId === person.id);
  if (!cycle || !delivery) return [reply(prompts, locale, "errors.not-invited")];
  if (cycle.status !== "open" || now >= cycle.closesAt) return [reply(prompts, locale, "retro.answer.closed")];
  const { [DISCIPLINE_KEY]: discipline, ...answered } = raw;
  const validation = validateAnswers(cycle.questions[locale], answered);
  if (!validation.ok) {
    const labels = new Map(cycle.questions[locale].map((question) => [question.key, question.text]));
    const fieldErrors = Object.fromEntries(
      validation.problems.map((problem) => [
        problem.questionKey,
        prompts.t(locale, `retro.answer.problem.${problem.code}`, {
          question: labels.get(problem.questionKey) ?? problem.questionKey,
          // "3.000" in Dutch, "3,000" in English.
          limit: problem.limit ?? 0,
        }),
      ]),
    );
    const problems = Object.values(fieldErrors);
    const text = prompts.t(locale, "retro.answer.invalid");
    return [
      {
        fallback: `${text} ${problems.join(" ")}`,
        blocks: [
          { type: "paragraph", text: [text] },
          { type: "list", items: problems.map((problem) => [problem]) },
        ],
        fieldErrors,
      },
    ];
  }
  const project = await deps.stores.retro.project(cycle.projectId, now);
  if (discipline && DISCIPLINES.includes(discipline as Discipline)) {
    await deps.stores.projects.setDiscipline(cycle.projectId, person.id, discipline);
  }
  const anonymous = project?.anonymous ?? true;
  await deps.stores.retro.saveAnswers({
    cycleId: cycle.id,
    deliveryId: delivery.id,
    personId: anonymous ? null : person.id,
    responseKey: responseKeyFor(deps.secret, delivery.id),
    answers: validation.answers,
    at: now,
  });
  await deps.dispatcher.tickProject(cycle.projectId);
  const saved = reply(prompts, locale, "retro.answer.saved", { closes: formatDateTime(cycle.closesAt, locale) });
  return [{ ...saved, replacesSource: true }];
}

/** Groups one person's answers in a cycle without naming them (HMAC of their delivery). */
export function responseKeyFor(secret: string, deliveryId: string): string {
  return createHmac("sha256", secret).update(deliveryId).digest("base64url");
}
