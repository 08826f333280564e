export const PHASES = ["explore", "pilot", "implement", "scale"] as const;
export type ActivePhase = (typeof PHASES)[number];
export type Phase = ActivePhase | "stopped";

export function nextPhase(phase: Phase): Phase | undefined {
  const index = PHASES.indexOf(phase as ActivePhase);
  return index >= 0 ? PHASES[index + 1] : undefined;
}

/** Default time a project should take per phase before its gate review. */
export const PHASE_TARGET_DAYS: Record<ActivePhase, number> = { explore: 90, pilot: 180, implement: 180, scale: 365 };

/** Checkpoints fall due this long before the gate, so there is time to act on them. */
export const CHECKPOINT_LEAD_DAYS = 28;
