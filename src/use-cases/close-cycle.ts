import { summariseCycle } from "../domain/cycle-summary.ts";
import type { CycleRecord, OutboxItem, ProjectRecord, Stores } from "../ports/store.ts";
import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { suggestThemesFor } from "./lessons/lesson-themes.ts";
import { summaryMessage } from "./messages/summary-message.ts";
import { nextRetroOf } from "./retro-schedule.ts";

/**
 * Closes a cycle once: proposes lessons and records actions from the answers whose
 * questions yield them, and posts the summary to the team's channels, where the lead
 * saves or dismisses each proposed lesson.
 */
export async function closeCycle(
  deps: Deps,
  stores: Stores,
  project: ProjectRecord,
  cycle: CycleRecord,
  now: Date,
): Promise<OutboxItem[]> {
  if (!(await stores.retro.closeCycle(cycle.id, now))) return [];
  const questions = cycle.questions[project.locale];
  const yields = new Map(questions.map((question) => [question.key, question.yields]));
  const answers = await stores.retro.answers(cycle.id);
  const deliveries = await stores.retro.deliveries(cycle.id);
  const lessonAnswers = answers.filter((answer) => yields.get(answer.questionKey) === "lesson" && answer.text);
  const actionAnswers = answers.filter((answer) => yields.get(answer.questionKey) === "action" && answer.text);
  const themes = await suggestThemesFor(
    stores.library,
    deps.prompts,
    project.locale,
    lessonAnswers.map((answer) => answer.text ?? ""),
  );
  await stores.lessons.createFromAnswers(
    lessonAnswers.map((answer, index) => ({
      organisationId: project.organisationId,
      projectId: project.id,
      cycleId: cycle.id,
      sourceAnswerId: answer.id,
      phase: project.phase,
      text: answer.text ?? "",
      themes: themes[index] ?? [],
    })),
  );
  const nextRetro = nextRetroOf(deps, project, cycle, now).opensAt;
  await stores.retro.createActions(
    actionAnswers.map((answer) => ({
      projectId: project.id,
      cycleId: cycle.id,
      sourceAnswerId: answer.id,
      text: answer.text ?? "",
      ownerId: project.anonymous ? null : answer.personId,
      dueAt: nextRetro,
    })),
  );
  const names = new Map(project.participants.map((person) => [person.id, person.displayName]));
  const summary = summariseCycle(
    questions,
    answers,
    { invited: deliveries.length, answered: deliveries.filter((delivery) => delivery.answeredAt).length },
    project.minGroupSize,
  );
  const message = summaryMessage({
    prompts: deps.prompts,
    locale: project.locale,
    projectName: project.name,
    sequence: cycle.sequence,
    summary,
    lessons: await stores.lessons.forCycle(cycle.id),
    actions: actionAnswers.map((answer) => ({
      text: answer.text ?? "",
      ownerName: !project.anonymous && answer.personId ? (names.get(answer.personId) ?? null) : null,
    })),
  });
  const notBefore = deliverAt(deps.holidays, now, project.timezone, project.quiet);
  return project.channels.map((address) => ({
    key: `summary:${cycle.id}:${address.platform}`,
    organisationId: project.organisationId,
    address,
    message,
    notBefore,
  }));
}
