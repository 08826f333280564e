import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Config } from "../config.ts";
import type { Platform } from "../domain/inbound-event.ts";
import type { Db } from "../persistence/prisma-client.ts";
import { createPrivacyRepository } from "../persistence/privacy-repository.ts";
import { createStores, createUnitOfWork } from "../persistence/unit-of-work.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import type { HolidayCalendar } from "../ports/holiday-calendar.ts";
import type { Logger } from "../ports/logger.ts";
import type { PromptCatalog } from "../ports/prompt-catalog.ts";
import { createQueueDispatcher } from "../scheduler/queue-dispatcher.ts";
import { type QueueNames, queueNames } from "../scheduler/queue-names.ts";
import { createRedisConnection } from "../scheduler/redis-connection.ts";
import { type RedisHealth, watchRedis } from "../scheduler/redis-health.ts";
import type { Deps } from "../use-cases/deps.ts";
import { createDutchHolidayCalendar } from "./dutch-holiday-calendar.ts";
import type { Infrastructure } from "./infrastructure.ts";

export type Core = {
  deps: Deps;
  names: QueueNames;
  connection: Redis;
  /** Whether Redis answers now; its outages are logged once per interval. */
  redis: RedisHealth;
  ticks: Queue;
  /** The queues a process uses, for metrics and dashboards. */
  queues(platforms: Platform[]): Queue[];
  close(): Promise<void>;
};

/** The core of a `leerlus` process: on its infrastructure, the system clock and Dutch holidays. */
export function createProcessCore(
  config: Config,
  infra: Infrastructure,
  input: { prompts: PromptCatalog; logger: Logger; secret: string },
): Core {
  return createCore({
    db: infra.db,
    redisUrl: infra.redisUrl,
    queuePrefix: config.queuePrefix,
    prompts: input.prompts,
    clock: systemClock,
    holidays: createDutchHolidayCalendar(),
    logger: input.logger,
    secret: input.secret,
    publicUrl: config.publicUrl,
  });
}

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
}): Core {
  const names = queueNames(input.queuePrefix);
  const connection = createRedisConnection(input.redisUrl);
  const redis = watchRedis(connection, input.logger);
  // The queues share the connection and repeat its errors: those are counted, not logged again.
  const quiet = (queue: Queue) =>
    queue.on("error", (error) => {
      if (!redis.absorbs(error)) input.logger.warn({ queue: queue.name, err: error.message }, "queue error");
    });
  const ticks = new Queue(names.ticks, { connection });
  quiet(ticks);
  const deliveryQueues = new Map<Platform, Queue>();
  const deliveryQueue = (platform: Platform) => {
    let queue = deliveryQueues.get(platform);
    if (!queue) {
      queue = new Queue(names.deliver(platform), { connection });
      quiet(queue);
      deliveryQueues.set(platform, queue);
    }
    return queue;
  };
  const stores = createStores(input.db);
  const deps: Deps = {
    stores,
    privacy: createPrivacyRepository(input.db),
    unitOfWork: createUnitOfWork(input.db),
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
  };
  return {
    deps,
    names,
    connection,
    redis,
    ticks,
    queues: (platforms) => [ticks, ...platforms.map(deliveryQueue)],
    async close() {
      await Promise.all([ticks.close(), ...[...deliveryQueues.values()].map((queue) => queue.close())]);
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
