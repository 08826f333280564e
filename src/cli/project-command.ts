import { createReadStream, statSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { IMPORT_TRANSACTION_TIMEOUT_MS, megabytes, PROJECTS_IMPORT_MAX_BYTES } from "../domain/import-limits.ts";
import { toCsv } from "../domain/lesson-csv.ts";
import type { Locale } from "../domain/locale.ts";
import { IMPORT_COLUMNS } from "../domain/project-import.ts";
import { createDirectoryRepository } from "../persistence/directory-repository.ts";
import { createUnitOfWork } from "../persistence/unit-of-work.ts";
import type { Logger } from "../ports/logger.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { openDatabase } from "../runtime/infrastructure.ts";
import { type ImportResult, importProjects } from "../use-cases/import-projects.ts";
import type { ImportSource } from "../use-cases/imports/import-source.ts";

const USAGE = `Usage:
  leerlus project import --organisation <id> <file.csv>
      columns: ${IMPORT_COLUMNS.join(",")} (one row per person per project; all or nothing;
      at most ${megabytes(PROJECTS_IMPORT_MAX_BYTES)} MB)
  leerlus project add --organisation <id> --name <name> --lead-name <name> --lead-email <email>
      [--phase explore|pilot|implement|scale] [--cadence "every 2 weeks thursday 15:00"]`;

/** `leerlus project import|add`: set up many teams at once, or one from a script. */
export async function projectCommand(
  argv: string[],
  config: Config,
  logger: Logger,
  prompts: PromptCatalog,
): Promise<number> {
  const [action, ...rest] = argv;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rest);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (!values.organisation || (action !== "import" && action !== "add")) {
    console.error(USAGE);
    return 2;
  }
  let csv: string | ImportSource;
  const file = positionals[0];
  if (action === "import") {
    if (!file) {
      console.error(USAGE);
      return 2;
    }
    // The size is known before reading: a file over the limit is refused without reading it.
    csv = { name: file, bytes: fileSize(file), chunks: readChunks(file) };
  } else {
    if (!values.name || !values["lead-name"] || !values["lead-email"]) {
      console.error(USAGE);
      return 2;
    }
    csv = toCsv(
      [...IMPORT_COLUMNS],
      [
        [
          values.name,
          values.phase ?? "explore",
          values.cadence ?? "",
          values["lead-name"],
          values["lead-email"],
          "lead",
          "",
          "",
        ],
      ],
    );
  }
  const database = await openDatabase(config, logger, { migrate: false });
  try {
    const organisation = await createDirectoryRepository(database.db).organisation(values.organisation);
    if (!organisation) {
      console.error(`No organisation with id ${values.organisation}.`);
      return 1;
    }
    const locale = organisation.locale;
    if (typeof csv !== "string" && csv.bytes === undefined) {
      console.error(prompts.t(locale, "import.unreadable", { file: csv.name }));
      return 1;
    }
    const unitOfWork = createUnitOfWork(database.db, { timeoutMs: IMPORT_TRANSACTION_TIMEOUT_MS });
    const result = await importProjects({ unitOfWork }, organisation.id, csv, null);
    if (!result.ok) {
      console.error(failure(prompts, locale, result, typeof csv === "string" ? "" : csv.name));
      return 1;
    }
    console.log(prompts.t(locale, "import.done", { projects: result.projects, people: result.people }));
    return 0;
  } finally {
    await database.close();
  }
}

/** What went wrong, in the organisation's language: never a stack trace. */
function failure(
  prompts: PromptCatalog,
  locale: Locale,
  result: Extract<ImportResult, { ok: false }>,
  file: string,
): string {
  const t = (key: string, vars?: Record<string, string | number>) => prompts.t(locale, `import.${key}`, vars);
  if (result.reason === "too-large") return t("too-large", { file, limit: megabytes(result.maxBytes) });
  if (result.reason === "save-failed") return t("save-failed", { code: result.code });
  const lines = result.problems.map((problem) =>
    t("problem-line", { line: problem.line, field: problem.field, problem: t(`problem.${problem.code}`) }),
  );
  const hidden = result.total - result.problems.length;
  if (hidden > 0) lines.push(t("more", { hidden, shown: result.problems.length }));
  return [t("failed"), ...lines].join("\n");
}

/** The file's size, or undefined when it cannot be read. */
function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** The file's bytes, opened only when the import starts reading. */
async function* readChunks(file: string): AsyncGenerator<Uint8Array> {
  yield* createReadStream(file);
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      organisation: { type: "string" },
      name: { type: "string" },
      phase: { type: "string" },
      cadence: { type: "string" },
      "lead-name": { type: "string" },
      "lead-email": { type: "string" },
    },
  });
}
