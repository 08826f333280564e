// Export (CSV, JSON, Markdown) and import (CSV, JSON) of an organisation's lessons, so
// municipalities can share what they learned. Exports never carry who wrote an answer;
// imports (import-lessons.ts) read the same columns.

import { LeerlusError } from "../../domain/leerlus-error.ts";
import { toCsv } from "../../domain/lesson-csv.ts";
import type { FeedLesson } from "../../domain/lesson-feed.ts";
import { DEFAULT_LICENCE } from "../../domain/lesson-text.ts";
import type { Locale } from "../../domain/locale.ts";
import type { LessonView } from "../../ports/lesson-library.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { Stores } from "../../ports/store.ts";
import { escapeMarkdown } from "../digest/digest-markdown.ts";

export const EXPORT_FORMATS = ["csv", "json", "md"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The exchange columns, in CSV order; JSON uses the same names. */
export const EXCHANGE_FIELDS = [
  "text",
  "context",
  "recommendation",
  "project",
  "phase",
  "themes",
  "disciplines",
  "visibility",
  "publisher",
  "licence",
  "contact",
  "appliedIn",
  "usefulCount",
  "notUsefulCount",
  "createdAt",
] as const;
export const LIST_SEPARATOR = ";";

/** The lesson fields a feed carries too (src/domain/lesson-feed.ts), and what only files carry. */
export type ExchangeLesson = Omit<FeedLesson, "id" | "licence" | "createdAt" | "updatedAt"> & {
  visibility: string;
  licence: string | null;
  appliedIn: string[];
  usefulCount: number;
  notUsefulCount: number;
  createdAt: string;
};

export function toExchange(lesson: LessonView): ExchangeLesson {
  const shared = lesson.visibility === "shared" || lesson.source === "import";
  return {
    text: lesson.text,
    context: lesson.context,
    recommendation: lesson.recommendation,
    project: lesson.projectName,
    phase: lesson.phase,
    themes: lesson.themes,
    disciplines: lesson.disciplines,
    visibility: lesson.visibility,
    publisher: lesson.publisher,
    licence: lesson.licence ?? (shared ? DEFAULT_LICENCE : null),
    contact: lesson.contact,
    appliedIn: lesson.appliedIn,
    usefulCount: lesson.usefulCount,
    notUsefulCount: lesson.notUsefulCount,
    createdAt: lesson.createdAt.toISOString(),
  };
}

const markdownText = (text: string) => escapeMarkdown(text.trim());

export function renderExport(
  lessons: LessonView[],
  format: ExportFormat,
  labels: { prompts: PromptCatalog; locale: Locale; organisation: string; now: Date },
): string {
  const rows = lessons.map(toExchange);
  if (format === "json") return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === "csv") {
    return toCsv(
      [...EXCHANGE_FIELDS],
      rows.map((row) =>
        EXCHANGE_FIELDS.map((field) => {
          const value = row[field];
          return Array.isArray(value) ? value.join(LIST_SEPARATOR) : value === null ? "" : String(value);
        }),
      ),
    );
  }
  const t = (key: string, vars?: Record<string, string>) =>
    labels.prompts.t(labels.locale, `lessons.export.${key}`, vars);
  const themeLabels = new Map(labels.prompts.themes(labels.locale).map((theme) => [theme.id, theme.label]));
  const lines = [
    `# ${markdownText(t("title", { organisation: labels.organisation }))}`,
    "",
    t("exported", { date: labels.now.toISOString().slice(0, 10) }),
  ];
  for (const row of rows) {
    lines.push("", `## ${markdownText(row.text)}`, "");
    const item = (label: string, value: string | null) => {
      if (value) lines.push(`- **${label}:** ${markdownText(value)}`);
    };
    item(t("context"), row.context);
    item(t("recommendation"), row.recommendation);
    item(t("project"), row.project);
    item(t("phase"), labels.prompts.t(labels.locale, `phases.${row.phase}`));
    item(t("themes"), row.themes.map((id) => themeLabels.get(id) ?? id).join(", "));
    item(
      t("disciplines"),
      row.disciplines.map((id) => labels.prompts.t(labels.locale, `lessons.disciplines.${id}`)).join(", "),
    );
    item(t("visibility"), labels.prompts.t(labels.locale, `lessons.visibility.${row.visibility}`));
    item(t("publisher"), row.publisher);
    item(t("licence"), row.licence);
    item(t("contact"), row.contact);
    item(t("applied"), row.appliedIn.join("; "));
  }
  return `${lines.join("\n")}\n`;
}

export async function exportLessons(
  stores: Stores,
  prompts: PromptCatalog,
  organisationId: string,
  format: ExportFormat,
  now: Date,
): Promise<string> {
  const organisation = await stores.directory.organisation(organisationId);
  if (!organisation) throw new LeerlusError("ORGANISATION_UNKNOWN", `no organisation ${organisationId}`);
  const lessons = await stores.library.ofOrganisation(organisationId);
  return renderExport(lessons, format, { prompts, locale: organisation.locale, organisation: organisation.name, now });
}
