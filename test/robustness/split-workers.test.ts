import { Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { createRedisConnection } from "../../src/scheduler/redis-connection.ts";
import { countWhere } from "../support/fixtures.ts";
import { eventually } from "../support/test-clock.ts";
import { REDIS_URL } from "../support/test-core.ts";
import {
  fanOutRun,
  nextReconcile,
  outboxCounts,
  tally,
  useSeededTeams,
  webDeliveries,
} from "../support/worker-process.ts";

// `WORKER_QUEUES`: one `leerlus worker` for the ticks and another for the deliveries.
describe("worker processes split by queue", () => {
  const fixture = useSeededTeams({ projects: 4, members: 6 });

  it("open cycles in the ticks worker and deliver every prompt once from the deliveries worker", async () => {
    const { db } = fixture.database;
    const ticksOnly = fanOutRun(fixture, { WORKER_QUEUES: "ticks" });
    const ticks = ticksOnly.startWorker();
    await eventually(async () => (await outboxCounts(db, "prompt")).pending === ticksOnly.members.length, 30_000);
    // Another reconcile, which queues the pending prompts again, and ticks meanwhile: the
    // ticks worker still sends nothing itself.
    await nextReconcile([ticks]);
    expect(await outboxCounts(db, "prompt")).toEqual({ pending: ticksOnly.members.length });
    expect(await countWhere(db, "WebMessage")).toBe(0);

    // Same queue prefix: the deliveries worker takes the jobs the ticks worker queued.
    const deliveries = ticksOnly.startWorker({ WORKER_QUEUES: "deliveries" });
    await eventually(async () => (await ticksOnly.promptsSent()) === ticksOnly.members.length, 30_000);
    await nextReconcile([ticks, deliveries]);
    expect(tally(await webDeliveries(db), ticksOnly.members, "prompt").wrong).toEqual({});
    expect(await outboxCounts(db, "prompt")).toEqual({ sent: ticksOnly.members.length });
    expect(await countWhere(db, "RetroCycle")).toBe(fixture.team.projectIds.length);

    // Each serves its own kind only: with the ticks worker gone, nobody takes ticks.
    expect(await ticks.stop()).toBe(0);
    const connection = createRedisConnection(REDIS_URL);
    const queues = [`${ticksOnly.queuePrefix}-ticks`, `${ticksOnly.queuePrefix}-deliver-web`].map(
      (name) => new Queue(name, { connection }),
    );
    try {
      expect(await Promise.all(queues.map((queue) => queue.getWorkersCount()))).toEqual([0, 1]);
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
      connection.disconnect();
    }
    expect(await deliveries.stop()).toBe(0);
  }, 60_000);
});
