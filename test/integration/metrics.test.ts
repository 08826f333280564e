import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../../src/persistence/database.ts";
import { DEMO_IDS, seedDemo } from "../../src/persistence/demo-seed.ts";
import { type ChatAdapter, DeliveryError, type EventHandler } from "../../src/ports/chat-adapter.ts";
import { measuredAdapter } from "../../src/runtime/measured-adapter.ts";
import { createMetricsCollector } from "../../src/runtime/metrics.ts";
import { createProcessMetrics } from "../../src/runtime/process-metrics.ts";
import { advanceProject } from "../../src/use-cases/advance-project.ts";
import { countWhere, deleteWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestCore } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

/** The value of one sample line, `name{labels} value`, or undefined when it is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function types(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1] as string, match[2] as string]));
}

describe("/metrics", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const metrics = createProcessMetrics();
  const recording = createRecordingAdapter("web");
  let scrape: () => Promise<string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, [measuredAdapter(recording, metrics)]);
    await seedDemo(database.db, { now: core.clock.now(), fast: true });
    scrape = createMetricsCollector({ db: database.db, queues: () => core.queues(["web"]), metrics, cacheSeconds: 0 });
  });

  afterAll(async () => {
    await core?.close();
    await database?.drop();
  });

  it("follow Prometheus's naming: counters end in _total, durations in _seconds, no time window in a name", async () => {
    const text = await scrape();
    const declared = types(text);
    for (const [name, type] of declared) {
      if (type === "counter") expect(name).toMatch(/_total$/);
      if (type === "histogram" && name.startsWith("leerlus_")) expect(name).toMatch(/_seconds$/);
      expect(name).not.toMatch(/_\d+(d|h|m|s|days|hours)(_|$)/);
    }
    // Node's default process metrics.
    expect(declared.get("process_cpu_seconds_total")).toBe("counter");
    expect(declared.get("process_start_time_seconds")).toBe("gauge");
    expect(declared.get("nodejs_eventloop_lag_seconds")).toBe("gauge");
    // The figures /metrics always had, under conventional names.
    expect(declared.get("leerlus_deliveries_total")).toBe("counter");
    expect(declared.get("leerlus_delivery_duration_seconds")).toBe("histogram");
    expect(declared.get("leerlus_inbound_events_total")).toBe("counter");
    expect(declared.get("leerlus_inbound_event_duration_seconds")).toBe("histogram");
    expect(declared.get("leerlus_db_query_duration_seconds")).toBe("histogram");
    expect(sample(text, "leerlus_redis_up")).toBe(1);
    expect(sample(text, "leerlus_open_cycles")).toBe(0);
    expect(sample(text, 'leerlus_retro_invitations{window="30d"}')).toBe(0);
    expect(sample(text, 'leerlus_retro_answers{window="30d"}')).toBe(0);
    expect(sample(text, `leerlus_queue_jobs{queue="${core.names.ticks}",state="waiting"}`)).toBeGreaterThanOrEqual(0);
  });

  it("count and time every delivery, by platform and outcome", async () => {
    await advanceProject(core.deps, DEMO_IDS.pilot);
    await eventually(
      async () =>
        (await database.db.selectFrom("OutboxMessage").select("id").where("status", "<>", "sent").execute()).length ===
        0,
    );
    const text = await scrape();
    const sent = recording.sent.length;
    expect(sent).toBeGreaterThan(0);
    expect(sample(text, 'leerlus_deliveries_total{platform="web",outcome="sent"}')).toBe(sent);
    expect(sample(text, 'leerlus_delivery_duration_seconds_count{platform="web",outcome="sent"}')).toBe(sent);
    expect(sample(text, 'leerlus_delivery_duration_seconds_bucket{le="+Inf",platform="web",outcome="sent"}')).toBe(
      sent,
    );
    expect(sample(text, 'leerlus_outbox_messages{status="sent"}')).toBe(sent);
    expect(sample(text, "leerlus_open_cycles")).toBe(1);
  });

  it("tell a refused, a throttled and a retried send apart", async () => {
    const failures = [
      new DeliveryError("gone", { retryable: false }),
      new DeliveryError("slow down", { retryable: true, retryAfterMs: 1_000 }),
      new DeliveryError("busy", { retryable: true }),
    ];
    const own = createProcessMetrics();
    const failing: ChatAdapter = {
      ...createRecordingAdapter("teams"),
      send: async () => {
        throw failures.shift();
      },
    };
    const adapter = measuredAdapter(failing, own);
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(adapter.send("ref", { fallback: "x", blocks: [] })).rejects.toBeInstanceOf(DeliveryError);
    }
    const text = await own.registry.metrics();
    for (const outcome of ["refused", "throttled", "retry"]) {
      expect(sample(text, `leerlus_deliveries_total{platform="teams",outcome="${outcome}"}`)).toBe(1);
    }
    expect(text).not.toContain('outcome="sent"');
  });

  it("count and time inbound events by platform and type, whatever the handler does", async () => {
    const own = createProcessMetrics();
    let handler: EventHandler | undefined;
    const adapter = measuredAdapter(
      {
        ...createRecordingAdapter("slack"),
        start: async (onEvent) => {
          handler = onEvent;
        },
      },
      own,
    );
    await adapter.start(async (event) => {
      if (event.type === "message") throw new Error("handler failed");
      return [];
    });
    const base = { platform: "slack", tenantId: "T1", platformUserId: "U1", conversationRef: "D1" } as const;
    await handler?.({ ...base, type: "command", text: "help" });
    await expect(handler?.({ ...base, type: "message", text: "hoi" })).rejects.toThrow("handler failed");
    const text = await own.registry.metrics();
    expect(sample(text, 'leerlus_inbound_events_total{platform="slack",event="command"}')).toBe(1);
    expect(sample(text, 'leerlus_inbound_events_total{platform="slack",event="message"}')).toBe(1);
    expect(sample(text, 'leerlus_inbound_event_duration_seconds_count{platform="slack",event="command"}')).toBe(1);
  });

  it("answer while the database does not, leaving its figures out", async () => {
    const unreachable = createDatabase("postgresql://postgres@127.0.0.1:1/nowhere", 1);
    try {
      const text = await createMetricsCollector({ db: unreachable, queues: () => core.queues(["web"]) })();
      expect(sample(text, "leerlus_redis_up")).toBe(1);
      expect(text).toContain("# TYPE leerlus_open_cycles gauge");
      expect(sample(text, "leerlus_open_cycles")).toBeUndefined();
      expect(text).not.toMatch(/^leerlus_outbox_messages\{/m);
      expect(text).toMatch(/^leerlus_queue_jobs\{/m);
    } finally {
      await unreachable.destroy();
    }
  });

  it("time database statements, the query builder's and SQL's own, in and out of transactions, by kind", async () => {
    const own = createProcessMetrics();
    const db = createDatabase(database.url, 1, own.query);
    try {
      await countWhere(db, "Organisation");
      await sql`SELECT 1 AS one`.execute(db);
      await db.transaction().execute((trx) => deleteWhere(trx, "AuditEvent", { id: "none" }));
    } finally {
      await db.destroy();
    }
    const text = await own.registry.metrics();
    expect(sample(text, 'leerlus_db_query_duration_seconds_count{statement="select"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'leerlus_db_query_duration_seconds_count{statement="delete"}')).toBeGreaterThanOrEqual(1);
    // Labels are kinds of statement: never the statement's text or its values.
    expect(text).not.toMatch(/statement="[^"]*(organisation|Organisation|SELECT)/);
  });
});
