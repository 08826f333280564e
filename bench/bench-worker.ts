// Leerlus's workers as the bench's processes run them: silent, on the system clock, sending
// through the bench adapter to the chat platform's stand-in.
import path from "node:path";
import type { Db } from "../src/persistence/database.ts";
import { systemClock } from "../src/ports/clock.ts";
import { silentLogger } from "../src/ports/logger.ts";
import { createPromptCatalog } from "../src/prompts/prompt-catalog.ts";
import { createCore } from "../src/runtime/core.ts";
import { createDutchHolidayCalendar } from "../src/runtime/dutch-holiday-calendar.ts";
import { startWorkers, type WorkerQueues } from "../src/scheduler/start-workers.ts";
import { httpAdapter } from "./chat-platform.ts";

export function startBenchWorker(
  db: Db,
  input: { redisUrl: string; queuePrefix: string; platformPort: number; queues: WorkerQueues },
) {
  const core = createCore({
    db,
    redisUrl: input.redisUrl,
    queuePrefix: input.queuePrefix,
    prompts: createPromptCatalog(path.resolve(import.meta.dirname, "../prompts")),
    clock: systemClock,
    holidays: createDutchHolidayCalendar(),
    logger: silentLogger,
    secret: "bench-secret-bench-secret-bench-secret!",
    publicUrl: "http://127.0.0.1:0",
  });
  const workers = startWorkers({
    connection: core.connection,
    names: core.names,
    deps: core.deps,
    adapters: new Map([["web", httpAdapter(input.platformPort)]]),
    queues: input.queues,
  });
  return {
    /** Where the bench queues its ticks. */
    ticks: core.ticks,
    async close() {
      await workers.close();
      await core.close();
    },
  };
}
