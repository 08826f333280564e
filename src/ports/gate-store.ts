// What phase gates, checkpoint decisions and the portfolio need from the system of record.
import type { CheckpointProgress } from "../domain/gate.ts";
import type { Phase } from "../domain/phase.ts";
import type { CheckpointRecord } from "./checkpoint-store.ts";

export type GatePlanning = {
  projectId: string;
  organisationId: string;
  name: string;
  phase: Phase;
  phaseSince: Date;
  /** The planned gate review when one was set; derived from the phase target otherwise. */
  gateDate: Date | null;
  /** `Organisation.phaseTargets` as stored (any JSON); read it with `phaseTargets()`. */
  phaseTargets: unknown;
  /** `Project.flags` as stored (any JSON); read it with `readFlags()`. */
  flags: unknown;
  mission: string;
  domain: string;
};

export type CheckpointDetail = CheckpointRecord & {
  evidence: string | null;
  reason: string | null;
  decidedById: string | null;
};

export type PortfolioSource = {
  projectId: string;
  name: string;
  phase: Phase;
  phaseSince: Date;
  gateDate: Date | null;
  /** Checkpoints of the current phase. */
  checkpoints: (CheckpointProgress & { dueAt: Date })[];
  lastRetro: { answered: number; invited: number } | null;
};

export type GateStore = {
  planning(projectId: string): Promise<GatePlanning | null>;
  checkpoint(checkpointId: string): Promise<CheckpointDetail | null>;
  /** Every checkpoint of the project in that phase, whatever its status. */
  checkpoints(projectId: string, phase: string): Promise<CheckpointDetail[]>;
  /** Done with evidence, or not applicable with a reason; false when it was no longer open. */
  decideCheckpoint(
    checkpointId: string,
    input: { status: "done" | "not-applicable"; personId: string; note: string; at: Date },
  ): Promise<boolean>;
  /**
   * Brings a checkpoint in line with the project's flags and strengths: not applicable with
   * an `auto:` reason, open again, or another must-meet. Decisions people made stay.
   */
  syncCheckpoint(
    checkpointId: string,
    patch: { status?: "open" | "not-applicable"; reason?: string | null; mustMeet?: boolean; at: Date },
  ): Promise<void>;
  /** A lead's evidence on an open checkpoint, for a manager to accept; false when not open. */
  attachEvidence(checkpointId: string, evidence: string): Promise<boolean>;
  /** Open checkpoints fall due at their new dates, unsnoozed and with no ignored nudges. */
  replan(items: { id: string; dueAt: Date }[]): Promise<void>;
  setFlags(projectId: string, flags: Record<string, boolean>): Promise<void>;
  /** Snoozing is an answer too: the count of ignored nudges starts again. */
  snoozeCheckpoint(checkpointId: string, until: Date): Promise<void>;
  /** The open checkpoints of a phase fall due at `dueAt` again, unsnoozed and with no ignored nudges. */
  replanCheckpoints(projectId: string, phase: string, dueAt: Date): Promise<void>;
  /** Moves the project and records the decision; returns the decision's id. */
  recordDecision(input: {
    projectId: string;
    fromPhase: Phase;
    toPhase: Phase;
    decision: string;
    reason: string;
    decidedById: string;
    phaseSince: Date;
    gateDate: Date | null;
    /** The review form instance it came from; unique, so one form records one decision. */
    formKey?: string | null;
  }): Promise<string>;
  /** Whether a review form instance already recorded a decision. */
  decidedWithForm(formKey: string): Promise<boolean>;
  /** When the project's managers last got a gate notice (from the outbox keys, so a test clock works). */
  lastGateNotice(projectId: string): Promise<Date | null>;
  /** Projects whose current phase has a checkpoint nudged three times without an answer. */
  stuckProjects(organisationId: string): Promise<{ projectId: string; name: string; phase: Phase }[]>;
  /** The organisation's projects, or only those `managerId` manages. */
  portfolio(organisationId: string, managerId: string | null): Promise<PortfolioSource[]>;
  organisationSettings(
    organisationId: string,
  ): Promise<{ name: string; phaseTargets: unknown; minGroupSize: number } | null>;
};

/** Outbox key of a gate notice; the time in it is what `lastGateNotice` reads back. */
export function gateNoticeKey(projectId: string, at: Date, managerId: string): string {
  return `gate-notice:${projectId}:${at.getTime()}:${managerId}`;
}
