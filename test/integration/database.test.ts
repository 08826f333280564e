import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../src/persistence/database.ts";
import { createDaysOffRepository } from "../../src/persistence/days-off-repository.ts";
import { insertRow, oneWhere } from "../support/fixtures.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// What the pool and the values sent and read do, whatever the process's time zone.
describe("the database", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("writes and reads DateTime and date columns in UTC, whatever the process's time zone", async () => {
    const previous = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const at = new Date("2026-03-29T00:30:00.000Z");
      const { id } = await insertRow(database.db, "Organisation", { name: "Gemeente Tijd", createdAt: at });
      expect((await oneWhere(database.db, "Organisation", { id })).createdAt.toISOString()).toBe(at.toISOString());
      const {
        rows: [stored],
      } = await sql<{ text: string; read: Date }>`
        SELECT to_char("createdAt", 'YYYY-MM-DD HH24:MI:SS') AS text, "createdAt" AS read
        FROM "Organisation" WHERE id = ${id} AND "createdAt" = ${at}`.execute(database.db);
      expect(stored?.text).toBe("2026-03-29 00:30:00");
      expect(stored?.read.toISOString()).toBe(at.toISOString());
      const daysOff = createDaysOffRepository(database.db);
      await daysOff.add(id, ["2026-12-24", "2026-12-31"]);
      expect(await daysOff.list(id, "2026-12-01")).toEqual(["2026-12-24", "2026-12-31"]);
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it("passes arrays whole, whatever their strings hold", async () => {
    const texts = [
      "plain",
      "",
      "NULL",
      null,
      'with "quotes"',
      "back\\slash",
      "line\nbreak\ttab",
      "{braces}, commas",
      "  spaces  ",
      "één 😀 ĳ",
      "\u0001control",
    ];
    const read = await sql<{ texts: (string | null)[] }>`SELECT ${texts}::text[] AS texts`.execute(database.db);
    expect(read.rows[0]?.texts).toEqual(texts);
    // Arrays without any character that needs escaping take the fast path; they must read the same.
    const ids = ["a-1", "b:2", "c d", null, ""];
    const simple = await sql<{ ids: (string | null)[] }>`SELECT ${ids}::text[] AS ids`.execute(database.db);
    expect(simple.rows[0]?.ids).toEqual(ids);
    const numbers = await sql<{ numbers: number[]; flags: boolean[]; none: string[] }>`
      SELECT ${[0, -3, 2147483647]}::int[] AS numbers, ${[true, false]}::bool[] AS flags, ${[]}::text[] AS none`.execute(
      database.db,
    );
    expect(numbers.rows[0]).toEqual({ numbers: [0, -3, 2147483647], flags: [true, false], none: [] });
    // And through the query builder, into a text[] column.
    const organisation = await insertRow(database.db, "Organisation", { name: "Gemeente Lijst" });
    const lesson = await insertRow(database.db, "Lesson", {
      organisationId: organisation.id,
      phase: "pilot",
      text: "Lijst",
      appliedIn: texts.filter((text): text is string => text !== null),
    });
    expect(lesson.appliedIn).toEqual(texts.filter((text) => text !== null));
  });

  it("survives a connection that dies while idle in the pool", async () => {
    const db = createDatabase(database.url, 2);
    const pid = async () => (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(db)).rows[0]?.pid;
    try {
      const before = await pid();
      await sql`SELECT pg_terminate_backend(${before}::int)`.execute(database.db);
      // The pool drops the dead connection when it notices; the next statement gets a live one.
      const after = await eventually(async () => {
        const now = await pid().catch(() => undefined);
        return now !== undefined && now !== before && now;
      });
      expect(after).not.toBe(before);
    } finally {
      await db.destroy();
    }
  });

  it("tells the observer every statement's kind of text and time, failed ones included", async () => {
    const seen: { sql: string; seconds: number }[] = [];
    const db = createDatabase(database.url, 1, (text, seconds) => seen.push({ sql: text, seconds }));
    try {
      await db.selectFrom("Organisation").select("id").execute();
      await expect(sql`SELECT 1 / 0`.execute(db)).rejects.toThrow(/division by zero/);
    } finally {
      await db.destroy();
    }
    expect(seen.map((entry) => entry.sql)).toEqual(['select "id" from "Organisation"', "SELECT 1 / 0"]);
    expect(seen.every((entry) => entry.seconds >= 0)).toBe(true);
  });
});
