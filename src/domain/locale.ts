export const LOCALES = ["nl", "en"] as const;
export type Locale = (typeof LOCALES)[number];

export function toLocale(value: string | null | undefined, fallback: Locale = "nl"): Locale {
  return value === "en" || value === "nl" ? value : fallback;
}
