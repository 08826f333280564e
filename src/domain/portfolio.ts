// A manager's or admin's view of their projects, as data: the chat message and the web
// page both render it.
import type { Phase } from "./phase.ts";

export type PortfolioRow = {
  projectId: string;
  name: string;
  phase: Phase;
  phaseSince: Date;
  daysInPhase: number;
  /** Target days for the phase; null once stopped. */
  targetDays: number | null;
  /** Past its planned gate without a decision. */
  overstaying: boolean;
  mustMeetDone: number;
  mustMeetTotal: number;
  /** Must-meet checkpoints still open after their due date: the project is not on schedule. */
  overdueMustMeet: number;
  /** The last closed retro's participation; `shown` false when fewer people than the minimum group size were asked. */
  lastRetro: { answered: number; invited: number; shown: boolean } | null;
  /** The planned gate review; null once stopped. */
  nextGate: Date | null;
  stuck: boolean;
};

export type Portfolio = {
  scope: "manager" | "organisation";
  organisationName: string;
  rows: PortfolioRow[];
};

/** Phase order for grouping: the way projects travel, stopped ones last. */
export const PORTFOLIO_PHASE_ORDER: readonly Phase[] = [
  "explore",
  "pilot",
  "implement",
  "scale",
  "finished",
  "stopped",
];

export function groupByPhase(rows: PortfolioRow[]): { phase: Phase; rows: PortfolioRow[] }[] {
  return PORTFOLIO_PHASE_ORDER.map((phase) => ({
    phase,
    rows: rows.filter((row) => row.phase === phase).sort((a, b) => a.name.localeCompare(b.name)),
  })).filter((group) => group.rows.length > 0);
}

/** Must-meet checkpoints still open once their due date has passed (snoozing does not move the date). */
export function overdueMustMeet(checkpoints: { mustMeet: boolean; status: string; dueAt: Date }[], now: Date): number {
  return checkpoints.filter(
    (checkpoint) => checkpoint.mustMeet && checkpoint.status === "open" && checkpoint.dueAt < now,
  ).length;
}
