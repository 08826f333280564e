// Phase gates: when a project's gate review is planned, when its checkpoints fall due, and
// where each Go / Hold / Recycle / Stop / Finish decision takes it. Pure rules, no I/O.
import type { CheckpointWhen } from "./checkpoint-definition.ts";
import { type ActivePhase, CHECKPOINT_LEAD_DAYS, PHASE_TARGET_DAYS, PHASES, type Phase } from "./phase.ts";

export const GATE_DECISIONS = ["go", "hold", "recycle", "stop", "finish"] as const;
export type GateDecisionKind = (typeof GATE_DECISIONS)[number];

/** A gate this close is "coming up": the managers hear about it. */
export const GATE_SOON_DAYS = 14;
/** Nudges about the same checkpoint that went unanswered before the project counts as stuck. */
export const STUCK_AFTER_NUDGES = 3;
/** A Hold without a date plans the next gate review this far ahead. */
export const HOLD_DEFAULT_WEEKS = 12;
/** Snoozing a checkpoint is possible for these numbers of weeks. */
export const SNOOZE_WEEKS = [1, 2, 4] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export type PhaseTargets = Record<ActivePhase, number>;

/**
 * The organisation's target days per phase (`Organisation.phaseTargets`, any JSON), with
 * `PHASE_TARGET_DAYS` for every phase it does not set to a sensible whole number of days.
 */
export function phaseTargets(stored: unknown): PhaseTargets {
  const targets: PhaseTargets = { ...PHASE_TARGET_DAYS };
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return targets;
  for (const phase of PHASES) {
    const value = (stored as Record<string, unknown>)[phase];
    if (typeof value === "number" && Number.isInteger(value) && value >= 7 && value <= 3650) targets[phase] = value;
  }
  return targets;
}

export function isActivePhase(phase: string): phase is ActivePhase {
  return (PHASES as readonly string[]).includes(phase);
}

/** The planned gate review: the project's own date, else the phase's target after `phaseSince`. */
export function plannedGate(input: {
  phase: ActivePhase;
  phaseSince: Date;
  gateDate: Date | null;
  targets: PhaseTargets;
}): Date {
  if (input.gateDate) return input.gateDate;
  return new Date(input.phaseSince.getTime() + input.targets[input.phase] * DAY_MS);
}

/**
 * Checkpoints fall due before the gate: `CHECKPOINT_LEAD_DAYS` before it, or halfway
 * through a short phase, and never before the phase began.
 */
export function checkpointsDueAt(phaseSince: Date, gate: Date): Date {
  const span = gate.getTime() - phaseSince.getTime();
  const lead = Math.min(CHECKPOINT_LEAD_DAYS * DAY_MS, Math.max(span, 0) / 2);
  return new Date(Math.max(gate.getTime() - lead, phaseSince.getTime()));
}

/**
 * When a checkpoint of the current phase falls due: before-gate ones as {@link checkpointsDueAt},
 * during ones halfway through, before-start ones at once (the phase has already begun).
 * A `before-start` checkpoint of the phase ahead is planned with `ahead` and falls due with
 * this phase's before-gate ones, so it is done before the gate into its phase.
 */
export function checkpointDueAt(when: CheckpointWhen, phaseSince: Date, gate: Date, ahead = false): Date {
  if (ahead || when === "before-gate") return checkpointsDueAt(phaseSince, gate);
  if (when === "before-start") return phaseSince;
  return new Date(phaseSince.getTime() + Math.max(gate.getTime() - phaseSince.getTime(), 0) / 2);
}

export type GateTiming = "on-track" | "gate-soon" | "overstaying";

/** Whether the gate is still far, coming up within `GATE_SOON_DAYS`, or passed (the project overstays). */
export function gateTiming(now: Date, gate: Date): GateTiming {
  if (now.getTime() > gate.getTime()) return "overstaying";
  if (gate.getTime() - now.getTime() <= GATE_SOON_DAYS * DAY_MS) return "gate-soon";
  return "on-track";
}

export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/**
 * The decisions a gate review of this phase offers: no Recycle before explore; after scale
 * no Go but Finish (hand over to the line organisation), and Finish nowhere else.
 */
export function decisionsFor(phase: ActivePhase): GateDecisionKind[] {
  return GATE_DECISIONS.filter(
    (decision) =>
      !(decision === "go" && phase === "scale") &&
      !(decision === "finish" && phase !== "scale") &&
      !(decision === "recycle" && phase === "explore"),
  );
}

/** Where a decision takes a project in `phase`; undefined when the decision is not open to it. */
export function phaseAfter(phase: ActivePhase, decision: GateDecisionKind): Phase | undefined {
  if (!decisionsFor(phase).includes(decision)) return undefined;
  const index = PHASES.indexOf(phase);
  switch (decision) {
    case "go":
      return PHASES[index + 1];
    case "hold":
      return phase;
    case "recycle":
      return PHASES[index - 1];
    case "stop":
      return "stopped";
    case "finish":
      return "finished";
  }
}

export type CheckpointProgress = { mustMeet: boolean; status: string; nudgesSent: number; snoozedUntil: Date | null };

/** Must-meet checkpoints decided (done or not applicable) against all must-meet ones. */
export function mustMeetProgress(checkpoints: CheckpointProgress[]): { done: number; total: number } {
  const must = checkpoints.filter((checkpoint) => checkpoint.mustMeet);
  return { done: must.filter((checkpoint) => checkpoint.status !== "open").length, total: must.length };
}

/**
 * Stuck: an open checkpoint was nudged `STUCK_AFTER_NUDGES` times without anyone deciding
 * or snoozing it (snoozing and Hold count as an answer and start the count again).
 */
export function isStuck(checkpoints: CheckpointProgress[], now: Date): boolean {
  return checkpoints.some(
    (checkpoint) =>
      checkpoint.status === "open" &&
      checkpoint.nudgesSent >= STUCK_AFTER_NUDGES &&
      !(checkpoint.snoozedUntil && checkpoint.snoozedUntil > now),
  );
}

/**
 * A date a manager typed for the next gate: "2027-03-01", "1-3-2027" or "1/3/2027", read as
 * noon UTC; null when it is not a real date, not in the future, or more than two years out.
 */
export function parseGateDate(text: string, now: Date): Date | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
  const dutch = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(text.trim());
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : dutch
      ? [Number(dutch[3]), Number(dutch[2]), Number(dutch[1])]
      : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day, 12));
  if (!year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  if (date <= now || date.getTime() - now.getTime() > 2 * 366 * DAY_MS) return null;
  return date;
}
