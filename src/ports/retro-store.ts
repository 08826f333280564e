import type { Cadence } from "../domain/cadence.ts";
import type { Locale } from "../domain/locale.ts";
import type { ActionStatus, CycleStatus } from "../domain/record-status.ts";
import type { Question } from "../domain/retro-format.ts";
import type { PulseTally } from "../domain/team-pulse.ts";
import type { ProjectRecord } from "./project-records.ts";

export type CycleQuestions = Record<Locale, Question[]>;

export type CycleRecord = {
  id: string;
  projectId: string;
  sequence: number;
  format: string;
  questions: CycleQuestions;
  status: CycleStatus;
  /** The cadence's slot this cycle stands for; opensAt differs when a holiday moved it. */
  plannedAt: Date;
  opensAt: Date;
  remindsAt: Date;
  closesAt: Date;
  remindedAt: Date | null;
};

export type AnswerRecord = {
  id: string;
  responseKey: string;
  questionKey: string;
  text: string | null;
  score: number | null;
  personId: string | null;
};

export type ActionRecord = {
  id: string;
  projectId: string;
  projectName: string;
  text: string;
  /** Its owners (who took it, or whom a lead assigned it to), in the order they became owners. */
  ownerIds: string[];
  ownerNames: string[];
  createdAt: Date;
};

export type ActionReviewState = {
  id: string;
  projectId: string;
  ownerIds: string[];
  status: string;
  /** The cycle whose opening put it up for review last. */
  reviewedInCycleId: string | null;
  /** Who answered that review; null while it waits for an answer. */
  reviewedById: string | null;
};

export type RetroStore = {
  project(projectId: string, now: Date): Promise<ProjectRecord | null>;
  /** Those of the projects that exist, in no particular order. */
  projects(projectIds: readonly string[], now: Date): Promise<ProjectRecord[]>;
  latestCycle(projectId: string): Promise<CycleRecord | null>;
  /** Each project's latest cycle, by project id; projects without one are absent. */
  latestCycles(projectIds: readonly string[]): Promise<Map<string, CycleRecord>>;
  cycle(cycleId: string): Promise<CycleRecord | null>;
  /** Opens cycles with one delivery per participant, in the order given. */
  createCycles(
    inputs: (Omit<CycleRecord, "id" | "status" | "remindedAt"> & { participantIds: string[] })[],
  ): Promise<CycleRecord[]>;
  deliveries(cycleId: string): Promise<{ id: string; personId: string; answeredAt: Date | null }[]>;
  markReminded(cycleId: string, at: Date): Promise<void>;
  /** Moves an open cycle to closed; false when another process already did. */
  closeCycle(cycleId: string, at: Date): Promise<boolean>;
  answers(cycleId: string): Promise<AnswerRecord[]>;
  /**
   * Sets the given answers of one response and removes those in `clear`; every other answer
   * of it stays as it was. The delivery counts as answered while any answer remains.
   */
  saveAnswers(input: {
    cycleId: string;
    deliveryId: string;
    personId: string | null;
    responseKey: string;
    answers: { questionKey: string; text: string | null; score: number | null }[];
    clear: string[];
    at: Date;
  }): Promise<void>;
  /** The project's team pulses so far, counted per cycle: respondents, and responses and sum per statement. */
  pulseTallies(projectId: string): Promise<PulseTally[]>;
  openActions(projectIds: string[]): Promise<ActionRecord[]>;
  /** Records in which cycle each action was put up for review. */
  markActionsReviewed(reviews: readonly { actionId: string; cycleId: string }[]): Promise<void>;
  /**
   * Records the answer to an action's review (done, not yet, dropped), once per review: null
   * when it is already answered (or closed). Updates the project's follow-through.
   */
  reviewAction(
    actionId: string,
    input: { status: Exclude<ActionStatus, "open">; personId: string; at: Date },
  ): Promise<{ projectId: string } | null>;
  /** Takes back the answer to the action's latest review: open again; false when there was none. */
  undoActionReview(actionId: string): Promise<boolean>;
  action(actionId: string): Promise<ActionReviewState | null>;
  setSkipNext(projectId: string, skip: boolean): Promise<void>;
  /** Sets the cadence and starts its new series at `since`. */
  setCadence(projectId: string, cadence: Cadence, since: Date): Promise<void>;
  setFormatRotation(projectId: string, formats: string[]): Promise<void>;
  setHolidayPolicy(projectId: string, policy: "move" | "skip"): Promise<void>;
  /** Records a skipped cycle so the schedule moves on from it. */
  skipCycle(input: {
    projectId: string;
    sequence: number;
    format: string;
    plannedAt: Date;
    at: Date;
    reason: string;
  }): Promise<void>;
};
