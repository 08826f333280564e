import { type ConnectionOptions, DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import pLimit from "p-limit";
import type { Platform } from "../domain/inbound-event.ts";
import type { ChatAdapter } from "../ports/chat-adapter.ts";
import { advanceProjects } from "../use-cases/advance-project.ts";
import { deliverMessages } from "../use-cases/deliver-message.ts";
import type { Deps } from "../use-cases/deps.ts";
import { evaluateCheckpoints } from "../use-cases/evaluate-checkpoints.ts";
import { type PullOptions, pullFeed } from "../use-cases/lessons/pull-feed.ts";
import { updateSentMessages } from "../use-cases/message-state.ts";
import { applyRetention } from "../use-cases/privacy.ts";
import { sendDigest } from "../use-cases/send-digest.ts";
import { syncOrganisationMembers, syncProjectMembers } from "../use-cases/sync-members.ts";
import { exportActionInBackground } from "../use-cases/trackers/export-action.ts";
import { createBatcher } from "./batcher.ts";
import { type BackoffSettings, createDeliveryBudget } from "./delivery-budget.ts";
import {
  deliverJobSchema,
  lessonFeedJobSchema,
  organisationJobSchema,
  retroJobSchema,
  trackerJobSchema,
} from "./job-payloads.ts";
import { JOB, type QueueNames } from "./queue-names.ts";
import type { RedisHealth } from "./redis-health.ts";
import { createSendLanes } from "./send-lanes.ts";

export type WorkerSet = { close(): Promise<void> };

/**
 * The queues a process serves. Deliveries spend their CPU on the platforms' HTTP clients and
 * ticks theirs waiting on the database, so a busy installation runs them in processes of
 * their own (`WORKER_QUEUES`) and scales each apart.
 */
export type WorkerQueues = { ticks: boolean; deliveries: boolean };

// Retro ticks taken within 10 ms of each other share a unit of work, up to 64 of them; a
// few such batches run side by side, so the database and the worker both stay busy.
const TICK_BATCH_SIZE = 64;
const TICK_BATCH_WAIT_MS = 10;
/**
 * Ticks wait on the database, not the CPU, and those that come due together are advanced in
 * batches, so many are taken at once. A BullMQ worker fetches its jobs one at a time and
 * starts none until it holds as many as its concurrency or the queue is empty. So a burst of
 * due ticks is fetched by several workers, each taking up to a batch, side by side, and the
 * first batches start while the rest are still being fetched.
 */
const TICK_WORKERS = 8;
// Checkpoints, digests and retention share the ticks queue but not its concurrency: each is
// a long transaction per organisation, and the pool has few connections.
const ORGANISATION_JOB_CONCURRENCY = 4;
const MEMBER_JOB_CONCURRENCY = 2;
const FEED_JOB_CONCURRENCY = 2;
// Sends to trackers wait on someone else's server: a few at once, apart from the rest.
const TRACKER_JOB_CONCURRENCY = 4;
/**
 * Delivery jobs run at once per platform. A job mostly waits: for its tenants' next windows
 * (up to {@link DELIVERY_HOLD_MS}) and for the platform's answers, while the sends
 * themselves are bounded by {@link DELIVERY_SENDS}. So enough jobs run for every tenant of
 * a fan-out to be under way at once, each at its own pace.
 */
export const DELIVERY_CONCURRENCY = 64;
/**
 * A message whose slot comes within this waits for it in its job (holding its claim); one
 * further off (a back-off, a Retry-After, a long window) goes back to the queue.
 */
export const DELIVERY_HOLD_MS = 5_000;
/**
 * Sends under way at once per platform and process. Fewer than the jobs' messages, so the
 * sends queue here, where those whose slot came after a wait go first (send-lanes.ts), and
 * not in the HTTP client, which would send them after every burst queued before them.
 */
export const DELIVERY_SENDS = 32;
// A message that waits for its budget keeps its slot and may come later, never earlier:
// waits are rounded up to this, so the messages of a batch due within it share one job.
const WAIT_GRID_MS = 10;
const slotAfter = (at: number) => Math.ceil(at / WAIT_GRID_MS) * WAIT_GRID_MS;

export function startWorkers(input: {
  connection: ConnectionOptions;
  names: QueueNames;
  deps: Deps;
  adapters: ReadonlyMap<string, ChatAdapter>;
  /** How long a delivery claims its outbox row (renewed while sending); default 30 s. */
  leaseMs?: number;
  /** Delivery jobs run at once per platform; default {@link DELIVERY_CONCURRENCY}. */
  deliveryConcurrency?: number;
  /** Both by default. */
  queues?: WorkerQueues;
  /** Counts the workers' connection errors into one warning per interval while Redis is away. */
  redis?: Pick<RedisHealth, "absorbs">;
  /** Back-off of a tenant or conversation whose platform fails without Retry-After. */
  backoff?: BackoffSettings;
  /** Pages per pull and back-off of a lesson feed that fails; defaults in pull-feed.ts. */
  lessonFeedPull?: PullOptions;
}): WorkerSet {
  const { deps, names, connection } = input;
  const queues = input.queues ?? { ticks: true, deliveries: true };
  const retroTicks = createBatcher((projectIds: string[]) => advanceProjects(deps, projectIds), {
    maxSize: TICK_BATCH_SIZE,
    waitMs: TICK_BATCH_WAIT_MS,
  });
  const organisationJobs = pLimit(ORGANISATION_JOB_CONCURRENCY);
  // Member syncs may wait out a platform's rate limits for minutes: apart, so they hold up nothing else.
  const memberJobs = pLimit(MEMBER_JOB_CONCURRENCY);
  // Feed pulls wait on other installations: apart, so a slow publisher holds up nothing else.
  const feedJobs = pLimit(FEED_JOB_CONCURRENCY);
  const trackerJobs = pLimit(TRACKER_JOB_CONCURRENCY);
  const tick = async (job: Job, token?: string) => {
    switch (job.name) {
      case JOB.retro:
        return retroTicks.add(retroJobSchema.parse(job.data).projectId);
      case JOB.checkpoints:
        return organisationJobs(() => evaluateCheckpoints(deps, organisationJobSchema.parse(job.data).organisationId));
      case JOB.retention:
        return organisationJobs(() => applyRetention(deps, organisationJobSchema.parse(job.data).organisationId));
      case JOB.digest:
        return organisationJobs(() => sendDigest(deps, organisationJobSchema.parse(job.data).organisationId));
      case JOB.members: {
        const { organisationId } = organisationJobSchema.parse(job.data);
        return memberJobs(() => syncOrganisationMembers(deps, input.adapters, organisationId));
      }
      case JOB.lessonFeed: {
        const { subscriptionId } = lessonFeedJobSchema.parse(job.data);
        const exchange = deps.exchange;
        if (!exchange) throw new UnrecoverableError("LESSON_EXCHANGE_UNAVAILABLE");
        // A failure is recorded on the subscription with its own back-off, not as a failed job.
        return feedJobs(() => pullFeed({ ...deps, exchange }, subscriptionId, input.lessonFeedPull));
      }
      case JOB.projectMembers:
        return memberJobs(() => syncProjectMembers(deps, input.adapters, retroJobSchema.parse(job.data).projectId));
      case JOB.trackerExport: {
        const { actionId } = trackerJobSchema.parse(job.data);
        const { retryInMs } = await trackerJobs(() => exportActionInBackground(deps, actionId));
        if (retryInMs === undefined) return;
        // The job waits itself (after Retry-After, or its back-off), so no twin is queued; the
        // export row counts the attempts.
        await job.moveToDelayed(Date.now() + retryInMs, token);
        throw new DelayedError();
      }
      default:
        throw new UnrecoverableError(`JOB_UNKNOWN: ${job.name}`);
    }
  };
  const tickWorkers = Array.from(
    { length: queues.ticks ? TICK_WORKERS : 0 },
    () => new Worker(names.ticks, tick, { connection, concurrency: TICK_BATCH_SIZE }),
  );
  // Budgets live in Redis beside the queues (keys named after the ticks queue, so each
  // installation and test has its own); every worker of the installation shares them.
  const budget =
    connection instanceof Redis
      ? createDeliveryBudget({ redis: connection, prefix: names.ticks, backoff: input.backoff })
      : undefined;
  const deliveryWorkers = [...(queues.deliveries ? input.adapters.keys() : [])].map((platform) => {
    const lanes = createSendLanes(DELIVERY_SENDS);
    const worker: Worker = new Worker(
      names.deliver(platform as Platform),
      async (job: Job, token?: string) => {
        const parsed = deliverJobSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError("JOB_PAYLOAD_INVALID");
        const { outboxIds } = parsed.data;
        if (job.name === JOB.updateSent) return updateSentMessages(deps, input.adapters, outboxIds);
        const { outcomes, retry } = await deliverMessages(deps, input.adapters, outboxIds, {
          leaseMs: input.leaseMs,
          budget,
          holdMs: DELIVERY_HOLD_MS,
          lanes,
        });
        const now = deps.clock.now().getTime();
        const deferred = [...outcomes].flatMap(([id, outcome]) =>
          typeof outcome === "object"
            ? [
                {
                  id,
                  platform: platform as Platform,
                  notBefore: "waitMs" in outcome ? new Date(slotAfter(now + outcome.waitMs)) : outcome.deferredUntil,
                },
              ]
            : [],
        );
        const until = deferred[0]?.notBefore.getTime();
        if (deferred.length === outboxIds.length && deferred.every((item) => item.notBefore.getTime() === until)) {
          // The job is named after its messages, so it waits itself instead of queueing a twin.
          // A job that waits uses up none of its attempts: only its own tenant is held back.
          await job.moveToDelayed(Date.now() + Math.max(0, (until ?? 0) - now), token);
          throw new DelayedError();
        }
        if (deferred.length > 0) await deps.dispatcher.deliver(deferred);
        if (retry === undefined) return Object.fromEntries(outcomes);
        throw retry;
      },
      {
        connection,
        concurrency: input.deliveryConcurrency ?? DELIVERY_CONCURRENCY,
        // Sends are short. Jobs of a worker that died count as stalled after 10 s instead of
        // 30–60 s and run again; the outbox claim keeps a re-run from sending twice, and a
        // re-run that finds the dead worker's claim waits for its lease to lapse, then sends.
        lockDuration: 10_000,
        stalledInterval: 5_000,
      },
    );
    return worker;
  });
  const all = [...tickWorkers, ...deliveryWorkers];
  for (const worker of all) {
    worker.on("failed", (job, error) => {
      deps.logger.warn(
        { queue: worker.name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
        "job failed",
      );
    });
    worker.on("error", (error) => {
      if (input.redis?.absorbs(error)) return;
      // Redis was flushed or restarted under a running job: expected, and the reconciler
      // rebuilds what was lost from the database, so it is not an error to page anyone for.
      if (error.message.startsWith("Missing key for job")) {
        deps.logger.warn(
          { queue: worker.name, err: error.message },
          "a job vanished from Redis; the reconciler restores it",
        );
        return;
      }
      deps.logger.error({ queue: worker.name, err: error.message }, "worker error");
    });
  }
  return {
    async close() {
      await Promise.all(all.map((worker) => worker.close()));
    },
  };
}
