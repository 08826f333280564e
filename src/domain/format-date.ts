import type { Locale } from "./locale.ts";

// Building an Intl formatter costs far more than using one, and a fan-out formats the
// same few (language, timezone) pairs thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** "do 26 nov, 15:00" / "Thu 26 Nov, 15:00" in the organisation's timezone. */
export function formatDateTime(date: Date, locale: Locale, timeZone = "Europe/Amsterdam"): string {
  const key = `${locale}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === "nl" ? "nl-NL" : "en-GB", {
      weekday: "short",
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(date);
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** "15:05" in the organisation's timezone: a moment later today, as a countdown names it. */
export function formatTime(date: Date, locale: Locale, timeZone = "Europe/Amsterdam"): string {
  const key = `${locale}|${timeZone}`;
  let formatter = timeFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale === "nl" ? "nl-NL" : "en-GB", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone,
    });
    timeFormatters.set(key, formatter);
  }
  return formatter.format(date);
}
