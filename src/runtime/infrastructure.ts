import path from "node:path";
import type { Config } from "../config.ts";
import { createDatabase, type Db, type QueryObserver } from "../persistence/database.ts";
import { migrateDatabase } from "../persistence/migrate.ts";
import type { Logger } from "../ports/logger.ts";

export type Infrastructure = {
  databaseUrl: string;
  db: Db;
  embedded: boolean;
  redisUrl: string;
  close(): Promise<void>;
};

/** PostgreSQL (configured, or the embedded PGlite default) and Redis (configured, local or private). */
export async function openDatabase(
  config: Config,
  logger: Logger,
  options: { migrate: boolean; onQuery?: QueryObserver },
) {
  // Loaded only when used: PGlite and ioredis take tens of megabytes that a command run
  // against PostgreSQL (an import of a large file, say) does not need.
  const embedded = config.databaseUrl
    ? null
    : await (await import("../persistence/embedded-postgres.ts")).startEmbeddedPostgres({
        dataDir: path.join(config.dataDir),
      });
  const databaseUrl = config.databaseUrl ?? (embedded?.url as string);
  if (embedded)
    logger.info({ dataDir: config.dataDir }, "using the embedded database (set DATABASE_URL for PostgreSQL)");
  if (options.migrate) {
    try {
      await migrateDatabase(databaseUrl);
    } catch (error) {
      await embedded?.stop();
      throw error;
    }
    logger.info({}, "database migrated");
  }
  const db = createDatabase(databaseUrl, embedded ? 1 : 10, options.onQuery);
  return {
    databaseUrl,
    db,
    embedded: Boolean(embedded),
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

export async function openInfrastructure(
  config: Config,
  logger: Logger,
  options: { migrate: boolean; onQuery?: QueryObserver },
): Promise<Infrastructure> {
  const database = await openDatabase(config, logger, options);
  try {
    const { ensureRedis } = await import("../scheduler/redis-connection.ts");
    const redis = await ensureRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir, logger });
    return {
      ...database,
      redisUrl: redis.url,
      async close() {
        await database.close();
        await redis.stop();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
