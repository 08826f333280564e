import { randomBytes } from "node:crypto";
import path from "node:path";
import { createTrackerClients } from "../../adapters/trackers/create-tracker-clients.ts";
import type { ChatAdapter } from "../../src/ports/chat-adapter.ts";
import { type Logger, silentLogger } from "../../src/ports/logger.ts";
import type { Mailer } from "../../src/ports/mailer.ts";
import { createPromptCatalog } from "../../src/prompts/prompt-catalog.ts";
import { createCore } from "../../src/runtime/core.ts";
import { createDutchHolidayCalendar } from "../../src/runtime/dutch-holiday-calendar.ts";
import { sentMessageUpdater } from "../../src/runtime/sent-messages.ts";
import { startWorkers } from "../../src/scheduler/start-workers.ts";
import { createTestClock } from "./test-clock.ts";
import type { TestDatabase } from "./test-database.ts";

export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** The core's LEERLUS_SECRET in tests. */
export const TEST_SECRET = "test-secret-test-secret-test-secret!";

export const prompts = createPromptCatalog(path.resolve(import.meta.dirname, "../../prompts"));

/** The real core on a test database and real Redis, with random queue names and a controllable clock. */
export function createTestCore(
  database: Pick<TestDatabase, "db">,
  adapters: ChatAdapter[],
  start = new Date("2026-11-23T10:00:00Z"),
  logger: Logger = silentLogger,
  /** Wired into the core's dependencies before the workers start (a mailer, for guests). */
  extra: { mailer?: Mailer } = {},
) {
  const clock = createTestClock(start);
  const core = createCore({
    db: database.db,
    redisUrl: REDIS_URL,
    queuePrefix: `t${randomBytes(5).toString("hex")}`,
    prompts,
    clock,
    holidays: createDutchHolidayCalendar(),
    logger,
    secret: TEST_SECRET,
    publicUrl: "http://127.0.0.1:0",
    // The real clients, against local stand-ins on plain http (test/support/fake-jira.ts, fake-azure-devops.ts).
    trackers: { clients: createTrackerClients({ timeoutMs: 5_000 }), allowHttp: true },
  });
  const deps = { ...core.deps, updateSent: sentMessageUpdater(adapters), ...extra };
  const workers = startWorkers({
    connection: core.connection,
    names: core.names,
    deps,
    adapters: new Map(adapters.map((adapter) => [adapter.platform, adapter])),
  });
  return {
    ...core,
    deps,
    clock,
    async close() {
      await workers.close();
      await core.close();
    },
  };
}
