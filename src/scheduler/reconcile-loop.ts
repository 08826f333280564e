// When the reconciler runs: at start, every interval, and at once when Redis answers again
// after an outage (it may have come back empty; the schedules live in the database).
import type { Logger } from "../ports/logger.ts";
import type { RedisHealth } from "./redis-health.ts";

export type ReconcileLoop = {
  /** The first run, started at once. */
  readonly first: Promise<void>;
  stop(): void;
};

export function startReconcileLoop(input: {
  reconcile: () => Promise<unknown>;
  redis: Pick<RedisHealth, "available" | "onRecovered">;
  intervalMs: number;
  logger: Logger;
}): ReconcileLoop {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  // Never two at once, and not while Redis is away (the outage is logged already). A run that
  // Redis left hanging finishes when it is back; a recovery during a run asks for another.
  function run(afterCurrent: boolean): Promise<void> {
    if (stopped || !input.redis.available()) return Promise.resolve();
    if (running) {
      again ||= afterCurrent;
      return running;
    }
    running = input
      .reconcile()
      .then(
        () => undefined,
        (error: Error) => input.logger.warn({ err: error.message }, "reconcile failed; will try again"),
      )
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          void run(false);
        }
      });
    return running;
  }

  input.redis.onRecovered(() => void run(true));
  const timer = setInterval(() => void run(false), input.intervalMs);
  return {
    first: run(false),
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
