import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";
import { reply } from "./messages/reply.ts";
import { LESSON_CONFIRM, LESSON_DISMISS } from "./messages/summary-message.ts";

export function isLessonReview(actionId: string): boolean {
  return actionId === LESSON_CONFIRM || actionId === LESSON_DISMISS;
}

/** The project's lead saves a proposed lesson, or dismisses it as not a lesson. */
export async function reviewLesson(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  lessonId: string,
): Promise<Message[]> {
  const lesson = await deps.stores.lessons.get(lessonId);
  if (!lesson || lesson.organisationId !== person.organisationId) {
    return [reply(deps.prompts, person.locale, "errors.not-found")];
  }
  const memberships = await deps.stores.directory.projectsOf(person.id);
  const isLead = memberships.some((m) => m.projectId === lesson.projectId && m.role === "lead");
  if (!isLead && !person.roles.includes("admin"))
    return [reply(deps.prompts, person.locale, "errors.lead-only-lessons")];
  const status = actionId === LESSON_CONFIRM ? "confirmed" : "dismissed";
  await deps.stores.lessons.setStatus(lesson.id, status);
  return [reply(deps.prompts, person.locale, `lessons.review.${status}`)];
}
