import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeliveryBudget } from "../../src/scheduler/delivery-budget.ts";
import { deliverMessages } from "../../src/use-cases/deliver-message.ts";
import { insertRow, rowsWhere } from "../support/fixtures.ts";
import { createRecordingAdapter } from "../support/recording-adapter.ts";
import { createTestCore, REDIS_URL } from "../support/test-core.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";

// A message whose slot comes soon waits for it in its job, holding its claim, instead of a
// round through the queue; one whose slot is further off than the hold goes back to the queue.
describe("waiting for a slot within the job", () => {
  let database: TestDatabase;
  let core: ReturnType<typeof createTestCore>;
  const redis = new Redis(REDIS_URL);
  const adapter = createRecordingAdapter("slack");
  // One message per 300 ms per channel: three to one channel need two waits.
  const budget = createDeliveryBudget({
    redis,
    prefix: `hold${randomBytes(5).toString("hex")}`,
    limits: {
      slack: { tenant: [{ count: 20, windowMs: 1_000 }], conversation: [{ count: 1, windowMs: 300 }] },
    },
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    core = createTestCore(database, []);
  });

  afterAll(async () => {
    await core?.close();
    await redis.quit();
    await database?.drop();
  });

  async function queueThree(tag: string) {
    const organisation = await insertRow(database.db, "Organisation", { name: `Gemeente ${tag}` });
    const queued = await core.deps.stores.outbox.enqueue(
      [1, 2, 3].map((n) => ({
        key: `${tag}:${n}`,
        organisationId: organisation.id,
        address: { platform: "slack" as const, conversationRef: `slack:T${tag}:C1` },
        message: { fallback: `Bericht ${n}`, blocks: [] },
      })),
    );
    return { organisation, ids: queued.map((row) => row.id) };
  }

  it("sends a channel's next messages in the same job when their slots come within the hold", async () => {
    const { organisation, ids } = await queueThree("HOLD");
    const { outcomes, retry } = await deliverMessages(core.deps, new Map([["slack", adapter]]), ids, {
      budget,
      holdMs: 5_000,
    });
    expect(retry).toBeUndefined();
    expect(ids.map((id) => outcomes.get(id))).toEqual(["sent", "sent", "sent"]);
    const rows = await rowsWhere(database.db, "OutboxMessage", { organisationId: organisation.id });
    // Each sent once, one attempt each: waiting counted no attempt.
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ["sent", 1],
      ["sent", 1],
      ["sent", 1],
    ]);
    expect(adapter.sent.filter((sent) => sent.conversationRef === "slack:THOLD:C1")).toHaveLength(3);
  });

  it("hands messages whose slots are further off than the hold back to the queue, claim and attempt undone", async () => {
    const { organisation, ids } = await queueThree("BACK");
    const { outcomes } = await deliverMessages(core.deps, new Map([["slack", adapter]]), ids, {
      budget,
      holdMs: 0,
    });
    const [first, ...rest] = ids.map((id) => outcomes.get(id));
    expect(first).toBe("sent");
    for (const outcome of rest) expect(outcome).toEqual({ waitMs: expect.any(Number) });
    const rows = await rowsWhere(database.db, "OutboxMessage", { organisationId: organisation.id });
    expect(rows.filter((row) => row.status === "pending").map((row) => [row.attempts, row.claimedUntil])).toEqual([
      [0, null],
      [0, null],
    ]);
  });
});
