import { Gauge, type Registry } from "prom-client";
import type { Db } from "../persistence/database.ts";
import { type OperationalFigures, readOperationalFigures } from "../persistence/operational-figures.ts";
import { createProcessMetrics, type ProcessMetrics } from "./process-metrics.ts";

/** What the metrics read of a queue: its name and how many jobs it holds per state. */
export type CountedQueue = { name: string; getJobCounts(...states: string[]): Promise<Record<string, number>> };

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

type DatabaseFigures = OperationalFigures;

function readFigures(db: Db, now: number): Promise<DatabaseFigures> {
  return readOperationalFigures(db, new Date(now - PARTICIPATION_WINDOW_DAYS * 24 * 60 * 60 * 1000));
}

/** Gauges set from the database figures at scrape time; left without samples when they cannot be read. */
function registerDatabaseGauges(registry: Registry, figures: () => Promise<DatabaseFigures>): void {
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, read: DatabaseFigures) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const read = await figures().catch(() => null);
        if (read) fill(this, read);
        // A gauge without labels shows 0 after a reset: no sample says "unknown", 0 would lie.
        else if (labelNames.length === 0) this.remove({});
      },
    });
  const window = `${PARTICIPATION_WINDOW_DAYS}d`;
  gauge("leerlus_outbox_messages", "Outbound messages by delivery status.", ["status"], (g, read) => {
    for (const row of read.outbox) g.set({ status: row.status }, row.count);
  });
  gauge("leerlus_open_cycles", "Retro cycles currently open.", [], (g, read) => g.set(read.openCycles));
  gauge("leerlus_retro_invitations", "Retro invitations sent within the window.", ["window"], (g, read) =>
    g.set({ window }, read.invited),
  );
  gauge("leerlus_retro_answers", "Retro invitations sent within the window and answered.", ["window"], (g, read) =>
    g.set({ window }, read.answered),
  );
}

/** Whether Redis answers and, while it does, each queue's depth per state. */
function registerQueueGauges(registry: Registry, queues: () => CountedQueue[], redisUp: () => boolean): void {
  new Gauge({
    name: "leerlus_redis_up",
    help: "1 when Redis answers, 0 while it is away.",
    registers: [registry],
    collect() {
      this.set(redisUp() ? 1 : 0);
    },
  });
  new Gauge({
    name: "leerlus_queue_jobs",
    help: "Jobs per queue and state.",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      if (!redisUp()) return;
      const depths = await Promise.all(
        queues().map(async (queue) => ({
          queue: queue.name,
          counts: await withinTime(
            queue.getJobCounts("waiting", "active", "delayed", "failed"),
            QUEUE_COUNT_TIMEOUT_MS,
          ),
        })),
      );
      for (const { queue, counts } of depths) {
        for (const [state, count] of Object.entries(counts ?? {})) this.set({ queue, state }, count);
      }
    },
  });
}

/**
 * Prometheus text through prom-client: the process's own metrics (see process-metrics.ts)
 * and gauges read at scrape time: queue depths, outbound messages by status, open cycles,
 * retro participation over the last 30 days (`window="30d"`: the window is a label, not
 * part of the name). Counts only; no personal data. The database figures are read at most
 * once per `cacheSeconds` (scrapes at the same moment share one read), so a flood of
 * scrapes never reaches PostgreSQL more than that; while the database does not answer they
 * are left out. While Redis is away the queue depths are left out (`leerlus_redis_up` says
 * 0) instead of holding the scrape.
 */
export function createMetricsCollector(input: {
  db: Db;
  queues: () => CountedQueue[];
  /** Whether Redis answers now; without it Redis counts as up. */
  redisUp?: () => boolean;
  cacheSeconds?: number;
  now?: () => number;
  /** The process's registry and instruments; a fresh one when not given. */
  metrics?: ProcessMetrics;
}): () => Promise<string> {
  const now = input.now ?? Date.now;
  const cacheMs = (input.cacheSeconds ?? 30) * 1000;
  const { registry } = input.metrics ?? createProcessMetrics();
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

  registerDatabaseGauges(registry, figures);
  registerQueueGauges(registry, input.queues, input.redisUp ?? (() => true));
  return () => registry.metrics();
}
