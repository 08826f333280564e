// Leerlus's core as the bench's worker processes build it: silent, on the system clock.
import path from "node:path";
import type { Db } from "../src/persistence/prisma-client.ts";
import { systemClock } from "../src/ports/clock.ts";
import { silentLogger } from "../src/ports/logger.ts";
import { createPromptCatalog } from "../src/prompts/prompt-catalog.ts";
import { createCore } from "../src/runtime/core.ts";
import { createDutchHolidayCalendar } from "../src/runtime/dutch-holiday-calendar.ts";

export function benchCore(db: Db, redisUrl: string, queuePrefix: string) {
  return createCore({
    db,
    redisUrl,
    queuePrefix,
    prompts: createPromptCatalog(path.resolve(import.meta.dirname, "../prompts")),
    clock: systemClock,
    holidays: createDutchHolidayCalendar(),
    logger: silentLogger,
    secret: "bench-secret-bench-secret-bench-secret!",
    publicUrl: "http://127.0.0.1:0",
  });
}
