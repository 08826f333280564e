import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createDeliveryBudget } from "../../src/scheduler/delivery-budget.ts";
import { REDIS_URL } from "../support/test-core.ts";

// The budgets on real Redis. Waits are compared with the windows they come from; nothing here
// sleeps: a wait is what Redis answers, read at once.
describe("delivery budgets per tenant and conversation", () => {
  const redis = new Redis(REDIS_URL);
  afterAll(async () => {
    await redis.quit();
  });
  const budgetFor = (random = () => 0.5) =>
    createDeliveryBudget({
      redis,
      prefix: `t${randomBytes(5).toString("hex")}`,
      backoff: { baseMs: 1_000, capMs: 8_000 },
      random,
    });

  it("lines sends to one Slack channel up a second apart, and keeps each one's slot under its ticket", async () => {
    const budget = budgetFor();
    const keys = { tenant: "org-a", conversation: "org-a|slack:T1:C1" };
    const first = await budget.take("slack", keys, "m1:1");
    const second = await budget.take("slack", keys, "m2:1");
    const third = await budget.take("slack", keys, "m3:1");
    expect(first.waitMs).toBe(0);
    expect(second.waitMs).toBeGreaterThan(900);
    expect(third.waitMs - second.waitMs).toBeGreaterThanOrEqual(1_000);
    // Asking again finds the same slot, not one behind the others.
    const again = await budget.take("slack", keys, "m2:1");
    expect(again.waitMs).toBeLessThanOrEqual(second.waitMs);
    expect(again.waitMs).toBeGreaterThan(third.waitMs - 1_100);
    // Another channel of the same workspace is not held back by this one.
    expect((await budget.take("slack", { ...keys, conversation: "org-a|slack:T1:C2" }, "m4:1")).waitMs).toBe(0);
  });

  it("lets a Teams tenant send 50 at once, then makes the next wait", async () => {
    const budget = budgetFor();
    const grants = await Promise.all(
      Array.from({ length: 51 }, (_, i) =>
        budget.take("teams", { tenant: "org-t", conversation: `org-t|conv-${i}` }, `m${i}:1`),
      ),
    );
    expect(grants.filter((grant) => grant.waitMs === 0)).toHaveLength(50);
    expect(Math.max(...grants.map((grant) => grant.waitMs))).toBeGreaterThan(900);
  });

  it("blocks only the refusing tenant: Retry-After as given, back-off doubling once per round", async () => {
    const budget = budgetFor();
    const a = { tenant: "org-a", conversation: "org-a|c" };
    const b = { tenant: "org-b", conversation: "org-b|c" };
    expect(await budget.refused("teams", a.tenant, 5_000)).toBe(5_000);
    expect((await budget.take("teams", a, "x:1")).waitMs).toBeGreaterThan(4_900);
    expect((await budget.take("teams", b, "y:1")).waitMs).toBe(0);

    const c = { tenant: "org-c", conversation: "org-c|c" };
    const firstRound = await budget.refused("teams", c.tenant, undefined);
    // Sends under way in the same round that fail too do not grow the back-off.
    const sameRound = await budget.refused("teams", c.tenant, undefined);
    expect(firstRound).toBe(750); // base 1 s, jitter 0.5: between half and all of it
    expect(sameRound).toBeLessThanOrEqual(firstRound);
    const grant = await budget.take("teams", c, "z:1");
    expect(grant).toMatchObject({ recovering: true });
    expect(grant.waitMs).toBeGreaterThan(600);
  });
});
