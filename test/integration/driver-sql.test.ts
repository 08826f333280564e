import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriverSql } from "../../src/persistence/driver-sql.ts";
import { driverSql, transaction } from "../../src/persistence/prisma-client.ts";
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
});
