import type { Locale } from "../../domain/locale.ts";

/** "ma 1 mrt 2027" / "Mon 1 Mar 2027": a gate or due date, without a time. */
export function formatDay(date: Date, locale: Locale, timeZone = "Europe/Amsterdam"): string {
  return new Intl.DateTimeFormat(locale === "nl" ? "nl-NL" : "en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone,
  }).format(date);
}
