// Whether this process's Redis answers, and one honest line in the log about it. While Redis
// is away every connection (the queues', each worker's) reports an error on every reconnect
// attempt; those become one structured warning per interval instead of a flood of stack
// traces, and callers ask available() to fail fast instead of waiting on a queue that hangs.
import type { Redis } from "ioredis";
import type { Logger } from "../ports/logger.ts";

/** At most one "Redis is unreachable" warning per this many milliseconds, per process. */
export const REDIS_WARNING_INTERVAL_MS = 30_000;

export type RedisHealth = {
  /** Redis answers now: queueing work will not hang. */
  available(): boolean;
  /**
   * An error from one of this process's Redis connections. True when it is one of the outage's
   * errors (counted into the periodic warning), false when it is something else to log as usual.
   */
  absorbs(error: Error): boolean;
  /** Called each time Redis answers again after an outage. */
  onRecovered(listener: () => void): void;
};

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);
/** ioredis states of a connection that was lost and is not back. */
const LOST = new Set(["close", "reconnecting", "end"]);
const CONNECTION_MESSAGES = /Connection is closed|Stream isn't writeable|connect E[A-Z]+|read ECONNRESET|write EPIPE/;

/** An error that means "Redis can't be reached", whichever connection it came from. */
export function isRedisConnectionError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined && CONNECTION_CODES.has(code)) || CONNECTION_MESSAGES.test(error.message);
}

export function watchRedis(
  connection: Redis,
  logger: Logger,
  options: { intervalMs?: number; now?: () => number } = {},
): RedisHealth {
  const intervalMs = options.intervalMs ?? REDIS_WARNING_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const listeners: (() => void)[] = [];
  let everReady = connection.status === "ready";
  /** When this process's connection was lost; undefined while it is up. */
  let lostSince: number | undefined;
  /** Errors counted since the last time Redis answered. */
  let errors = 0;
  /** The last warning, kept across outages: a Redis that keeps flapping still warns once per interval. */
  let warnedAt: number | undefined;
  let warnedSinceReady = false;

  function absorbs(error: Error): boolean {
    if (connection.status === "ready" && !isRedisConnectionError(error)) return false;
    const at = now();
    errors++;
    if (warnedAt === undefined || at - warnedAt >= intervalMs) {
      warnedAt = at;
      warnedSinceReady = true;
      logger.warn(
        {
          code: "REDIS_UNAVAILABLE",
          err: error.message,
          errors,
          downSeconds: lostSince === undefined ? 0 : Math.round((at - lostSince) / 1000),
        },
        "Redis is unreachable; queued work waits in PostgreSQL and resumes when it is back",
      );
    }
    return true;
  }

  connection.on("error", (error: Error) => {
    if (!absorbs(error)) logger.warn({ code: "REDIS_ERROR", err: error.message }, "redis connection error");
  });
  connection.on("close", () => {
    if (everReady) lostSince ??= now();
  });
  connection.on("ready", () => {
    everReady = true;
    const since = lostSince;
    const counted = errors;
    lostSince = undefined;
    errors = 0;
    if (since === undefined && counted === 0) return;
    if (warnedSinceReady) {
      logger.info(
        { code: "REDIS_AVAILABLE", errors: counted, downSeconds: Math.round((now() - (since ?? now())) / 1000) },
        "Redis answers again; queued work resumes",
      );
    }
    warnedSinceReady = false;
    for (const listener of listeners) listener();
  });

  return {
    // While the process is still connecting for the first time, commands wait their turn
    // as before; once the connection was lost, nobody waits until Redis answers again.
    available: () => connection.status === "ready" || (!everReady && !LOST.has(connection.status)),
    absorbs,
    onRecovered(listener) {
      listeners.push(listener);
    },
  };
}
