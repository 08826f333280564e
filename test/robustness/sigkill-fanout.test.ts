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

const PROJECTS = 60;
const MEMBERS = 8;
// Claims of the killed worker lapse after this; the default (30 s) would only make the test
// longer. One delivery job at a time (of up to 100 messages), so a fan-out this small still
// takes long enough to be interrupted.
const env = { DELIVERY_LEASE_SECONDS: "10", DELIVERY_CONCURRENCY: "1" };

describe("a worker killed with SIGKILL during a fan-out", () => {
  // A long answer window: no reminders, so every direct message is a prompt.
  const fixture = useSeededTeams({ projects: PROJECTS, members: MEMBERS, answerWindowMinutes: 60 });

  it("is restarted, and every member ends up with exactly one prompt", async () => {
    const { db } = fixture.database;
    const { members, startWorker, promptsSent, queuePrefix } = fanOutRun(fixture, env);

    const first = startWorker();
    const atKill = await eventually(async () => {
      const sent = await promptsSent();
      return sent >= 40 && sent;
    }, 30_000);
    await first.kill();
    const afterKill = await promptsSent();
    expect(afterKill).toBeLessThan(members.length); // the kill really interrupted the fan-out
    expect(atKill).toBeGreaterThan(0);

    const second = startWorker();
    await eventually(async () => (await promptsSent()) >= members.length, 45_000).catch(async (error) => {
      throw new Error(
        `${error}: ${await promptsSent()} of ${members.length} prompts, outbox ${JSON.stringify(await outboxCounts(db, "prompt"))}`,
      );
    });
    await eventually(async () => Object.keys(await outboxCounts(db, "prompt")).join() === "sent", 10_000);
    // The killed worker's jobs come back as stalled (its locks lapse, the stalled check moves
    // them back) and run again; the reconciler queues again what was claimed. Wait until both
    // have happened, so that anything they would repeat shows, then count.
    const connection = createRedisConnection(REDIS_URL);
    const deliveryQueue = new Queue(`${queuePrefix}-deliver-web`, { connection });
    try {
      await eventually(async () => {
        const counts = await deliveryQueue.getJobCounts("active", "wait", "delayed", "prioritized");
        return Object.values(counts).every((count) => count === 0);
      }, 45_000);
    } finally {
      await deliveryQueue.close();
      connection.disconnect();
    }
    await nextReconcile([second]);

    const deliveries = await webDeliveries(db);
    expect(tally(deliveries, members, "prompt").wrong).toEqual({});
    expect(await outboxCounts(db, "prompt")).toEqual({ sent: members.length });
    expect(await countWhere(db, "RetroCycle")).toBe(PROJECTS);
    expect(await second.stop()).toBe(0);
  }, 90_000);
});
