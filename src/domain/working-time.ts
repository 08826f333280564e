import { DateTime } from "luxon";

// When Leerlus may message people: weekdays between the organisation's hours, never on
// public holidays. Times are wall-clock times in the recipient's timezone.

export type QuietHours = {
  /** Minutes after local midnight from which messages may be sent (480 = 08:00). */
  allowedFrom: number;
  /** Minutes after local midnight until which messages may be sent (1080 = 18:00). */
  allowedUntil: number;
  weekends: boolean;
  /** The organisation's own days off ("2026-12-28"), on top of public holidays. */
  daysOff?: readonly string[];
};

/** Whether a local calendar date ("2026-04-27") is a public holiday. */
export type IsHoliday = (localDate: string) => boolean;

export const NO_QUIET_HOURS: QuietHours = { allowedFrom: 0, allowedUntil: 24 * 60, weekends: false };

function isRestDay(day: DateTime, quiet: QuietHours, isHoliday: IsHoliday): boolean {
  return (quiet.weekends && day.weekday >= 6) || isHoliday(day.toISODate() ?? "");
}

/** `at` itself when messages are allowed then, else the first allowed moment after it. */
export function nextAllowedMoment(at: Date, timezone: string, quiet: QuietHours, isHoliday: IsHoliday): Date {
  if (quiet.allowedFrom <= 0 && quiet.allowedUntil >= 24 * 60 && !quiet.weekends) return at;
  let local = DateTime.fromJSDate(at, { zone: timezone });
  for (let day = 0; day < 60; day++) {
    const opens = local.startOf("day").plus({ minutes: quiet.allowedFrom });
    const closes = local.startOf("day").plus({ minutes: quiet.allowedUntil });
    if (!isRestDay(local, quiet, isHoliday) && local < closes) return DateTime.max(local, opens).toJSDate();
    local = local.plus({ days: 1 }).startOf("day");
  }
  return at;
}

/** Adds working days (skipping weekends and holidays), keeping the time of day. */
export function addWorkingDays(at: Date, days: number, timezone: string, isHoliday: IsHoliday): Date {
  let local = DateTime.fromJSDate(at, { zone: timezone });
  let left = days;
  while (left > 0) {
    local = local.plus({ days: 1 });
    if (local.weekday < 6 && !isHoliday(local.toISODate() ?? "")) left--;
  }
  return local.toJSDate();
}

export function localDate(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toISODate() ?? "";
}
