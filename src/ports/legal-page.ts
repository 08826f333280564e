// The privacy statement and terms of use as the core words them (src/use-cases/legal-pages.ts),
// for the web adapter to render.
import type { Locale } from "../domain/locale.ts";
import type { Text } from "../domain/message.ts";

/** One paragraph or list item; `missing` marks the place of a field the organisation has not filled in. */
export type LegalLine = { text: Text; missing?: boolean };
export type LegalSection = {
  heading: string;
  lines: LegalLine[];
  list?: boolean;
  link?: { href: string; text: string };
};
export type LegalPage = {
  locale: Locale;
  title: string;
  intro: Text;
  /** Which fields are still missing, in words; absent when the organisation filled in everything. */
  incomplete?: string;
  sections: LegalSection[];
  switchLanguage: { label: string; locale: Locale };
};

/**
 * The privacy statement or terms of use in `locale`, for the named organisation or without one
 * the installation's first; null when the named organisation does not exist.
 */
export type LegalPages = (
  which: "privacy" | "terms",
  locale: Locale,
  organisationId: string | undefined,
) => Promise<LegalPage | null>;
