import type { InboundEvent } from "../domain/inbound-event.ts";
import { toLocale } from "../domain/locale.ts";
import type { Message } from "../domain/message.ts";
import type { PersonRecord } from "../ports/project-records.ts";
import type { Deps } from "./deps.ts";
import { decideGate, GATE_DECIDE_ACTION, GATE_REVIEW_ACTION, openGateReview } from "./gate-review.ts";
import { isLessonFeedback, lessonFeedback } from "./lessons/learn-from-others.ts";
import { reply } from "./messages/reply.ts";
import { ANSWER_ACTION } from "./messages/retro-prompt-message.ts";
import { ASK_ACTION, answerLater, askNextQuestion, LATER_ACTION } from "./one-by-one.ts";
import { OPEN_FORM_ACTION, openRetroForm } from "./open-retro-form.ts";
import { isPrivacyAction, privacyAction } from "./privacy.ts";
import { registerMember, welcome } from "./register-member.ts";
import {
  isCheckpointAction,
  isCheckpointSubmit,
  resolveCheckpoint,
  submitCheckpointDecision,
} from "./resolve-checkpoint.ts";
import { isActionReview, reviewAction } from "./review-action.ts";
import { isLessonReview, reviewLesson } from "./review-lesson.ts";
import { runCommand } from "./run-command.ts";
import { castVote, isSenseVote } from "./sense-making/cast-vote.ts";
import { isSenseNext, nextLiveStep } from "./sense-making/run-live.ts";
import { openSetupForm, SETUP_OPEN, SETUP_SUBMIT, submitSetup } from "./setup-project.ts";
import { submitAnswers } from "./submit-answers.ts";
import {
  isTeamActionButton,
  isTeamActionSubmit,
  pressTeamAction,
  submitTeamAction,
} from "./team-actions/team-action-events.ts";
import { submitTracker, TRACKER_SUBMIT } from "./trackers/configure-tracker.ts";
import { SEND_ACTION, sendAction } from "./trackers/send-action.ts";
import { UNDO_ACTION, undoTyped } from "./typed-answers.ts";

/**
 * Until a person has a language of their own, replies follow the language their chat client
 * reports (Teams' activity locale), not the organisation's: an English Teams user who joined
 * through a channel gets English answers.
 */
function inClientLanguage(person: PersonRecord, event: InboundEvent): PersonRecord {
  const client = event.profile?.locale?.slice(0, 2);
  if (person.ownLocale !== null || !client) return person;
  return { ...person, locale: toLocale(client, person.locale) };
}

/** The core's single entry for everything people do in chat; returns the replies to show them. */
export async function handleEvent(deps: Deps, event: InboundEvent): Promise<Message[]> {
  if (event.type === "installed" || event.type === "memberJoined") return welcome(deps, event);
  const known =
    (await deps.stores.directory.personByIdentity(event.platform, event.tenantId, event.platformUserId)) ??
    (await registerMember(deps, event));
  const person = known && inClientLanguage(known, event);
  if (!person) return [reply(deps.prompts, toLocale(event.profile?.locale?.slice(0, 2)), "errors.unknown-person")];
  const where = { platform: event.platform, conversationRef: event.conversationRef };
  switch (event.type) {
    case "command":
    case "message":
      return runCommand(deps, person, event.text, where, {
        direct: event.direct === true,
        ...(event.eventKey ? { eventKey: event.eventKey } : {}),
      });
    case "formSubmitted":
      if (event.actionId === ANSWER_ACTION) return submitAnswers(deps, person, event.value, event.answers);
      if (event.actionId === SETUP_SUBMIT) return submitSetup(deps, person, event.value, event.answers, where);
      if (isCheckpointSubmit(event.actionId)) {
        return submitCheckpointDecision(deps, person, event.actionId, event.value, event.answers);
      }
      if (event.actionId === GATE_DECIDE_ACTION) return decideGate(deps, person, event.value, event.answers);
      if (event.actionId === TRACKER_SUBMIT) return submitTracker(deps, person, event.value, event.answers);
      if (isTeamActionSubmit(event.actionId)) {
        return submitTeamAction(deps, person, event.actionId, event.value, event.answers);
      }
      break;
    case "action":
      if (event.actionId === OPEN_FORM_ACTION) return openRetroForm(deps, person, event.value);
      if (event.actionId === SETUP_OPEN) return openSetupForm(deps, person, where);
      if (event.actionId === UNDO_ACTION) return undoTyped(deps, person, event.value);
      if (event.actionId === ASK_ACTION) return askNextQuestion(deps, person, event.value);
      if (event.actionId === LATER_ACTION) return answerLater(deps, person, event.value);
      if (isActionReview(event.actionId))
        return reviewAction(deps, person, event.actionId, event.value, where.conversationRef);
      if (isLessonReview(event.actionId))
        return reviewLesson(deps, person, event.actionId, event.value, where.conversationRef);
      if (isLessonFeedback(event.actionId)) return lessonFeedback(deps, person, event.actionId, event.value);
      if (isPrivacyAction(event.actionId)) return privacyAction(deps, person, event.actionId, event.value, where);
      if (isCheckpointAction(event.actionId)) {
        return resolveCheckpoint(deps, person, event.actionId, event.value, where.conversationRef);
      }
      if (event.actionId === GATE_REVIEW_ACTION) return openGateReview(deps, person, event.value);
      if (event.actionId === SEND_ACTION) return sendAction(deps, person, event.value);
      if (isTeamActionButton(event.actionId)) {
        return pressTeamAction(deps, person, event.actionId, event.value, where.conversationRef);
      }
      if (isSenseVote(event.actionId)) return castVote(deps, person, event.actionId, event.value, where);
      if (isSenseNext(event.actionId)) return nextLiveStep(deps, person, event.value, where);
      break;
  }
  return [reply(deps.prompts, person.locale, "errors.unknown-action")];
}
