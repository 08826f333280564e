import type { ActivePhase } from "./phase.ts";

/** A phase-gate checkpoint as written in prompts/checkpoints. */
export type CheckpointDefinition = {
  key: string;
  /** The phase whose exit this checkpoint guards. */
  phase: ActivePhase;
  mustMeet: boolean;
  question: string;
  evidence: string;
};
