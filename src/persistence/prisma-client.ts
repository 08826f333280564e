import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createDriverSql, type DriverSql } from "./driver-sql.ts";
import { type Prisma, PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;

const MARK = "/* leerlus-transaction ";
const driverSqlOf = new WeakMap<Db, DriverSql>();
/** The connection that ran each marked statement, until the transaction takes it. */
const markedBy = new Map<string, pg.Client>();
/** Per connection, the transaction now using it: marked ended when the pool gets it back. */
const inTransaction = new WeakMap<pg.Client, { ended: boolean }>();

/**
 * A pg client that notes which connection runs a marked statement, so {@link transaction}
 * can find the connection Prisma's adapter checked out for it (Prisma does not say).
 */
class MarkingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this only looks at the text.
  override query(...args: any[]): any {
    const [config] = args;
    const text: unknown = typeof config === "string" ? config : config?.text;
    if (typeof text === "string" && text.startsWith(MARK))
      markedBy.set(text.slice(MARK.length, MARK.length + 36), this);
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    return (super.query as (...rest: any[]) => any)(...args);
  }
}

/** A Prisma client on the pg driver adapter; `poolSize` 1 for the embedded PGlite server. */
export function createPrismaClient(databaseUrl: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, Client: MarkingClient });
  pool.on("release", (_error, client) => {
    const state = inTransaction.get(client as pg.Client);
    if (state) state.ended = true;
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  driverSqlOf.set(db, createDriverSql(pool));
  return db;
}

/** Statements on the driver, outside any transaction, for a client made by {@link createPrismaClient}. */
export function driverSql(db: Db): DriverSql {
  const sql = driverSqlOf.get(db);
  if (!sql) throw new Error("DRIVER_SQL_UNAVAILABLE: the client was not made by createPrismaClient");
  return sql;
}

/**
 * An interactive transaction whose first statement is `first` (run through Prisma, marked
 * so the connection that runs it is known), with statements on the driver that run in the
 * same transaction: on that connection, after Prisma's BEGIN and before its COMMIT.
 */
export function transaction<T>(
  db: Db,
  first: { text: string; values: unknown[] },
  work: (tx: Prisma.TransactionClient, sql: DriverSql) => Promise<T>,
  options: { timeout: number; maxWait: number },
): Promise<T> {
  return db.$transaction(async (tx) => {
    const mark = randomUUID();
    let connection: pg.Client | undefined;
    try {
      await tx.$executeRawUnsafe(`${MARK}${mark} */ ${first.text}`, ...first.values);
    } finally {
      connection = markedBy.get(mark);
      markedBy.delete(mark);
    }
    if (!connection) throw new Error("DRIVER_SQL_UNAVAILABLE: the transaction's connection is unknown");
    const state = { ended: false };
    inTransaction.set(connection, state);
    return work(
      tx,
      createDriverSql(connection, () => state.ended),
    );
  }, options);
}
