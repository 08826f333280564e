/** Tests use the machine's PostgreSQL; TEST_POSTGRES_URL overrides where it lives. */
const base = new URL(process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");

/**
 * One template per test run (set by the global setup, inherited by test workers), so
 * concurrent runs on one machine never drop each other's databases.
 */
export function templateDatabase(): string {
  const name = process.env.LEERLUS_TEST_TEMPLATE;
  if (!name) throw new Error("LEERLUS_TEST_TEMPLATE is not set: run tests through vitest (its global setup sets it)");
  return name;
}

export function adminUrl(): string {
  return base.toString();
}

export function databaseUrl(database: string): string {
  const url = new URL(base.toString());
  url.pathname = `/${database}`;
  return url.toString();
}
