import type { Locale } from "../../domain/locale.ts";
import type { Block, Message } from "../../domain/message.ts";
import type { Phase } from "../../domain/phase.ts";
import type { LessonShareRecord, LessonView } from "../../ports/lesson-library.ts";
import type { OutboxItem } from "../../ports/outbox-store.ts";
import type { PersonRecord, ProjectRecord } from "../../ports/project-records.ts";
import type { CycleRecord } from "../../ports/retro-store.ts";
import type { Stores } from "../../ports/stores.ts";
import { deliverAt } from "../delivery-time.ts";
import type { Deps } from "../deps.ts";
import { forChannel } from "../messages/channel-message.ts";
import { reply } from "../messages/reply.ts";
import { lessonLine } from "./search-lessons.ts";

export const LESSON_USEFUL = "lesson.useful";
export const LESSON_NOT_USEFUL = "lesson.not-useful";
export const LESSON_APPLIED = "lesson.applied";
export const LESSON_NOT_APPLIED = "lesson.not-applied";

/** Lessons from other projects attached when a cycle opens or a phase starts. */
export const RELATED_LESSONS = 3;
/** A received lesson is asked about this many cycles later. */
export const APPLIED_AFTER_CYCLES = 2;

/** A channel message written in any language: each channel gets the languages it shows. */
type InLocale = (locale: Locale) => Message;

export function isLessonFeedback(actionId: string): boolean {
  return [LESSON_USEFUL, LESSON_NOT_USEFUL, LESSON_APPLIED, LESSON_NOT_APPLIED].includes(actionId);
}

/**
 * When cycles open: for each project, up to three relevant lessons from other projects (same
 * phase, shared themes, similar text; each one only once per project) with useful / not
 * useful buttons, and the question whether lessons received {@link APPLIED_AFTER_CYCLES}
 * cycles ago were applied. One set of queries for all the projects opening at once.
 */
export async function learnFromOthers(
  deps: Deps,
  stores: Stores,
  opened: readonly { project: ProjectRecord; cycle: Pick<CycleRecord, "id" | "sequence"> }[],
  now: Date,
): Promise<OutboxItem[]> {
  const withChannel = opened.filter(({ project }) => project.channels.length > 0);
  if (withChannel.length === 0) return [];
  const shared = await shareRelated(
    deps,
    stores,
    withChannel.map(({ project, cycle }) => ({ project, cycleId: cycle.id })),
  );
  const due = await stores.library.sharesDueForAppliedQuestion(
    withChannel.map(({ project, cycle }) => ({ projectId: project.id, sequence: cycle.sequence })),
    APPLIED_AFTER_CYCLES,
  );
  await stores.library.markAppliedAsked(
    due.map((item) => item.share.id),
    now,
  );
  return withChannel.flatMap(({ project, cycle }) => {
    const messages: { key: string; message: InLocale }[] = [];
    const related = shared.get(project.id);
    if (related) messages.push({ key: `learn:${cycle.id}`, message: related });
    const asked = due.filter((item) => item.share.projectId === project.id);
    if (asked.length > 0) {
      messages.push({ key: `applied:${cycle.id}`, message: (locale) => appliedQuestion(deps, project, locale, asked) });
    }
    return toChannels(deps, project, messages, now);
  });
}

/** Whether the team applied the lessons it received a few cycles ago. */
function appliedQuestion(
  deps: Deps,
  project: ProjectRecord,
  locale: Locale,
  due: readonly { share: LessonShareRecord; lesson: LessonView }[],
): Message {
  const t = (key: string) => deps.prompts.t(locale, key);
  const blocks: Block[] = [
    { type: "heading", text: [t("lessons.applied.heading")] },
    { type: "paragraph", text: [t("lessons.applied.intro")] },
  ];
  for (const { share, lesson } of due) {
    blocks.push(
      { type: "paragraph", text: lessonLine(deps.prompts, locale, lesson, project.organisationId) },
      {
        type: "actions",
        buttons: [
          { actionId: LESSON_APPLIED, label: t("lessons.applied.yes"), value: share.id, style: "primary" },
          { actionId: LESSON_NOT_APPLIED, label: t("lessons.applied.no"), value: share.id },
        ],
      },
    );
  }
  return { fallback: t("lessons.applied.heading"), blocks };
}

function toChannels(
  deps: Deps,
  project: ProjectRecord,
  messages: readonly { key: string; message: InLocale }[],
  now: Date,
): OutboxItem[] {
  if (messages.length === 0) return [];
  const notBefore = deliverAt(deps.holidays, now, project.timezone, project.quiet);
  return messages.flatMap(({ key, message }) =>
    project.channels.map((address) => ({
      key: `${key}:${address.platform}`,
      organisationId: project.organisationId,
      address,
      message: forChannel(deps.prompts, project, address, message),
      notBefore,
    })),
  );
}

/**
 * When a project enters a new phase (call it after the phase changed, in the same unit of
 * work): the lessons other teams learned in that phase.
 */
export async function lessonsForNewPhase(
  deps: Deps,
  stores: Stores,
  project: ProjectRecord,
  now: Date,
): Promise<OutboxItem[]> {
  const message = (await shareRelated(deps, stores, [{ project, cycleId: null }])).get(project.id);
  if (!message) return [];
  return toChannels(deps, project, [{ key: `learn-phase:${project.id}:${project.phase}`, message }], now);
}

/** Per project, the message offering its related lessons; projects with none are absent. */
async function shareRelated(
  deps: Deps,
  stores: Stores,
  targets: readonly { project: ProjectRecord; cycleId: string | null }[],
): Promise<Map<string, InLocale>> {
  const related = await stores.library.related(
    targets.map(({ project }) => project.id),
    RELATED_LESSONS,
  );
  const shares = await stores.library.share(
    targets.map(({ project, cycleId }) => ({
      projectId: project.id,
      cycleId,
      lessonIds: (related.get(project.id) ?? []).map((lesson) => lesson.id),
    })),
  );
  const messages = new Map<string, InLocale>();
  for (const { project } of targets) {
    const own = shares.filter((share) => share.projectId === project.id);
    if (own.length === 0) continue;
    messages.set(project.id, (locale) => relatedMessage(deps, project, locale, own, related.get(project.id) ?? []));
  }
  return messages;
}

function relatedMessage(
  deps: Deps,
  project: ProjectRecord,
  locale: Locale,
  own: readonly LessonShareRecord[],
  related: readonly LessonView[],
): Message {
  const t = (key: string, vars?: Record<string, string>) => deps.prompts.t(locale, key, vars);
  const phase: Phase = project.phase;
  const heading = t("lessons.others.heading", { phase: t(`phases.${phase}`) });
  const byId = new Map(related.map((lesson) => [lesson.id, lesson]));
  const blocks: Block[] = [
    { type: "heading", text: [heading] },
    { type: "paragraph", text: [t("lessons.others.intro")] },
  ];
  for (const share of own) {
    const lesson = byId.get(share.lessonId);
    if (!lesson) continue;
    blocks.push(
      { type: "paragraph", text: lessonLine(deps.prompts, locale, lesson, project.organisationId) },
      {
        type: "actions",
        buttons: [
          { actionId: LESSON_USEFUL, label: t("lessons.others.useful"), value: share.id },
          { actionId: LESSON_NOT_USEFUL, label: t("lessons.others.not-useful"), value: share.id },
        ],
      },
    );
  }
  return { fallback: heading, blocks };
}

/** A team member rates a received lesson, or answers whether the team applied it. */
export async function lessonFeedback(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  shareId: string,
): Promise<Message[]> {
  const share = await deps.stores.library.shareById(shareId);
  const memberships = share ? await deps.stores.directory.projectsOf(person.id) : [];
  const membership = memberships.find(
    (m) => m.projectId === share?.projectId && (m.role === "member" || m.role === "lead"),
  );
  if (!share || !membership) return [reply(deps.prompts, person.locale, "lessons.others.not-member")];
  if (actionId === LESSON_USEFUL || actionId === LESSON_NOT_USEFUL) {
    const useful = actionId === LESSON_USEFUL;
    await deps.stores.library.feedback(share.id, useful, person.id);
    return [
      reply(deps.prompts, person.locale, useful ? "lessons.others.thanks-useful" : "lessons.others.thanks-not-useful"),
    ];
  }
  const applied = actionId === LESSON_APPLIED;
  // Evidence names the project and the month it was applied in: never a person.
  const evidence = deps.prompts.t(person.locale, "lessons.applied.evidence", {
    project: membership.name,
    date: deps.clock.now().toISOString().slice(0, 7),
  });
  const recorded = await deps.stores.library.recordApplied(share.id, applied, evidence);
  if (!recorded) return [reply(deps.prompts, person.locale, "lessons.applied.already")];
  return [
    applied
      ? reply(deps.prompts, person.locale, "lessons.applied.recorded-yes", {}, { project: membership.name })
      : reply(deps.prompts, person.locale, "lessons.applied.recorded-no"),
  ];
}
