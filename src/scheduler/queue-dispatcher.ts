import type { Queue } from "bullmq";
import type { Platform } from "../domain/inbound-event.ts";
import type { Clock } from "../ports/clock.ts";
import type { Dispatcher } from "../ports/dispatcher.ts";
import type { Logger } from "../ports/logger.ts";
import type { Queued } from "../ports/store.ts";
import { deliverJobSchema, retroJobSchema } from "./job-payloads.ts";
import { deliveryJobId, JOB } from "./queue-names.ts";

export const DELIVERY_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: 1_000,
} as const;

/**
 * Puts work on the queues. If Redis is unavailable nothing is lost: the outbox rows stay
 * pending in PostgreSQL and the reconciler queues them again.
 */
export function createQueueDispatcher(options: {
  ticks: Queue;
  deliveryQueue: (platform: Platform) => Queue;
  logger: Logger;
  clock: Clock;
}): Dispatcher {
  return {
    async deliver(items) {
      const delayUntil = (notBefore: Date | null) =>
        notBefore ? Math.max(0, notBefore.getTime() - options.clock.now().getTime()) : 0;
      const byPlatform = new Map<Platform, Queued[]>();
      for (const item of items) byPlatform.set(item.platform, [...(byPlatform.get(item.platform) ?? []), item]);
      for (const [platform, queued] of byPlatform) {
        try {
          await options.deliveryQueue(platform).addBulk(
            queued.map((item) => ({
              name: JOB.deliver,
              data: deliverJobSchema.parse({ outboxId: item.id }),
              opts: { ...DELIVERY_JOB_OPTIONS, jobId: deliveryJobId(item.id), delay: delayUntil(item.notBefore) },
            })),
          );
        } catch (error) {
          options.logger.warn(
            { platform, count: queued.length, err: String(error) },
            "queueing deliveries failed; the reconciler will retry",
          );
        }
      }
    },
    async tickProject(projectId) {
      try {
        await options.ticks.add(JOB.retro, retroJobSchema.parse({ projectId }), {
          removeOnComplete: true,
          removeOnFail: 100,
        });
      } catch (error) {
        options.logger.warn({ err: String(error) }, "queueing a project tick failed; the scheduled tick will follow");
      }
    },
  };
}
