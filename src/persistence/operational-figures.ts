// What /metrics and /readyz read from PostgreSQL.
import { sql } from "kysely";
import type { Db } from "./database.ts";

export type OperationalFigures = {
  outbox: { status: string; count: number }[];
  openCycles: number;
  invited: number;
  answered: number;
};

/** The outbox by status, open cycles, and retro invitations since `since` and how many were answered. */
export async function readOperationalFigures(db: Db, since: Date): Promise<OperationalFigures> {
  const outbox = await db
    .selectFrom("OutboxMessage")
    .select(["status", sql<number>`count(*)::int`.as("count")])
    .groupBy("status")
    .execute();
  const cycles = await db
    .selectFrom("RetroCycle")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("status", "=", "open")
    .executeTakeFirstOrThrow();
  const deliveries = await db
    .selectFrom("Delivery")
    .select([sql<number>`count(*)::int`.as("invited"), sql<number>`count("answeredAt")::int`.as("answered")])
    .where("createdAt", ">=", since)
    .executeTakeFirstOrThrow();
  return { outbox, openCycles: cycles.count, invited: deliveries.invited, answered: deliveries.answered };
}

/** PostgreSQL answers. */
export function databasePing(db: Db): () => Promise<void> {
  return async () => void (await sql`SELECT 1 AS ready`.execute(db));
}
