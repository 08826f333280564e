import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, type Db } from "../../src/persistence/database.ts";
import { createFixtureClient, type FixtureClient } from "./fixture-client.ts";
import { adminUrl, databaseUrl, templateDatabase } from "./postgres-urls.ts";

export type TestDatabase = {
  url: string;
  /** What production code gets: the Kysely database. */
  db: Db;
  /** Prisma's client, for fixtures that tests have not moved to Kysely yet; made on first use. */
  readonly prisma: FixtureClient;
  drop(): Promise<void>;
};

/** A fresh, migrated database of its own, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `leerlus_t_${process.env.LEERLUS_TEST_RUN ?? "x"}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
  await admin.end();
  const url = databaseUrl(name);
  const db = createDatabase(url, 4);
  let prisma: FixtureClient | undefined;
  return {
    url,
    db,
    get prisma() {
      prisma ??= createFixtureClient(url);
      return prisma;
    },
    async drop() {
      await db.destroy();
      await prisma?.$disconnect();
      const dropper = new pg.Client({ connectionString: adminUrl() });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}
