import { type ConnectionOptions, DelayedError, type Job, UnrecoverableError, Worker } from "bullmq";
import type { Platform } from "../domain/inbound-event.ts";
import { type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import { advanceProject } from "../use-cases/advance-project.ts";
import { deliverMessage } from "../use-cases/deliver-message.ts";
import type { Deps } from "../use-cases/deps.ts";
import { evaluateCheckpoints } from "../use-cases/evaluate-checkpoints.ts";
import { applyRetention } from "../use-cases/privacy.ts";
import { sendDigest } from "../use-cases/send-digest.ts";
import { deliverJobSchema, organisationJobSchema, retroJobSchema } from "./job-payloads.ts";
import { JOB, type QueueNames } from "./queue-names.ts";

export type WorkerSet = { close(): Promise<void> };

/** Per conversation platforms allow about one message a second; a tenant-wide budget on top. */
// Slack allows about one message a second per channel and Teams seven per conversation;
// a fan-out goes to many different direct conversations, so the budget that binds is the
// workspace's or tenant's (Teams: 50 a second per app). A 429 pauses the queue for its
// Retry-After. The web chat writes to our own database and needs no limit.
const DELIVERY_LIMITS: Record<Platform, { max: number; duration: number } | undefined> = {
  web: undefined,
  slack: { max: 20, duration: 1000 },
  teams: { max: 50, duration: 1000 },
};

/** Ticks and deliveries wait on the database and the network, not the CPU. */
export const TICK_CONCURRENCY = 4;
export const DELIVERY_CONCURRENCY = 16;

export function startWorkers(input: {
  connection: ConnectionOptions;
  names: QueueNames;
  deps: Deps;
  adapters: ReadonlyMap<string, ChatAdapter>;
  /** How long a delivery claims its outbox row (renewed while sending); default 30 s. */
  leaseMs?: number;
}): WorkerSet {
  const { deps, names, connection } = input;
  const ticks = new Worker(
    names.ticks,
    async (job: Job) => {
      switch (job.name) {
        case JOB.retro:
          return advanceProject(deps, retroJobSchema.parse(job.data).projectId);
        case JOB.checkpoints:
          return evaluateCheckpoints(deps, organisationJobSchema.parse(job.data).organisationId);
        case JOB.retention:
          return applyRetention(deps, organisationJobSchema.parse(job.data).organisationId);
        case JOB.digest:
          return sendDigest(deps, organisationJobSchema.parse(job.data).organisationId);
        default:
          throw new UnrecoverableError(`JOB_UNKNOWN: ${job.name}`);
      }
    },
    { connection, concurrency: TICK_CONCURRENCY },
  );
  const deliveryWorkers = [...input.adapters.keys()].map((platform) => {
    const worker: Worker = new Worker(
      names.deliver(platform as Platform),
      async (job: Job, token?: string) => {
        const parsed = deliverJobSchema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError("JOB_PAYLOAD_INVALID");
        try {
          const outcome = await deliverMessage(deps, input.adapters, parsed.data.outboxId, { leaseMs: input.leaseMs });
          if (typeof outcome === "object") {
            await job.moveToDelayed(Date.now() + outcome.deferredUntil.getTime() - deps.clock.now().getTime(), token);
            throw new DelayedError();
          }
          return outcome;
        } catch (error) {
          // A platform's 429: pause this queue for Retry-After instead of burning attempts.
          if (error instanceof DeliveryError && error.retryAfterMs) {
            await worker.rateLimit(error.retryAfterMs);
            throw Worker.RateLimitError();
          }
          throw error;
        }
      },
      {
        connection,
        concurrency: DELIVERY_CONCURRENCY,
        limiter: DELIVERY_LIMITS[platform as Platform],
        // Sends are short. Jobs of a worker that died count as stalled after 10 s instead of
        // 30–60 s and run again; the outbox claim keeps a re-run from sending twice.
        lockDuration: 10_000,
        stalledInterval: 5_000,
      },
    );
    return worker;
  });
  const all = [ticks, ...deliveryWorkers];
  for (const worker of all) {
    worker.on("failed", (job, error) => {
      deps.logger.warn(
        { queue: worker.name, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: error.message },
        "job failed",
      );
    });
    worker.on("error", (error) => {
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
