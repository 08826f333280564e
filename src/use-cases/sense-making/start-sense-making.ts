import { DEFAULT_VOTES, groupAnswers, VOTING_HOURS } from "../../domain/sense-making.ts";
import { nextAllowedMoment } from "../../domain/working-time.ts";
import type { OutboxItem } from "../../ports/outbox-store.ts";
import type { ProjectRecord } from "../../ports/project-records.ts";
import type { AnswerRecord, CycleRecord } from "../../ports/retro-store.ts";
import type { Stores } from "../../ports/stores.ts";
import { deliverAt, isDayOffIn } from "../delivery-time.ts";
import type { Deps } from "../deps.ts";
import { suggestThemesFor } from "../lessons/lesson-themes.ts";
import { senseKey } from "../messages/sense-message.ts";
import { nextRetroOf } from "../retro-schedule.ts";
import { senseMessageFor } from "./sense-view.ts";

/** The questions whose answers the team makes sense of: those about what to learn and to change. */
export function groupedQuestionKeys(project: ProjectRecord, cycle: CycleRecord): Set<string> {
  return new Set(
    cycle.questions[project.locale]
      .filter((question) => !question.pulse && question.kind !== "scale" && question.yields !== "none")
      .map((question) => question.key),
  );
}

/**
 * When a retro closes with enough answers: its answers about learning and change grouped by
 * theme and posted to the team's channels with a vote button per group. The voting runs
 * VOTING_HOURS from when the message may go out (quiet hours hold it back) and ends within
 * working time, or sooner when the next retro opens before that. Returns nothing when there
 * is nothing to group or it was done already.
 */
export async function startSenseMaking(
  deps: Deps,
  stores: Stores,
  project: ProjectRecord,
  cycle: CycleRecord,
  answers: readonly AnswerRecord[],
  now: Date,
): Promise<{ started: boolean; items: OutboxItem[] }> {
  const keys = groupedQuestionKeys(project, cycle);
  const texts = answers.filter((answer) => keys.has(answer.questionKey) && answer.text?.trim());
  if (texts.length === 0) return { started: false, items: [] };
  const themes = await suggestThemesFor(
    stores.library,
    deps.prompts,
    project.locale,
    texts.map((answer) => answer.text ?? ""),
  );
  const groups = groupAnswers(
    texts.map((answer, index) => ({ id: answer.id, text: answer.text ?? "", themes: themes[index] ?? [] })),
  );
  const notBefore = deliverAt(deps.holidays, now, project.timezone, project.quiet);
  const posted = notBefore ?? now;
  const end = nextAllowedMoment(
    new Date(posted.getTime() + VOTING_HOURS * 3_600_000),
    project.timezone,
    project.quiet,
    isDayOffIn(deps.holidays, project.quiet),
  );
  // At the latest when the next retro opens, so it can review the actions the vote chose.
  const nextRetro = nextRetroOf(deps, project, cycle, now).opensAt;
  const votingClosesAt = new Date(Math.max(posted.getTime(), Math.min(end.getTime(), nextRetro.getTime())));
  const created = await stores.sense.create({
    cycleId: cycle.id,
    projectId: project.id,
    votesEach: (await stores.sense.votesEach(project.id)) ?? DEFAULT_VOTES,
    votingClosesAt,
    groups,
  });
  const session = created ? await stores.sense.session(cycle.id) : null;
  if (!session) return { started: false, items: [] };
  const state = { project, cycle, session, groups: await stores.sense.groups(cycle.id) };
  return {
    started: true,
    items: project.channels.map((address) => ({
      key: senseKey(cycle.id, address.platform),
      organisationId: project.organisationId,
      address,
      message: senseMessageFor(deps, state, address),
      ...(notBefore ? { notBefore } : {}),
    })),
  };
}
