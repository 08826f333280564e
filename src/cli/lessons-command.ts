// `leerlus lessons export --organisation <id> --format csv|json|md [--output file]`,
// `leerlus lessons import --organisation <id> <file>` and
// `leerlus lessons starter --organisation <id> [--locale nl|en]`.
import { createReadStream, statSync, writeFileSync } from "node:fs";
import { IMPORT_TRANSACTION_TIMEOUT_MS, LESSONS_IMPORT_MAX_BYTES, megabytes } from "../domain/import-limits.ts";
import { EXPORT_FORMATS, type ExportFormat } from "../domain/lesson-exchange.ts";
import { LOCALES, type Locale } from "../domain/locale.ts";
import type { Db } from "../persistence/database.ts";
import { createStores, createUnitOfWork } from "../persistence/unit-of-work.ts";
import type { LessonExchange } from "../ports/lesson-feed.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { importLessons } from "../use-cases/lessons/import-lessons.ts";
import { exportLessons } from "../use-cases/lessons/lesson-exchange.ts";
import { loadStarterLibrary } from "../use-cases/lessons/starter-library.ts";
import { FEED_SUBCOMMANDS, LESSON_FEED_USAGE, lessonFeedCommand } from "./lesson-feed-command.ts";

export const LESSONS_USAGE = `  lessons export --organisation <id> --format csv|json|md [--output <file>]
            write the organisation's lessons (never who wrote an answer) to stdout or a file
  lessons import --organisation <id> <file.csv|file.json>
            import lessons (at most ${megabytes(LESSONS_IMPORT_MAX_BYTES)} MB); a file with any error imports nothing and names the line and field
  lessons starter --organisation <id> [--locale nl|en]
            load the starter library (about 40 lessons, CC BY 4.0) in the organisation's language; loading again adds nothing
${LESSON_FEED_USAGE}`;

type Output = { out: (text: string) => void; err: (text: string) => void };

/** The file's bytes, opened only when the import starts reading. */
async function* readChunks(file: string): AsyncGenerator<Uint8Array> {
  yield* createReadStream(file);
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

/** The first argument that is neither an option nor an option's value. */
const positional = (args: string[]) =>
  args.filter((arg, index) => !arg.startsWith("--") && !args[index - 1]?.startsWith("--"))[0];

export async function lessonsCommand(
  args: string[],
  input: Output & { db: Db; prompts: PromptCatalog; exchange?: () => Promise<LessonExchange> },
): Promise<number> {
  const [sub, ...rest] = args;
  const organisationId = option(rest, "organisation");
  const feed = FEED_SUBCOMMANDS.find((name) => name === sub);
  if ((sub !== "export" && sub !== "import" && sub !== "starter" && !feed) || !organisationId) {
    input.err(`Usage:\n${LESSONS_USAGE}`);
    return 2;
  }
  const stores = createStores(input.db);
  const organisation = await stores.directory.organisation(organisationId);
  if (!organisation) {
    input.err(`No organisation with id ${organisationId}.`);
    return 2;
  }
  if (feed && input.exchange) {
    const exchange = await input.exchange();
    return lessonFeedCommand(feed, positional(rest), organisation, { ...input, exchange });
  }
  if (sub === "starter") {
    const locale = option(rest, "locale");
    if (locale !== undefined && !(LOCALES as readonly string[]).includes(locale)) {
      input.err(`Unknown locale "${locale}": use nl or en.`);
      return 2;
    }
    const result = await loadStarterLibrary(
      { unitOfWork: createUnitOfWork(input.db), prompts: input.prompts },
      organisation.id,
      locale ? { locale: locale as Locale } : {},
    );
    input.out(
      `${input.prompts.t((locale as Locale | undefined) ?? organisation.locale, "lessons.starter.cli-done", result)}\n`,
    );
    return 0;
  }
  if (sub === "export") {
    const format = (option(rest, "format") ?? "json") as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) {
      input.err(`Unknown format "${format}": use csv, json or md.`);
      return 2;
    }
    const text = await exportLessons(stores, input.prompts, organisationId, format, new Date());
    const output = option(rest, "output");
    if (output) writeFileSync(output, text);
    else input.out(text);
    return 0;
  }
  const file = positional(rest);
  if (!file) {
    input.err(`Usage:\n${LESSONS_USAGE}`);
    return 2;
  }
  return importFile(input, organisation, file);
}

async function importFile(
  input: Output & { db: Db; prompts: PromptCatalog },
  organisation: { id: string; locale: Locale },
  file: string,
): Promise<number> {
  const t = (key: string, vars?: Record<string, string | number>) =>
    input.prompts.t(organisation.locale, `lessons.import.${key}`, vars);
  let bytes: number;
  try {
    bytes = statSync(file).size;
  } catch {
    input.err(t("unreadable", { file }));
    return 1;
  }
  const result = await importLessons(
    { unitOfWork: createUnitOfWork(input.db, { timeoutMs: IMPORT_TRANSACTION_TIMEOUT_MS }), prompts: input.prompts },
    organisation.id,
    // The size is known before reading: a file over the limit is refused without reading it.
    { name: file, bytes, chunks: readChunks(file) },
  );
  if (result.ok) {
    input.out(`${t("done", { imported: result.imported, duplicates: result.duplicates })}\n`);
    return 0;
  }
  if (result.reason === "too-large") input.err(t("too-large", { file, limit: megabytes(result.maxBytes) }));
  else if (result.reason === "save-failed") input.err(t("save-failed", { code: result.code }));
  else {
    const lines = result.issues.map((issue) =>
      t("problem", { line: issue.line, field: issue.field, problem: issue.message }),
    );
    const hidden = result.total - result.issues.length;
    if (hidden > 0) lines.push(t("more", { hidden, shown: result.issues.length }));
    input.err(`${t("failed", { file })}\n${lines.join("\n")}`);
  }
  return 1;
}
