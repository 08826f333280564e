import { type DigestContent, UNTHEMED } from "../../domain/digest-content.ts";
import type { Locale } from "../../domain/locale.ts";
import type { Block, Message, Text } from "../../domain/message.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import { formatDateTime } from "./format-date.ts";

/** The adviser's digest: lessons grouped by theme and participation per project. */
export function digestMessage(input: {
  prompts: PromptCatalog;
  locale: Locale;
  organisationName: string;
  content: DigestContent;
}): Message {
  const { prompts, locale, content } = input;
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, key, vars);
  const labels = new Map(prompts.themes(locale).map((theme) => [theme.id, theme.label]));
  const period = {
    from: formatDateTime(new Date(content.periodStart), locale),
    to: formatDateTime(new Date(content.periodEnd), locale),
  };
  const headline = t("digest.headline", { count: content.lessonCount, themes: content.themes.length });
  const blocks: Block[] = [
    { type: "heading", text: [t("digest.heading", { organisation: input.organisationName })] },
    { type: "context", text: [t("digest.period", period)] },
    { type: "paragraph", text: [headline] },
  ];
  for (const theme of content.themes) {
    const label = theme.themeId === UNTHEMED ? t("digest.other-theme") : (labels.get(theme.themeId) ?? theme.themeId);
    blocks.push({ type: "heading", text: [t("digest.theme", { theme: label, count: theme.lessons.length })] });
    blocks.push({
      type: "list",
      items: theme.lessons.map((lesson): Text => [{ user: lesson.text }, " — ", { user: lesson.projectName }]),
    });
  }
  if (content.participation.length > 0) {
    blocks.push({ type: "heading", text: [t("digest.participation-heading")] });
    blocks.push({
      type: "fields",
      fields: content.participation.map((project) => ({
        label: project.projectName,
        value: [
          project.shown
            ? t("digest.participation", { answered: project.answered, invited: project.invited })
            : t("digest.too-few"),
        ],
      })),
    });
  }
  return { fallback: `${t("digest.heading", { organisation: input.organisationName })}: ${headline}`, blocks };
}
