import type { Queue } from "bullmq";
import type { Dispatcher } from "../ports/dispatcher.ts";
import type { LessonFeedStore } from "../ports/lesson-feed.ts";
import type { Logger } from "../ports/logger.ts";
import type { Stores } from "../ports/stores.ts";
import { lessonFeedJobSchema, organisationJobSchema, retroJobSchema } from "./job-payloads.ts";
import { JOB, schedulerId } from "./queue-names.ts";
import type { Repeat, ScheduleSettings } from "./schedule-settings.ts";

const PENDING_BATCH = 500;

export type ReconcileReport = { upserted: number; removed: number; requeued: number };

/**
 * Makes Redis match the database: one job scheduler per active project and per
 * organisation, none for what no longer exists, and every undelivered outbox row queued.
 * Run on worker start and every few minutes, so losing Redis loses nothing.
 */
export async function reconcile(input: {
  stores: Stores;
  ticks: Queue;
  dispatcher: Dispatcher;
  schedule: ScheduleSettings;
  logger: Logger;
  /** The lesson feed subscriptions, each with a scheduler of its own. */
  lessonFeeds?: Pick<LessonFeedStore, "subscriptionIds">;
  /** The clock's now, for the claims of tracker sends; the system's by default. */
  now?: Date;
}): Promise<ReconcileReport> {
  const { stores, ticks, schedule } = input;
  const wanted = new Map<string, { name: string; data: object; repeat: Repeat }>();
  for (const projectId of await stores.directory.activeProjectIds()) {
    wanted.set(schedulerId.retro(projectId), {
      name: JOB.retro,
      data: retroJobSchema.parse({ projectId }),
      repeat: schedule.retroTick,
    });
  }
  for (const organisationId of await stores.directory.organisationIds()) {
    const data = organisationJobSchema.parse({ organisationId });
    wanted.set(schedulerId.checkpoints(organisationId), { name: JOB.checkpoints, data, repeat: schedule.checkpoints });
    wanted.set(schedulerId.digest(organisationId), { name: JOB.digest, data, repeat: schedule.digest });
    wanted.set(schedulerId.retention(organisationId), { name: JOB.retention, data, repeat: schedule.retention });
    wanted.set(schedulerId.members(organisationId), { name: JOB.members, data, repeat: schedule.members });
  }
  for (const subscriptionId of (await input.lessonFeeds?.subscriptionIds()) ?? []) {
    wanted.set(schedulerId.lessonFeed(subscriptionId), {
      name: JOB.lessonFeed,
      data: lessonFeedJobSchema.parse({ subscriptionId }),
      repeat: schedule.lessonFeeds,
    });
  }
  for (const [id, job] of wanted) {
    await ticks.upsertJobScheduler(id, job.repeat, {
      name: job.name,
      data: job.data,
      opts: { removeOnComplete: true, removeOnFail: 100 },
    });
  }
  let removed = 0;
  for (const existing of await ticks.getJobSchedulers(0, -1)) {
    const id = existing.key;
    if (!wanted.has(id)) {
      await ticks.removeJobScheduler(id);
      removed++;
    }
  }
  const pending = await stores.outbox.pending(PENDING_BATCH);
  await input.dispatcher.deliver(pending);
  // Sends to trackers that were asked for but whose jobs Redis lost (or never got).
  const exports = await stores.trackers.pending(input.now ?? new Date(), PENDING_BATCH);
  await input.dispatcher.exportActions(exports.map((actionId) => ({ actionId })));
  const report = { upserted: wanted.size, removed, requeued: pending.length + exports.length };
  input.logger.info(report, "reconciled schedules with the database");
  return report;
}
