import type { Db } from "./persistence/prisma-client.ts";

/** Prometheus text: delivery backlog and failures, open cycles, uptime. No personal data. */
export async function collectMetrics(db: Db): Promise<string> {
  const outbox = await db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
  const openCycles = await db.retroCycle.count({ where: { status: "open" } });
  const lines = [
    "# HELP leerlus_outbox_messages Outbound messages by delivery status.",
    "# TYPE leerlus_outbox_messages gauge",
    ...outbox.map((row) => `leerlus_outbox_messages{status="${row.status}"} ${row._count._all}`),
    "# HELP leerlus_open_cycles Retro cycles currently open.",
    "# TYPE leerlus_open_cycles gauge",
    `leerlus_open_cycles ${openCycles}`,
    "# HELP leerlus_uptime_seconds Seconds since this process started.",
    "# TYPE leerlus_uptime_seconds gauge",
    `leerlus_uptime_seconds ${Math.round(process.uptime())}`,
  ];
  return `${lines.join("\n")}\n`;
}
