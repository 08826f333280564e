// A process's BullMQ queues on one Redis connection: the ticks queue and a delivery queue per
// platform, made when first asked for. Their errors repeat the connection's, so they are
// counted into the Redis health warning instead of logged again.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Platform } from "../domain/inbound-event.ts";
import type { Logger } from "../ports/logger.ts";
import { type QueueNames, queueNames } from "./queue-names.ts";
import { createRedisConnection } from "./redis-connection.ts";
import { type RedisHealth, watchRedis } from "./redis-health.ts";

export type ProcessQueues = {
  names: QueueNames;
  connection: Redis;
  redis: RedisHealth;
  ticks: Queue;
  deliveryQueue(platform: Platform): Queue;
  /** The queues a process uses, for metrics and dashboards. */
  queues(platforms: Platform[]): Queue[];
  close(): Promise<void>;
};

export function createProcessQueues(input: { redisUrl: string; queuePrefix: string; logger: Logger }): ProcessQueues {
  const names = queueNames(input.queuePrefix);
  const connection = createRedisConnection(input.redisUrl);
  const redis = watchRedis(connection, input.logger);
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
  return {
    names,
    connection,
    redis,
    ticks,
    deliveryQueue,
    queues: (platforms) => [ticks, ...platforms.map(deliveryQueue)],
    async close() {
      await Promise.all([ticks.close(), ...[...deliveryQueues.values()].map((queue) => queue.close())]);
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
