// Export (CSV, JSON, Markdown) and import (CSV, JSON) of an organisation's lessons, so
// municipalities can share what they learned. Exports never carry who wrote an answer;
// imports are validated whole, de-duplicated, and written in one statement or not at all.
import { z } from "zod";
import { CsvSyntaxError, parseCsv, toCsv } from "../../domain/lesson-csv.ts";
import { DEFAULT_LICENCE, lessonTextKey } from "../../domain/lesson-text.ts";
import type { Locale } from "../../domain/locale.ts";
import { PHASES } from "../../domain/phase.ts";
import { DISCIPLINES } from "../../domain/role.ts";
import { type LessonView, type NewLesson, VISIBILITIES } from "../../ports/lesson-library.ts";
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
const LIST_SEPARATOR = ";";

export type ExchangeLesson = {
  text: string;
  context: string | null;
  recommendation: string | null;
  project: string | null;
  phase: string;
  themes: string[];
  disciplines: string[];
  visibility: string;
  publisher: string;
  licence: string | null;
  contact: string | null;
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
  if (!organisation) throw new Error(`ORGANISATION_UNKNOWN: no organisation ${organisationId}`);
  const lessons = await stores.library.ofOrganisation(organisationId);
  return renderExport(lessons, format, { prompts, locale: organisation.locale, organisation: organisation.name, now });
}

// ---- import ----

const blankToNull = (value: unknown) => (value === "" || value === undefined ? null : value);
const optionalText = (max: number) => z.preprocess(blankToNull, z.string().trim().max(max).nullable());
const list = (item: z.ZodType<string>) =>
  z.preprocess(
    (value) =>
      typeof value === "string"
        ? value
            .split(LIST_SEPARATOR)
            .map((part) => part.trim())
            .filter(Boolean)
        : (value ?? []),
    z.array(item),
  );
const count = z.preprocess(
  (value) =>
    value === "" || value === undefined || value === null ? 0 : typeof value === "string" ? Number(value) : value,
  z.number().int().min(0),
);

function importSchema(themeIds: string[]) {
  return z
    .object({
      text: z.string().trim().min(1).max(2000),
      context: optionalText(2000),
      recommendation: optionalText(2000),
      project: optionalText(200),
      phase: z.enum([...PHASES, "stopped", "finished"]),
      themes: list(z.string().refine((id) => themeIds.includes(id), { message: "unknown theme" })),
      disciplines: list(z.enum(DISCIPLINES)),
      visibility: z.preprocess((value) => blankToNull(value) ?? "organisation", z.enum(VISIBILITIES)),
      publisher: optionalText(200),
      licence: optionalText(100),
      contact: optionalText(200),
      appliedIn: list(z.string().max(200)),
      usefulCount: count,
      notUsefulCount: count,
      createdAt: z.preprocess(blankToNull, z.iso.datetime({ offset: true }).nullable()),
    })
    .strict();
}

export type ImportIssue = { line: number; field: string; message: string };
export type ImportResult = { ok: true; imported: number; duplicates: number } | { ok: false; issues: ImportIssue[] };

type RawRecord = { line: number; data: Record<string, unknown> };

/** Line (1-based) where each element of the top-level JSON array starts. */
function jsonElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === "\n") line++;
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      if (depth === 1) lines.push(line);
    } else if (char === "{" || char === "[") {
      if (depth === 1) lines.push(line);
      depth++;
    } else if (char === "}" || char === "]") depth--;
    else if (depth === 1 && /[0-9tfn-]/.test(char as string) && !/[0-9a-z.+-]/i.test(text[index - 1] ?? "")) {
      lines.push(line);
    }
  }
  return lines;
}

/** The line of a JSON.parse error: from its position, its line, or the excerpt Node quotes. */
function jsonErrorLine(text: string, message: string): number {
  const line = /line (\d+)/.exec(message)?.[1];
  if (line) return Number(line);
  const position = /position (\d+)/.exec(message)?.[1];
  if (position) return text.slice(0, Number(position)).split("\n").length;
  const excerpt = /"(?:\.\.\.)?([\s\S]*?)(?:\.\.\.)?" is not valid JSON/.exec(message)?.[1];
  const token = /Unexpected token '(.)'/.exec(message)?.[1];
  const at = excerpt ? text.indexOf(excerpt) : -1;
  if (at < 0) return 1;
  const offset = token ? Math.max(0, excerpt?.indexOf(token) ?? 0) : 0;
  return text.slice(0, at + offset).split("\n").length;
}

function readJson(text: string): RawRecord[] | ImportIssue {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { line: jsonErrorLine(text, String(error)), field: "(file)", message: "not valid JSON" };
  }
  if (!Array.isArray(data)) return { line: 1, field: "(file)", message: "expected a JSON array of lessons" };
  const lines = jsonElementLines(text);
  return data.map((item, index) => {
    const line = lines[index] ?? 1;
    if (!item || typeof item !== "object" || Array.isArray(item)) return { line, data: { __notObject: true } };
    return { line, data: item as Record<string, unknown> };
  });
}

function readCsv(text: string): RawRecord[] | ImportIssue {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      return { line: error.line, field: "(file)", message: "a quoted field is not closed" };
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) return { line: 1, field: "(file)", message: "the file is empty" };
  const columns = header.cells.map((cell) => cell.trim());
  const unknown = columns.find((column) => !(EXCHANGE_FIELDS as readonly string[]).includes(column));
  if (unknown !== undefined) return { line: header.line, field: unknown || "(empty)", message: "unknown column" };
  if (!columns.includes("text")) return { line: header.line, field: "text", message: "column missing" };
  if (!columns.includes("phase")) return { line: header.line, field: "phase", message: "column missing" };
  return rows.map((row) => {
    if (row.cells.length !== columns.length) {
      return { line: row.line, data: { __cells: row.cells.length, __columns: columns.length } };
    }
    return { line: row.line, data: Object.fromEntries(columns.map((column, index) => [column, row.cells[index]])) };
  });
}

/** Reads and validates a whole file; nothing is written unless every record is valid. */
export async function importLessons(
  stores: Stores,
  prompts: PromptCatalog,
  organisationId: string,
  file: { name: string; text: string },
): Promise<ImportResult> {
  const organisation = await stores.directory.organisation(organisationId);
  if (!organisation) throw new Error(`ORGANISATION_UNKNOWN: no organisation ${organisationId}`);
  const isJson = /\.json$/i.test(file.name) || /^\s*[[{]/.test(file.text);
  const records = isJson ? readJson(file.text) : readCsv(file.text);
  if (!Array.isArray(records)) return { ok: false, issues: [records] };
  const schema = importSchema(prompts.themes("en").map((theme) => theme.id));
  const issues: ImportIssue[] = [];
  const valid: { line: number; lesson: z.output<typeof schema> }[] = [];
  for (const record of records) {
    if ("__notObject" in record.data) {
      issues.push({ line: record.line, field: "(record)", message: "expected an object" });
      continue;
    }
    if ("__cells" in record.data) {
      issues.push({
        line: record.line,
        field: "(record)",
        message: `${record.data.__cells} fields, the header has ${record.data.__columns}`,
      });
      continue;
    }
    const parsed = schema.safeParse(record.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : String(issue.path[0] ?? "(record)");
        issues.push({ line: record.line, field, message: issue.message });
      }
      continue;
    }
    valid.push({ line: record.line, lesson: parsed.data });
  }
  if (issues.length > 0) return { ok: false, issues };
  const seen = await stores.library.textKeys(organisationId);
  const projects = new Map(
    (await stores.library.projectsOf(organisationId)).map((project) => [project.name.toLowerCase(), project.id]),
  );
  const lessons: NewLesson[] = [];
  let duplicates = 0;
  for (const { lesson } of valid) {
    const key = lessonTextKey(lesson.text);
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const foreign = lesson.publisher !== null && lesson.publisher !== organisation.name;
    lessons.push({
      organisationId,
      projectId: lesson.project ? (projects.get(lesson.project.toLowerCase()) ?? null) : null,
      phase: lesson.phase,
      text: lesson.text,
      context: lesson.context,
      recommendation: lesson.recommendation,
      themes: lesson.themes,
      disciplines: lesson.disciplines,
      source: "import",
      visibility: lesson.visibility,
      status: "confirmed",
      publisher: foreign ? lesson.publisher : null,
      licence: lesson.licence ?? (foreign || lesson.visibility === "shared" ? DEFAULT_LICENCE : null),
      contact: lesson.contact,
      appliedIn: lesson.appliedIn,
      ...(lesson.createdAt ? { createdAt: new Date(lesson.createdAt) } : {}),
    });
  }
  const imported = await stores.library.createMany(lessons);
  return { ok: true, imported, duplicates };
}

export function describeIssues(issues: ImportIssue[]): string {
  return issues.map((issue) => `line ${issue.line}, field ${issue.field}: ${issue.message}`).join("\n");
}
