import { randomBytes, randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import type { Platform } from "../../src/domain/inbound-event.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import type { Queued } from "../../src/ports/outbox-store.ts";
import { createQueueDispatcher } from "../../src/scheduler/queue-dispatcher.ts";
import { createRedisConnection } from "../../src/scheduler/redis-connection.ts";
import { createTestClock } from "../support/test-clock.ts";
import { REDIS_URL } from "../support/test-core.ts";

// What the dispatcher puts on the delivery queues, read back from a real Redis.
describe("queueing deliveries", () => {
  const connection = createRedisConnection(REDIS_URL);
  const prefix = `t${randomBytes(5).toString("hex")}`;
  const queues = new Map<Platform, Queue>();
  const queue = (platform: Platform) => {
    let found = queues.get(platform);
    if (!found) {
      found = new Queue(`${prefix}-deliver-${platform}`, { connection });
      queues.set(platform, found);
    }
    return found;
  };
  const clock = createTestClock(new Date());
  const dispatcher = createQueueDispatcher({
    ticks: new Queue(`${prefix}-ticks`, { connection }),
    deliveryQueue: queue,
    logger: silentLogger,
    clock,
  });

  afterAll(async () => {
    for (const found of queues.values()) {
      await found.obliterate({ force: true });
      await found.close();
    }
    connection.disconnect();
  });

  const jobsOf = async (platform: Platform) =>
    (await queue(platform).getJobs(["waiting", "delayed"])).map((job) => ({
      ids: (job.data as { outboxIds: string[] }).outboxIds,
      delayed: job.delay > 0,
    }));

  it("batches messages due together: the web chat's by 100, rate-limited platforms' by 50", async () => {
    const later = new Date(clock.now().getTime() + 3_600_000);
    const items = (platform: Platform, count: number, notBefore: Date | null = null): Queued[] =>
      Array.from({ length: count }, () => ({ id: randomUUID(), platform, notBefore }));
    const webNow = items("web", 230);
    const webLater = items("web", 5, later);
    const slack = items("slack", 120);
    await dispatcher.deliver([...webNow, ...webLater, ...slack]);
    // Queued twice (say, by the reconciler): the same jobs, not new ones.
    await dispatcher.deliver([...webNow, ...webLater, ...slack]);

    const web = await jobsOf("web");
    expect(web.map((job) => job.ids.length).sort((a, b) => a - b)).toEqual([5, 30, 100, 100]);
    expect(web.flatMap((job) => job.ids).sort()).toEqual([...webNow, ...webLater].map((item) => item.id).sort());
    expect(web.find((job) => job.ids.length === 5)?.delayed).toBe(true);
    expect(web.filter((job) => job.delayed)).toHaveLength(1);
    const slackJobs = await jobsOf("slack");
    expect(slackJobs.map((job) => job.ids.length).sort((a, b) => a - b)).toEqual([20, 50, 50]);
    expect(slackJobs.flatMap((job) => job.ids).sort()).toEqual(slack.map((item) => item.id).sort());
  });
});
