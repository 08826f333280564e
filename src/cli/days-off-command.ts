import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { parseDate } from "../domain/command.ts";
import { parseDaysOffFile } from "../domain/days-off-text.ts";
import { toLocale } from "../domain/locale.ts";
import { createStores } from "../persistence/unit-of-work.ts";
import type { Logger } from "../ports/logger.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { openDatabase } from "../runtime/infrastructure.ts";

export const DAYS_OFF_USAGE = `  days-off  the organisation's own days off: days-off import --organisation <id> <file.csv>
            (a day or a range a line: 2026-12-24 or 28-12-2026,31-12-2026; all or nothing)`;

/** `leerlus days-off import`: an organisation's collective days off from a file, all or nothing. */
export async function daysOffCommand(
  argv: string[],
  config: Config,
  logger: Logger,
  prompts: PromptCatalog,
): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: false,
    options: { organisation: { type: "string" } },
  });
  const organisationId = typeof values.organisation === "string" ? values.organisation : null;
  if (action !== "import" || !organisationId || !positionals[0]) {
    console.error(`Usage:\n${DAYS_OFF_USAGE}`);
    return 2;
  }
  const parsed = parseDaysOffFile(await readFile(positionals[0], "utf8"), parseDate);
  const database = await openDatabase(config, logger, { migrate: false });
  try {
    const stores = createStores(database.db);
    const organisation = await stores.directory.organisation(organisationId);
    if (!organisation) {
      console.error(`No organisation with id ${organisationId}.`);
      return 1;
    }
    const locale = toLocale(organisation.locale);
    if ("problems" in parsed) {
      for (const problem of parsed.problems) {
        console.error(prompts.t(locale, "retro.days-off.import-line", problem));
      }
      return 1;
    }
    const count = await stores.daysOff.add(organisationId, parsed.dates);
    console.log(prompts.t(locale, "retro.days-off.imported", { added: count, total: parsed.dates.length }));
    return 0;
  } finally {
    await database.close();
  }
}
