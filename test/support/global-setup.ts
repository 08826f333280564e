// Migrates one template database per test run; each test file clones it (fast, isolated).

import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateDatabase } from "../../src/persistence/migrate.ts";
import { adminUrl, databaseUrl } from "./postgres-urls.ts";

export async function setup(): Promise<() => Promise<void>> {
  // Each vitest project runs the global setup; the first one's template serves them all.
  if (process.env.LEERLUS_TEST_TEMPLATE) return async () => {};
  const run = randomBytes(4).toString("hex");
  const TEMPLATE_DATABASE = `leerlus_tpl_${run}`;
  process.env.LEERLUS_TEST_TEMPLATE = TEMPLATE_DATABASE;
  process.env.LEERLUS_TEST_RUN = run;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  await admin.end();
  await migrateDatabase(databaseUrl(TEMPLATE_DATABASE));
  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl() });
    await cleanup.connect();
    const stale = await cleanup.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [`leerlus_t_${run}_%`]);
    for (const row of stale.rows) await cleanup.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
    await cleanup.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
    await cleanup.end();
  };
}
