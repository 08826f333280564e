import type { Message } from "../../domain/message.ts";
import type { PersonRecord } from "../../ports/project-records.ts";
import type { Deps } from "../deps.ts";
import { stepBackFromTeamAction, takeTeamAction } from "./take-team-action.ts";
import { openAssignForm, openRewriteForm, submitAssign, submitRewrite } from "./team-action-forms.ts";
import {
  TEAM_ACTION_ASSIGN,
  TEAM_ACTION_ASSIGN_SUBMIT,
  TEAM_ACTION_REWRITE,
  TEAM_ACTION_REWRITE_SUBMIT,
  TEAM_ACTION_STEP_BACK,
  TEAM_ACTION_TAKE,
} from "./team-action-message.ts";

const BUTTONS = [TEAM_ACTION_TAKE, TEAM_ACTION_STEP_BACK, TEAM_ACTION_REWRITE, TEAM_ACTION_ASSIGN];
const SUBMITS = [TEAM_ACTION_REWRITE_SUBMIT, TEAM_ACTION_ASSIGN_SUBMIT];

export const isTeamActionButton = (actionId: string): boolean => BUTTONS.includes(actionId);
export const isTeamActionSubmit = (actionId: string): boolean => SUBMITS.includes(actionId);

/** A button of a proposed team action; its value is the action's id. */
export function pressTeamAction(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  value: string,
  conversationRef: string,
): Promise<Message[]> {
  switch (actionId) {
    case TEAM_ACTION_TAKE:
      return takeTeamAction(deps, person, value, conversationRef);
    case TEAM_ACTION_STEP_BACK:
      return stepBackFromTeamAction(deps, person, value, conversationRef);
    case TEAM_ACTION_REWRITE:
      return openRewriteForm(deps, person, value);
    default:
      return openAssignForm(deps, person, value);
  }
}

/** The rewrite or assign form, sent. */
export function submitTeamAction(
  deps: Deps,
  person: PersonRecord,
  actionId: string,
  value: string,
  answers: Record<string, string>,
): Promise<Message[]> {
  return actionId === TEAM_ACTION_REWRITE_SUBMIT
    ? submitRewrite(deps, person, value, answers)
    : submitAssign(deps, person, value, answers);
}
