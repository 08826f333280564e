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
};

/**
 * A cadence in a few words, English or Dutch: "weekly thursday 15:00",
 * "every 2 weeks on thursday at 15:00", "elke 2 weken donderdag 15:00",
 * "monthly first tuesday 10:00", "maandelijks eerste dinsdag 10:00". Null when unclear.
 */
export function parseCadence(text: string): CadenceWithoutZone | null {
  const words = text.toLowerCase().replace(/,/g, " ").split(/\s+/).filter(Boolean);
  const weekday = words.map((word) => WEEKDAYS[word]).find((day) => day !== undefined);
  const time = words.find((word) => /^([01]?\d|2[0-3])[:.][0-5]\d$/.test(word))?.replace(".", ":");
  if (!weekday || !time) return null;
  const normalisedTime = time.padStart(5, "0");
  if (words.includes("monthly") || words.includes("maandelijks")) {
    const nth = words.map((word) => ORDINALS[word]).find((value) => value !== undefined);
    return nth ? { kind: "monthly", weekday, nth, time: normalisedTime } : null;
  }
  const count = words.map((word) => Number(word)).find((value) => Number.isInteger(value) && value > 0);
  const everyWeeks = words.includes("every") || words.includes("elke") ? (count ?? 1) : 1;
  if (everyWeeks > 8) return null;
  return { kind: "weekly", weekday, time: normalisedTime, everyWeeks };
}
