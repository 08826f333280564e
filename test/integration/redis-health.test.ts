import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/runtime/logger.ts";
import { createRedisConnection } from "../../src/scheduler/redis-connection.ts";
import { isRedisConnectionError, watchRedis } from "../../src/scheduler/redis-health.ts";
import { type PrivateRedis, startPrivateRedis } from "../support/private-redis.ts";
import { eventually } from "../support/test-clock.ts";

// The warning's interval shortened to 1 s, so a few intervals pass within the test.
describe("watchRedis on a Redis that goes away", () => {
  let redis: PrivateRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });

  afterAll(async () => {
    await redis?.stop();
  });

  it("warns once per interval while Redis is away, says so when it is back, and tells callers not to wait", async () => {
    const lines: { level: number; code?: string; time: number; errors?: number }[] = [];
    const stream = new PassThrough();
    stream.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line));
    });
    const connection = createRedisConnection(redis.url);
    const health = watchRedis(connection, createLogger("info", stream), { intervalMs: 1_000 });
    let recovered = 0;
    health.onRecovered(() => recovered++);
    try {
      await eventually(() => connection.status === "ready");
      expect(health.available()).toBe(true);

      await redis.stop();
      await eventually(() => !health.available(), 5_000);
      const away = Date.now();
      await eventually(() => lines.filter((line) => line.code === "REDIS_UNAVAILABLE").length >= 3, 10_000);
      const watched = Date.now() - away;
      const warnings = lines.filter((line) => line.level >= 40);
      expect(warnings.every((line) => line.code === "REDIS_UNAVAILABLE" && line.level === 40)).toBe(true);
      // At most one per started interval, however many reconnect attempts failed in between.
      expect(warnings.length).toBeLessThanOrEqual(Math.ceil(watched / 1_000) + 1);
      const gaps = warnings.slice(1).map((line, index) => line.time - (warnings[index]?.time ?? 0));
      expect(gaps.every((gap) => gap >= 1_000)).toBe(true);
      expect(warnings.at(-1)?.errors).toBeGreaterThan(warnings.length);

      await redis.start();
      await eventually(() => health.available(), 10_000);
      await eventually(() => recovered === 1);
      expect(lines.at(-1)).toMatchObject({ level: 30, code: "REDIS_AVAILABLE" });
    } finally {
      connection.disconnect();
    }
  }, 30_000);

  it("tells connection errors apart from others", () => {
    expect(
      isRedisConnectionError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" })),
    ).toBe(true);
    expect(isRedisConnectionError(new Error("Connection is closed."))).toBe(true);
    expect(isRedisConnectionError(new Error("Missing key for job 1. moveToFinished"))).toBe(false);
  });
});
