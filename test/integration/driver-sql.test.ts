import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriverSql } from "../../src/persistence/driver-sql.ts";
import { createPrismaClient, driverSql, transaction } from "../../src/persistence/prisma-client.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// Statements that bypass Prisma's runtime for speed must still run in the unit of work's
// transaction, and read and write DateTime columns as Prisma does.
describe("statements on the driver", () => {
  let database: TestDatabase;
  const options = { timeout: 10_000, maxWait: 10_000 };
  const first = { text: "SELECT 1", values: [] };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const nameOf = async (id: string) =>
    (await database.db.organisation.findUniqueOrThrow({ where: { id }, select: { name: true } })).name;

  it("run in the transaction: Prisma sees them in it, others only after commit, and a rollback undoes them", async () => {
    const { id } = await database.db.organisation.create({ data: { name: "Gemeente Oud" } });
    await transaction(
      database.db,
      first,
      async (tx, sql) => {
        await sql`UPDATE "Organisation" SET name = ${"Gemeente Nieuw"} WHERE id = ${id}`;
        expect((await tx.organisation.findUniqueOrThrow({ where: { id } })).name).toBe("Gemeente Nieuw");
        expect(await nameOf(id)).toBe("Gemeente Oud");
      },
      options,
    );
    expect(await nameOf(id)).toBe("Gemeente Nieuw");

    const failing = transaction(
      database.db,
      first,
      async (_tx, sql) => {
        await sql`UPDATE "Organisation" SET name = ${"Gemeente Kwijt"} WHERE id = ${id}`;
        throw new Error("the work failed");
      },
      options,
    );
    await expect(failing).rejects.toThrow("the work failed");
    expect(await nameOf(id)).toBe("Gemeente Nieuw");
  });

  it("find each transaction's own connection when many run at once on a small pool", async () => {
    const pairs = await Promise.all(
      Array.from({ length: 12 }, () =>
        transaction(
          database.db,
          first,
          async (tx, sql) => {
            const [viaPrisma] = await tx.$queryRaw<{ txid: bigint }[]>`SELECT txid_current() AS txid`;
            const [viaDriver] = await sql<{ txid: string }>`SELECT txid_current() AS txid`;
            return [String(viaPrisma?.txid), String(viaDriver?.txid)];
          },
          options,
        ),
      ),
    );
    for (const [viaPrisma, viaDriver] of pairs) expect(viaDriver).toBe(viaPrisma);
    expect(new Set(pairs.map(([txid]) => txid)).size).toBe(12);
  });

  it("refuse to run once their transaction has ended", async () => {
    let kept: DriverSql | undefined;
    await transaction(
      database.db,
      first,
      async (_tx, sql) => {
        kept = sql;
      },
      options,
    );
    await expect((kept as DriverSql)`SELECT 1`).rejects.toMatchObject({ code: "TRANSACTION_CLOSED" });
  });

  it("refuse to run once Prisma has rolled back a transaction that outlived its timeout, and leave nothing behind", async () => {
    const { id } = await database.db.organisation.create({ data: { name: "Gemeente Traag" } });
    let late: Promise<unknown> = Promise.resolve();
    const slow = transaction(
      database.db,
      first,
      async (_tx, sql) => {
        await sql`SELECT pg_sleep(1.5)`;
        // Prisma has sent its ROLLBACK by now: this must not run on its own, committed.
        late = sql`UPDATE "Organisation" SET name = ${"Gemeente Te Laat"} WHERE id = ${id}`;
        await late;
      },
      { timeout: 1_000, maxWait: 10_000 },
    );
    await expect(slow).rejects.toThrow();
    await expect(late).rejects.toMatchObject({ code: "TRANSACTION_CLOSED" });
    expect(await nameOf(id)).toBe("Gemeente Traag");
  });

  it("do not start the work when the first statement outlived the transaction's timeout", async () => {
    const lock = { text: "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", values: ["driver-sql:lock"] };
    const holder = transaction(database.db, lock, () => new Promise((resolve) => setTimeout(resolve, 1_500)), {
      timeout: 10_000,
      maxWait: 10_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    let started = false;
    const waiter = transaction(
      database.db,
      lock,
      async () => {
        started = true;
      },
      { timeout: 1_000, maxWait: 10_000 },
    );
    await expect(waiter).rejects.toThrow();
    await holder;
    expect(started).toBe(false);
  });

  it("survive a connection that dies while idle in the pool", async () => {
    const db = createPrismaClient(database.url, 2);
    try {
      const sql = driverSql(db);
      const [before] = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`;
      await database.db.$executeRaw`SELECT pg_terminate_backend(${before?.pid}::int)`;
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [after] = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`;
      expect(after?.pid).not.toBe(before?.pid);
    } finally {
      await db.$disconnect();
    }
  });

  it("write and read DateTime columns in UTC, whatever the process's time zone", async () => {
    const previous = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const at = new Date("2026-03-29T00:30:00.000Z");
      const { id } = await database.db.organisation.create({ data: { name: "Gemeente Tijd" } });
      const sql = driverSql(database.db);
      await sql`UPDATE "Organisation" SET "createdAt" = ${at} WHERE id = ${id}`;
      const viaPrisma = await database.db.organisation.findUniqueOrThrow({ where: { id } });
      const [viaDriver] = await sql<{ createdAt: Date }>`SELECT "createdAt" FROM "Organisation" WHERE id = ${id}`;
      expect(viaPrisma.createdAt.toISOString()).toBe(at.toISOString());
      expect(viaDriver?.createdAt.toISOString()).toBe(at.toISOString());
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it("pass arrays whole, whatever their strings hold", async () => {
    const sql = driverSql(database.db);
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
    const [read] = await sql<{ texts: (string | null)[] }>`SELECT ${texts}::text[] AS texts`;
    expect(read?.texts).toEqual(texts);
    // Arrays without any character that needs escaping take the fast path; they must read the same.
    const ids = ["a-1", "b:2", "c d", null, ""];
    const [simple] = await sql<{ ids: (string | null)[] }>`SELECT ${ids}::text[] AS ids`;
    expect(simple?.ids).toEqual(ids);
    const [numbers] = await sql<{ numbers: number[]; flags: boolean[]; none: string[] }>`
      SELECT ${[0, -3, 2147483647]}::int[] AS numbers, ${[true, false]}::bool[] AS flags, ${[]}::text[] AS none`;
    expect(numbers).toEqual({ numbers: [0, -3, 2147483647], flags: [true, false], none: [] });
    const rows = await sql<{ text: string | null; position: string }>`
      SELECT text, position::text FROM unnest(${texts}::text[]) WITH ORDINALITY AS t(text, position)`;
    expect(rows.map((row) => row.text)).toEqual(texts);
  });

  it("prepare each statement once per connection, and keep working after one fails", async () => {
    const db = createPrismaClient(database.url, 2);
    try {
      const sql = driverSql(db);
      const named = (pid: number) =>
        sql<{
          name: string;
          pid: number;
        }>`SELECT name, pg_backend_pid() AS pid FROM pg_prepared_statements WHERE ${pid} > 0`;
      const lookup = (id: string, weight = "1") =>
        sql<{ id: string }>`SELECT id FROM "Organisation" WHERE id = ${id} AND ${weight}::int > 0`;
      // The same statement on both connections of the pool at once, then again on each.
      for (let round = 0; round < 3; round++) {
        await Promise.all([lookup(crypto.randomUUID()), lookup(crypto.randomUUID())]);
      }
      // A statement that fails when it runs (a parameter that is no integer) leaves it usable.
      await expect(lookup(crypto.randomUUID(), "zwaar")).rejects.toThrow(/integer/);
      const { id } = await db.organisation.create({ data: { name: "Gemeente Voorbereid" } });
      expect(await lookup(id)).toEqual([{ id }]);
      // And inside a transaction, on the transaction's connection.
      await transaction(
        db,
        first,
        async (_tx, txSql) => {
          expect(await txSql<{ id: string }>`SELECT id FROM "Organisation" WHERE id = ${id}`).toEqual([{ id }]);
        },
        options,
      );
      const prepared = await named(1);
      expect(prepared.length).toBeGreaterThan(0);
      expect(prepared.every((row) => row.name.startsWith("leerlus_"))).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });
});
