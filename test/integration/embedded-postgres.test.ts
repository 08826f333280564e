import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Db } from "../../src/persistence/database.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../src/persistence/embedded-postgres.ts";
import { migrateDatabase } from "../../src/persistence/migrate.ts";
import { countWhere, firstWhere, insertRow } from "../support/fixtures.ts";

// The steps share one data folder and run in order: each builds on what the previous one stored.
describe("embedded PostgreSQL (PGlite over a local socket)", () => {
  let dataDir: string;
  let embedded: EmbeddedPostgres | undefined;
  let db: Db | undefined;
  let organisationId: string;

  /** Starts the embedded database on dataDir with a client on its one connection. */
  async function open(): Promise<Db> {
    embedded = await startEmbeddedPostgres({ dataDir });
    db = createDatabase(embedded.url, 1);
    return db;
  }

  async function close(): Promise<void> {
    await db?.destroy();
    db = undefined;
    await embedded?.stop();
    embedded = undefined;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "leerlus-embedded-"));
  });

  afterAll(async () => {
    await close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("migrates and stores an organisation", async () => {
    const client = await open();
    expect(embedded?.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await migrateDatabase(embedded?.url ?? "");

    const created = await insertRow(client, "Organisation", { name: "Gemeente Leerdam" });
    organisationId = created.id;
    const found = await firstWhere(client, "Organisation", { id: organisationId });
    expect(found?.name).toBe("Gemeente Leerdam");
  });

  it("finds lessons with a Dutch full-text query", async () => {
    const client = db as Db;
    await insertRow(client, "Lesson", {
      organisationId,
      phase: "pilot",
      text: "Betrek de gebruiker vanaf de eerste week bij het ontwerp.",
      themes: ["user-involvement"],
    });
    await insertRow(client, "Lesson", {
      organisationId,
      phase: "explore",
      text: "Regel de DPIA voordat de pilot start.",
    });

    const { rows: matches } = await sql<{ text: string }>`
      SELECT "text" FROM "Lesson" WHERE "search" @@ plainto_tsquery('dutch', ${"gebruikers"})`.execute(client);
    expect(matches.map((row) => row.text)).toEqual(["Betrek de gebruiker vanaf de eerste week bij het ontwerp."]);
  });

  it("refuses a second opener of the same folder while the first runs", async () => {
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toMatchObject({ code: "EMBEDDED_DB_LOCKED" });
  });

  it("serves a pool of one that keeps replacing its connection", async () => {
    // The client above holds the one connection callers may use; release it first.
    await db?.destroy();
    const pool = new pg.Pool({ connectionString: embedded?.url, max: 1, idleTimeoutMillis: 5 });
    try {
      for (let attempt = 0; attempt < 40; attempt++) {
        await pool.query("SELECT 1");
        await new Promise((resolve) => setTimeout(resolve, 4 + (attempt % 4)));
      }
    } finally {
      await pool.end();
    }
  });

  it("keeps the data after a stop and a new start on the same folder", async () => {
    await close();
    const client = await open();
    const found = await firstWhere(client, "Organisation", { id: organisationId });
    expect(found?.name).toBe("Gemeente Leerdam");
    expect(await countWhere(client, "Lesson", { organisationId })).toBe(2);
  });

  it("takes over a lock left by a process that no longer runs", async () => {
    await close();
    const finished = spawnSync(process.execPath, ["-e", ""]);
    await writeFile(path.join(dataDir, "db.lock"), `${finished.pid}\n`);
    const client = await open();
    expect(await countWhere(client, "Organisation")).toBe(1);
  });
});
