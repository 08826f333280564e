// Large lessons files: streamed within a memory budget, a documented size limit, at most 50
// problems by line and field, and a friendly message instead of a stack trace when a save fails.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { lessonsCommand } from "../../src/cli/lessons-command.ts";
import { LESSONS_IMPORT_MAX_BYTES } from "../../src/domain/import-limits.ts";
import { countWhere, insertRow } from "../support/fixtures.ts";
import { sentence, writeLessonsCsv, writeRows } from "../support/import-files.ts";
import { prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

const MB = 1024 * 1024;
const ROOT = path.resolve(import.meta.dirname, "../..");
const STACK_LINE = /^\s+at\s/m;

describe("importing a large lessons file", () => {
  let database: TestDatabase;
  let organisationId: string;
  const dir = mkdtempSync(path.join(tmpdir(), "leerlus-lessons-large-"));

  /** `leerlus lessons import` in this process, with what it printed. */
  async function importFile(file: string) {
    let out = "";
    let err = "";
    const code = await lessonsCommand(["import", "--organisation", organisationId, file], {
      db: database.db,
      prompts,
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
    });
    return { code, out, err };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    organisationId = (await insertRow(database.db, "Organisation", { name: "Gemeente Groot", locale: "en" })).id;
  });

  afterEach(async () => {
    await sql`DROP TRIGGER IF EXISTS fail_import ON "Lesson"`.execute(database.db);
  });

  afterAll(async () => {
    await database?.drop();
  });

  it("a 50 MB file imports through the CLI within 300 MB of memory, every lesson landing", async () => {
    const file = path.join(dir, "lessons-50mb.csv");
    // Most of each row is applied-in evidence, which the database stores as it is: the searchable
    // text is what costs it time (its search vectors, about a millisecond a lesson), and the
    // suite has no minutes to spare. Every byte still goes through reading, checking and saving.
    const header = ["text", "context", "phase", "themes", "appliedIn"];
    const lessons = await writeRows(file, header, 50 * MB, (n) => [
      `Les ${n}: ${sentence(n, 12)}`,
      sentence(n + 1, 12),
      n % 2 === 0 ? "pilot" : "explore",
      n % 3 === 0 ? "user-involvement;scaling" : "",
      Array.from({ length: 25 }, (_, i) => `Gemeente ${i} ${sentence(n + i, 20)}`.slice(0, 190)).join(";"),
    ]);
    expect(lessons).toBeGreaterThan(9000);
    const rssFile = path.join(dir, "max-rss");
    const child = spawn(
      process.execPath,
      [
        "--import",
        path.join(ROOT, "test/support/report-max-rss.mjs"),
        "bin/leerlus.js",
        "lessons",
        "import",
        "--organisation",
        organisationId,
        file,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "warn", LEERLUS_MAX_RSS_FILE: rssFile },
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 170_000,
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const [code] = await once(child, "exit");
    expect({ code, output }).toEqual({
      code: 0,
      output: `Imported ${lessons.toLocaleString("en")} lessons; skipped 0 already present.\n`,
    });
    expect(await countWhere(database.db, "Lesson", { organisationId })).toBe(lessons);
    const peakKilobytes = Number(readFileSync(rssFile, "utf8"));
    expect(peakKilobytes).toBeGreaterThan(0);
    expect(peakKilobytes / 1024).toBeLessThanOrEqual(300);
  }, 180_000);

  it("a file over the limit is refused before it is read, naming the limit", async () => {
    const file = path.join(dir, "huge.csv");
    // Sparse: as large as it says, without writing it.
    const fd = openSync(file, "w");
    ftruncateSync(fd, LESSONS_IMPORT_MAX_BYTES + 1);
    closeSync(fd);
    const before = await countWhere(database.db, "Lesson");
    expect(await importFile(file)).toEqual({
      code: 1,
      out: "",
      err:
        `Nothing imported: ${file} is larger than 100 MB, the most one import takes. Split it into files of ` +
        "at most 100 MB, each starting with the header line, and import them one by one.",
    });
    expect(await countWhere(database.db, "Lesson")).toBe(before);
  });

  it("a file with many bad lines lists the first 50 problems by line and field, counts the rest and imports nothing", async () => {
    const file = path.join(dir, "bad.csv");
    // Every 20th lesson has an unknown phase; row n is on line n + 2.
    const lessons = await writeLessonsCsv(file, 2 * MB, (n) =>
      n % 20 === 3 ? [`Les ${n}`, "", "", "kickoff", "", "organisation"] : undefined,
    );
    const before = await countWhere(database.db, "Lesson");
    const { code, out, err } = await importFile(file);
    expect({ code, out }).toEqual({ code: 1, out: "" });
    expect(err).not.toMatch(STACK_LINE);
    const lines = err.split("\n");
    expect(lines[0]).toBe(`Nothing imported: ${file} has errors. Fix them and import the whole file again:`);
    expect(lines.filter((line) => line.startsWith("line "))).toHaveLength(50);
    expect(lines[1]).toMatch(/^line 5, field phase: /);
    expect(lines[50]).toMatch(/^line 985, field phase: /);
    const bad = Math.ceil((lessons - 3) / 20);
    expect(lines[51]).toBe(`… and ${bad - 50} more problems; the first 50 are shown.`);
    expect(await countWhere(database.db, "Lesson")).toBe(before);
  }, 60_000);

  it("a problem on the last line rolls back the batches written before it", async () => {
    const file = path.join(dir, "last-line.csv");
    // About 900 lessons, in batches of 256 KB: several are written before the last line is read.
    const lessons = await writeLessonsCsv(file, MB);
    appendFileSync(file, "Laatste les,,,pilot,no-such-theme,organisation\r\n");
    const before = await countWhere(database.db, "Lesson");
    const { code, err } = await importFile(file);
    expect(code).toBe(1);
    expect(err.split("\n").slice(1)).toEqual([`line ${lessons + 2}, field themes: unknown theme`]);
    expect(await countWhere(database.db, "Lesson")).toBe(before);
  }, 60_000);

  it("a save that fails mid-way leaves the library as it was, with a friendly message and no stack trace", async () => {
    // A real failure of the database, after several batches were written in the transaction.
    await sql`
      CREATE OR REPLACE FUNCTION fail_import() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.text LIKE 'Les 2500:%' THEN RAISE EXCEPTION 'the disk is full'; END IF;
        RETURN NEW;
      END $$`.execute(database.db);
    await sql`CREATE TRIGGER fail_import BEFORE INSERT ON "Lesson" FOR EACH ROW EXECUTE FUNCTION fail_import()`.execute(
      database.db,
    );
    const file = path.join(dir, "fails.csv");
    const lessons = await writeLessonsCsv(file, MB, (n) => [`Les ${n}: ${sentence(n, 8)}`, "", "", "pilot", "", ""]);
    expect(lessons).toBeGreaterThan(2500);
    const before = await countWhere(database.db, "Lesson");
    expect(await importFile(file)).toEqual({
      code: 1,
      out: "",
      err:
        "Nothing imported: the lessons could not be saved (error P0001). The library is as it was. " +
        "Try again; if it fails again, ask whoever runs Leerlus.",
    });
    expect(await countWhere(database.db, "Lesson")).toBe(before);
  }, 60_000);
});
