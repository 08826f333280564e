import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/ports/logger.ts";
import { createRedisConnection, ensureRedisWith, type RedisHandle } from "../../src/scheduler/redis-connection.ts";
import { updateWhere } from "../support/fixtures.ts";
import { channelRef, dmRef, type SeededTeam, seedTeams } from "../support/seed-teams.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import {
  nextReconcile,
  outboxCounts,
  randomQueuePrefix,
  startWorkerProcess,
  tally,
  type WorkerProcess,
  webDeliveries,
} from "../support/worker-process.ts";

function unusedRedisUrl(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(`redis://127.0.0.1:${port}`));
    });
  });
}

// FLUSHALL on a private redis-server, never on the shared one other tests use.
describe("Redis loses everything mid-cycle", () => {
  let database: TestDatabase;
  let dataDir: string;
  let redis: RedisHandle;
  let worker: WorkerProcess | undefined;
  let team: SeededTeam;
  const queuePrefix = randomQueuePrefix();

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "leerlus-flush-"));
    redis = await ensureRedisWith({
      redisUrl: undefined,
      dataDir,
      logger: silentLogger,
      defaultUrl: await unusedRedisUrl(),
    });
    database = await createTestDatabase();
    team = await seedTeams(database.db, { projects: 3, members: 4, now: new Date() });
  });

  afterAll(async () => {
    await worker?.kill();
    await database?.drop();
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("restores the schedules from the database: the reminder and the close still happen, exactly once", async () => {
    const { db } = database;
    worker = startWorkerProcess({ databaseUrl: database.url, redisUrl: redis.url, queuePrefix });
    const members = team.memberIds.map(dmRef);
    const channels = team.projectIds.map(channelRef);
    await eventually(async () => tally(await webDeliveries(db), members, "prompt").exact === members.length, 30_000);

    const client = createRedisConnection(redis.url);
    const ticks = new Queue(`${queuePrefix}-ticks`, { connection: client });
    try {
      const schedulerIds = async () => (await ticks.getJobSchedulers(0, -1)).map((scheduler) => scheduler.key).sort();
      const expected = team.projectIds.map((id) => `retro-${id}`);
      expect(await schedulerIds()).toEqual(expect.arrayContaining(expected));

      expect(await client.flushall()).toBe("OK");
      expect(await client.dbsize()).toBe(0);
      // Nothing but a restored scheduler ticks these projects now. Bring the reminder and the
      // close forward so the test stays short (the one-minute window would otherwise hold it).
      const now = Date.now();
      await updateWhere(
        db,
        "RetroCycle",
        { status: "open" },
        { remindsAt: new Date(now + 2_000), closesAt: new Date(now + 9_000) },
      );

      await eventually(async () => (await schedulerIds()).length >= expected.length && (await schedulerIds()), 20_000);
      expect(await schedulerIds()).toEqual(expect.arrayContaining(expected));

      await eventually(
        async () => tally(await webDeliveries(db), members, "reminder").exact === members.length,
        30_000,
      );
      await eventually(
        async () => tally(await webDeliveries(db), channels, "summary").exact === channels.length,
        30_000,
      );
    } finally {
      await ticks.close();
      client.disconnect();
    }

    // Another reconcile (and ticks meanwhile) gets the chance to repeat something, then count.
    await eventually(async () => !(await outboxCounts(db, "summary")).pending, 10_000);
    await nextReconcile([worker]);
    const deliveries = await webDeliveries(db);
    expect(tally(deliveries, members, "prompt").wrong).toEqual({});
    expect(tally(deliveries, members, "reminder").wrong).toEqual({});
    expect(tally(deliveries, channels, "summary").wrong).toEqual({});
    expect(await outboxCounts(db, "reminder")).toEqual({ sent: members.length });
    expect(await outboxCounts(db, "summary")).toEqual({ sent: channels.length });
    const cycles = await db.selectFrom("RetroCycle").select(["status", "remindedAt"]).execute();
    expect(cycles).toHaveLength(team.projectIds.length);
    expect(cycles.every((cycle) => cycle.status === "closed" && cycle.remindedAt)).toBe(true);

    expect(await worker.stop()).toBe(0);
    expect(worker.output()).not.toMatch(/"level":(50|60)/);
  }, 60_000);
});
