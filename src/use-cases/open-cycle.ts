import { cycleWindow } from "../domain/cycle-window.ts";
import { formatDateTime } from "../domain/format-date.ts";
import { LOCALES, type Locale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import { type ActivePhase, isEnded } from "../domain/phase.ts";
import { questionsInTurn } from "../domain/question-wording.ts";
import { asksPulse, pulseQuestions } from "../domain/team-pulse.ts";
import type { OutboxItem } from "../ports/outbox-store.ts";
import type { ProjectRecord } from "../ports/project-records.ts";
import type { ActionRecord, CycleQuestions, CycleRecord } from "../ports/retro-store.ts";
import type { Stores } from "../ports/stores.ts";
import { deliverAt, isDayOffIn } from "./delivery-time.ts";
import type { Deps } from "./deps.ts";
import { guestsInvited, queueGuestInvites } from "./guests/guest-invites.ts";
import { leadIdsOf } from "./led-project.ts";
import { learnFromOthers } from "./lessons/learn-from-others.ts";
import { actionReviewMessage } from "./messages/action-review-message.ts";
import { forChannel } from "./messages/channel-message.ts";
import { retroPromptMessage } from "./messages/retro-prompt-message.ts";
import { nextRetroOf } from "./retro-schedule.ts";
import { type ActionTracking, actionTracking } from "./trackers/action-links.ts";

/** The formats a project takes turns with, one per cycle; "phase" stays as written. */
function rotationOf(project: ProjectRecord): string[] {
  const rotation = project.formatRotation.filter(Boolean);
  return rotation.length > 0 ? rotation : [project.retroFormat];
}

/** "phase" means the set written for the project's current phase. */
function resolveFormat(project: ProjectRecord, chosen: string): string {
  if (chosen !== "phase") return chosen;
  const phase: ActivePhase = isEnded(project.phase) ? "scale" : project.phase;
  return `phase-${phase}`;
}

/**
 * The format of the cycle with this sequence number: the project's rotation if it has one
 * (so prompts don't go stale), else its format; "phase" means the set written for the
 * project's current phase.
 */
export function formatIdFor(project: ProjectRecord, sequence: number): string {
  const rotation = rotationOf(project);
  return resolveFormat(project, rotation[(sequence - 1) % rotation.length] as string);
}

/**
 * The cycle's questions in every language, each in the wording whose turn it is, and the team
 * pulse after them every `pulseEvery`-th cycle. Turns count how often the rotation asked the
 * key before, so the cycle's sequence number is all it takes, and the snapshot holds the very
 * wording people see, are reminded of and read back in the summary.
 */
export function cycleQuestionsFor(deps: Deps, project: ProjectRecord, sequence: number): CycleQuestions {
  const format = formatIdFor(project, sequence);
  const slots = rotationOf(project).map((id) =>
    deps.prompts.retroFormat(resolveFormat(project, id), project.locale).questions.map((question) => question.key),
  );
  const pulse = asksPulse(sequence, project.pulseEvery);
  return Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      [
        ...questionsInTurn(deps.prompts.retroFormat(format, locale).questions, sequence, slots),
        ...(pulse ? pulseQuestions(deps.prompts.teamPulse(locale)) : []),
      ],
    ]),
  ) as CycleQuestions;
}

/** Opens the project's next cycle; see {@link openCycles}. */
export async function openCycle(deps: Deps, stores: Stores, project: ProjectRecord, now: Date): Promise<OutboxItem[]> {
  const latest = await stores.retro.latestCycle(project.id);
  return openCycles(deps, stores, [{ project, latest, plannedAt: nextRetroOf(deps, project, latest, now).slot }], now);
}

/**
 * Opens each project's next cycle: snapshots the questions in every language, creates one
 * delivery per present participant, queues their prompts (with last cycle's actions to
 * review), and asks the channel to mark those actions done, not yet or dropped. Projects
 * opening at the same moment share one set of statements, so a Monday-morning fan-out of
 * hundreds of projects costs a few round trips, not a few per project. `latest` is each
 * project's latest cycle, which the caller has already read; `plannedAt` the slot of the
 * cadence's series the new cycle stands for.
 */
export async function openCycles(
  deps: Deps,
  stores: Stores,
  opening: readonly { project: ProjectRecord; latest: CycleRecord | null; plannedAt: Date }[],
  now: Date,
): Promise<OutboxItem[]> {
  if (opening.length === 0) return [];
  const projectIds = opening.map(({ project }) => project.id);
  const guests = await guestsInvited(deps, stores, projectIds);
  const plans = opening.map(({ project, latest, plannedAt }) => {
    const sequence = (latest?.sequence ?? 0) + 1;
    const format = formatIdFor(project, sequence);
    const questions = cycleQuestionsFor(deps, project, sequence);
    const participants = project.participants.filter((person) => !person.absent);
    const window = cycleWindow(now, project.answerWindowMinutes, project.reminderAtPercent, {
      timezone: project.timezone,
      isHoliday: isDayOffIn(deps.holidays, project.quiet),
    });
    return { project, participants, sequence, format, questions, window, plannedAt };
  });
  const cycles = await stores.retro.createCycles(
    plans.map((plan) => ({
      projectId: plan.project.id,
      sequence: plan.sequence,
      format: plan.format,
      questions: plan.questions,
      plannedAt: plan.plannedAt,
      ...plan.window,
      participantIds: [...plan.participants.map((person) => person.id), ...(guests.get(plan.project.id) ?? [])],
    })),
  );
  const actions = await stores.retro.openActions(projectIds);
  const opened = plans.map((plan, index) => ({
    ...plan,
    cycle: cycles[index] as CycleRecord,
    actionsToReview: actions.filter((action) => action.projectId === plan.project.id),
  }));
  await stores.retro.markActionsReviewed(
    opened.flatMap(({ cycle, actionsToReview }) =>
      actionsToReview.map((action) => ({ actionId: action.id, cycleId: cycle.id })),
    ),
  );
  await queueGuestInvites(deps, stores, opened, guests, now);
  const tracking = await actionTracking(deps, stores, actions);
  const items = opened.flatMap((open) => openingMessages(deps, open, now, tracking));
  items.push(...(await learnFromOthers(deps, stores, opened, now)));
  return items;
}

/** The prompts to the participants, and the notice and action review for the channel. */
function openingMessages(
  deps: Deps,
  opened: {
    project: ProjectRecord;
    participants: ProjectRecord["participants"];
    format: string;
    cycle: CycleRecord;
    actionsToReview: ActionRecord[];
  },
  now: Date,
  tracking: ActionTracking,
): OutboxItem[] {
  const { project, participants, format, cycle, actionsToReview } = opened;
  const items: OutboxItem[] = [];
  // A prompt differs only by language and whether it asks for the discipline: built once each.
  const prompts = new Map<string, Message>();
  const promptFor = (locale: Locale, askDiscipline: boolean): Message => {
    const key = `${locale}|${askDiscipline}`;
    let message = prompts.get(key);
    if (!message) {
      message = retroPromptMessage({
        prompts: deps.prompts,
        locale,
        projectName: project.name,
        cycle,
        intro: deps.prompts.retroFormat(format, locale).intro,
        firstCycle: cycle.sequence === 1,
        askDiscipline,
        actionsToReview,
      });
      prompts.set(key, message);
    }
    return message;
  };
  // When each timezone's messages may go out: the same for everyone of the team who shares one.
  const sendTimes = new Map<string, Date | undefined>();
  const sendTimeIn = (timezone: string): Date | undefined => {
    if (!sendTimes.has(timezone)) sendTimes.set(timezone, deliverAt(deps.holidays, now, timezone, project.quiet));
    return sendTimes.get(timezone);
  };
  for (const person of participants) {
    const address = person.directs[0];
    if (!address) continue;
    items.push({
      key: `prompt:${cycle.id}:${person.id}`,
      organisationId: project.organisationId,
      address,
      message: promptFor(person.locale, person.discipline === null),
      notBefore: sendTimeIn(person.timezone ?? project.timezone),
    });
  }
  const notice = (locale: Locale): Message => {
    const text = deps.prompts.t(locale, "retro.opened.channel", {
      sequence: cycle.sequence,
      invited: participants.length,
      count: participants.length,
      closes: formatDateTime(cycle.closesAt, locale, project.timezone),
    });
    return { fallback: text, blocks: [{ type: "paragraph", text: [text] }] };
  };
  const channelTime = sendTimeIn(project.timezone);
  for (const address of project.channels) {
    items.push({
      key: `opened:${cycle.id}:${address.platform}`,
      organisationId: project.organisationId,
      address,
      message: forChannel(deps.prompts, project, address, notice),
      notBefore: channelTime,
    });
    if (actionsToReview.length > 0) {
      items.push({
        key: `action-review:${cycle.id}:${address.platform}`,
        organisationId: project.organisationId,
        address,
        message: forChannel(deps.prompts, project, address, (locale) =>
          actionReviewMessage(
            deps.prompts,
            locale,
            actionsToReview,
            (id) => tracking.spans(id, locale),
            leadIdsOf(project),
          ),
        ),
        notBefore: channelTime,
      });
    }
  }
  return items;
}
