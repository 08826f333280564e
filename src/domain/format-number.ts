import type { Locale } from "./locale.ts";

/** "3,8" in Dutch, "3.8" in English: at most one decimal. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: 1 }).format(value);
}
