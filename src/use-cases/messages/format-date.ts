import type { Locale } from "../../domain/locale.ts";

/** "do 26 nov, 15:00" / "Thu 26 Nov, 15:00" in the organisation's timezone. */
export function formatDateTime(date: Date, locale: Locale, timeZone = "Europe/Amsterdam"): string {
  return new Intl.DateTimeFormat(locale === "nl" ? "nl-NL" : "en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    timeZone,
  }).format(date);
}
