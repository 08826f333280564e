import { DateTime } from "luxon";
import { LeerlusError } from "./leerlus-error.ts";

// How often a project holds a retro. `minutes` exists for the demo and tests;
// real teams use weekly (every N weeks) or monthly (nth weekday).
export type Cadence =
  | { kind: "minutes"; every: number }
  | { kind: "weekly"; weekday: number; time: string; everyWeeks: number; timezone: string }
  | { kind: "monthly"; weekday: number; nth: number; time: string; timezone: string };

export const DEFAULT_CADENCE: Cadence = {
  kind: "weekly",
  weekday: 4,
  time: "15:00",
  everyWeeks: 2,
  timezone: "Europe/Amsterdam",
};

function atLocalTime(day: DateTime, time: string): DateTime {
  const [hour = 0, minute = 0] = time.split(":").map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * The first opening strictly after `after`. `previous` is the last cycle's opening, so
 * "every two weeks" counts from it; without one the first matching moment is used.
 * Wall-clock time in the cadence's timezone, so 15:00 stays 15:00 across DST changes.
 */
export function nextOpening(cadence: Cadence, after: Date, previous?: Date): Date {
  if (cadence.kind === "minutes") {
    const base = previous ? previous.getTime() + cadence.every * 60_000 : after.getTime();
    return new Date(Math.max(base, after.getTime()));
  }
  const zone = cadence.timezone;
  const start = DateTime.fromJSDate(after, { zone });
  if (cadence.kind === "weekly") {
    const minimum = previous
      ? DateTime.fromJSDate(previous, { zone }).plus({ weeks: cadence.everyWeeks }).startOf("day")
      : start.startOf("day");
    let day = DateTime.max(minimum, start.startOf("day"));
    for (let i = 0; i < 7 * (cadence.everyWeeks + 1) + 7; i++) {
      const candidate = atLocalTime(day, cadence.time);
      if (day.weekday === cadence.weekday && candidate > start) return candidate.toJSDate();
      day = day.plus({ days: 1 });
    }
    throw new LeerlusError("CADENCE_UNSATISFIABLE", "no weekly opening found");
  }
  let month = start.startOf("month");
  for (let i = 0; i < 3; i++) {
    const candidate = nthWeekdayOfMonth(month, cadence.weekday, cadence.nth, cadence.time);
    if (candidate > start && (!previous || candidate.toJSDate() > previous)) return candidate.toJSDate();
    month = month.plus({ months: 1 });
  }
  throw new LeerlusError("CADENCE_UNSATISFIABLE", "no monthly opening found");
}

function nthWeekdayOfMonth(month: DateTime, weekday: number, nth: number, time: string): DateTime {
  const offset = (weekday - month.weekday + 7) % 7;
  return atLocalTime(month.plus({ days: offset + (nth - 1) * 7 }), time);
}

export type HolidayPolicy = "skip" | "move";

/**
 * The next opening after `after`, moved off public holidays and weekends: `move` takes the
 * same time on the next working day, `skip` waits for the cadence's next regular moment.
 * Minute cadences (demo, tests) are left alone.
 */
export function plannedOpening(
  cadence: Cadence,
  after: Date,
  previous: Date | undefined,
  policy: HolidayPolicy,
  isHoliday: (localDate: string) => boolean,
): Date {
  let candidate = nextOpening(cadence, after, previous);
  if (cadence.kind === "minutes") return candidate;
  for (let attempt = 0; attempt < 12; attempt++) {
    const local = DateTime.fromJSDate(candidate, { zone: cadence.timezone });
    const restDay = local.weekday >= 6 || isHoliday(local.toISODate() ?? "");
    if (!restDay) return candidate;
    if (policy === "move") {
      let day = local.plus({ days: 1 });
      while (day.weekday >= 6 || isHoliday(day.toISODate() ?? "")) day = day.plus({ days: 1 });
      return day.toJSDate();
    }
    candidate = nextOpening(cadence, candidate, candidate);
  }
  return candidate;
}
