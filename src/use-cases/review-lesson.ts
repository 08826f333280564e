import type { Locale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import type { LessonReview } from "../ports/lesson-store.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { leadIdsOf } from "./led-project.ts";
import { showItemState } from "./message-state.ts";
import { alreadyDecidedReply, decidedBlocks, namedText, nameOf, undoButton } from "./messages/decided-item.ts";
import { reply } from "./messages/reply.ts";
import { LESSON_CONFIRM, LESSON_DISMISS, LESSON_UNDO, lessonButtons, lessonItem } from "./messages/summary-message.ts";

export function isLessonReview(actionId: string): boolean {
  return actionId === LESSON_CONFIRM || actionId === LESSON_DISMISS || actionId === LESSON_UNDO;
}

/**
 * The project's lead saves a proposed lesson, dismisses it as not a lesson, or undoes either.
 * A lesson is decided once: a second click (or one racing it) explains who decided what and
 * offers Undo, and the messages that show the lesson are rewritten to show its state.
 */
export async function reviewLesson(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  lessonId: string,
  conversationRef?: string,
): Promise<Message[]> {
  const lesson = await deps.stores.lessons.get(lessonId);
  if (!lesson || lesson.organisationId !== person.organisationId) {
    return [reply(deps.prompts, person.locale, "errors.not-found")];
  }
  const memberships = await deps.stores.directory.projectsOf(person.id);
  const isLead = memberships.some((m) => m.projectId === lesson.projectId && m.role === "lead");
  if (!isLead && !person.roles.includes("admin"))
    return [reply(deps.prompts, person.locale, "errors.lead-only-lessons")];
  const project = lesson.projectId ? await deps.stores.retro.project(lesson.projectId, deps.clock.now()) : null;
  const anonymous = project?.anonymous ?? false;
  const leads = project ? leadIdsOf(project) : undefined;

  let answer: Message;
  if (actionId === LESSON_UNDO) {
    const undone = await deps.stores.lessons.undoReview(lesson.id);
    answer = reply(deps.prompts, person.locale, undone ? "state.lesson.undone" : "state.lesson.nothing-to-undo");
  } else {
    const status = actionId === LESSON_CONFIRM ? "confirmed" : "dismissed";
    const at = deps.clock.now();
    if (await deps.stores.lessons.review(lesson.id, { status, personId: person.id, at })) {
      answer = reply(deps.prompts, person.locale, `lessons.review.${status}`);
    } else {
      const now = (await deps.stores.lessons.get(lesson.id)) ?? lesson;
      answer = await explain(deps, person.locale, now, anonymous);
    }
  }
  const current = (await deps.stores.lessons.get(lesson.id)) ?? lesson;
  const source = await showLessonState(deps, current, { anonymous, leads }, person.locale, conversationRef);
  return source ? [source, answer] : [answer];
}

async function explain(deps: Deps, locale: Locale, lesson: LessonReview, anonymous: boolean): Promise<Message> {
  if (lesson.status === "proposed") return reply(deps.prompts, locale, "errors.try-again");
  const name = anonymous ? null : await nameOf(deps, lesson.reviewedById, locale);
  const key = `state.lesson.already-${lesson.status}${anonymous ? "-anonymous" : ""}`;
  return alreadyDecidedReply(
    namedText(deps.prompts, locale, key, name),
    undoButton(deps.prompts, locale, LESSON_UNDO, lesson.id),
  );
}

/** The summary and the leads' withheld-lessons messages of the lesson's retro, showing its state. */
async function showLessonState(
  deps: Deps,
  lesson: LessonReview,
  { anonymous, leads }: { anonymous: boolean; leads: string[] | undefined },
  fallbackLocale: Locale,
  conversationRef: string | undefined,
): Promise<Message | null> {
  if (!lesson.cycleId) return null;
  const decider =
    lesson.status === "proposed" || anonymous ? null : await nameOf(deps, lesson.reviewedById, fallbackLocale);
  return showItemState(deps, {
    organisationId: lesson.organisationId,
    keyPrefixes: [`summary:${lesson.cycleId}:`, `withheld-lessons:${lesson.cycleId}:`],
    item: lessonItem(lesson.id),
    fallbackLocale,
    ...(conversationRef ? { conversationRef } : {}),
    blocks: (locale) => {
      if (lesson.status === "proposed") return [lessonButtons(deps.prompts, locale, lesson.id, leads)];
      const key = `state.lesson.${lesson.status}${anonymous ? "-anonymous" : ""}`;
      return decidedBlocks(
        { name: lessonItem(lesson.id), locale },
        namedText(deps.prompts, locale, key, decider),
        undoButton(deps.prompts, locale, LESSON_UNDO, lesson.id),
        leads,
      );
    },
  });
}
