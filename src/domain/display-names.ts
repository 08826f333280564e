import type { Locale } from "./locale.ts";

/** A language code as people read it in `locale`: "nl" is "Nederlands" in Dutch and "Dutch" in English. */
export function languageName(code: string, locale: Locale): string {
  const name = new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  // Intl gives lower-case names in Dutch ("nederlands"); in a sentence a language name is capitalised.
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

/** An IANA zone as people say it: its city ("Europe/Amsterdam" is "Amsterdam", "America/New_York" "New York"). */
export function timezoneName(zone: string): string {
  const city = zone.split("/").pop() ?? zone;
  return city.replaceAll("_", " ");
}
