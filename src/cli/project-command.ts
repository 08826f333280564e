import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { toCsv } from "../domain/lesson-csv.ts";
import { toLocale } from "../domain/locale.ts";
import { IMPORT_COLUMNS } from "../domain/project-import.ts";
import { createUnitOfWork } from "../persistence/unit-of-work.ts";
import type { Logger } from "../ports/logger.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { openDatabase } from "../runtime/infrastructure.ts";
import { importProjects } from "../use-cases/import-projects.ts";

const USAGE = `Usage:
  leerlus project import --organisation <id> <file.csv>
      columns: ${IMPORT_COLUMNS.join(",")} (one row per person per project; all or nothing)
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
  let csv: string;
  if (action === "import") {
    if (!positionals[0]) {
      console.error(USAGE);
      return 2;
    }
    csv = await readFile(positionals[0], "utf8");
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
    const organisation = await database.db.organisation.findUnique({ where: { id: values.organisation } });
    if (!organisation) {
      console.error(`No organisation with id ${values.organisation}.`);
      return 1;
    }
    const locale = toLocale(organisation.locale);
    const result = await importProjects({ unitOfWork: createUnitOfWork(database.db) }, organisation.id, csv, null);
    if (!result.ok) {
      console.error(prompts.t(locale, "import.failed"));
      for (const problem of result.problems) {
        console.error(
          prompts.t(locale, "import.problem-line", {
            line: problem.line,
            field: problem.field,
            problem: prompts.t(locale, `import.problem.${problem.code}`),
          }),
        );
      }
      return 1;
    }
    console.log(prompts.t(locale, "import.done", { projects: result.projects, people: result.people }));
    return 0;
  } finally {
    await database.close();
  }
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
