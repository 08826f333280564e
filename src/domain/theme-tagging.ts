import type { Theme } from "./theme.ts";

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Themes whose keywords (word stems) start a word of the text, most matches first. */
export function suggestThemes(text: string, themes: Theme[], limit = 3): string[] {
  const tokens = words(text);
  return themes
    .map((theme) => ({
      id: theme.id,
      hits: tokens.filter((token) => theme.keywords.some((keyword) => token.startsWith(keyword))).length,
    }))
    .filter((scored) => scored.hits > 0)
    .sort((a, b) => b.hits - a.hits)
    .slice(0, limit)
    .map((scored) => scored.id);
}
