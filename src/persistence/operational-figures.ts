// What /metrics and /readyz read from PostgreSQL.
import { type Db, driverSql } from "./prisma-client.ts";

export type OperationalFigures = {
  outbox: { status: string; count: number }[];
  openCycles: number;
  invited: number;
  answered: number;
};

/** The outbox by status, open cycles, and retro invitations since `since` and how many were answered. */
export async function readOperationalFigures(db: Db, since: Date): Promise<OperationalFigures> {
  const outbox = await db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
  const openCycles = await db.retroCycle.count({ where: { status: "open" } });
  const invited = await db.delivery.count({ where: { createdAt: { gte: since } } });
  const answered = await db.delivery.count({ where: { createdAt: { gte: since }, answeredAt: { not: null } } });
  return {
    outbox: outbox.map((row) => ({ status: row.status, count: row._count._all })),
    openCycles,
    invited,
    answered,
  };
}

/** PostgreSQL answers a prepared statement on the driver, as the workers' batch statements run. */
export function databasePing(db: Db): () => Promise<void> {
  const sql = driverSql(db);
  return async () => void (await sql`SELECT 1 AS ready`);
}
