import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_TYPES_FILE, writeDatabaseTypes } from "../../scripts/database-types.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// Kysely checks every query against src/persistence/database-types.ts: it must be what the
// migrations make, or a query could pass the type check and fail in PostgreSQL.
describe("the database types", () => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = await mkdtemp(path.join(tmpdir(), "leerlus-types-"));
  });
  afterAll(async () => {
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it("are those kysely-codegen reads from the migrated schema (else run `npm run db:types`)", async () => {
    const generated = path.join(dir, "database-types.ts");
    await writeDatabaseTypes(database.url, generated);
    expect(await readFile(generated, "utf8")).toBe(await readFile(DATABASE_TYPES_FILE, "utf8"));
  });
});
