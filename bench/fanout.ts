// Fan-out benchmark: 500 projects of 8 members open their cycles at the same moment and
// every prompt goes through the outbox and the delivery queue to a local HTTP endpoint
// standing in for the chat platform. Compared with a bare BullMQ pipeline of the same number
// of no-op jobs, measured in the same run on the same Redis.
//
//   node --import tsx bench/fanout.ts        (npm run bench:fanout)
//
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres; BENCH_POSTGRES_URL overrides) and Redis
// (REDIS_URL, default redis://127.0.0.1:6379). Creates and drops its own database.
import { fork } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { Session } from "node:inspector";
import path from "node:path";
import { Queue, Worker } from "bullmq";
import pg from "pg";
import type { Message } from "../src/domain/message.ts";
import { migrateDatabase } from "../src/persistence/migrate.ts";
import { createPrismaClient } from "../src/persistence/prisma-client.ts";
import { type ChatAdapter, DeliveryError, type SendOptions } from "../src/ports/chat-adapter.ts";
import { systemClock } from "../src/ports/clock.ts";
import { silentLogger } from "../src/ports/logger.ts";
import { createPromptCatalog } from "../src/prompts/prompt-catalog.ts";
import { createCore } from "../src/runtime/core.ts";
import { createDutchHolidayCalendar } from "../src/runtime/dutch-holiday-calendar.ts";
import { createRedisConnection } from "../src/scheduler/redis-connection.ts";
import { DELIVERY_CONCURRENCY, startWorkers } from "../src/scheduler/start-workers.ts";
import type { StandInMessage } from "./chat-platform-stand-in.ts";

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 500);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 8);
const TOTAL = PROJECTS * MEMBERS;
const TIMEOUT_MS = 150_000;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const root = path.resolve(import.meta.dirname, "..");

/** Starts the chat platform's stand-in in its own process; resolves once it listens. */
async function startPlatform() {
  const child = fork(path.join(import.meta.dirname, "chat-platform-stand-in.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let prompts = 0;
  let onReport: (report: Extract<StandInMessage, { type: "report" }>) => void = () => {};
  const port = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.on("message", (message: StandInMessage) => {
      if (message.type === "listening") resolve(message.port);
      if (message.type === "progress") prompts = message.prompts;
      if (message.type === "report") onReport(message);
    });
  });
  return {
    port,
    prompts: () => prompts,
    report: () =>
      new Promise<{ byKey: Map<string, number>; byConversation: Map<string, number> }>((resolve) => {
        onReport = (report) =>
          resolve({ byKey: new Map(report.byKey), byConversation: new Map(report.byConversation) });
        child.send({ type: "report" });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send({ type: "close" });
      }),
  };
}

/**
 * A bench-only ChatAdapter: every message is one HTTP POST to the stand-in platform, over
 * kept-alive connections as Slack's and Teams' SDK clients use.
 */
function httpAdapter(port: number): ChatAdapter {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const post = (payload: object) =>
    new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/send",
          agent,
          headers: { "content-type": "application/json" },
        },
        (res) => {
          let body = "";
          res.on("data", (chunk) => {
            body += chunk;
          });
          res.on("end", () =>
            res.statusCode === 200
              ? resolve((JSON.parse(body) as { ts: string }).ts)
              : reject(new DeliveryError(`HTTP ${res.statusCode}`, { retryable: true })),
          );
        },
      );
      req.on("error", (error) => reject(new DeliveryError(error.message, { retryable: true, cause: error })));
      req.end(JSON.stringify(payload));
    });
  return {
    platform: "web",
    async start() {},
    async stop() {},
    send: (conversationRef: string, message: Message, options?: SendOptions) =>
      post({ key: options?.idempotencyKey, conversationRef, text: message.fallback }),
    async update() {},
    async openDirect(userRef) {
      return `web:dm:${userRef.platformUserId}`;
    },
  };
}

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `leerlus_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: ADMIN_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
}

async function seed(db: ReturnType<typeof createPrismaClient>): Promise<string[]> {
  // Messages allowed around the clock: the run must not depend on the time of day.
  const organisation = await db.organisation.create({
    data: { name: "Gemeente Bench", locale: "nl", quietHoursEnd: 0, quietHoursStart: 24 * 60, quietWeekends: false },
  });
  const now = new Date();
  const teams = Array.from({ length: PROJECTS }, () => ({
    projectId: randomUUID(),
    people: Array.from({ length: MEMBERS }, () => randomUUID()),
  }));
  const people = teams.flatMap((team) => team.people);
  await db.person.createMany({
    data: people.map((id, i) => ({ id, organisationId: organisation.id, displayName: `P ${i}`, roles: ["member"] })),
  });
  await db.chatIdentity.createMany({
    data: people.map((id) => ({
      personId: id,
      platform: "web",
      tenantId: organisation.id,
      platformUserId: id,
      conversationRef: `web:dm:${id}`,
    })),
  });
  await db.project.createMany({
    data: teams.map((team, p) => ({
      id: team.projectId,
      organisationId: organisation.id,
      name: `Project ${p}`,
      phase: "pilot",
      cadence: { kind: "minutes", every: 600 },
      answerWindowMinutes: 600,
      createdAt: now,
    })),
  });
  await db.projectChannel.createMany({
    data: teams.map((team) => ({
      projectId: team.projectId,
      platform: "web",
      conversationRef: `web:channel:${team.projectId}`,
    })),
  });
  await db.membership.createMany({
    data: teams.flatMap((team) =>
      team.people.map((personId) => ({ projectId: team.projectId, personId, role: "member", sector: "government" })),
    ),
  });
  const projectIds = teams.map((team) => team.projectId);
  return projectIds;
}

/** The same number of no-op jobs through BullMQ alone, with the delivery workers' concurrency. */
async function bareBullmq(count: number): Promise<number> {
  const connection = createRedisConnection(REDIS_URL);
  const name = `bench${randomBytes(5).toString("hex")}-noop`;
  const queue = new Queue(name, { connection });
  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const worker = new Worker(
    name,
    async () => {
      if (++done === count) finished();
    },
    { connection: createRedisConnection(REDIS_URL), concurrency: DELIVERY_CONCURRENCY },
  );
  const started = performance.now();
  for (let i = 0; i < count; i += 500) {
    await queue.addBulk(
      Array.from({ length: Math.min(500, count - i) }, (_, j) => ({
        name: "noop",
        data: { i: i + j },
        opts: { jobId: `noop-${i + j}`, removeOnComplete: true },
      })),
    );
  }
  await allDone;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return count / seconds;
}

/** With BENCH_PROFILE=<file>, a CPU profile of the fan-out alone (not the seeding) for DevTools. */
async function startProfiler(): Promise<{ stop(): Promise<void> }> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return { async stop() {} };
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post("Profiler.enable");
  await post("Profiler.start");
  return {
    async stop() {
      const { profile } = (await post("Profiler.stop")) as { profile: object };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function main(): Promise<void> {
  const database = await createDatabase();
  const platform = await startPlatform();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const phase = (label: string, since: number) =>
      console.error(`  (${label}: ${((performance.now() - since) / 1000).toFixed(1)} s)`);
    let mark = performance.now();
    await migrateDatabase(database.url);
    phase("migrate", mark);
    const db = createPrismaClient(database.url, 10);
    mark = performance.now();
    const projectIds = await seed(db);
    phase("seed", mark);
    mark = performance.now();
    const baseline = await bareBullmq(TOTAL);
    phase("bare BullMQ", mark);

    const core = createCore({
      db,
      redisUrl: REDIS_URL,
      queuePrefix: `bench${randomBytes(5).toString("hex")}`,
      prompts: createPromptCatalog(path.join(root, "prompts")),
      clock: systemClock,
      holidays: createDutchHolidayCalendar(),
      logger: silentLogger,
      secret: "bench-secret-bench-secret-bench-secret!",
      publicUrl: "http://127.0.0.1:0",
    });
    const workers = startWorkers({
      connection: core.connection,
      names: core.names,
      deps: core.deps,
      adapters: new Map([["web", httpAdapter(platform.port)]]),
    });
    const rssBefore = process.memoryUsage().rss;
    peakRss = rssBefore;
    const profiler = await startProfiler();
    const started = performance.now();
    // Every project's tick at the same moment: each opens its cycle and queues 8 prompts.
    await Promise.all(projectIds.map((projectId) => core.deps.dispatcher.tickProject(projectId)));
    const deadline = Date.now() + TIMEOUT_MS;
    let opened: number | undefined;
    while (platform.prompts() < TOTAL && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (opened === undefined && (await db.retroCycle.count()) === projectIds.length) {
        opened = (performance.now() - started) / 1000;
        console.error(
          `  (all ${projectIds.length} cycles opened after ${opened.toFixed(1)} s; ${platform.prompts()} prompts delivered by then)`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    await profiler.stop();
    // Let anything that would repeat a delivery do so before counting.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await workers.close();
    await core.close();

    const rows = await db.outboxMessage.findMany({
      where: { key: { startsWith: "prompt:" } },
      select: { id: true, status: true },
    });
    const { byKey, byConversation } = await platform.report();
    const lost = rows.filter((row) => !byKey.has(row.id)).length + Math.max(0, TOTAL - rows.length);
    const duplicateKeys = [...byKey.values()].filter((count) => count > 1).length;
    const duplicateConversations = [...byConversation.entries()].filter(
      ([ref, count]) => ref.startsWith("web:dm:") && count > 1,
    ).length;
    await db.$disconnect();

    const rate = platform.prompts() / seconds;
    const ratio = rate / baseline;
    console.log(`fan-out: ${PROJECTS} projects x ${MEMBERS} members = ${TOTAL} prompts`);
    console.log(`  delivered:           ${platform.prompts()} prompts in ${seconds.toFixed(1)} s`);
    console.log(`  prompts per second:  ${rate.toFixed(0)}`);
    console.log(
      `  bare BullMQ no-op:   ${baseline.toFixed(0)} jobs per second (concurrency ${DELIVERY_CONCURRENCY}, same Redis)`,
    );
    console.log(`  ratio:               ${ratio.toFixed(3)} (target >= 0.5)`);
    console.log(
      `  peak RSS:            ${(peakRss / 2 ** 20).toFixed(0)} MiB (worker and bench in one process, the platform stand-in apart; ${(rssBefore / 2 ** 20).toFixed(0)} MiB before the fan-out)`,
    );
    console.log(`  lost deliveries:     ${lost}`);
    console.log(`  duplicate deliveries: ${duplicateKeys} by outbox id, ${duplicateConversations} by conversation`);
    if (lost > 0 || duplicateKeys > 0 || duplicateConversations > 0) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await platform.close();
    await database.drop();
  }
}

await main();
// Pools and Redis connections of the pieces above would keep the process alive.
process.exit();
