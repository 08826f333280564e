import { spawnSync } from "node:child_process";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Db } from "../../src/persistence/database.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../src/persistence/embedded-postgres.ts";
import { migrateDatabase } from "../../src/persistence/migrate.ts";
import { countWhere, firstWhere, insertRow } from "../support/fixtures.ts";

// Each test opens a data folder of its own: a copy of one the file migrated once (migrating
// PGlite is the slow part), so any test runs alone or in any order.
describe("embedded PostgreSQL (PGlite over a local socket)", () => {
  let root: string;
  let migrated: string;
  let migrationOutcome: { url: string; tables: number };
  const opened: { embedded: EmbeddedPostgres; db?: Db }[] = [];

  /** A fresh copy of the migrated data folder. */
  async function dataFolder(): Promise<string> {
    const folder = await mkdtemp(path.join(root, "copy-"));
    await cp(migrated, folder, { recursive: true });
    return folder;
  }

  /** Starts the embedded database on `dataDir` with a client on its one connection. */
  async function open(dataDir: string): Promise<{ embedded: EmbeddedPostgres; db: Db; close(): Promise<void> }> {
    const embedded = await startEmbeddedPostgres({ dataDir });
    const db = createDatabase(embedded.url, 1);
    const handle = { embedded, db };
    opened.push(handle);
    return {
      embedded,
      db,
      async close() {
        opened.splice(opened.indexOf(handle), 1);
        await db.destroy();
        await embedded.stop();
      },
    };
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "leerlus-embedded-"));
    migrated = path.join(root, "migrated");
    const embedded = await startEmbeddedPostgres({ dataDir: migrated });
    try {
      await migrateDatabase(embedded.url);
      const client = new pg.Client({ connectionString: embedded.url });
      await client.connect();
      const { rows } = await client.query<{ count: string }>(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
      );
      await client.end();
      migrationOutcome = { url: embedded.url, tables: Number(rows[0]?.count) };
    } finally {
      await embedded.stop();
    }
    // Migrating PGlite takes long on a loaded machine.
  }, 180_000);

  afterAll(async () => {
    for (const { embedded, db } of opened.splice(0)) {
      await db?.destroy();
      await embedded.stop();
    }
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function storeOrganisation(db: Db): Promise<string> {
    return (await insertRow(db, "Organisation", { name: "Gemeente Leerdam" })).id;
  }

  it("migrates and stores an organisation", async () => {
    expect(migrationOutcome.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(migrationOutcome.tables).toBeGreaterThan(10);
    const { db } = await open(await dataFolder());
    const organisationId = await storeOrganisation(db);
    const found = await firstWhere(db, "Organisation", { id: organisationId });
    expect(found?.name).toBe("Gemeente Leerdam");
  });

  it("finds lessons with a Dutch full-text query", async () => {
    const { db } = await open(await dataFolder());
    const organisationId = await storeOrganisation(db);
    await insertRow(db, "Lesson", {
      organisationId,
      phase: "pilot",
      text: "Betrek de gebruiker vanaf de eerste week bij het ontwerp.",
      themes: ["user-involvement"],
    });
    await insertRow(db, "Lesson", {
      organisationId,
      phase: "explore",
      text: "Regel de DPIA voordat de pilot start.",
    });

    const { rows: matches } = await sql<{ text: string }>`
      SELECT "text" FROM "Lesson" WHERE "search" @@ plainto_tsquery('dutch', ${"gebruikers"})`.execute(db);
    expect(matches.map((row) => row.text)).toEqual(["Betrek de gebruiker vanaf de eerste week bij het ontwerp."]);
  });

  it("refuses a second opener of the same folder while the first runs", async () => {
    const dataDir = await dataFolder();
    await open(dataDir);
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toMatchObject({ code: "EMBEDDED_DB_LOCKED" });
  });

  it("serves a pool of one that keeps replacing its connection", async () => {
    const { embedded, db } = await open(await dataFolder());
    // The client holds the one connection callers may use; release it first.
    await db.destroy();
    const pool = new pg.Pool({ connectionString: embedded.url, max: 1, idleTimeoutMillis: 5 });
    try {
      for (let attempt = 0; attempt < 40; attempt++) {
        await pool.query("SELECT 1");
        // Idle long enough for the pool to drop the connection, so the next query opens one.
        await new Promise((resolve) => setTimeout(resolve, 4 + (attempt % 4)));
      }
    } finally {
      await pool.end();
    }
  });

  it("keeps the data after a stop and a new start on the same folder", async () => {
    const dataDir = await dataFolder();
    const first = await open(dataDir);
    const organisationId = await storeOrganisation(first.db);
    await insertRow(first.db, "Lesson", { organisationId, phase: "pilot", text: "Eerst de gebruiker." });
    await insertRow(first.db, "Lesson", { organisationId, phase: "explore", text: "Dan de DPIA." });
    await first.close();

    const { db } = await open(dataDir);
    const found = await firstWhere(db, "Organisation", { id: organisationId });
    expect(found?.name).toBe("Gemeente Leerdam");
    expect(await countWhere(db, "Lesson", { organisationId })).toBe(2);
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    const dataDir = await dataFolder();
    const first = await open(dataDir);
    await storeOrganisation(first.db);
    await first.close();
    const finished = spawnSync(process.execPath, ["-e", ""]);
    await writeFile(path.join(dataDir, "db.lock"), `${finished.pid}\n`);
    const { db } = await open(dataDir);
    expect(await countWhere(db, "Organisation")).toBe(1);
  });
});
