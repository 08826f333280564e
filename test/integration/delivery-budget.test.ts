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

  /** A Slack tenant that may send one message per 200 ms, and its sends by ticket. */
  const oneSendPerWindow = (tenant: string) => {
    const window = 200;
    const budget = createDeliveryBudget({
      redis,
      prefix: `t${randomBytes(5).toString("hex")}`,
      limits: { slack: { tenant: [{ count: 1, windowMs: window }], conversation: [{ count: 10, windowMs: window }] } },
    });
    const send = (ticket: string) => ({
      platform: "slack" as const,
      keys: { tenant, conversation: `${tenant}|${ticket}` },
      ticket,
    });
    return { window, budget, send };
  };

  it("lines sends to one Slack channel up a second apart, and keeps each one's slot under its ticket", async () => {
    const budget = budgetFor();
    const keys = { tenant: "org-a", conversation: "org-a|slack:T1:C1" };
    const first = await budget.take("slack", keys, "m1:1");
    const asked = performance.now();
    const second = await budget.take("slack", keys, "m2:1");
    const third = await budget.take("slack", keys, "m3:1");
    // The slots are a second apart; the second wait was read that much earlier than the third.
    const between = performance.now() - asked;
    expect(first.waitMs).toBe(0);
    expect(second.waitMs).toBeGreaterThan(900);
    expect(third.waitMs - second.waitMs).toBeGreaterThanOrEqual(1_000 - between);
    // Asking again finds the same slot, not one behind the others.
    const again = await budget.take("slack", keys, "m2:1");
    expect(again.waitMs).toBeLessThanOrEqual(second.waitMs);
    expect(again.waitMs).toBeGreaterThan(third.waitMs - 1_100);
    // Another channel of the same workspace is not held back by this one.
    expect((await budget.take("slack", { ...keys, conversation: "org-a|slack:T1:C2" }, "m4:1")).waitMs).toBe(0);
  });

  it("lets a Teams tenant send 50 at once, then makes the next wait", async () => {
    const budget = budgetFor();
    const asked = performance.now();
    const grants = await Promise.all(
      Array.from({ length: 51 }, (_, i) =>
        budget.take("teams", { tenant: "org-t", conversation: `org-t|conv-${i}` }, `m${i}:1`),
      ),
    );
    // A second after the first slot, less the time the 51 separate calls took.
    const took = performance.now() - asked;
    expect(grants.filter((grant) => grant.waitMs === 0)).toHaveLength(50);
    expect(Math.max(...grants.map((grant) => grant.waitMs))).toBeGreaterThan(1_000 - took);
  });

  it("takes a batch's slots in order in one call: the first 50 go, the rest of the tenant waits", async () => {
    const budget = budgetFor();
    const grants = await budget.takeAll(
      Array.from({ length: 53 }, (_, i) => ({
        platform: "teams" as const,
        keys: { tenant: "org-b", conversation: `org-b|conv-${i}` },
        ticket: `b${i}:1`,
      })),
    );
    expect(grants.slice(0, 50).every((grant) => grant.waitMs === 0)).toBe(true);
    expect(grants.slice(50).every((grant) => grant.waitMs > 900)).toBe(true);
    // Another tenant in the same batch is not held back by the first.
    const [other] = await budget.takeAll([
      { platform: "teams", keys: { tenant: "org-c", conversation: "org-c|conv" }, ticket: "c:1" },
    ]);
    expect(other?.waitMs).toBe(0);
  });

  it("counts a send under way as landing now, and an answered one from its answer", async () => {
    // One send per 200 ms per tenant: the platform may see a send late, up to its answer.
    const { window, budget, send } = oneSendPerWindow("org-s");
    const redisNow = async () => {
      const [seconds, micros] = await redis.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    };
    const [first, second] = await budget.takeAll([send("a:1"), send("b:1")]);
    expect(first?.waitMs).toBe(0);
    expect(second?.waitMs).toBeGreaterThan(window - 50);
    // Past its slot, the second still waits while the first is under way, however long that takes.
    const slotPassed = (await redisNow()) + (second?.waitMs ?? 0) + 20;
    let held = second?.waitMs ?? 0;
    while ((await redisNow()) < slotPassed) {
      await new Promise((resolve) => setTimeout(resolve, held));
      held = (await budget.take("slack", send("b:1").keys, "b:1")).waitMs;
      expect(held).toBeGreaterThan(0);
    }
    // Answered now: the second goes a whole window after the answer, not after the first set out.
    await budget.answered([send("a:1")]);
    const afterAnswer = await budget.take("slack", send("b:1").keys, "b:1");
    expect(afterAnswer.waitMs).toBeGreaterThan(window - 50);
    await new Promise((resolve) => setTimeout(resolve, afterAnswer.waitMs + 5));
    expect((await budget.take("slack", send("b:1").keys, "b:1")).waitMs).toBe(0);
  });

  it("counts an answered send from when its answer came, not from when that was reported", async () => {
    const { window, budget, send } = oneSendPerWindow("org-r");
    expect((await budget.take("slack", send("a:1").keys, "a:1")).waitMs).toBe(0);
    // Its answer came at once, but the worker was busy and reports it only a window later.
    const answerCame = Date.now();
    let held = (await budget.take("slack", send("b:1").keys, "b:1")).waitMs;
    const windowPassed = answerCame + window + 20;
    while (Date.now() < windowPassed) {
      await new Promise((resolve) => setTimeout(resolve, held));
      held = (await budget.take("slack", send("b:1").keys, "b:1")).waitMs;
      expect(held).toBeGreaterThan(0);
    }
    // Counted from when the answer came, its window has passed: the next send goes now.
    await budget.answered([{ ...send("a:1"), answeredAt: answerCame }]);
    expect((await budget.take("slack", send("b:1").keys, "b:1")).waitMs).toBe(0);
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
