// `leerlus lessons export --organisation <id> --format csv|json|md [--output file]` and
// `leerlus lessons import --organisation <id> <file>`.
import { readFileSync, writeFileSync } from "node:fs";
import type { Db } from "../persistence/prisma-client.ts";
import { createStores } from "../persistence/unit-of-work.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import {
  describeIssues,
  EXPORT_FORMATS,
  type ExportFormat,
  exportLessons,
  importLessons,
} from "../use-cases/lessons/lesson-exchange.ts";

export const LESSONS_USAGE = `  lessons export --organisation <id> --format csv|json|md [--output <file>]
            write the organisation's lessons (never who wrote an answer) to stdout or a file
  lessons import --organisation <id> <file.csv|file.json>
            import lessons; a file with any error imports nothing and names the line and field`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

export async function lessonsCommand(
  args: string[],
  input: { db: Db; prompts: PromptCatalog; out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  const [sub, ...rest] = args;
  const organisationId = option(rest, "organisation");
  if ((sub !== "export" && sub !== "import") || !organisationId) {
    input.err(`Usage:\n${LESSONS_USAGE}`);
    return 2;
  }
  const stores = createStores(input.db);
  if (!(await stores.directory.organisation(organisationId))) {
    input.err(`No organisation with id ${organisationId}.`);
    return 2;
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
  const file = rest.filter((arg, index) => !arg.startsWith("--") && !rest[index - 1]?.startsWith("--"))[0];
  if (!file) {
    input.err(`Usage:\n${LESSONS_USAGE}`);
    return 2;
  }
  const result = await importLessons(stores, input.prompts, organisationId, {
    name: file,
    text: readFileSync(file, "utf8"),
  });
  if (!result.ok) {
    input.err(`Nothing imported: ${file} has errors.\n${describeIssues(result.issues)}`);
    return 1;
  }
  input.out(`Imported ${result.imported} lessons; skipped ${result.duplicates} already present.\n`);
  return 0;
}
