import type { Queue } from "bullmq";
import type { Platform } from "../domain/inbound-event.ts";
import type { Clock } from "../ports/clock.ts";
import type { Dispatcher } from "../ports/dispatcher.ts";
import type { Logger } from "../ports/logger.ts";
import type { Queued } from "../ports/outbox-store.ts";
import { DELIVERY_LIMITS } from "./delivery-limits.ts";
import { deliverJobSchema, lessonFeedJobSchema, retroJobSchema, trackerJobSchema } from "./job-payloads.ts";
import { deliveryJobId, JOB, lessonFeedJobId, projectMembersJobId, trackerJobId } from "./queue-names.ts";

export const DELIVERY_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: true,
  removeOnFail: 1_000,
} as const;

/** Per platform, batches of messages due at the same moment, at most the platform's batch size. */
function deliveryBatches(items: readonly Queued[]): Map<Platform, { ids: string[]; notBefore: number }[]> {
  const byPlatform = new Map<Platform, { ids: string[]; notBefore: number }[]>();
  const open = new Map<string, { ids: string[]; notBefore: number }>();
  for (const item of items) {
    const notBefore = item.notBefore?.getTime() ?? 0;
    const slot = `${item.platform}|${notBefore}`;
    let batch = open.get(slot);
    if (!batch || batch.ids.length >= DELIVERY_LIMITS[item.platform].batchSize) {
      batch = { ids: [], notBefore };
      open.set(slot, batch);
      const batches = byPlatform.get(item.platform) ?? [];
      batches.push(batch);
      byPlatform.set(item.platform, batches);
    }
    batch.ids.push(item.id);
  }
  return byPlatform;
}

/** Past this a queue that does not answer counts as away: the caller goes on without it. */
export const QUEUE_WAIT_MS = 3_000;

class QueueUnavailableError extends Error {
  readonly code = "QUEUE_UNAVAILABLE";
  constructor() {
    super("QUEUE_UNAVAILABLE: Redis did not answer in time");
    this.name = "QueueUnavailableError";
  }
}

/** The queue's answer, or a QueueUnavailableError once `ms` have passed (the queue may still take it later). */
async function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError()), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Puts work on the queues. If Redis is unavailable nothing is lost: the outbox rows stay
 * pending in PostgreSQL and the reconciler queues them again. Nobody waits on a Redis that
 * is away: while `available()` says so nothing is queued (the outage is logged elsewhere,
 * once per interval), and a queue that does not answer within {@link QUEUE_WAIT_MS} is left.
 */
export function createQueueDispatcher(options: {
  ticks: Queue;
  deliveryQueue: (platform: Platform) => Queue;
  logger: Logger;
  clock: Clock;
  available?: () => boolean;
  waitMs?: number;
}): Dispatcher {
  const available = options.available ?? (() => true);
  const waitMs = options.waitMs ?? QUEUE_WAIT_MS;
  /** Queues one job soon; while Redis is away, or too slow, the scheduled run follows instead. */
  const addSoon = async (add: () => Promise<unknown>, warning: string) => {
    if (!available()) return;
    try {
      const adding = add();
      adding.catch(() => {});
      await bounded(adding, waitMs);
    } catch (error) {
      options.logger.warn({ err: String(error) }, warning);
    }
  };
  return {
    async deliver(items) {
      if (!available()) return;
      for (const [platform, batches] of deliveryBatches(items)) {
        try {
          const adding = options.deliveryQueue(platform).addBulk(
            batches.map((batch) => ({
              name: JOB.deliver,
              data: deliverJobSchema.parse({ outboxIds: batch.ids }),
              opts: {
                ...DELIVERY_JOB_OPTIONS,
                jobId: deliveryJobId(batch.ids),
                delay: Math.max(0, batch.notBefore - options.clock.now().getTime()),
              },
            })),
          );
          adding.catch(() => {});
          await bounded(adding, waitMs);
        } catch (error) {
          options.logger.warn(
            { platform, count: batches.length, err: String(error) },
            "queueing deliveries failed; the reconciler will retry",
          );
        }
      }
    },
    async updateSent(items) {
      if (!available()) return;
      for (const [platform, batches] of deliveryBatches(items.map((item) => ({ ...item, notBefore: null })))) {
        try {
          const adding = options.deliveryQueue(platform).addBulk(
            batches.map((batch) => ({
              name: JOB.updateSent,
              data: deliverJobSchema.parse({ outboxIds: batch.ids }),
              opts: DELIVERY_JOB_OPTIONS,
            })),
          );
          adding.catch(() => {});
          await bounded(adding, waitMs);
        } catch (error) {
          options.logger.warn({ platform, err: String(error) }, "queueing message updates failed");
        }
      }
    },
    async tickProject(projectId) {
      await addSoon(
        () =>
          options.ticks.add(JOB.retro, retroJobSchema.parse({ projectId }), {
            removeOnComplete: true,
            removeOnFail: 100,
          }),
        "queueing a project tick failed; the scheduled tick will follow",
      );
    },
    async syncMembers(projectId) {
      await addSoon(
        () =>
          options.ticks.add(JOB.projectMembers, retroJobSchema.parse({ projectId }), {
            jobId: projectMembersJobId(projectId),
            // A platform that is busy or rate-limits the member list gets another try later.
            attempts: 5,
            backoff: { type: "exponential", delay: 30_000 },
            // A kept job would swallow the next request under the same id.
            removeOnComplete: true,
            removeOnFail: true,
          }),
        "queueing a member sync failed; the daily sync will follow",
      );
    },
    async pullLessonFeed(subscriptionId) {
      await addSoon(
        () =>
          options.ticks.add(JOB.lessonFeed, lessonFeedJobSchema.parse({ subscriptionId }), {
            jobId: lessonFeedJobId(subscriptionId),
            removeOnComplete: true,
            removeOnFail: true,
          }),
        "queueing a lesson feed pull failed; the scheduled pull will follow",
      );
    },
    async exportActions(items) {
      if (!available() || items.length === 0) return;
      try {
        const adding = options.ticks.addBulk(
          items.map((item) => ({
            name: JOB.trackerExport,
            data: trackerJobSchema.parse({ actionId: item.actionId }),
            opts: {
              jobId: trackerJobId(item.actionId),
              delay: Math.max(0, item.delayMs ?? 0),
              // A tracker that does not answer is retried by the job itself (after Retry-After, or
              // with back-off); these attempts cover a database that was away for a moment.
              attempts: 3,
              backoff: { type: "exponential", delay: 5_000 },
              removeOnComplete: true,
              removeOnFail: true,
            },
          })),
        );
        adding.catch(() => {});
        await bounded(adding, waitMs);
      } catch (error) {
        options.logger.warn(
          { count: items.length, err: String(error) },
          "queueing tracker sends failed; the reconciler will retry",
        );
      }
    },
  };
}
