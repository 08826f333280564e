// Export (CSV, JSON, Markdown) and import (CSV, JSON) of an organisation's lessons, so
// municipalities can share what they learned. Exports never carry who wrote an answer;
// imports (import-lessons.ts) read the same columns (src/domain/lesson-exchange.ts).

import { LeerlusError } from "../../domain/leerlus-error.ts";
import { type ExchangeLesson, type ExportFormat, exchangeCsv } from "../../domain/lesson-exchange.ts";
import { DEFAULT_LICENCE } from "../../domain/lesson-text.ts";
import type { LessonView } from "../../ports/lesson-library.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { Stores } from "../../ports/stores.ts";
import { type ExportLabels, lessonsMarkdown } from "./lesson-export-markdown.ts";

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

export function renderExport(lessons: LessonView[], format: ExportFormat, labels: ExportLabels): string {
  const rows = lessons.map(toExchange);
  if (format === "json") return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === "csv") return exchangeCsv(rows);
  return lessonsMarkdown(rows, labels);
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
