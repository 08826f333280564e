// Team actions as the team agrees them: proposed once per (cycle, key), taken by the people who
// choose them or assigned by a lead, rewritten by anyone in the team until they are decided.
import type { ActionStatus } from "../domain/record-status.ts";

export type ActionOwnerRecord = {
  personId: string;
  displayName: string;
  /** The lead who assigned it; null when the person took it. */
  assignedById: string | null;
};

export type TeamActionRecord = {
  id: string;
  projectId: string;
  cycleId: string | null;
  proposalKey: string;
  text: string;
  /** The text before its latest rewrite, and who rewrote it. */
  previousText: string | null;
  rewrittenById: string | null;
  dueAt: Date | null;
  status: ActionStatus;
  /** The cycle whose opening put it up for review; null while it is still this retro's proposal. */
  reviewedInCycleId: string | null;
  /** In the order they became owners. */
  owners: ActionOwnerRecord[];
};

export type NewTeamAction = {
  projectId: string;
  cycleId: string;
  proposalKey: string;
  text: string;
  /** The single answer it came from, when it came from one (a voted group links its answers itself). */
  sourceAnswerId: string | null;
  dueAt: Date | null;
};

export type TeamActionStore = {
  /**
   * Records the proposals not yet recorded for their (cycle, key) and returns every one of
   * them as stored now, in the order given: proposing again changes nothing.
   */
  propose(items: readonly NewTeamAction[]): Promise<TeamActionRecord[]>;
  get(actionId: string): Promise<TeamActionRecord | null>;
  /** Several at once, in no particular order. */
  many(actionIds: readonly string[]): Promise<TeamActionRecord[]>;
  /** Adds an owner once; false when they already were one. */
  addOwner(actionId: string, personId: string, assignedById: string | null, at: Date): Promise<boolean>;
  /** Removes an owner; false when they were not one. */
  removeOwner(actionId: string, personId: string): Promise<boolean>;
  /**
   * Replaces the text of an action that is still open and not yet put up for review, keeping
   * the text it replaced; false when it is decided (or the text is the same).
   */
  rewrite(actionId: string, input: { text: string; personId: string }): Promise<boolean>;
  setDue(actionId: string, dueAt: Date): Promise<void>;
};
