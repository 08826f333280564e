import type { Theme } from "./theme.ts";

/** The words of a text, lower case and without accents, as theme keywords are written. */
export function themeWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Snowball stems of a word in Dutch and English (PostgreSQL's `dutch_stem` and
 * `english_stem`, the dictionaries the search uses); empty for stop words.
 */
export type Stemmer = (word: string) => readonly string[];

const MIN_STEM = 5;

function stemsMatch(word: readonly string[], keyword: readonly string[]): boolean {
  return word.some((stem) =>
    keyword.some(
      (key) =>
        stem === key ||
        (key.length >= MIN_STEM - 1 && stem.startsWith(key)) ||
        (stem.length >= MIN_STEM && key.startsWith(stem)),
    ),
  );
}

/**
 * Themes whose keywords match words of the text, most matches first. A keyword matches a
 * word that starts with it ("betrokk" → "betrokkenheid"), or, given a stemmer, a word with
 * the same stem in Dutch or English ("participeren" ~ "participatie", "communities" ~
 * "community"). Each word counts once per theme.
 */
export function suggestThemes(text: string, themes: Theme[], limit = 3, stem?: Stemmer): string[] {
  const tokens = themeWords(text);
  const matches = (token: string, keyword: string) =>
    token.startsWith(keyword) || (stem !== undefined && stemsMatch(stem(token), stem(keyword)));
  return themes
    .map((theme) => ({
      id: theme.id,
      hits: tokens.filter((token) => theme.keywords.some((keyword) => matches(token, keyword))).length,
    }))
    .filter((scored) => scored.hits > 0)
    .sort((a, b) => b.hits - a.hits)
    .slice(0, limit)
    .map((scored) => scored.id);
}
