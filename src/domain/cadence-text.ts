import type { Cadence } from "./cadence.ts";

type WithoutZone<T> = T extends unknown ? Omit<T, "timezone"> : never;

/** A cadence as a person types it; the project's timezone completes it. */
export type CadenceWithoutZone = WithoutZone<Extract<Cadence, { kind: "weekly" | "monthly" }>>;

const WEEKDAYS: Record<string, number> = {
  monday: 1,
  mon: 1,
  maandag: 1,
  ma: 1,
  tuesday: 2,
  tue: 2,
  dinsdag: 2,
  di: 2,
  wednesday: 3,
  wed: 3,
  woensdag: 3,
  wo: 3,
  thursday: 4,
  thu: 4,
  donderdag: 4,
  do: 4,
  friday: 5,
  fri: 5,
  vrijdag: 5,
  vr: 5,
};

const ORDINALS: Record<string, number> = {
  first: 1,
  "1st": 1,
  eerste: 1,
  second: 2,
  "2nd": 2,
  tweede: 2,
  third: 3,
  "3rd": 3,
  derde: 3,
  fourth: 4,
  "4th": 4,
  vierde: 4,
  last: -1,
  laatste: -1,
};

/** The longest interval a weekly cadence may have: a retro less often than once a quarter is no loop. */
export const MAX_EVERY_WEEKS = 12;

/** Why a cadence that looks meant is refused: an interval out of range, or a time not on the clock. */
export type CadenceProblem = { problem: "interval"; max: number } | { problem: "time"; time: string };

/**
 * The problem with a cadence someone clearly meant but cannot have ("every 0 weeks",
 * "every 40 weeks", "every 2 months", "25:00"); null when there is none to name.
 */
export function cadenceProblem(text: string): CadenceProblem | null {
  const words = text.toLowerCase().replace(/,/g, " ").split(/\s+/).filter(Boolean);
  const time = words.find((word) => /^-?\d{1,3}[:.]\d{1,3}$/.test(word));
  if (time && !VALID_TIME.test(time)) return { problem: "time", time: time.slice(0, 10) };
  const every = words.findIndex((word) => word === "every" || word === "elke" || word === "iedere");
  const count = every >= 0 ? words[every + 1] : undefined;
  if (count === undefined || !/^[-+]?\d+$/.test(count)) return null;
  const unit = words[every + 2] ?? "";
  const months = /^(months?|maanden|maand)$/.test(unit);
  const value = Number(count);
  if (months ? value !== 1 : value < 1 || value > MAX_EVERY_WEEKS) return { problem: "interval", max: MAX_EVERY_WEEKS };
  return null;
}

const VALID_TIME = /^([01]?\d|2[0-3])[:.][0-5]\d$/;

/**
 * A cadence in a few words, English or Dutch: "weekly thursday 15:00",
 * "every 2 weeks on thursday at 15:00", "elke 2 weken donderdag 15:00",
 * "monthly first tuesday 10:00", "maandelijks eerste dinsdag 10:00". Null when unclear.
 */
export function parseCadence(text: string): CadenceWithoutZone | null {
  const words = text.toLowerCase().replace(/,/g, " ").split(/\s+/).filter(Boolean);
  const weekday = words.map((word) => WEEKDAYS[word]).find((day) => day !== undefined);
  const time = words.find((word) => VALID_TIME.test(word))?.replace(".", ":");
  if (!weekday || !time || cadenceProblem(text)) return null;
  const normalisedTime = time.padStart(5, "0");
  if (words.includes("monthly") || words.includes("maandelijks")) {
    const nth = words.map((word) => ORDINALS[word]).find((value) => value !== undefined);
    return nth ? { kind: "monthly", weekday, nth, time: normalisedTime } : null;
  }
  const every = words.findIndex((word) => word === "every" || word === "elke" || word === "iedere");
  const count = every >= 0 ? Number(words[every + 1]) : Number.NaN;
  const everyWeeks = Number.isInteger(count) ? count : 1;
  if (everyWeeks < 1 || everyWeeks > MAX_EVERY_WEEKS) return null;
  return { kind: "weekly", weekday, time: normalisedTime, everyWeeks };
}
