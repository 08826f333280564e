import type { Locale } from "./locale.ts";

/** "1 mrt 2027" / "1 Mar 2027": a digest's period bounds, without weekday or time. */
export function formatDay(date: Date | string, locale: Locale, timeZone = "Europe/Amsterdam"): string {
  return new Intl.DateTimeFormat(locale === "nl" ? "nl-NL" : "en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone,
  }).format(new Date(date));
}
