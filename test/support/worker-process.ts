// Real `leerlus worker` processes for robustness tests: spawned on a test database and a
// Redis of the test's choosing, stopped with SIGTERM or killed with SIGKILL.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll } from "vitest";
import type { Db } from "../../src/persistence/database.ts";
import { dmRef, type SeededTeam, seedTeams } from "./seed-teams.ts";
import { eventually } from "./test-clock.ts";
import { REDIS_URL } from "./test-core.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";

const root = path.resolve(import.meta.dirname, "../..");

export type WorkerProcess = {
  readonly child: ChildProcess;
  readonly command: "worker" | "serve";
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM and wait for a clean exit (SIGKILL after `timeoutMs`). Resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: no shutdown hooks, leases and BullMQ locks are left as they were. */
  kill(): Promise<void>;
  /** How many reconcile runs the process has finished so far (it logs each at info level). */
  reconciles(): number;
  readonly exited: Promise<number | null>;
};

export type WorkerOptions = {
  /** `worker` by default; `serve` for the HTTP role (give it a PORT in env). */
  command?: "worker" | "serve";
  databaseUrl: string;
  redisUrl?: string;
  queuePrefix: string;
  env?: Record<string, string>;
};

export function randomQueuePrefix(): string {
  return `r${randomBytes(5).toString("hex")}`;
}

export function startWorkerProcess(options: WorkerOptions): WorkerProcess {
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, ["bin/leerlus.js", options.command ?? "worker"], {
    cwd: root,
    env: {
      ...inherited,
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl ?? REDIS_URL,
      QUEUE_PREFIX: options.queuePrefix,
      TICK_SECONDS: "1",
      // Reconciles often, so waiting for the next one (`nextReconcile`) is short.
      RECONCILE_SECONDS: "2",
      LEERLUS_SECRET: "robustness-test-secret-0123456789abcdef",
      // Info: each reconcile run is logged, which `nextReconcile` waits for.
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    command: options.command ?? "worker",
    exited,
    output: () => output,
    async stop(timeoutMs = 35_000) {
      if (!running()) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (!running()) return;
      child.kill("SIGKILL");
      await exited;
    },
    reconciles: () => output.split(RECONCILED).length - 1,
  };
}

const RECONCILED = '"msg":"reconciled schedules with the database"';

/**
 * Waits until every one of `workers` has finished a reconcile run that started after this call.
 * The reconciler queues again whatever the database holds unfinished; a test waits for this
 * before it counts, so a message the reconciler (or a tick meanwhile) would send twice shows.
 */
export async function nextReconcile(workers: WorkerProcess[], timeoutMs = 30_000): Promise<void> {
  // A run under way now may have read the database before this call: wait for the one after it
  // (RECONCILE_SECONDS is 2 here, so that is a few seconds at most).
  const before = workers.map((worker) => worker.reconciles());
  await eventually(() => workers.every((worker, index) => worker.reconciles() >= (before[index] ?? 0) + 2), timeoutMs);
}

/** Outbox rows whose key starts with `kind:` (prompt, reminder, summary, opened), by status. */
export async function outboxCounts(db: Db, kind: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("OutboxMessage")
    .select(["status", (eb) => eb.fn.countAll<string>().as("count")])
    .where("key", "like", `${kind}:%`)
    .groupBy("status")
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

export type WebDeliveryKind = "prompt" | "reminder" | "summary" | "other";

/**
 * What people actually see: every stored web message, counted per conversation and kind
 * (told apart by the Dutch heading each kind starts with).
 */
export async function webDeliveries(db: Db): Promise<Map<string, Record<WebDeliveryKind, number>>> {
  const { rows } = await sql<{ conversationRef: string; heading: string | null; fallback: string | null }>`
    SELECT "conversationRef", message->'blocks'->0->'text'->>0 AS heading, message->>'fallback' AS fallback
    FROM "WebMessage"`.execute(db);
  const counts = new Map<string, Record<WebDeliveryKind, number>>();
  for (const row of rows) {
    const heading = row.heading ?? "";
    // A retro nobody answered closes with one line ("Retro 2 van … is gesloten: niemand …").
    const kind: WebDeliveryKind =
      /^Samenvatting van retro/.test(heading) || /is gesloten: niemand heeft geantwoord/.test(row.fallback ?? "")
        ? "summary"
        : /^Retro \d+ van /.test(heading)
          ? "prompt"
          : /^Herinnering/.test(heading)
            ? "reminder"
            : "other";
    const entry = counts.get(row.conversationRef) ?? { prompt: 0, reminder: 0, summary: 0, other: 0 };
    entry[kind]++;
    counts.set(row.conversationRef, entry);
  }
  return counts;
}

/** How many conversations among `refs` received exactly `expected` messages of `kind`, and the odd ones out. */
export function tally(
  deliveries: Map<string, Record<WebDeliveryKind, number>>,
  refs: string[],
  kind: WebDeliveryKind,
  expected = 1,
): { exact: number; wrong: Record<string, number> } {
  const wrong: Record<string, number> = {};
  let exact = 0;
  for (const ref of refs) {
    const count = deliveries.get(ref)?.[kind] ?? 0;
    if (count === expected) exact++;
    else wrong[ref] = count;
  }
  return { exact, wrong };
}

export type SeededFixture = { database: TestDatabase; team: SeededTeam; workers: WorkerProcess[] };

/**
 * A fresh database with seeded teams for a robustness test, and afterwards every process
 * the test registered in `workers` killed and the database dropped.
 */
export function useSeededTeams(input: {
  projects: number;
  members: number;
  answerWindowMinutes?: number;
}): SeededFixture {
  const fixture = { workers: [] as WorkerProcess[] } as SeededFixture;
  beforeAll(async () => {
    fixture.database = await createTestDatabase();
    fixture.team = await seedTeams(fixture.database.db, { ...input, now: new Date() });
  });
  afterAll(async () => {
    await Promise.all(fixture.workers.map((worker) => worker.kill()));
    await fixture.database?.drop();
  });
  return fixture;
}

/**
 * Worker processes on one fresh queue prefix over the seeded teams (each registered for
 * clean-up), and how many members have their prompt so far.
 */
export function fanOutRun(fixture: SeededFixture, env?: Record<string, string>) {
  const queuePrefix = randomQueuePrefix();
  const members = fixture.team.memberIds.map(dmRef);
  return {
    queuePrefix,
    members,
    /** `more` adds to (or overrides) the run's environment for this process. */
    startWorker(more?: Record<string, string>): WorkerProcess {
      const worker = startWorkerProcess({ databaseUrl: fixture.database.url, queuePrefix, env: { ...env, ...more } });
      fixture.workers.push(worker);
      return worker;
    },
    promptsSent: async () => tally(await webDeliveries(fixture.database.db), members, "prompt").exact,
  };
}
