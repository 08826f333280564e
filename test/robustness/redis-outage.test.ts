import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locale } from "../../src/domain/locale.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { webLink, webLinkSigner } from "../../src/use-cases/web-link.ts";
import { countWhere } from "../support/fixtures.ts";
import { freePort } from "../support/free-port.ts";
import { type PrivateRedis, startPrivateRedis } from "../support/private-redis.ts";
import { channelRef, dmRef, type SeededTeam, seedTeams } from "../support/seed-teams.ts";
import { eventually } from "../support/test-clock.ts";
import { prompts } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import {
  randomQueuePrefix,
  startWorkerProcess,
  tally,
  type WorkerProcess,
  webDeliveries,
} from "../support/worker-process.ts";

const SECRET = "robustness-test-secret-0123456789abcdef";
/** How long the test watches the logs of a Redis that stays away. */
const OUTAGE_WATCH_MS = 11_000;

type Timed = { status: number; ms: number; text: string };

async function timedFetch(url: string, init?: RequestInit): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(35_000) });
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, text };
}

/** The JSON log lines a process wrote after `from`; any other line fails the test. */
function logLinesSince(output: string, from: number): { level: number; msg: string; [key: string]: unknown }[] {
  return output
    .slice(from)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        throw new Error(`not a JSON log line: ${line.slice(0, 300)}`);
      }
    });
}

// A real `serve` and a real `worker` on a Redis of the test's own, which goes away and comes
// back empty (as any Redis here that restarts).
describe("Redis goes away and comes back", () => {
  let database: TestDatabase;
  let redis: PrivateRedis;
  let team: SeededTeam;
  let serve: WorkerProcess;
  let worker: WorkerProcess;
  let base: string;
  const queuePrefix = randomQueuePrefix();

  beforeAll(async () => {
    redis = await startPrivateRedis();
    database = await createTestDatabase();
    await seedDemo(database.db, { now: new Date(), fast: false });
    team = await seedTeams(database.db, { projects: 2, members: 3, now: new Date() });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const common = { databaseUrl: database.url, redisUrl: redis.url, queuePrefix };
    worker = startWorkerProcess(common);
    serve = startWorkerProcess({ ...common, command: "serve", env: { PORT: String(port), HOST: "127.0.0.1" } });
    await eventually(async () => (await fetch(`${base}/healthz`)).ok, 30_000);
  }, 60_000);

  afterAll(async () => {
    await serve?.kill();
    await worker?.kill();
    await database?.drop();
    await redis?.stop();
  });

  async function signIn(personId: string): Promise<string> {
    const link = webLink({ signer: webLinkSigner(SECRET), publicUrl: base, personId, page: "chat", now: new Date() });
    const response = await fetch(link.url, { redirect: "manual" });
    return response.headers.get("set-cookie")?.split(";")[0] ?? "";
  }

  function command(cookie: string, personId: string, text: string): Promise<Timed> {
    return timedFetch(`${base}/web/api/command`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json", origin: base },
      body: JSON.stringify({ conversationRef: dmRef(personId), text }),
    });
  }

  it("answers honestly and quickly while Redis is down, logs once, and loses nothing when it is back", async () => {
    const { db } = database;
    const members = team.memberIds.map(dmRef);
    const channels = team.projectIds.map(channelRef);
    await eventually(async () => tally(await webDeliveries(db), members, "prompt").exact === members.length, 30_000);
    const people: [string, Locale][] = [
      [DEMO_IDS.lotte, "nl"],
      [DEMO_IDS.emma, "en"],
    ];
    const cookies = new Map(await Promise.all(people.map(async ([id]) => [id, await signIn(id)] as const)));
    expect((await timedFetch(`${base}/readyz`)).status).toBe(200);

    const serveFrom = serve.output().length;
    const workerFrom = worker.output().length;
    const outageStarted = Date.now();
    await redis.stop();

    const ready = await timedFetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(2_000);
    expect(JSON.parse(ready.text).checks).toEqual({ postgres: "ok", redis: "unavailable" });

    const metrics = await timedFetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.ms).toBeLessThan(5_000);
    expect(metrics.text).toContain("process_start_time_seconds");
    expect(metrics.text).toMatch(/^leerlus_redis_up 0$/m);
    expect(metrics.text).not.toMatch(/^leerlus_queue_jobs\{/m);

    const storedBefore = await countWhere(db, "WebMessage", { conversationRef: dmRef(DEMO_IDS.lotte) });
    for (const [personId, locale] of people) {
      const answer = await command(cookies.get(personId) ?? "", personId, "help");
      expect(answer.ms).toBeLessThan(5_000);
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.text).error).toEqual({
        code: "TEMPORARILY_UNAVAILABLE",
        message: prompts.t(locale, "web.status.unavailable"),
      });
    }
    // Reported as not done, and indeed not done: nothing was stored for it.
    expect(await countWhere(db, "WebMessage", { conversationRef: dmRef(DEMO_IDS.lotte) })).toBe(storedBefore);

    // The open cycles' reminder or close falls due in a second.
    const dueSoon = (moment: "remindsAt" | "closesAt") =>
      db
        .updateTable("RetroCycle")
        .set({ [moment]: new Date(Date.now() + 1_000) })
        .where("projectId", "in", team.projectIds)
        .where("status", "=", "open")
        .execute();
    // The reminder falls due while Redis is away: it must still go out, once, when Redis is back.
    await dueSoon("remindsAt");
    // Readiness keeps answering quickly for as long as Redis stays away.
    while (Date.now() - outageStarted < OUTAGE_WATCH_MS) {
      const during = await timedFetch(`${base}/readyz`);
      expect(during.status).toBe(503);
      expect(during.ms).toBeLessThan(2_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    for (const [name, process, from] of [
      ["serve", serve, serveFrom],
      ["worker", worker, workerFrom],
    ] as const) {
      const lines = logLinesSince(process.output(), from);
      const warnings = lines.filter((line) => line.level >= 40);
      expect(warnings, `${name}: ${JSON.stringify(warnings)}`).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, code: "REDIS_UNAVAILABLE" });
      expect(JSON.stringify(lines)).not.toMatch(/\bat .+:\d+:\d+/);
    }

    await redis.start();
    await eventually(async () => (await timedFetch(`${base}/readyz`)).status === 200, 20_000);
    expect((await timedFetch(`${base}/metrics`)).text).toMatch(/^leerlus_redis_up 1$/m);
    const again = await command(cookies.get(DEMO_IDS.lotte) ?? "", DEMO_IDS.lotte, "help");
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text).replies.length).toBeGreaterThan(0);

    // Redis came back empty: the schedules return from the database and the work goes on.
    await eventually(async () => tally(await webDeliveries(db), members, "reminder").exact === members.length, 30_000);
    await dueSoon("closesAt");
    await eventually(async () => tally(await webDeliveries(db), channels, "summary").exact === channels.length, 30_000);
    const deliveries = await webDeliveries(db);
    expect(tally(deliveries, members, "prompt").wrong).toEqual({});
    expect(tally(deliveries, members, "reminder").wrong).toEqual({});
    expect(tally(deliveries, channels, "summary").wrong).toEqual({});

    expect(await serve.stop()).toBe(0);
    expect(await worker.stop()).toBe(0);
    expect(serve.output() + worker.output()).not.toMatch(/"level":(50|60)/);
  }, 120_000);
});
