import { createHash, randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../src/persistence/migrate.ts";
import { adminUrl, databaseUrl } from "../support/postgres-urls.ts";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");

type Recorded = { migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number };

// Our own runner applies prisma/migrations as `prisma migrate deploy` did, recording them the
// same way, so a database either one migrated goes on with the other.
describe("migrating a database", () => {
  const created: string[] = [];
  let dir: string;
  let names: string[];

  async function emptyDatabase(): Promise<string> {
    const name = `leerlus_t_${process.env.LEERLUS_TEST_RUN ?? "x"}_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    created.push(name);
    return databaseUrl(name);
  }

  async function recorded(url: string): Promise<Recorded[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<Recorded>(
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      return rows;
    } finally {
      await client.end();
    }
  }

  /** A folder with the first `count` migrations, and more of our own when given. */
  async function migrationsDir(count: number, extra: Record<string, string> = {}): Promise<string> {
    const target = await mkdtemp(path.join(dir, "migrations-"));
    for (const name of names.slice(0, count))
      await cp(path.join(MIGRATIONS, name), path.join(target, name), { recursive: true });
    for (const [name, script] of Object.entries(extra)) {
      await mkdir(path.join(target, name));
      await writeFile(path.join(target, name, "migration.sql"), script);
    }
    return target;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "leerlus-migrate-"));
    names = (await readdir(MIGRATIONS, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  });

  it("applies every migration once, in order, recorded as Prisma records them", async () => {
    const url = await emptyDatabase();
    expect(await migrateDatabase(url)).toEqual(names);
    const rows = await recorded(url);
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      const script = await readFile(path.join(MIGRATIONS, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(script).digest("hex"));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await migrateDatabase(url)).toEqual([]);
  });

  it("goes on from where an earlier run stopped, and lets two processes migrate at once", async () => {
    const url = await emptyDatabase();
    expect(await migrateDatabase(url, { dir: await migrationsDir(5) })).toEqual(names.slice(0, 5));
    const [first, second] = await Promise.all([migrateDatabase(url), migrateDatabase(url)]);
    expect([...(first ?? []), ...(second ?? [])].sort()).toEqual(names.slice(5));
    expect((await recorded(url)).map((row) => row.migration_name)).toEqual(names);
  });

  it("leaves nothing of a migration that fails, and applies it once it is fixed", async () => {
    const url = await emptyDatabase();
    const broken = await migrationsDir(names.length, {
      "29990101000000_broken": 'CREATE TABLE "Half" (id text);\nALTER TABLE "Nowhere" ADD COLUMN x int;',
    });
    await expect(migrateDatabase(url, { dir: broken })).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
    expect((await recorded(url)).map((row) => row.migration_name)).toEqual(names);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const half = await client.query(`SELECT to_regclass('"Half"') AS half`);
    await client.end();
    expect(half.rows[0]?.half).toBeNull();

    const fixed = await migrationsDir(names.length, { "29990101000000_broken": 'CREATE TABLE "Half" (id text);' });
    expect(await migrateDatabase(url, { dir: fixed })).toEqual(["29990101000000_broken"]);
  });

  it("stops at a migration Prisma left half-applied, as `prisma migrate deploy` does", async () => {
    const url = await emptyDatabase();
    await migrateDatabase(url, { dir: await migrationsDir(3) });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [randomBytes(16).toString("hex"), "0".repeat(64), names[3]],
    );
    await client.end();
    await expect(migrateDatabase(url)).rejects.toMatchObject({ code: "MIGRATION_FAILED" });
  });
});
