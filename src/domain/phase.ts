export const PHASES = ["explore", "pilot", "implement", "scale"] as const;
export type ActivePhase = (typeof PHASES)[number];
export type Phase = ActivePhase | "stopped";

export function nextPhase(phase: Phase): Phase | undefined {
  const index = PHASES.indexOf(phase as ActivePhase);
  return index >= 0 ? PHASES[index + 1] : undefined;
}
