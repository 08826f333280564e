/** Tests use the machine's PostgreSQL; TEST_POSTGRES_URL overrides where it lives. */
const base = new URL(process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");

export const TEMPLATE_DATABASE = "leerlus_template";

export function adminUrl(): string {
  return base.toString();
}

export function databaseUrl(database: string): string {
  const url = new URL(base.toString());
  url.pathname = `/${database}`;
  return url.toString();
}
