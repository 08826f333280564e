import { randomBytes } from "node:crypto";
import pg from "pg";
import { createPrismaClient, type Db } from "../../src/persistence/prisma-client.ts";
import { adminUrl, databaseUrl, templateDatabase } from "./postgres-urls.ts";

export type TestDatabase = { url: string; db: Db; drop(): Promise<void> };

/** A fresh, migrated database of its own, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `leerlus_t_${process.env.LEERLUS_TEST_RUN ?? "x"}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
  await admin.end();
  const url = databaseUrl(name);
  const db = createPrismaClient(url, 4);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      const dropper = new pg.Client({ connectionString: adminUrl() });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}
