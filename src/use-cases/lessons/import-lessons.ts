// Imports lessons from another municipality's export (CSV or JSON). The file is read as it
// arrives and written in batches inside one transaction: a 50 MB file never sits in memory,
// and a problem anywhere, or a failed save, leaves the library as it was.
import { createHash } from "node:crypto";
import { LESSONS_IMPORT_MAX_BYTES, MAX_REPORTED_PROBLEMS } from "../../domain/import-limits.ts";
import { LeerlusError } from "../../domain/leerlus-error.ts";
import { lessonTextKey } from "../../domain/lesson-text.ts";
import { problemList } from "../../domain/problem-list.ts";
import type { NewLesson } from "../../ports/lesson-library.ts";
import type { PromptCatalog } from "../../ports/prompt-catalog.ts";
import type { Stores, UnitOfWork } from "../../ports/stores.ts";
import { errorCode } from "../imports/error-code.ts";
import { FileTooLargeError, type ImportSource } from "../imports/import-source.ts";
import { type ImportIssue, lessonRecords } from "./lesson-import-records.ts";
import { lessonImportSchema, toNewLesson } from "./lesson-import-schema.ts";

export type ImportResult =
  | { ok: true; imported: number; duplicates: number }
  /** The first issues (at most MAX_REPORTED_PROBLEMS) and how many there were. */
  | { ok: false; reason: "invalid"; issues: ImportIssue[]; total: number }
  | { ok: false; reason: "too-large"; maxBytes: number }
  /** The database refused or failed; `code` is its error code, for the operator. */
  | { ok: false; reason: "save-failed"; code: string };

export type ImportOptions = { maxBytes: number; batchSize: number; batchCharacters: number };
// Batches are bounded in characters too, so one statement's parameters stay small.
const DEFAULTS: ImportOptions = { maxBytes: LESSONS_IMPORT_MAX_BYTES, batchSize: 500, batchCharacters: 256 * 1024 };

/** About how much of a batch a lesson takes, in characters. */
const characters = (lesson: NewLesson) =>
  lesson.text.length +
  (lesson.context?.length ?? 0) +
  (lesson.recommendation?.length ?? 0) +
  lesson.appliedIn.reduce((sum, place) => sum + place.length, 0) +
  200;

/** Thrown inside the transaction to roll it back when the file has issues. */
class Rejected extends Error {}

/** Text keys as short digests: a file's worth of lesson texts would not fit the memory budget. */
export const textDigest = (text: string) => createHash("sha1").update(lessonTextKey(text)).digest("base64");

/**
 * Checks every record and imports the lessons whose text the organisation does not have yet,
 * or nothing at all: any issue (each named by line and field), a file over the limit, or a
 * failed save rolls the whole import back.
 */
export async function importLessons(
  deps: { unitOfWork: UnitOfWork; prompts: PromptCatalog },
  organisationId: string,
  source: ImportSource,
  options: Partial<ImportOptions> = {},
): Promise<ImportResult> {
  const { maxBytes, batchSize, batchCharacters } = { ...DEFAULTS, ...options };
  if (source.bytes !== undefined && source.bytes > maxBytes) return { ok: false, reason: "too-large", maxBytes };
  const issues = problemList<ImportIssue>(MAX_REPORTED_PROBLEMS);
  const schema = lessonImportSchema(deps.prompts.themes("en").map((theme) => theme.id));
  try {
    return await deps.unitOfWork(`lessons-import:${organisationId}`, async (stores) => {
      const organisation = await stores.directory.organisation(organisationId);
      if (!organisation) throw new LeerlusError("ORGANISATION_UNKNOWN", `no organisation ${organisationId}`);
      const seen = await existingTexts(stores, organisationId);
      const projects = new Map(
        (await stores.library.projectsOf(organisationId)).map((project) => [project.name.toLowerCase(), project.id]),
      );
      let batch: NewLesson[] = [];
      let batchLength = 0;
      let imported = 0;
      let duplicates = 0;
      for await (const record of lessonRecords(source, maxBytes)) {
        if ("issue" in record) {
          issues.add(record.issue);
          continue;
        }
        const parsed = schema.safeParse(record.data);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const field =
              issue.code === "unrecognized_keys" ? issue.keys.join(", ") : String(issue.path[0] ?? "(record)");
            issues.add({ line: record.line, field, message: issue.message });
          }
          continue;
        }
        // After the first issue nothing more is written: the rest is read only to report it.
        if (issues.total > 0) continue;
        const key = textDigest(parsed.data.text);
        if (seen.has(key)) {
          duplicates++;
          continue;
        }
        seen.add(key);
        const projectId = parsed.data.project ? (projects.get(parsed.data.project.toLowerCase()) ?? null) : null;
        const lesson = toNewLesson(parsed.data, organisation, projectId);
        batch.push(lesson);
        batchLength += characters(lesson);
        if (batch.length >= batchSize || batchLength >= batchCharacters) {
          imported += await stores.library.createMany(batch);
          batch = [];
          batchLength = 0;
        }
      }
      if (issues.total > 0) throw new Rejected();
      imported += await stores.library.createMany(batch);
      return { ok: true as const, imported, duplicates };
    });
  } catch (error) {
    if (error instanceof Rejected) return { ok: false, reason: "invalid", issues: issues.shown, total: issues.total };
    if (error instanceof FileTooLargeError) return { ok: false, reason: "too-large", maxBytes };
    if (error instanceof Error && error.message.startsWith("ORGANISATION_UNKNOWN")) throw error;
    return { ok: false, reason: "save-failed", code: errorCode(error) };
  }
}

/** The digests (`textDigest`) of every lesson text the organisation has. */
export async function existingTexts(stores: Stores, organisationId: string): Promise<Set<string>> {
  const seen = new Set<string>();
  for await (const texts of stores.library.textPages(organisationId, 5000)) {
    for (const text of texts) seen.add(textDigest(text));
  }
  return seen;
}
