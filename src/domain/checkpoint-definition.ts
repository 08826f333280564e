import type { CheckpointPhase } from "./phase.ts";
import type { ProjectFlag, ProjectFlags } from "./project-flags.ts";

/**
 * When a checkpoint is due: `before-start` is checked at the gate into its phase and blocks
 * the decision to go on while open; `during` falls due halfway through the phase;
 * `before-gate` falls due shortly before the phase's own gate.
 */
export const CHECKPOINT_WHEN = ["before-start", "during", "before-gate"] as const;
export type CheckpointWhen = (typeof CHECKPOINT_WHEN)[number];

/** The three levels Dutch civil servants know: verplicht, pas toe of leg uit, aanbevolen. */
export const STRENGTHS = ["required", "apply-or-explain", "recommended"] as const;
export type Strength = (typeof STRENGTHS)[number];

/** The project role that sees to a checkpoint. */
export const CHECKPOINT_OWNERS = ["lead", "manager", "sponsor"] as const;
export type CheckpointOwner = (typeof CHECKPOINT_OWNERS)[number];

/** A phase-gate checkpoint as written in prompts/checkpoints. */
export type CheckpointDefinition = {
  key: string;
  /** The phase it belongs to; `finished` holds the checks of the closing decision. */
  phase: CheckpointPhase;
  when: CheckpointWhen;
  strength: Strength;
  /** Applies unless every flag named here was answered "no"; empty: always applies. */
  appliesIf: readonly ProjectFlag[];
  /** The strength becomes `required` when one of these flags is "yes". */
  requiredIf: readonly ProjectFlag[];
  /** A law not yet in force: before this date (ISO day) a requirement counts as recommended. */
  requiredFrom: { date: string; source: string } | null;
  owner: CheckpointOwner;
  /** Where the duty or guidance is written down, shown with the checkpoint. */
  source: string;
  /** The base strength is `required`; see `effectiveStrength` for a given project. */
  mustMeet: boolean;
  question: string;
  evidence: string;
};

/** The strength for this project today: raised by its flags, lowered while a law is not yet in force. */
export function effectiveStrength(
  definition: Pick<CheckpointDefinition, "strength" | "requiredIf" | "requiredFrom">,
  flags: ProjectFlags,
  now: Date,
): Strength {
  const raised = definition.requiredIf.some((flag) => flags[flag] === true) ? "required" : definition.strength;
  if (raised === "required" && definition.requiredFrom && now < new Date(`${definition.requiredFrom.date}T00:00:00Z`)) {
    return "recommended";
  }
  return raised;
}
