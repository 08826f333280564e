// The team-actions migration moves each action's one owner into ActionOwner (several owners
// now), gives existing actions their proposal key, and drops the old column: applied on a
// database that has the migrations before it and an owned action.
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../src/persistence/migrate.ts";
import { adminUrl, databaseUrl } from "../support/postgres-urls.ts";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
const TEAM_ACTIONS = "20261210100000_team_actions";

describe("the team-actions migration", () => {
  const name = `leerlus_t_${process.env.LEERLUS_TEST_RUN ?? "x"}_${randomBytes(6).toString("hex")}`;
  let dir = "";

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("keeps each action's owner as its first owner, and keys the action by its answer", async () => {
    const admin = new pg.Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = databaseUrl(name);
    dir = await mkdtemp(path.join(tmpdir(), "leerlus-team-actions-"));
    const names = (await readdir(MIGRATIONS, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    const before = names.slice(0, names.indexOf(TEAM_ACTIONS));
    for (const folder of before) await cp(path.join(MIGRATIONS, folder), path.join(dir, folder), { recursive: true });
    await migrateDatabase(url, { dir });

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`INSERT INTO "Organisation" (id, name) VALUES ('o', 'Gemeente')`);
      await client.query(`INSERT INTO "Person" (id, "organisationId", "displayName") VALUES ('lotte', 'o', 'Lotte')`);
      await client.query(
        `INSERT INTO "Project" (id, "organisationId", name, cadence) VALUES ('p', 'o', 'Pilot', '{}')`,
      );
      await client.query(
        `INSERT INTO "ActionItem" (id, "projectId", text, "ownerId") VALUES ('owned', 'p', 'Bellen', 'lotte'), ('free', 'p', 'Mailen', NULL)`,
      );
      await migrateDatabase(url, { dir: MIGRATIONS });
      const owners = await client.query(`SELECT "actionId", "personId", "assignedById" FROM "ActionOwner"`);
      expect(owners.rows).toEqual([{ actionId: "owned", personId: "lotte", assignedById: null }]);
      const keys = await client.query(`SELECT id, "proposalKey" FROM "ActionItem" ORDER BY id`);
      expect(keys.rows).toEqual([
        { id: "free", proposalKey: "free" },
        { id: "owned", proposalKey: "owned" },
      ]);
      const column = await client.query(
        `SELECT 1 FROM information_schema.columns WHERE table_name = 'ActionItem' AND column_name = 'ownerId'`,
      );
      expect(column.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });
});
