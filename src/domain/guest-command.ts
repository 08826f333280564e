// `guest …` (`gast …`): what a lead asks about the project's guests, in English and Dutch.
// Guests are partners and residents outside the organisation's chat who answer by email.
import type { Locale } from "./locale.ts";
import { SECTORS, type Sector } from "./role.ts";

export type GuestRequest =
  | { kind: "list" }
  /** sector and language are null when not given; "invalid" when given and not understood. */
  | { kind: "add"; email: string; sector: Sector | "invalid" | null; language: Locale | "invalid" | null }
  | { kind: "remove"; email: string }
  | { kind: "unclear" };

/** The quadruple helix in both languages; the English ids work in both. */
const SECTOR_WORDS: Record<string, Sector> = {
  ...Object.fromEntries(SECTORS.map((sector) => [sector, sector])),
  overheid: "government",
  markt: "market",
  bedrijf: "market",
  kennis: "knowledge",
  kennisinstelling: "knowledge",
  onderwijs: "knowledge",
  bewoners: "residents",
  bewoner: "residents",
  resident: "residents",
  inwoners: "residents",
};
const LANGUAGES: Record<string, Locale> = { nl: "nl", en: "en", nederlands: "nl", english: "en", engels: "en" };
const ADD = new Set(["add", "toevoegen"]);
const REMOVE = new Set(["remove", "verwijderen"]);

/** The words after `guest`/`guests` or `gast`/`gasten`. */
export function parseGuestRequest(rest: string): GuestRequest {
  const [first = "", email = "", ...others] = rest.split(" ").filter(Boolean);
  const action = first.toLowerCase();
  if (action === "") return { kind: "list" };
  if (REMOVE.has(action) && email !== "" && others.length === 0) return { kind: "remove", email };
  if (!ADD.has(action) || email === "" || others.length > 2) return { kind: "unclear" };
  let sector: Sector | "invalid" | null = null;
  let language: Locale | "invalid" | null = null;
  for (const word of others.map((other) => other.toLowerCase())) {
    if (LANGUAGES[word] && language === null) language = LANGUAGES[word];
    else if (SECTOR_WORDS[word] && sector === null) sector = SECTOR_WORDS[word];
    else if (sector === null) sector = "invalid";
    else language = "invalid";
  }
  return { kind: "add", email, sector, language };
}
