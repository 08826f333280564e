import type { Router } from "express";
import type { Config } from "../config.ts";
import type { Db } from "../persistence/database.ts";
import { createPrivacyRepository } from "../persistence/privacy-repository.ts";
import { createTokenCipher, deriveKeyBase64 } from "../persistence/token-cipher.ts";
import { createStores, createUnitOfWork } from "../persistence/unit-of-work.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import type { HolidayCalendar } from "../ports/holiday-calendar.ts";
import type { LessonExchange } from "../ports/lesson-feed.ts";
import type { Logger } from "../ports/logger.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { type TrackerClients, TrackerError } from "../ports/tracker.ts";
import { createProcessQueues, type ProcessQueues } from "../scheduler/process-queues.ts";
import { createQueueDispatcher } from "../scheduler/queue-dispatcher.ts";
import type { Deps } from "../use-cases/deps.ts";
import { createDutchHolidayCalendar } from "./dutch-holiday-calendar.ts";
import type { Infrastructure } from "./infrastructure.ts";
import { createLessonExchange } from "./lesson-exchange.ts";

export type Core = Pick<ProcessQueues, "names" | "connection" | "ticks" | "queues"> & {
  deps: Deps;
  /** Whether Redis answers now; its outages are logged once per interval. */
  redis: ProcessQueues["redis"];
  close(): Promise<void>;
};

/** The core of a `leerlus` process: on its infrastructure, the system clock and Dutch holidays. */
export function createProcessCore(
  config: Config,
  infra: Infrastructure,
  input: { prompts: PromptCatalog; logger: Logger; secret: string; trackers?: TrackerClients },
): Core & { lessonFeedRouter: () => Router } {
  const lessons = createLessonExchange({
    db: infra.db,
    stores: createStores(infra.db),
    cipher: createTokenCipher(config.tokenEncryptionKey ?? deriveKeyBase64(input.secret, "lesson-feed-key")),
    publicUrl: config.publicUrl,
    logger: input.logger,
    client: { allowPrivate: config.lessonFeedAllowPrivate },
  });
  const core = createCore({
    db: infra.db,
    redisUrl: infra.redisUrl,
    queuePrefix: config.queuePrefix,
    prompts: input.prompts,
    clock: systemClock,
    holidays: createDutchHolidayCalendar(),
    logger: input.logger,
    secret: input.secret,
    publicUrl: config.publicUrl,
    exchange: lessons.exchange,
    tokenKey: config.tokenEncryptionKey,
    trackers: input.trackers ? { clients: input.trackers, allowHttp: false } : undefined,
  });
  return { ...core, lessonFeedRouter: lessons.router };
}

/** A process that sends nothing to trackers (a CLI command): every send is refused, never retried. */
const refuse = async (): Promise<never> => {
  throw new TrackerError("unexpected");
};
const NO_TRACKERS: TrackerClients = {
  jira: { check: refuse, find: refuse, create: refuse },
  "azure-devops": { check: refuse, find: refuse, create: refuse },
};

/** The use cases' dependencies on real PostgreSQL and BullMQ queues. */
export function createCore(input: {
  db: Db;
  redisUrl: string;
  queuePrefix: string;
  prompts: PromptCatalog;
  clock: Clock;
  holidays: HolidayCalendar;
  logger: Logger;
  secret: string;
  publicUrl: string;
  exchange?: LessonExchange;
  /** TOKEN_ENCRYPTION_KEY; without it, tracker tokens are sealed with a key derived from the secret. */
  tokenKey?: string;
  trackers?: Deps["trackers"];
}): Core {
  const queues = createProcessQueues(input);
  const { ticks, deliveryQueue, redis } = queues;
  const cipher = createTokenCipher(input.tokenKey ?? deriveKeyBase64(input.secret, "tracker-tokens"));
  const stores = createStores(input.db, { cipher });
  const deps: Deps = {
    stores,
    privacy: createPrivacyRepository(input.db),
    unitOfWork: createUnitOfWork(input.db, { cipher }),
    prompts: input.prompts,
    clock: input.clock,
    dispatcher: createQueueDispatcher({
      ticks,
      deliveryQueue,
      logger: input.logger,
      clock: input.clock,
      available: redis.available,
    }),
    holidays: input.holidays,
    logger: input.logger,
    secret: input.secret,
    publicUrl: input.publicUrl,
    ...(input.exchange ? { exchange: input.exchange } : {}),
    trackers: input.trackers ?? { clients: NO_TRACKERS, allowHttp: false },
  };
  return {
    deps,
    names: queues.names,
    connection: queues.connection,
    redis,
    ticks,
    queues: queues.queues,
    close: queues.close,
  };
}
