import type { Queue } from "bullmq";
import type { Db } from "../persistence/prisma-client.ts";

const PARTICIPATION_WINDOW_DAYS = 30;
/** A queue that has not told its depth by then is left out of this scrape. */
const QUEUE_COUNT_TIMEOUT_MS = 1_000;

function withinTime<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([work.catch(() => null), late]).finally(() => clearTimeout(timer));
}

function gauge(name: string, help: string, samples: [labels: string, value: number][]): string[] {
  return [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...samples.map(([labels, value]) => `${name}${labels} ${value}`),
  ];
}

type DatabaseFigures = {
  outbox: { status: string; count: number }[];
  openCycles: number;
  invited: number;
  answered: number;
};

async function readFigures(db: Db, now: number): Promise<DatabaseFigures> {
  const outbox = await db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
  const openCycles = await db.retroCycle.count({ where: { status: "open" } });
  const since = new Date(now - PARTICIPATION_WINDOW_DAYS * 24 * 60 * 60 * 1000);
  const invited = await db.delivery.count({ where: { createdAt: { gte: since } } });
  const answered = await db.delivery.count({ where: { createdAt: { gte: since }, answeredAt: { not: null } } });
  return {
    outbox: outbox.map((row) => ({ status: row.status, count: row._count._all })),
    openCycles,
    invited,
    answered,
  };
}

/**
 * Prometheus text: queue depths, deliveries by status, open cycles, retro participation
 * over the last 30 days, uptime. Counts only; no personal data. The database figures are
 * read at most once per `cacheSeconds` (scrapes at the same moment share one read), so a
 * flood of scrapes never reaches PostgreSQL more than that. While Redis is away the queue
 * depths are left out (`leerlus_redis_up` says 0) instead of holding the scrape.
 */
export function createMetricsCollector(input: {
  db: Db;
  queues: () => Queue[];
  /** Whether Redis answers now; without it Redis counts as up. */
  redisUp?: () => boolean;
  cacheSeconds?: number;
  now?: () => number;
}): () => Promise<string> {
  const now = input.now ?? Date.now;
  const cacheMs = (input.cacheSeconds ?? 30) * 1000;
  let cached: { at: number; figures: Promise<DatabaseFigures> } | undefined;

  function figures(): Promise<DatabaseFigures> {
    const at = now();
    if (!cached || at - cached.at >= cacheMs) {
      const reading = readFigures(input.db, at);
      cached = { at, figures: reading };
      // A failed read is not kept: the next scrape tries again.
      reading.catch(() => {
        if (cached?.figures === reading) cached = undefined;
      });
    }
    return cached.figures;
  }

  return async () => {
    const { outbox, openCycles, invited, answered } = await figures();
    const redisUp = input.redisUp?.() ?? true;
    const depths: [string, number][] = [];
    for (const queue of redisUp ? input.queues() : []) {
      const counts = await withinTime(
        queue.getJobCounts("waiting", "active", "delayed", "failed"),
        QUEUE_COUNT_TIMEOUT_MS,
      );
      if (!counts) continue;
      for (const [state, count] of Object.entries(counts))
        depths.push([`{queue="${queue.name}",state="${state}"}`, count]);
    }
    const lines = [
      ...gauge(
        "leerlus_outbox_messages",
        "Outbound messages by delivery status.",
        outbox.map((row) => [`{status="${row.status}"}`, row.count]),
      ),
      ...gauge("leerlus_queue_jobs", "Jobs per queue and state.", depths),
      ...gauge("leerlus_redis_up", "1 when Redis answers, 0 while it is away.", [["", redisUp ? 1 : 0]]),
      ...gauge("leerlus_open_cycles", "Retro cycles currently open.", [["", openCycles]]),
      ...gauge("leerlus_retro_invitations_30d", "Retro invitations in the last 30 days.", [["", invited]]),
      ...gauge("leerlus_retro_answers_30d", "Retro invitations answered in the last 30 days.", [["", answered]]),
      ...gauge("leerlus_uptime_seconds", "Seconds since this process started.", [["", Math.round(process.uptime())]]),
    ];
    return `${lines.join("\n")}\n`;
  };
}
