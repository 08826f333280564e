// Fair delivery under the platforms' limits. 50 tenants (25 Slack workspaces, 25 Teams
// tenants) get their Thursday 15:00 retro prompts at the same moment, while one Teams tenant
// answers 503 (no Retry-After) for two minutes. The stand-in platform (its own process) keeps
// Slack's and Teams' published limits per workspace/tenant and per conversation and answers
// 429 with Retry-After past them. Printed:
// - healthy tenants: the time each would need at its platform's limit, against the time it
//   took (achieved rate ÷ allowed rate), counted from its own first message and from the
//   fan-out's start (see tenantFigures), when the first messages arrived, and the same for a
//   fan-out without a failing tenant measured first in the same run, after a warm-up round
//   (the baseline: what this machine and one worker process achieve at all);
// - the worker process's CPU per message in the baseline's fan-out;
// - how long after the failing tenant recovered its last message arrived;
// - lost and doubled messages (both must be 0).
//
//   node --import tsx bench/delivery-limits.ts        (npm run bench:delivery-limits)
//
// BENCH_FAIL_SECONDS (default 120) sets how long the tenant fails, BENCH_TENANTS (50) and
// BENCH_MEMBERS (60 direct messages per tenant) the size. Needs PostgreSQL on 127.0.0.1:5432
// (BENCH_POSTGRES_URL overrides) and Redis (REDIS_URL); creates and drops its own database.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createDatabase, type Db } from "../src/persistence/database.ts";
import { migrateDatabase } from "../src/persistence/migrate.ts";
import { systemClock } from "../src/ports/clock.ts";
import { silentLogger } from "../src/ports/logger.ts";
import type { OutboxItem } from "../src/ports/outbox-store.ts";
import { createPromptCatalog } from "../src/prompts/prompt-catalog.ts";
import { createCore } from "../src/runtime/core.ts";
import { createDutchHolidayCalendar } from "../src/runtime/dutch-holiday-calendar.ts";
import { DELIVERY_CONCURRENCY, DELIVERY_SENDS, startWorkers } from "../src/scheduler/start-workers.ts";
import { createScratchDatabase } from "./fanout-database.ts";
import { limitsAdapter, limitsRef, startLimitsPlatform } from "./limits-platform.ts";
import { PLATFORM_LIMITS } from "./limits-platform-stand-in.ts";

const TENANTS = Number(process.env.BENCH_TENANTS ?? 50);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 60);
const FAIL_MS = Number(process.env.BENCH_FAIL_SECONDS ?? 120) * 1000;
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
type Tenant = { id: string; name: string; platform: "slack" | "teams" };

/** The earliest the last of `n` messages to distinct conversations can arrive under `platform`'s tenant limit. */
function allowedMs(platform: "slack" | "teams", n: number): number {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    let at = times.at(-1) ?? 0;
    for (const window of PLATFORM_LIMITS[platform].tenant) {
      const nth = times[times.length - window.count];
      if (nth !== undefined) at = Math.max(at, nth + window.windowMs);
    }
    times.push(at);
  }
  return times.at(-1) ?? 0;
}

async function seedTenants(db: Db, round: string): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const platform = i % 2 === 0 ? "teams" : "slack";
    const name = `${round}-${platform}-${String(i).padStart(2, "0")}`;
    const organisation = await db.insertInto("Organisation").values({ name }).returning("id").executeTakeFirstOrThrow();
    tenants.push({ id: organisation.id, name, platform });
  }
  return tenants;
}

/** One round: every tenant's prompts queued at once; resolves with when each message arrived. */
async function fanOut(
  core: ReturnType<typeof createCore>,
  platform: Awaited<ReturnType<typeof startLimitsPlatform>>,
  tenants: Tenant[],
  failing: Tenant | undefined,
) {
  const items: OutboxItem[] = tenants.flatMap((tenant) =>
    Array.from({ length: MEMBERS }, (_, m) => ({
      key: `prompt:${tenant.name}:${m}`,
      organisationId: tenant.id,
      address: { platform: tenant.platform, conversationRef: limitsRef(tenant.platform, tenant.name, `dm-${m}`) },
      message: { fallback: "Retro", blocks: [{ type: "heading" as const, text: ["Retro"] }] },
    })),
  );
  const queued = await core.deps.stores.outbox.enqueue(items);
  if (failing) platform.fail(failing.name, FAIL_MS);
  const start = Date.now();
  await core.deps.dispatcher.deliver(queued);
  const expected = new Set(queued.map((row) => row.id));
  for (;;) {
    const report = await platform.report();
    const arrived = report.byKey.filter(([key]) => expected.has(key)).length;
    if (arrived === expected.size) return { start, report };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Messages a second over all `tenants` from the fan-out's start to their last arrival, and what their limits allow. */
function overall(tenants: Tenant[], start: number, arrivals: Map<string, number[]>) {
  const last = Math.max(...tenants.flatMap((tenant) => arrivals.get(`${tenant.platform}:${tenant.name}`) ?? []));
  const allowed = tenants.reduce(
    (sum, tenant) => sum + MEMBERS / (Math.max(1_000, allowedMs(tenant.platform, MEMBERS)) / 1000),
    0,
  );
  return { achieved: (tenants.length * MEMBERS) / ((last - start) / 1000), allowed };
}

/**
 * Per tenant, the earliest its messages could all have arrived under its platform's limits
 * against when they did (achieved rate ÷ allowed rate), counted from its own first message
 * (`paced`) and from the fan-out's start (`fromStart`), and when that first message came.
 * The limits let each tenant send a burst at once (50 for Teams, 20 for Slack) and then a
 * window later the next: counted from the start, every tenant is held to its burst landing
 * the moment the fan-out is queued, 1,700 messages for 50 tenants in the same instant, which
 * no sender does; the whole of that figure's shortfall for a fast worker is the wait for the
 * first message. Counted from its first message, a tenant is held to the pace its limits
 * allow, which is what a slow or failing neighbour would take from it.
 */
function tenantFigures(tenants: Tenant[], start: number, arrivals: Map<string, number[]>) {
  return tenants.map((tenant) => {
    const times = arrivals.get(`${tenant.platform}:${tenant.name}`) ?? [];
    const first = Math.min(...times);
    const last = Math.max(...times);
    // One second at the least: a tenant small enough to go out in one burst has no rate to speak of.
    const allowed = Math.max(1_000, allowedMs(tenant.platform, MEMBERS));
    return {
      paced: allowed / Math.max(last - first, 1_000),
      fromStart: allowed / Math.max(last - start, 1_000),
      firstMs: first - start,
    };
  });
}

type Figures = ReturnType<typeof tenantFigures>;
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const summary = (figures: Figures, pick: (tenant: Figures[number]) => number) => {
  const values = figures.map(pick);
  return { mean: mean(values), lowest: Math.min(...values) };
};
const share = (figures: Figures, pick: (tenant: Figures[number]) => number) => {
  const { mean: average, lowest } = summary(figures, pick);
  return `${average.toFixed(3)} mean, ${lowest.toFixed(3)} lowest`;
};
const firstMessages = (figures: Figures) => {
  const delays = figures.map((tenant) => tenant.firstMs).sort((a, b) => a - b);
  return `${delays[Math.floor(delays.length / 2)]} ms median, ${delays.at(-1)} ms at the latest`;
};

async function main() {
  const database = await createScratchDatabase();
  const platform = await startLimitsPlatform();
  try {
    await migrateDatabase(database.url);
    const db = createDatabase(database.url, 10);
    const core = createCore({
      db,
      redisUrl: REDIS_URL,
      queuePrefix: `bench${randomBytes(5).toString("hex")}`,
      prompts: createPromptCatalog(path.resolve(import.meta.dirname, "../prompts")),
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
      adapters: new Map([
        ["slack", limitsAdapter("slack", platform.port)],
        ["teams", limitsAdapter("teams", platform.port)],
      ]),
    });

    // One unmeasured round first, so neither measured round pays for warming up.
    await fanOut(core, platform, await seedTenants(db, "warm-up"), undefined);
    const baselineTenants = await seedTenants(db, "baseline");
    const cpuBefore = process.cpuUsage();
    const baseline = await fanOut(core, platform, baselineTenants, undefined);
    const cpu = process.cpuUsage(cpuBefore);
    const baselineFigures = tenantFigures(baselineTenants, baseline.start, new Map(baseline.report.arrivals));

    const tenants = await seedTenants(db, "failing");
    const failing = tenants[0] as Tenant;
    const run = await fanOut(core, platform, tenants, failing);
    const arrivals = new Map(run.report.arrivals);
    const healthy = tenants.filter((tenant) => tenant !== failing);
    const figures = tenantFigures(healthy, run.start, arrivals);
    const together = overall(healthy, run.start, arrivals);
    const failingTimes = arrivals.get(`${failing.platform}:${failing.name}`) ?? [];
    const recovery = Math.max(...failingTimes) - (run.report.recoveredAt ?? 0);

    // Let anything that would repeat a delivery do so before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const final = await platform.report();
    const rows = await db.selectFrom("OutboxMessage").select(["id", "status"]).execute();
    const counts = new Map(final.byKey);
    const lost = rows.filter((row) => !counts.has(row.id)).length;
    const doubled = [...counts.values()].filter((count) => count > 1).length;
    await workers.close();
    await core.close();
    await db.destroy();

    const paced = summary(figures, (tenant) => tenant.paced).mean;
    console.log(
      `delivery limits: ${TENANTS} tenants (Slack and Teams, ${MEMBERS} direct messages each) at once; one Teams tenant answers 503 for ${FAIL_MS / 1000} s`,
    );
    console.log(
      `  healthy tenants, achieved rate ÷ allowed rate from each one's first message: ${share(figures, (tenant) => tenant.paced)} (target >= 0.95)`,
    );
    console.log(
      `    the same from the fan-out's start: ${share(figures, (tenant) => tenant.fromStart)}; first messages ${firstMessages(figures)} after it`,
    );
    console.log(
      `  same fan-out with no tenant failing (baseline): ${share(baselineFigures, (tenant) => tenant.paced)}; from the start ${share(baselineFigures, (tenant) => tenant.fromStart)}`,
    );
    console.log(
      `    healthy ÷ baseline: ${(paced / summary(baselineFigures, (tenant) => tenant.paced).mean).toFixed(3)} from the first message, ${(summary(figures, (tenant) => tenant.fromStart).mean / summary(baselineFigures, (tenant) => tenant.fromStart).mean).toFixed(3)} from the start; baseline's first messages ${firstMessages(baselineFigures)}`,
    );
    console.log(
      `  healthy tenants together: ${together.achieved.toFixed(0)} messages a second; their limits allow ${together.allowed.toFixed(0)} (one worker process, ${DELIVERY_CONCURRENCY} jobs and ${DELIVERY_SENDS} sends at once per platform)`,
    );
    console.log(
      `  CPU of the worker process: ${(((cpu.user + cpu.system) / 1000 / (TENANTS * MEMBERS)) * 1000).toFixed(0)} µs per message of the baseline's fan-out (the stand-in platform, PostgreSQL and Redis not included)`,
    );
    console.log(
      `  failing tenant: all ${MEMBERS} messages arrived ${(recovery / 1000).toFixed(1)} s after it recovered (back-off capped at 30 s)`,
    );
    console.log(
      `  refusals: ${run.report.refused.failing} answered 503, ${final.refused.limited} answered 429 (over a platform limit)`,
    );
    console.log(`  lost: ${lost} (of ${rows.length}), doubled: ${doubled}`);
    if (lost > 0 || doubled > 0) process.exitCode = 1;
  } finally {
    await platform.close();
    await database.drop();
  }
}

await main();
// Pools and Redis connections would keep the process alive.
process.exit();
