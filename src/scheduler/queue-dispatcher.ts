import type { Queue } from "bullmq";
import type { Platform } from "../domain/inbound-event.ts";
import type { Dispatcher } from "../ports/dispatcher.ts";
import type { Logger } from "../ports/logger.ts";
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
}): Dispatcher {
  return {
    async deliver(items) {
      const byPlatform = new Map<Platform, string[]>();
      for (const item of items) byPlatform.set(item.platform, [...(byPlatform.get(item.platform) ?? []), item.id]);
      for (const [platform, ids] of byPlatform) {
        try {
          await options.deliveryQueue(platform).addBulk(
            ids.map((outboxId) => ({
              name: JOB.deliver,
              data: deliverJobSchema.parse({ outboxId }),
              opts: { ...DELIVERY_JOB_OPTIONS, jobId: deliveryJobId(outboxId) },
            })),
          );
        } catch (error) {
          options.logger.warn(
            { platform, count: ids.length, err: String(error) },
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
