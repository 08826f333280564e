// The Markdown export of lessons: a heading per lesson and its fields as a list, worded in
// the organisation's language. Every text is escaped, so a lesson cannot format the file.
import type { ExchangeLesson } from "../../domain/lesson-exchange.ts";
import type { Locale } from "../../domain/locale.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import { escapeMarkdown } from "../digest/digest-markdown.ts";

export type ExportLabels = { prompts: PromptCatalog; locale: Locale; organisation: string; now: Date };

const markdownText = (text: string) => escapeMarkdown(text.trim());

export function lessonsMarkdown(rows: ExchangeLesson[], labels: ExportLabels): string {
  const t = (key: string, vars?: Record<string, string>) =>
    labels.prompts.t(labels.locale, `lessons.export.${key}`, vars);
  const themeLabels = new Map(labels.prompts.themes(labels.locale).map((theme) => [theme.id, theme.label]));
  const lines = [
    `# ${markdownText(t("title", { organisation: labels.organisation }))}`,
    "",
    t("exported", { date: labels.now.toISOString().slice(0, 10) }),
  ];
  for (const row of rows)
    lines.push("", `## ${markdownText(row.text)}`, "", ...lessonFields(row, labels, t, themeLabels));
  return `${lines.join("\n")}\n`;
}

/** The lesson's fields that have a value, as `- **label:** value` lines. */
function lessonFields(
  row: ExchangeLesson,
  labels: ExportLabels,
  t: (key: string) => string,
  themeLabels: Map<string, string>,
): string[] {
  const { prompts, locale } = labels;
  const fields: [string, string | null][] = [
    [t("context"), row.context],
    [t("recommendation"), row.recommendation],
    [t("project"), row.project],
    [t("phase"), prompts.t(locale, `phases.${row.phase}`)],
    [t("themes"), row.themes.map((id) => themeLabels.get(id) ?? id).join(", ")],
    [t("disciplines"), row.disciplines.map((id) => prompts.t(locale, `lessons.disciplines.${id}`)).join(", ")],
    [t("visibility"), prompts.t(locale, `lessons.visibility.${row.visibility}`)],
    [t("publisher"), row.publisher],
    [t("licence"), row.licence],
    [t("contact"), row.contact],
    [t("applied"), row.appliedIn.join("; ")],
  ];
  return fields.flatMap(([label, value]) => (value ? [`- **${label}:** ${markdownText(value)}`] : []));
}
