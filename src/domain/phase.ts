export const PHASES = ["explore", "pilot", "implement", "scale"] as const;
export type ActivePhase = (typeof PHASES)[number];
/** A project ends either stopped, or finished: handed over to the line organisation. */
export type EndState = "stopped" | "finished";
export type Phase = ActivePhase | EndState;
export const ALL_PHASES: readonly Phase[] = [...PHASES, "stopped", "finished"];

/** Phases that have checkpoints: the active ones, and `finished` for the closing decision's checks. */
export const CHECKPOINT_PHASES = [...PHASES, "finished"] as const;
export type CheckpointPhase = (typeof CHECKPOINT_PHASES)[number];

export function nextPhase(phase: Phase): Phase | undefined {
  const index = PHASES.indexOf(phase as ActivePhase);
  return index >= 0 ? PHASES[index + 1] : undefined;
}

/** The phase a Go (or, from scale, Finish) leads into: its `before-start` checkpoints guard that gate. */
export function phaseAhead(phase: ActivePhase): CheckpointPhase {
  return PHASES[PHASES.indexOf(phase) + 1] ?? "finished";
}

export function isEnded(phase: Phase): phase is EndState {
  return phase === "stopped" || phase === "finished";
}

/** Default time a project should take per phase before its gate review. */
export const PHASE_TARGET_DAYS: Record<ActivePhase, number> = { explore: 90, pilot: 180, implement: 180, scale: 365 };

/** Checkpoints fall due this long before the gate, so there is time to act on them. */
export const CHECKPOINT_LEAD_DAYS = 28;
