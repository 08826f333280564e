import { addWorkingDays, type IsHoliday } from "./working-time.ts";

export type CycleWindow = { opensAt: Date; remindsAt: Date; closesAt: Date };

const DAY_MINUTES = 24 * 60;

/**
 * When a cycle opened at `opensAt` reminds and closes. Whole days count as working days
 * (two days opened on a Friday close on Tuesday); shorter windows (demo) are plain minutes.
 */
export function cycleWindow(
  opensAt: Date,
  answerWindowMinutes: number,
  reminderAtPercent: number,
  calendar?: { timezone: string; isHoliday: IsHoliday },
): CycleWindow {
  const closesAt =
    calendar && answerWindowMinutes % DAY_MINUTES === 0
      ? addWorkingDays(opensAt, answerWindowMinutes / DAY_MINUTES, calendar.timezone, calendar.isHoliday)
      : new Date(opensAt.getTime() + answerWindowMinutes * 60_000);
  const span = closesAt.getTime() - opensAt.getTime();
  return {
    opensAt,
    remindsAt: new Date(opensAt.getTime() + Math.round((span * reminderAtPercent) / 100)),
    closesAt,
  };
}
