import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { createPrivacyRepository } from "../persistence/privacy-repository.ts";
import { createStores } from "../persistence/unit-of-work.ts";
import type { Logger } from "../ports/logger.ts";
import { openDatabase } from "../runtime/infrastructure.ts";
import { resolveSecret } from "../runtime/secrets.ts";
import { erasePersonalData, exportPersonalData } from "../use-cases/privacy.ts";

const USAGE = `Usage:
  leerlus privacy export --person <id>        everything held about a person, as JSON on stdout
  leerlus privacy erase --person <id> --yes   remove the person and their answers; lessons stay, de-linked`;

/** `leerlus privacy export|erase`: the data protection officer's tools, audited like the chat ones. */
export async function privacyCommand(argv: string[], config: Config, logger: Logger): Promise<number> {
  const [action, ...rest] = argv;
  let options: { person?: string; yes?: boolean };
  try {
    options = parseArgs({ args: rest, options: { person: { type: "string" }, yes: { type: "boolean" } } }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if ((action !== "export" && action !== "erase") || !options.person) {
    console.error(USAGE);
    return 2;
  }
  if (action === "erase" && !options.yes) {
    console.error("Erasing cannot be undone: add --yes to confirm.");
    return 2;
  }
  const database = await openDatabase(config, logger, { migrate: false });
  try {
    const deps = {
      stores: createStores(database.db),
      privacy: createPrivacyRepository(database.db),
      secret: await resolveSecret(config),
    };
    const result =
      action === "export"
        ? await exportPersonalData(deps, options.person, null)
        : await erasePersonalData(deps, options.person, null);
    if (!result) {
      console.error(`No person with id ${options.person}. Ids are in an export or in the audit log.`);
      return 1;
    }
    console.log(JSON.stringify(result, null, 2));
    return 0;
  } finally {
    await database.close();
  }
}
