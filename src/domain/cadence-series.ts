import { DateTime } from "luxon";
import type { Cadence, HolidayPolicy } from "./cadence.ts";
import { LeerlusError } from "./leerlus-error.ts";

/**
 * A cadence as a series (like an RRULE): its slots are counted from `since`, when the cadence
 * was set, never from the last retro's actual opening. A holiday moves or skips one retro;
 * the series, and so every retro after it, stays where it was.
 */
export type CadenceSeries = { cadence: Cadence; since: Date };

/** A slot of the series and when its retro opens, after the holiday policy. */
export type PlannedRetro = { slot: Date; opensAt: Date };

/** Whether a local calendar date ("2026-04-27") is a day off: public holiday or the organisation's own. */
export type IsDayOff = (localDate: string) => boolean;

function atLocalTime(day: DateTime, time: string): DateTime {
  const [hour = 0, minute = 0] = time.split(":").map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** The nth weekday of a month at a time; nth -1 is the month's last such weekday. */
function nthWeekdayOfMonth(month: DateTime, weekday: number, nth: number, time: string): DateTime {
  if (nth < 0) {
    const last = month.endOf("month").startOf("day");
    return atLocalTime(last.minus({ days: (last.weekday - weekday + 7) % 7 }), time);
  }
  const offset = (weekday - month.weekday + 7) % 7;
  return atLocalTime(month.plus({ days: offset + (nth - 1) * 7 }), time);
}

/** The first slot of the series: the first matching moment at or after `since`. */
function firstSlot({ cadence, since }: CadenceSeries): DateTime {
  if (cadence.kind === "minutes") return DateTime.fromJSDate(since);
  const start = DateTime.fromJSDate(since, { zone: cadence.timezone });
  if (cadence.kind === "weekly") {
    const day = start.startOf("day").plus({ days: (cadence.weekday - start.weekday + 7) % 7 });
    const slot = atLocalTime(day, cadence.time);
    return slot >= start ? slot : slot.plus({ weeks: 1 });
  }
  const slot = nthWeekdayOfMonth(start.startOf("month"), cadence.weekday, cadence.nth, cadence.time);
  if (slot >= start) return slot;
  return nthWeekdayOfMonth(start.startOf("month").plus({ months: 1 }), cadence.weekday, cadence.nth, cadence.time);
}

/** The series' `k`-th slot after its first; wall-clock time in the cadence's timezone, across DST. */
function slotNumber(first: DateTime, cadence: Cadence, k: number): DateTime {
  if (cadence.kind === "minutes") return first.plus({ minutes: k * cadence.every });
  if (cadence.kind === "weekly") return first.plus({ weeks: k * cadence.everyWeeks });
  return nthWeekdayOfMonth(first.startOf("month").plus({ months: k }), cadence.weekday, cadence.nth, cadence.time);
}

/**
 * The number of the last slot at or before `at` (-1 when `at` is before the first slot);
 * `first` is the series' first slot.
 */
function slotIndexAtOrBefore(cadence: Cadence, first: DateTime, at: Date): number {
  const moment = DateTime.fromJSDate(at, { zone: first.zone });
  if (moment < first) return -1;
  let k: number;
  if (cadence.kind === "minutes") k = Math.floor(moment.diff(first, "minutes").minutes / cadence.every);
  else if (cadence.kind === "weekly") {
    const days = Math.round(moment.startOf("day").diff(first.startOf("day"), "days").days);
    k = Math.floor(days / 7 / cadence.everyWeeks);
  } else {
    k = Math.round(moment.startOf("month").diff(first.startOf("month"), "months").months);
  }
  while (k >= 0 && slotNumber(first, cadence, k) > moment) k--;
  while (slotNumber(first, cadence, k + 1) <= moment) k++;
  return k;
}

// A minutes cadence counts absolute time from `since`, not the wall clock: its slots are
// plain arithmetic on milliseconds (what luxon's plus of minutes does, without its cost).
function minutesIndexAtOrBefore(since: number, step: number, at: number): number {
  if (at < since) return -1;
  let k = Math.floor((at - since) / step);
  while (k >= 0 && since + k * step > at) k--;
  while (since + (k + 1) * step <= at) k++;
  return k;
}

function minutesSlotAfter(since: number, step: number, after: Date | undefined): number {
  return after === undefined ? since : since + (minutesIndexAtOrBefore(since, step, after.getTime()) + 1) * step;
}

/** The first slot strictly after `after`; the series' first slot when `after` is undefined. */
export function slotAfter(series: CadenceSeries, after: Date | undefined): Date {
  const { cadence } = series;
  if (cadence.kind === "minutes")
    return new Date(minutesSlotAfter(series.since.getTime(), cadence.every * 60_000, after));
  return slotAfterFirst(series.cadence, firstSlot(series), after);
}

// The first slot is worked out once per lookup: luxon's zone arithmetic is on every tick's path.
function slotAfterFirst(cadence: Cadence, first: DateTime, after: Date | undefined): Date {
  const k = after === undefined ? 0 : slotIndexAtOrBefore(cadence, first, after) + 1;
  return slotNumber(first, cadence, k).toJSDate();
}

/**
 * When the retro of one slot opens: the slot itself on a working day; on a weekend or day
 * off, `move` takes the same time on the next working day and `skip` drops this retro. A
 * move that would reach the next slot drops it too, so two retros never pile up.
 */
export function openingOfSlot(
  cadence: Cadence,
  slot: Date,
  nextSlot: Date,
  policy: HolidayPolicy,
  isDayOff: IsDayOff,
): Date | null {
  if (cadence.kind === "minutes") return slot;
  const restDay = (day: DateTime) => day.weekday >= 6 || isDayOff(day.toISODate() ?? "");
  let day = DateTime.fromJSDate(slot, { zone: cadence.timezone });
  if (!restDay(day)) return slot;
  if (policy === "skip") return null;
  for (let i = 0; i < 31 && restDay(day); i++) day = day.plus({ days: 1 });
  const moved = day.toJSDate();
  return moved < nextSlot && !restDay(day) ? moved : null;
}

/**
 * The retro after the one planned for `lastSlot` (or the series' first). Slots whose retro
 * is dropped are passed over; with `now`, slots missed while nothing ran are too, so a
 * schedule that was down catches up with one retro, not a burst of them.
 */
export function nextPlannedRetro(
  series: CadenceSeries,
  lastSlot: Date | undefined,
  policy: HolidayPolicy,
  isDayOff: IsDayOff,
  now?: Date,
): PlannedRetro {
  const { cadence } = series;
  if (cadence.kind === "minutes") {
    // Every slot opens on time: no calendar, so no holiday moves it.
    const since = series.since.getTime();
    const step = cadence.every * 60_000;
    let slot = minutesSlotAfter(since, step, lastSlot);
    if (now && slot < now.getTime())
      slot = Math.max(slot, since + minutesIndexAtOrBefore(since, step, now.getTime()) * step);
    const at = new Date(slot);
    return { slot: at, opensAt: at };
  }
  const first = firstSlot(series);
  let slot = slotAfterFirst(cadence, first, lastSlot);
  if (now && slot < now) {
    const latest = slotNumber(first, cadence, slotIndexAtOrBefore(cadence, first, now)).toJSDate();
    // The latest slot already passed may still be waiting for its moved opening.
    if (latest > slot) slot = latest;
  }
  for (let attempt = 0; attempt < 60; attempt++) {
    const next = slotAfterFirst(cadence, first, slot);
    const opensAt = openingOfSlot(series.cadence, slot, next, policy, isDayOff);
    if (opensAt) return { slot, opensAt };
    slot = next;
  }
  throw new LeerlusError("CADENCE_UNSATISFIABLE", "no working day in sixty slots");
}

/** The next `count` retros of the series after `lastSlot`, for showing a schedule. */
export function upcomingRetros(
  series: CadenceSeries,
  lastSlot: Date | undefined,
  policy: HolidayPolicy,
  isDayOff: IsDayOff,
  count: number,
  now?: Date,
): PlannedRetro[] {
  const retros: PlannedRetro[] = [];
  let previous = lastSlot;
  for (let i = 0; i < count; i++) {
    const retro = nextPlannedRetro(series, previous, policy, isDayOff, i === 0 ? now : undefined);
    retros.push(retro);
    previous = retro.slot;
  }
  return retros;
}
