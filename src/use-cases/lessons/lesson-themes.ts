import type { Locale } from "../../domain/locale.ts";
import type { Theme } from "../../domain/theme.ts";
import { type Stemmer, suggestThemes, themeWords } from "../../domain/theme-tagging.ts";
import type { LessonLibraryStore } from "../../ports/lesson-library.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";

/**
 * Suggests themes for each text with the keywords of both languages (people write Dutch
 * and English in one organisation), stemming every word and keyword in one query with
 * PostgreSQL's Snowball dictionaries, the same ones the search uses.
 */
export async function suggestThemesFor(
  library: Pick<LessonLibraryStore, "stemWords">,
  prompts: PromptCatalog,
  locale: Locale,
  texts: string[],
): Promise<string[][]> {
  if (texts.length === 0) return [];
  const themes = mergedThemes(prompts, locale);
  const words = [...texts.flatMap(themeWords), ...themes.flatMap((theme) => theme.keywords)];
  const stems = await library.stemWords(words);
  const stem: Stemmer = (word) => stems.get(word) ?? [];
  return texts.map((text) => suggestThemes(text, themes, 3, stem));
}

/** The themes in `locale` with the other languages' keywords added (same ids in every file). */
export function mergedThemes(prompts: PromptCatalog, locale: Locale): Theme[] {
  const other: Locale = locale === "nl" ? "en" : "nl";
  const extra = new Map(prompts.themes(other).map((theme) => [theme.id, theme.keywords]));
  return prompts
    .themes(locale)
    .map((theme) => ({ ...theme, keywords: [...new Set([...theme.keywords, ...(extra.get(theme.id) ?? [])])] }));
}
