export type CycleWindow = { opensAt: Date; remindsAt: Date; closesAt: Date };

/** When a cycle opened at `opensAt` reminds and closes. */
export function cycleWindow(opensAt: Date, answerWindowMinutes: number, reminderAtPercent: number): CycleWindow {
  const windowMs = answerWindowMinutes * 60_000;
  return {
    opensAt,
    remindsAt: new Date(opensAt.getTime() + Math.round((windowMs * reminderAtPercent) / 100)),
    closesAt: new Date(opensAt.getTime() + windowMs),
  };
}
