import { parseArgs } from "node:util";
import type { Config } from "../config.ts";
import { missingFields, PRIVACY_FIELD_MAX, type PrivacyField } from "../domain/privacy-statement.ts";
import { createPrivacyRepository } from "../persistence/privacy-repository.ts";
import { createPrivacyStatementRepository } from "../persistence/privacy-statement-repository.ts";
import { createStores } from "../persistence/unit-of-work.ts";
import type { Logger } from "../ports/logger.ts";
import { openDatabase } from "../runtime/infrastructure.ts";
import { resolveSecret } from "../runtime/secrets.ts";
import { erasePersonalData, exportPersonalData } from "../use-cases/privacy.ts";

const USAGE = `Usage:
  leerlus privacy export --person <id>        everything held about a person, as JSON on stdout
  leerlus privacy erase --person <id> --yes   remove the person and their answers; lessons stay, de-linked
  leerlus privacy statement --organisation <id> [--controller <text>] [--controller-contact <text>]
                            [--dpo <text>] [--legal-basis <text>] [--processors <text>]
                                              fill in the privacy statement at /privacy ("" clears a field);
                                              without options, shows what is filled in and what is missing`;

/** The statement's fields by their command-line option. */
const STATEMENT_OPTIONS = {
  controller: "controller",
  "controller-contact": "controllerContact",
  dpo: "dpoContact",
  "legal-basis": "legalBasis",
  processors: "processors",
} as const satisfies Record<string, PrivacyField>;

/** `leerlus privacy export|erase`: the data protection officer's tools, audited like the chat ones. */
export async function privacyCommand(argv: string[], config: Config, logger: Logger): Promise<number> {
  const [action, ...rest] = argv;
  if (action === "statement") return statementCommand(rest, config, logger);
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

/** `leerlus privacy statement`: the organisation's own parts of the privacy statement at /privacy. */
async function statementCommand(args: string[], config: Config, logger: Logger): Promise<number> {
  let values: Record<string, string | undefined>;
  try {
    const options = Object.fromEntries(
      ["organisation", ...Object.keys(STATEMENT_OPTIONS)].map((name) => [name, { type: "string" as const }]),
    );
    values = parseArgs({ args, options }).values as Record<string, string | undefined>;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!values.organisation) {
    console.error(`Name the organisation: --organisation <id>.\n\n${USAGE}`);
    return 2;
  }
  const changes: Partial<Record<PrivacyField, string | null>> = {};
  for (const [option, field] of Object.entries(STATEMENT_OPTIONS)) {
    const value = values[option];
    if (value === undefined) continue;
    if (value.length > PRIVACY_FIELD_MAX) {
      console.error(`--${option} is too long: at most ${PRIVACY_FIELD_MAX} characters.`);
      return 2;
    }
    changes[field] = value.trim() === "" ? null : value;
  }
  const database = await openDatabase(config, logger, { migrate: false });
  try {
    const statements = createPrivacyStatementRepository(database.db);
    const fields =
      Object.keys(changes).length > 0
        ? await statements.update(values.organisation, changes)
        : ((await statements.facts(values.organisation))?.fields ?? null);
    if (!fields) {
      console.error(`No organisation with id ${values.organisation}.`);
      return 1;
    }
    const missing = missingFields(fields);
    console.log(JSON.stringify({ fields, missing }, null, 2));
    if (missing.length > 0) {
      console.log(`Still missing on /privacy: ${missing.join(", ")}.`);
    }
    return 0;
  } finally {
    await database.close();
  }
}
