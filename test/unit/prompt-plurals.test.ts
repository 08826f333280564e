import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadMessages } from "../../src/prompts/load-messages.ts";
import { type MessageValue, placeholdersOf, renderMessage } from "../../src/prompts/render.ts";
import { prompts } from "../support/test-core.ts";

const PROMPTS = fileURLToPath(new URL("../../prompts", import.meta.url));
const messages = loadMessages(PROMPTS);

// Nouns a count stands before in the bot's copy, singular and plural, with an optional adjective.
const NOUNS = {
  en: {
    adjective: "(?:new |open |earlier |working |more )?",
    singular:
      "person|day|day off|lesson|project|week|answer|colleague|invitation|character|team|theme|action|event|version|period|checkpoint",
    plural:
      "people|persons|days|days off|lessons|projects|weeks|answers|colleagues|invitations|characters|teams|themes|actions|events|versions|periods|checkpoints",
  },
  nl: {
    adjective: "(?:nieuwe |openstaande |eerdere |vrije |nieuw |open )?",
    singular:
      "persoon|dag|les|project|week|antwoord|collega|uitnodiging|teken|team|thema|actie|gebeurtenis|versie|periode|toetspunt|werkdag",
    plural:
      "personen|mensen|dagen|lessen|projecten|weken|antwoorden|collega's|uitnodigingen|tekens|teams|thema's|acties|gebeurtenissen|versies|periodes|toetspunten|werkdagen",
  },
} as const;

/** Every message rendered with every var set to `n` (names and dates too: only the numbers matter here). */
function renderedWith(locale: "nl" | "en", n: number): [string, string][] {
  const table = messages.get(locale) as Map<string, MessageValue>;
  return [...table].map(([key, value]) => {
    const vars = Object.fromEntries(placeholdersOf(value).map((name) => [name, n]));
    return [key, renderMessage(key, value, locale, { ...vars, count: n })];
  });
}

describe("plural forms in the bot's copy", () => {
  it.each(["nl", "en"] as const)("%s: wherever a count is shown, 1 takes the singular and 2 the plural", (locale) => {
    const { adjective, singular, plural } = NOUNS[locale];
    // Singular nouns that are also plurals (team, teams) or a prefix of one are told apart by the word boundary.
    const wrongAfterOne = new RegExp(`(?:^|[^\\d.,])1 ${adjective}(?:${plural})(?![\\w'])`, "i");
    const wrongAfterTwo = new RegExp(`(?:^|[^\\d.,])2 ${adjective}(?:${singular})(?![\\w'])`, "i");
    const wrong = [
      ...renderedWith(locale, 1).filter(([, text]) => wrongAfterOne.test(text)),
      ...renderedWith(locale, 2).filter(([, text]) => wrongAfterTwo.test(text)),
    ].map(([key, text]) => `${key}: ${text}`);
    expect(wrong).toEqual([]);
  });

  it("says 1 persoon / 2 personen and 1 person / 2 people through Intl.PluralRules", () => {
    const opened = (locale: "nl" | "en", invited: number) =>
      prompts.t(locale, "retro.opened.channel", { sequence: 3, invited, count: invited, closes: "vrijdag" });
    expect(opened("nl", 1)).toContain("1 persoon kreeg");
    expect(opened("nl", 2)).toContain("2 personen kregen");
    expect(opened("en", 1)).toContain("1 person got");
    expect(opened("en", 2)).toContain("2 people got");
    // A message with two numbers: each takes its own form.
    const imported = (total: number, added: number) => prompts.t("nl", "retro.days-off.imported", { total, added });
    expect(imported(1, 1)).toBe("1 vrije dag ingelezen, waarvan 1 nieuw.");
    expect(imported(3, 2)).toBe("3 vrije dagen ingelezen, waarvan 2 nieuw.");
    expect(prompts.t("en", "retro.days-off.imported", { total: 1, added: 0 })).toBe(
      "Imported 1 day off, 0 of them new.",
    );
  });

  it("renders inline plurals in ICU notation, with placeholders in their branches", () => {
    const value = "{total, plural, one {# dag in {project}} other {# dagen in {project}}}; {done} klaar";
    expect(placeholdersOf(value)).toEqual(["done", "project", "total"]);
    expect(renderMessage("k", value, "nl", { total: 1, project: "Pilot", done: 0 })).toBe("1 dag in Pilot; 0 klaar");
    expect(renderMessage("k", value, "nl", { total: "12", project: "Pilot", done: 0 })).toBe(
      "12 dagen in Pilot; 0 klaar",
    );
    // # is written the locale's way, and the form follows the number, not its digits.
    const limit = (locale: "nl" | "en") =>
      prompts.t(locale, "retro.answer.problem.too-long", { question: "Wat ging goed?", limit: 1000 });
    expect(limit("nl")).toContain("hoogstens 1.000 tekens");
    expect(limit("en")).toContain("under 1,000 characters");
    expect(() => renderMessage("k", value, "nl", { project: "Pilot", done: 0 })).toThrow(
      /PROMPT_VAR_MISSING: \{total\}/,
    );
    expect(() => placeholdersOf("{n, plural, one {# dag}}")).toThrow(/PROMPT_PLURAL_INVALID.*other/);
    expect(() => placeholdersOf("{n, plural, one {# dag} other {# dagen}")).toThrow(/PROMPT_PLURAL_INVALID/);
  });
});
