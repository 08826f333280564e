// The data commands (`lessons …`, `project …`) on their own: they load the database and
// the prompts, not the servers, queues and chat SDKs, so an import of a large file has the
// memory for its file rather than for the whole program (bin/leerlus.js starts them here).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { createPromptCatalog } from "../prompts/prompt-catalog.ts";
import { openDatabase } from "../runtime/infrastructure.ts";
import { createLogger } from "../runtime/logger.ts";
import { lessonsCommand } from "./lessons-command.ts";
import { projectCommand } from "./project-command.ts";

const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prompts");

export const DATA_COMMANDS: readonly string[] = ["lessons", "project"];

/** Runs `lessons …` or `project …`; the exit code. */
export async function runDataCommand(argv: string[]): Promise<number> {
  const [command] = argv;
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    return 2;
  }
  const logger = createLogger(config.logLevel);
  const prompts = createPromptCatalog(PROMPTS_DIR);
  if (command === "project") return projectCommand(argv.slice(1), config, logger, prompts);
  const database = await openDatabase(config, logger, { migrate: false });
  try {
    return await lessonsCommand(argv.slice(1), {
      db: database.db,
      prompts,
      // Only the feed subcommands need the secret that seals the installation's key.
      // Loaded only then, so imports and exports keep their memory for the file.
      exchange: async () => {
        const { createLessonExchange } = await import("../runtime/lesson-exchange.ts");
        const { resolveSecret } = await import("../runtime/secrets.ts");
        const { createTokenCipher, deriveKeyBase64 } = await import("../persistence/token-cipher.ts");
        const { createStores } = await import("../persistence/unit-of-work.ts");
        return createLessonExchange({
          db: database.db,
          stores: createStores(database.db),
          cipher: createTokenCipher(
            config.tokenEncryptionKey ?? deriveKeyBase64(await resolveSecret(config), "lesson-feed-key"),
          ),
          publicUrl: config.publicUrl,
          logger,
          client: { allowPrivate: config.lessonFeedAllowPrivate },
        }).exchange;
      },
      out: (text) => process.stdout.write(text),
      err: (text) => console.error(text),
    });
  } finally {
    await database.close();
  }
}
