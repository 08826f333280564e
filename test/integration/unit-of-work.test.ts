import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../src/persistence/database.ts";
import { createStores, createUnitOfWork } from "../../src/persistence/unit-of-work.ts";
import type { Stores } from "../../src/ports/stores.ts";
import { countWhere, insertRow } from "../support/fixtures.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

/** A promise and the function that settles it: a step the test lets happen when it wants. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

// A unit of work is one transaction on one connection, with its locks and time limits.
describe("a unit of work", () => {
  let database: TestDatabase;
  let organisationId: string;
  const audits = (kind: string) => countWhere(database.db, "AuditEvent", { kind });
  const record = (stores: Stores, kind: string) =>
    stores.audit.record({ organisationId, actorId: null, kind, subject: "test" });

  beforeAll(async () => {
    database = await createTestDatabase();
    organisationId = (await insertRow(database.db, "Organisation", { name: "Gemeente Eenheid" })).id;
  });
  afterAll(() => database.drop());

  it("sees its own writes, shows them to others only after commit, and undoes them when it fails", async () => {
    const unitOfWork = createUnitOfWork(database.db);
    await unitOfWork("uow:visible", async (stores) => {
      await record(stores, "uow.committed");
      expect(await audits("uow.committed")).toBe(0);
    });
    expect(await audits("uow.committed")).toBe(1);

    const failing = unitOfWork("uow:visible", async (stores) => {
      await record(stores, "uow.rolled-back");
      throw new Error("the work failed");
    });
    await expect(failing).rejects.toThrow("the work failed");
    expect(await audits("uow.rolled-back")).toBe(0);
  });

  it("gives work on the same key one at a time, and many keys at once on a small pool", async () => {
    const db = createDatabase(database.url, 2);
    try {
      const unitOfWork = createUnitOfWork(db);
      let inside = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          unitOfWork(["uow:shared", `uow:own:${index}`], async (stores) => {
            most = Math.max(most, ++inside);
            await record(stores, "uow.turns");
            inside--;
          }),
        ),
      );
      expect(most).toBe(1);
      expect(await audits("uow.turns")).toBe(8);
    } finally {
      await db.destroy();
    }
  });

  it("gives up waiting for a lock after its timeout, without starting its work", async () => {
    const holding = gate();
    const release = gate();
    const holder = createUnitOfWork(database.db)("uow:lock", async () => {
      holding.open();
      await release.opened;
    });
    await holding.opened;
    let started = false;
    const waiter = createUnitOfWork(database.db, { timeoutMs: 200 })("uow:lock", async () => {
      started = true;
    });
    // PostgreSQL ended the wait: lock_not_available, or the statement's own time ran out first.
    const error = await waiter.then(
      () => undefined,
      (failure: unknown) => failure as { code?: string },
    );
    expect(["55P03", "57014"]).toContain(error?.code);
    release.open();
    await holder;
    expect(started).toBe(false);
  });

  it("loses its transaction when it sits idle past its timeout, and what it wrote with it", async () => {
    const idle = gate();
    const written = gate();
    const outcome = createUnitOfWork(database.db, { timeoutMs: 1_000 })("uow:idle", async (stores) => {
      await record(stores, "uow.idle");
      written.open();
      await idle.opened;
      await record(stores, "uow.idle");
    });
    const idleInTransaction = async () => {
      const { rows } = await sql<{ idle: number }>`
        SELECT count(*)::int AS idle FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'idle in transaction'`.execute(database.db);
      return rows[0]?.idle ?? 0;
    };
    try {
      // From its first write on, the work's session is idle in its transaction, until
      // PostgreSQL ends it.
      await written.opened;
      await eventually(async () => (await idleInTransaction()) === 0);
    } finally {
      idle.open();
    }
    await expect(outcome).rejects.toThrow();
    // Nothing it wrote stays, and the pool goes on with a connection of its own.
    expect(await audits("uow.idle")).toBe(0);
    await createUnitOfWork(database.db)("uow:idle", async (stores) => record(stores, "uow.after-idle"));
    expect(await audits("uow.after-idle")).toBe(1);
  });

  it("refuses stores kept past the end of their transaction", async () => {
    let kept: Stores | undefined;
    await createUnitOfWork(database.db)("uow:kept", async (stores) => {
      kept = stores;
    });
    await expect(record(kept as Stores, "uow.late")).rejects.toThrow(/already committed/);
    expect(await audits("uow.late")).toBe(0);
  });

  it("runs stores outside a transaction on the pool", async () => {
    await record(createStores(database.db), "uow.outside");
    expect(await audits("uow.outside")).toBe(1);
  });
});
