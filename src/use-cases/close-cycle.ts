import { summariseCycle } from "../domain/cycle-summary.ts";
import type { Locale } from "../domain/locale.ts";
import { summarisePulse } from "../domain/team-pulse.ts";
import type { LessonHit } from "../ports/lesson-store.ts";
import type { OutboxItem } from "../ports/outbox-store.ts";
import type { ProjectRecord } from "../ports/project-records.ts";
import type { CycleRecord } from "../ports/retro-store.ts";
import type { Stores } from "../ports/stores.ts";
import { deliverAt } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { leadIdsOf } from "./led-project.ts";
import { suggestThemesFor } from "./lessons/lesson-themes.ts";
import { forChannel } from "./messages/channel-message.ts";
import { summaryMessage, withheldLessonsMessage } from "./messages/summary-message.ts";
import { groupedQuestionKeys, startSenseMaking } from "./sense-making/start-sense-making.ts";
import { proposeTeamActions } from "./team-actions/propose-team-actions.ts";

/**
 * Closes a cycle once: proposes lessons and records actions from the answers whose
 * questions yield them, and posts the summary to the team's channels, where the lead
 * saves or dismisses each proposed lesson. Actions are proposed to the team: owners choose them.
 * When fewer people answered than the organisation's minimum group size, no answer is
 * posted (the few answers would point at their writers), no action is recorded, and the
 * proposed lessons go to the leads alone.
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
  const answered = deliveries.filter((delivery) => delivery.answeredAt).length;
  const withheld = answered < project.minGroupSize;
  // Enough answers: the team groups them and votes, and its actions come from the vote.
  const sense = withheld ? null : await startSenseMaking(deps, stores, project, cycle, answers, now);
  const lessonAnswers = answers.filter((answer) => yields.get(answer.questionKey) === "lesson" && answer.text);
  const actionAnswers =
    withheld || sense?.started
      ? []
      : answers.filter((answer) => yields.get(answer.questionKey) === "action" && answer.text);
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
  // Without a vote (too few answered to group), each action answer is proposed on its own.
  const proposals = await proposeTeamActions(
    deps,
    stores,
    project,
    cycle,
    actionAnswers.map((answer) => ({ key: answer.id, text: answer.text ?? "", sourceAnswerIds: [answer.id] })),
    now,
  );
  const counts = { invited: deliveries.length, answered };
  const lessons = await stores.lessons.forCycle(cycle.id);
  // The pulse's tallies are counted once; its statements' words come from each language's snapshot.
  const tallies = cycle.questions[project.locale].some((question) => question.pulse)
    ? summarisePulse(await stores.retro.pulseTallies(project.id), cycle.sequence, project.minGroupSize)
    : null;
  // The question texts come from the snapshot in each language; the answers are the same.
  const summaryIn = (locale: Locale) => {
    const questions = cycle.questions[locale];
    const statements = questions.filter((question) => question.pulse);
    return summaryMessage({
      prompts: deps.prompts,
      locale,
      projectName: project.name,
      sequence: cycle.sequence,
      summary: summariseCycle(
        questions.filter((question) => !question.pulse),
        answers,
        counts,
        project.minGroupSize,
      ),
      lessons,
      actions: actionAnswers.map((answer) => ({ text: answer.text ?? "" })),
      withheld,
      ...(tallies ? { pulse: { statements, result: tallies, minGroupSize: project.minGroupSize } } : {}),
      leadIds: leadIdsOf(project),
      ...(sense?.started ? { grouped: groupedQuestionKeys(project, cycle) } : {}),
    });
  };
  const notBefore = deliverAt(deps.holidays, now, project.timezone, project.quiet);
  const summaries = project.channels.map((address) => ({
    key: `summary:${cycle.id}:${address.platform}`,
    organisationId: project.organisationId,
    address,
    message: forChannel(deps.prompts, project, address, summaryIn),
    notBefore,
  }));
  const posted = [...summaries, ...proposals, ...(sense?.items ?? [])];
  return withheld && lessons.length > 0 ? [...posted, ...toLeads(deps, project, cycle, lessons, now)] : posted;
}

function toLeads(
  deps: Deps,
  project: ProjectRecord,
  cycle: CycleRecord,
  lessons: LessonHit[],
  now: Date,
): OutboxItem[] {
  return project.participants.flatMap((lead) => {
    const address = lead.directs[0];
    if (lead.projectRole !== "lead" || !address) return [];
    const message = withheldLessonsMessage({
      prompts: deps.prompts,
      locale: lead.locale,
      projectName: project.name,
      sequence: cycle.sequence,
      lessons,
    });
    return [
      {
        key: `withheld-lessons:${cycle.id}:${lead.id}`,
        organisationId: project.organisationId,
        address,
        message,
        notBefore: deliverAt(deps.holidays, now, lead.timezone ?? project.timezone, project.quiet),
      },
    ];
  });
}
