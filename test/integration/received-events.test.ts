// The inbound runner on real PostgreSQL: a request is recorded once per key, handled once,
// retried with backoff when its handling fails, taken over when its handler died, and kept
// without what people wrote once handled.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReceivedEventRepository } from "../../src/persistence/received-event-repository.ts";
import type { InboundRunner } from "../../src/ports/inbound-runner.ts";
import { silentLogger } from "../../src/ports/logger.ts";
import type { ReceivedEventStore } from "../../src/ports/received-event-store.ts";
import { createInboundRunner } from "../../src/use-cases/inbound/inbound-runner.ts";
import { countWhere, updateWhere } from "../support/fixtures.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

describe("received events and the inbound runner", () => {
  let database: TestDatabase;
  let store: ReceivedEventStore;
  let clock = Date.now();
  const runners: InboundRunner[] = [];
  const runner = (settings = {}) => {
    const created = createInboundRunner({
      platform: "slack",
      store,
      logger: silentLogger,
      settings: { leaseMs: 60_000, pollMs: 20, maxAttempts: 3, ...settings },
      now: () => new Date(clock),
    });
    runners.push(created);
    return created;
  };
  const row = (key: string) =>
    database.prisma.receivedEvent.findUniqueOrThrow({
      where: { platform_eventKey: { platform: "slack", eventKey: key } },
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    store = createReceivedEventRepository(database.db);
  });

  afterAll(async () => {
    await Promise.all(runners.map((each) => each.stop()));
    await database?.drop();
  });

  it("records a key once: a retry while it is handled, or after, is not handled again", async () => {
    const inbound = runner();
    const claim = await inbound.receive("event:Ev1", { text: "away until 2027-01-01" });
    expect(claim).not.toBeNull();
    expect(await inbound.receive("event:Ev1", { text: "away until 2027-01-01" })).toBeNull();
    let handled = 0;
    if (claim) await inbound.run(claim, async () => void handled++);
    expect(await inbound.receive("event:Ev1", { text: "away until 2027-01-01" })).toBeNull();
    expect(handled).toBe(1);
    const done = await row("event:Ev1");
    expect(done.status).toBe("done");
    // What the person wrote is not kept once it is handled; the key is, for Slack's retries.
    expect(done.payload).toBeNull();
  });

  it("records requests that arrive together in one go, one claim per key", async () => {
    const inbound = runner();
    const claims = await Promise.all(
      ["event:Ev9", "event:Ev9", "event:Ev10", "event:Ev9", "event:Ev11"].map((key) => inbound.receive(key, { key })),
    );
    // Whichever of the three copies of Ev9 was recorded first holds it; the others get nothing.
    const ev9 = [claims[0], claims[1], claims[3]].filter((claim) => claim !== null);
    expect(ev9).toHaveLength(1);
    expect(claims[2]).not.toBeNull();
    expect(claims[4]).not.toBeNull();
    expect(
      await database.prisma.receivedEvent.count({
        where: { eventKey: { in: ["event:Ev9", "event:Ev10", "event:Ev11"] } },
      }),
    ).toBe(3);
    expect((await row("event:Ev10")).payload).toEqual({ key: "event:Ev10" });
  });

  it("retries a failed handling after its backoff, and gives up after the last attempt", async () => {
    const inbound = runner();
    const claim = await inbound.receive("event:Ev2", { n: 2 });
    if (!claim) throw new Error("not claimed");
    await inbound.run(claim, async () => {
      throw Object.assign(new Error("users.info failed"), { code: "slack_webapi_platform_error" });
    });
    const waiting = await row("event:Ev2");
    expect(waiting.status).toBe("pending");
    expect(waiting.lastError).toBe("slack_webapi_platform_error");
    expect(waiting.notBefore.getTime()).toBe(clock + 2_000);

    const replayed: unknown[] = [];
    inbound.start(async (payload) => {
      replayed.push(payload);
      throw new Error("still failing");
    });
    clock += 2_000;
    await eventually(() => replayed.length === 1);
    await eventually(async () => (await row("event:Ev2")).notBefore.getTime() === clock + 4_000);
    expect(replayed).toEqual([{ n: 2 }]);
    clock += 4_000;
    await eventually(async () => (await row("event:Ev2")).status === "failed");
    const failed = await row("event:Ev2");
    expect(failed.attempts).toBe(3);
    expect(failed.payload).toBeNull();
    expect(replayed).toHaveLength(2);
    await inbound.stop();
  });

  it("takes over a request whose handler died once its lease has passed", async () => {
    const dead = runner({ leaseMs: 1_000 });
    // Claimed by a process that never settles it (killed after the acknowledgement).
    expect(await dead.receive("trigger:T3", { command: "/leerlus" })).not.toBeNull();
    const alive = runner({ leaseMs: 1_000 });
    const replayed: unknown[] = [];
    alive.start(async (payload) => void replayed.push(payload));
    // Within the lease nobody else touches it, whatever the platform sends again.
    expect(await alive.receive("trigger:T3", { command: "/leerlus" })).toBeNull();
    clock += 1_001;
    await eventually(async () => (await row("trigger:T3")).status === "done");
    expect(replayed).toEqual([{ command: "/leerlus" }]);
    await alive.stop();
  });

  it("prunes handled requests after a week, never waiting ones", async () => {
    const inbound = runner();
    const old = await inbound.receive("event:Old", {});
    if (old) await inbound.run(old, async () => {});
    await inbound.receive("event:Waiting", {});
    await updateWhere(database.db, "ReceivedEvent", {}, { createdAt: new Date(clock - 8 * 24 * 3600 * 1000) });
    expect(await store.prune(new Date(clock - 7 * 24 * 3600 * 1000), 100)).toBeGreaterThanOrEqual(1);
    expect(await countWhere(database.db, "ReceivedEvent", { eventKey: "event:Old" })).toBe(0);
    expect(await countWhere(database.db, "ReceivedEvent", { eventKey: "event:Waiting" })).toBe(1);
  });
});
