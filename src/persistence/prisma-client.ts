import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { LeerlusError } from "../domain/leerlus-error.ts";
import { createDriverSql, type DriverSql, transactionClosed } from "./driver-sql.ts";
import { type Prisma, PrismaClient } from "./generated/client.ts";

export type Db = PrismaClient;

const MARK = "/* leerlus-transaction ";
type TransactionState = { ended: boolean };
const driverSqlOf = new WeakMap<Db, DriverSql>();
/** The connection that ran each marked statement, until the transaction takes it. */
const markedBy = new Map<string, { connection: pg.Client; state: TransactionState }>();
/** Per connection, the transaction now using it. */
const inTransaction = new WeakMap<pg.Client, TransactionState>();

/**
 * A pg client that notes which connection runs a marked statement, so {@link transaction}
 * can find the connection Prisma's adapter checked out for it (Prisma does not say), and
 * when Prisma ends that transaction: from its COMMIT or ROLLBACK on, a driver statement
 * would run on its own, outside the transaction and its locks.
 */
class MarkingClient extends pg.Client {
  /** Told how long each statement took (the process's metrics). */
  observe: QueryObserver | undefined;

  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this only looks at the text.
  override query(...args: any[]): any {
    const [config] = args;
    const text: unknown = typeof config === "string" ? config : config?.text;
    if (typeof text === "string") {
      if (text.startsWith(MARK)) {
        const state = { ended: false };
        inTransaction.set(this, state);
        markedBy.set(text.slice(MARK.length, MARK.length + 36), { connection: this, state });
      } else if (/^\s*(COMMIT|ROLLBACK)\b/i.test(text)) {
        const state = inTransaction.get(this);
        if (state) state.ended = true;
      }
    }
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const run = (...rest: any[]) => (super.query as (...more: any[]) => any)(...rest);
    return this.observe && typeof text === "string" ? timed(text, this.observe, args, run) : run(...args);
  }
}

/**
 * Runs a statement and tells `observe` how long it took. The pool (which Prisma's adapter
 * and driver-sql use) passes a callback; a direct caller gets a promise: either way once.
 */
// biome-ignore lint/suspicious/noExplicitAny: pg's query arguments and result, passed on as they are.
function timed(text: string, observe: QueryObserver, args: any[], run: (...args: any[]) => any): any {
  const started = performance.now();
  const done = () => observe(text, (performance.now() - started) / 1000);
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === "function") {
    args[last] = (...results: unknown[]) => {
      done();
      return callback(...results);
    };
  }
  const result = run(...args);
  if (typeof result?.then === "function") result.then(done, done);
  return result;
}

/** Told each statement's text and how long it took, in seconds. */
export type QueryObserver = (sql: string, seconds: number) => void;

/** A Prisma client on the pg driver adapter; `poolSize` 1 for the embedded PGlite server. */
export function createPrismaClient(databaseUrl: string, poolSize = 10, onQuery?: QueryObserver): Db {
  const Client = onQuery
    ? class extends MarkingClient {
        override observe = onQuery;
      }
    : MarkingClient;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    Client,
    // A new connection starts from a clean session. The embedded PGlite has one session that
    // outlives its connections: without this, the statements driver-sql prepared on a dropped
    // connection still exist, and preparing them again on the next fails ("prepared statement
    // … already exists") for as long as the process runs. pg awaits this hook before handing
    // the connection out; on PostgreSQL a fresh session has nothing to discard.
    onConnect: (async (client: pg.ClientBase) => void (await client.query("DISCARD ALL"))) as (
      client: pg.ClientBase,
    ) => void,
  });
  // A connection that dies while idle leaves the pool, and the next statement opens another
  // (Prisma's adapter does no more once it is connected). Without a listener the pool's
  // 'error' event would end the process.
  pool.on("error", () => {});
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
  if (!sql) throw new LeerlusError("DRIVER_SQL_UNAVAILABLE", "the client was not made by createPrismaClient");
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
    let marked: { connection: pg.Client; state: TransactionState } | undefined;
    try {
      await tx.$executeRawUnsafe(`${MARK}${mark} */ ${first.text}`, ...first.values);
    } finally {
      marked = markedBy.get(mark);
      markedBy.delete(mark);
    }
    if (!marked) throw new LeerlusError("DRIVER_SQL_UNAVAILABLE", "the transaction's connection is unknown");
    const { connection, state } = marked;
    const sql = createDriverSql(connection, () => state.ended);
    // The first statement can outlast the transaction's timeout (waiting for a lock, say).
    if (state.ended) throw transactionClosed();
    return work(tx, sql);
  }, options);
}
