// `npm run db:types`: regenerates src/persistence/database-types.ts (the `DB` type Kysely
// checks every query against) from a scratch database migrated from prisma/migrations.
// Needs PostgreSQL: DATABASE_URL, or the machine's at 127.0.0.1:5432.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { migrateDatabase } from "../src/persistence/migrate.ts";

const run = promisify(execFile);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DATABASE_TYPES_FILE = path.join(projectRoot, "src/persistence/database-types.ts");

/** Writes the types of the database at `databaseUrl` (migrated) to `outFile` with kysely-codegen. */
export async function writeDatabaseTypes(databaseUrl: string, outFile: string): Promise<void> {
  const codegen = path.join(
    path.dirname(createRequire(import.meta.url).resolve("kysely-codegen/package.json")),
    "dist/cli/bin.js",
  );
  await run(
    process.execPath,
    [
      codegen,
      "--dialect=postgres",
      `--url=${databaseUrl}`,
      `--out-file=${outFile}`,
      "--exclude-pattern=_prisma_migrations",
      "--log-level=error",
    ],
    { cwd: projectRoot },
  );
}

async function main(): Promise<void> {
  const admin = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  const name = `leerlus_types_${randomBytes(4).toString("hex")}`;
  const scratch = new URL(admin.toString());
  scratch.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  try {
    await migrateDatabase(scratch.toString());
    await writeDatabaseTypes(scratch.toString(), DATABASE_TYPES_FILE);
    console.log(`wrote ${path.relative(process.cwd(), DATABASE_TYPES_FILE)}`);
  } finally {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
