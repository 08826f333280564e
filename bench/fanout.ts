// Fan-out benchmark: 500 projects of 8 members open their cycles at the same moment and
// every prompt goes through the outbox and the delivery queue to a local HTTP endpoint
// standing in for the chat platform. Compared with a bare BullMQ pipeline of the same number
// of no-op jobs, measured in the same run on the same Redis.
//
// Both are measured warm, as in a worker that has been running for days: each is first run
// once unmeasured (the fan-out for another 500 projects), so neither pays for compiling its
// code on the way. BENCH_WARMUP=0 measures both cold. Then five rounds (BENCH_ROUNDS) of
// each, alternating, each fan-out with projects of its own; the ratio is of the medians.
// BENCH_TICKS=delayed queues the ticks as the job schedulers do (see fanOut).
//
// One worker process by default, as `leerlus worker` serving every queue: the bench's own. With
// BENCH_PROCESSES=2 a second process serves the deliveries (WORKER_QUEUES=deliveries) while
// this one serves the ticks, and the baseline's no-op worker runs in that second process too,
// so that both pipelines queue from this process and work in two.
//
//   node --expose-gc --import tsx bench/fanout.ts        (npm run bench:fanout)
//
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres; BENCH_POSTGRES_URL overrides) and Redis
// (REDIS_URL, default redis://127.0.0.1:6379). Creates and drops its own database.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import type { Queue } from "bullmq";
import pg from "pg";
import { createDatabase, type Db } from "../src/persistence/database.ts";
import { migrateDatabase } from "../src/persistence/migrate.ts";
import { JOB } from "../src/scheduler/queue-names.ts";
import { DELIVERY_CONCURRENCY } from "../src/scheduler/start-workers.ts";
import { seedTeams } from "../test/support/seed-teams.ts";
import { bareBullmq } from "./bare-bullmq.ts";
import { startBenchWorker } from "./bench-worker.ts";
import { type Platform, startPlatform } from "./chat-platform.ts";
import { createScratchDatabase } from "./fanout-database.ts";
import { startWorkerProcess } from "./worker-process.ts";

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 500);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 8);
const TOTAL = PROJECTS * MEMBERS;
const WARMUP = process.env.BENCH_WARMUP !== "0";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DELAYED_TICKS = process.env.BENCH_TICKS === "delayed";
const TIMEOUT_MS = 150_000;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SPLIT = process.env.BENCH_PROCESSES === "2";

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

/**
 * Every project's tick arrives at the same moment; each opens its project's cycle and queues
 * a prompt per member. Resolves with the seconds until the platform has all their prompts.
 *
 * By default the ticks are queued at once and timed from then, as the baseline's jobs are:
 * both pipelines are measured from jobs queued to work done. With BENCH_TICKS=delayed they
 * are queued ahead as delayed jobs that come due together, as the job schedulers' `every`
 * ticks do, and timed from the moment they are due. That adds Redis's wake-up for delayed
 * jobs, 0 to 100 ms at its default hz of 10, which the baseline does not pay.
 */
let promptsQueued = 0;

async function fanOut(db: Db, platform: Platform, ticks: Queue, projectIds: string[]) {
  // All prompts of all fan-outs so far: a target the stand-in's own count must reach.
  promptsQueued += projectIds.length * MEMBERS;
  const prompts = promptsQueued;
  const dueAt = Date.now() + (DELAYED_TICKS ? 1_000 : 0);
  const queuedAt = performance.now();
  // The stand-in says when the last prompt arrives; nothing here polls the worker's database.
  const done = platform.reached(prompts);
  await ticks.addBulk(
    projectIds.map((projectId) => ({
      name: JOB.retro,
      data: { projectId },
      opts: { ...(DELAYED_TICKS ? { delay: dueAt - Date.now() } : {}), removeOnComplete: true, removeOnFail: 100 },
    })),
  );
  const started = DELAYED_TICKS ? performance.now() + (dueAt - Date.now()) : queuedAt;
  const startedAt = Date.now() - (performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, dueAt + TIMEOUT_MS - Date.now())))]);
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  // For the record, when the last batch of cycles began to open (their transaction's start).
  const last = await db
    .selectFrom("RetroCycle")
    .select((eb) => eb.fn.max("createdAt").as("at"))
    .where("projectId", "in", projectIds)
    .executeTakeFirst();
  if (last?.at) {
    console.error(
      `  (all ${projectIds.length} cycles: the last batch began opening after ${((last.at.getTime() - startedAt) / 1000).toFixed(2)} s)`,
    );
  }
  return seconds;
}

/** Fresh statistics, so autovacuum's ANALYZE of the just-seeded tables does not land inside a measurement. */
async function settle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("VACUUM ANALYZE");
  await client.end();
}

/**
 * The bench's own garbage (from seeding, or the round before) is collected before a round,
 * so that neither the memory printed nor a round's collections are the bench's. Needs
 * --expose-gc, as `npm run bench:fanout` passes.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  const database = await createScratchDatabase();
  const platform = await startPlatform();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  try {
    const phase = (label: string, since: number) =>
      console.error(`  (${label}: ${((performance.now() - since) / 1000).toFixed(1)} s)`);
    let mark = performance.now();
    await migrateDatabase(database.url);
    phase("migrate", mark);
    mark = performance.now();
    // Seeded through a client of its own, let go before the worker starts, so the memory
    // printed is the worker's rather than the seeding's. Teams of their own for the warm-up
    // and each round; answers stay open all the while.
    const seeding = createDatabase(database.url, 4);
    const seed = async () =>
      (await seedTeams(seeding, { projects: PROJECTS, members: MEMBERS, now: new Date(), answerWindowMinutes: 600 }))
        .projectIds;
    const warmupIds = WARMUP ? await seed() : [];
    const roundIds: string[][] = [];
    for (let round = 0; round < ROUNDS; round++) roundIds.push(await seed());
    await seeding.destroy();
    collectGarbage();
    await settle(database.url);
    phase("seed", mark);
    const db = createDatabase(database.url, 10);

    const queuePrefix = `bench${randomBytes(5).toString("hex")}`;
    const second = SPLIT ? await startWorkerProcess() : undefined;
    await second?.deliveries({
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      queuePrefix,
      platformPort: platform.port,
    });
    const worker = startBenchWorker(db, {
      redisUrl: REDIS_URL,
      queuePrefix,
      platformPort: platform.port,
      queues: { ticks: true, deliveries: !SPLIT },
    });
    if (WARMUP) {
      mark = performance.now();
      await bareBullmq(REDIS_URL, TOTAL, second);
      await fanOut(db, platform, worker.ticks, warmupIds);
      await settle(database.url);
      phase("warm-up", mark);
    }
    // Rounds alternate the two, so the machine's drift touches both alike.
    const baselines: number[] = [];
    const rates: number[] = [];
    // This process's CPU during the measured fan-outs: less at the mercy of the machine's load
    // than the rates are.
    let cpuMicros = 0;
    collectGarbage();
    const rssBefore = process.memoryUsage.rss();
    peakRss = rssBefore;
    const secondBefore = await second?.rss(true);
    for (const [round, projectIds] of roundIds.entries()) {
      baselines.push(await bareBullmq(REDIS_URL, TOTAL, second));
      const before = platform.prompts();
      const profiler = round === roundIds.length - 1 ? await startProfiler() : undefined;
      const cpuBefore = process.cpuUsage();
      const seconds = await fanOut(db, platform, worker.ticks, projectIds);
      const cpu = process.cpuUsage(cpuBefore);
      cpuMicros += cpu.user + cpu.system;
      await profiler?.stop();
      rates.push((platform.prompts() - before) / seconds);
      await settle(database.url);
      collectGarbage();
    }
    // Let anything that would repeat a delivery do so before counting.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const secondRss = await second?.rss(false);
    await worker.close();
    await second?.close();

    // Every prompt of every fan-out, measured or not, must have arrived exactly once.
    const expected = TOTAL * (ROUNDS + (WARMUP ? 1 : 0));
    const rows = await db
      .selectFrom("OutboxMessage")
      .select(["id", "status"])
      .where("key", "like", "prompt:%")
      .execute();
    const { byKey, byConversation } = await platform.report();
    const lost = rows.filter((row) => !byKey.has(row.id)).length + Math.max(0, expected - rows.length);
    const duplicateKeys = [...byKey.values()].filter((count) => count > 1).length;
    const duplicateConversations = [...byConversation.entries()].filter(
      ([ref, count]) => ref.startsWith("web:dm:") && count > 1,
    ).length;
    await db.destroy();

    const rate = median(rates);
    const baseline = median(baselines);
    const perRound = (values: number[]) => values.map((value) => value.toFixed(0)).join(", ");
    console.log(
      `fan-out: ${PROJECTS} projects x ${MEMBERS} members = ${TOTAL} prompts, ${ROUNDS} rounds (${WARMUP ? "warm" : "cold"}; ticks ${DELAYED_TICKS ? "delayed, timed from due" : "queued at once"}; ${SPLIT ? "ticks and deliveries in two worker processes" : "one worker process"})`,
    );
    console.log(`  prompts per second:  ${rate.toFixed(0)} (median; rounds ${perRound(rates)})`);
    console.log(
      `  bare BullMQ no-op:   ${baseline.toFixed(0)} jobs per second (median; rounds ${perRound(baselines)}; concurrency ${DELIVERY_CONCURRENCY}, same Redis${SPLIT ? ", worker in the second process" : ""})`,
    );
    console.log(`  ratio:               ${(rate / baseline).toFixed(3)} (target >= 0.7)`);
    console.log(
      `  CPU per prompt:      ${(cpuMicros / (TOTAL * ROUNDS)).toFixed(0)} µs (${SPLIT ? "ticks worker" : "worker"} and bench in this process, during the fan-outs)`,
    );
    console.log(
      `  peak RSS:            ${mib(peakRss)} MiB (${SPLIT ? "ticks worker" : "worker"} and bench in one process, the platform stand-in apart; ${mib(rssBefore)} MiB before the first round)`,
    );
    if (secondRss && secondBefore) {
      console.log(
        `                       ${mib(secondRss.peak)} MiB (deliveries worker, its own process; ${mib(secondBefore.now)} MiB before the first round)`,
      );
    }
    console.log(`  lost deliveries:     ${lost} (of ${expected}, warm-up included)`);
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
