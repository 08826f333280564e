// Large project files: checked as they are read, at most 50 problems by line and field, a
// friendly message instead of a database stack trace, and nothing half-imported.
import { closeSync, ftruncateSync, mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { projectCommand } from "../../src/cli/project-command.ts";
import { loadConfig } from "../../src/config.ts";
import { PROJECTS_IMPORT_MAX_BYTES } from "../../src/domain/import-limits.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import { countWhere, insertRow } from "../support/fixtures.ts";
import { writeProjectsCsv } from "../support/import-files.ts";
import { prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MB = 1024 * 1024;
const STACK_LINE = /^\s+at\s/m;

describe("importing a large project file", () => {
  let database: TestDatabase;
  let organisationId: string;
  const dir = mkdtempSync(path.join(tmpdir(), "leerlus-projects-"));

  /** `leerlus project import` in this process, with what it printed. */
  async function importFile(file: string) {
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
    const error = vi.spyOn(console, "error").mockImplementation(capture);
    const log = vi.spyOn(console, "log").mockImplementation(capture);
    try {
      const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: "silent" });
      const code = await projectCommand(
        ["import", "--organisation", organisationId, file],
        config,
        silentLogger,
        prompts,
      );
      return { code, output: printed.join("\n") };
    } finally {
      error.mockRestore();
      log.mockRestore();
    }
  }

  const counts = async () => ({
    projects: await countWhere(database.db, "Project"),
    people: await countWhere(database.db, "Person"),
    identities: await countWhere(database.db, "ChatIdentity"),
    memberships: await countWhere(database.db, "Membership"),
    channels: await countWhere(database.db, "ProjectChannel"),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    organisationId = (await insertRow(database.db, "Organisation", { name: "Gemeente Groot", locale: "nl" })).id;
  });

  afterEach(async () => {
    await sql`DROP TRIGGER IF EXISTS fail_import ON "Membership"`.execute(database.db);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("a 10 MB file with bad lines gives the first 50 problems by line and field, no stack trace, and imports nothing", async () => {
    const file = path.join(dir, "bad.csv");
    // Row n is on line n + 2. Every 500th row has an unknown role: about 270 problems.
    const rows = await writeProjectsCsv(file, 10 * MB, (n, row) =>
      n % 500 === 7 ? [...row.slice(0, 5), "koning", ...row.slice(6)] : row,
    );
    expect(rows).toBeGreaterThan(130_000);
    const before = await counts();
    const { code, output } = await importFile(file);
    expect(code).toBe(1);
    expect(output).not.toMatch(STACK_LINE);
    const problems = output.split("\n").filter((line) => line.startsWith("regel "));
    expect(problems).toHaveLength(50);
    expect(problems[0]).toBe("regel 9, role: gebruik member, lead, manager of adviser (of lid, trekker, adviseur)");
    expect(problems[49]).toMatch(/^regel 24509, role: /);
    const bad = Math.ceil((rows - 7) / 500);
    expect(output).toContain(`… en nog ${bad - 50} problemen; de eerste 50 staan hierboven.`);
    expect(await counts()).toEqual(before);
  }, 120_000);

  it("a valid file of many teams lands whole, in one transaction", async () => {
    const file = path.join(dir, "teams.csv");
    const rows = await writeProjectsCsv(file, 2 * MB);
    const { code, output } = await importFile(file);
    expect({ code, output }).toEqual({
      code: 0,
      output: `Import klaar. Projecten: ${Math.ceil(rows / 10)}; personen: ${rows}.`,
    });
    expect(await counts()).toEqual({
      projects: Math.ceil(rows / 10),
      people: rows,
      identities: rows,
      memberships: rows,
      channels: Math.ceil(rows / 10),
    });
    const lead = await database.prisma.membership.findFirstOrThrow({
      where: { role: "lead", project: { name: "Project 7" } },
      include: { person: true },
    });
    expect(lead).toMatchObject({ discipline: "lead", person: { email: "persoon60@gemeente.nl", locale: "nl" } });
  }, 120_000);

  it("a save that fails mid-way leaves everything as it was, with a friendly message", async () => {
    // A real failure of the database, late in the import: after people and earlier projects were written.
    await sql`
      CREATE OR REPLACE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT name FROM "Project" WHERE id = NEW."projectId") = 'Nieuw 1500' THEN
          RAISE EXCEPTION 'the disk is full';
        END IF;
        RETURN NEW;
      END $$`.execute(database.db);
    await sql`CREATE TRIGGER fail_import BEFORE INSERT ON "Membership" FOR EACH ROW EXECUTE FUNCTION fail_import()`.execute(
      database.db,
    );
    const file = path.join(dir, "fails.csv");
    await writeProjectsCsv(file, 2 * MB, (n, row) => [
      `Nieuw ${Math.floor(n / 10) + 1}`,
      ...row.slice(1, 3),
      `Nieuw persoon ${n}`,
      `nieuw${n}@gemeente.nl`,
      ...row.slice(5),
    ]);
    const before = await counts();
    const { code, output } = await importFile(file);
    expect(code).toBe(1);
    expect(output).toBe(
      "Niets geïmporteerd: de projecten konden niet worden opgeslagen (fout P0001). Alles is nog zoals het was. " +
        "Probeer het opnieuw; lukt het weer niet, vraag het dan aan wie Leerlus beheert.",
    );
    expect(await counts()).toEqual(before);
  }, 120_000);

  it("a file over the limit is refused before it is read, naming the limit", async () => {
    const file = path.join(dir, "huge.csv");
    // Sparse: as large as it says, without writing it.
    const fd = openSync(file, "w");
    ftruncateSync(fd, PROJECTS_IMPORT_MAX_BYTES + 1);
    closeSync(fd);
    const before = await counts();
    const { code, output } = await importFile(file);
    expect(code).toBe(1);
    expect(output).toBe(
      `Niets geïmporteerd: ${file} is groter dan 20 MB, de grens voor één projectimport. ` +
        "Verdeel het over bestanden van hoogstens 20 MB, elk met de kopregel bovenaan en met alle regels van een project in hetzelfde bestand.",
    );
    expect(await counts()).toEqual(before);
  });
});
