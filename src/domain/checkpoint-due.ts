export const NUDGE_INTERVAL_DAYS = 7;

export type CheckpointState = {
  status: string;
  dueAt: Date;
  snoozedUntil: Date | null;
  lastNudgedAt: Date | null;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** Due, not decided, not snoozed, and not nudged in the last week. */
export function needsNudge(checkpoint: CheckpointState, now: Date): boolean {
  if (checkpoint.status !== "open") return false;
  if (checkpoint.dueAt > now) return false;
  if (checkpoint.snoozedUntil && checkpoint.snoozedUntil > now) return false;
  if (checkpoint.lastNudgedAt && now.getTime() - checkpoint.lastNudgedAt.getTime() < NUDGE_INTERVAL_DAYS * DAY_MS) {
    return false;
  }
  return true;
}

export function snoozeUntil(now: Date, weeks: number): Date {
  return new Date(now.getTime() + weeks * 7 * DAY_MS);
}
