import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/ports/logger.ts";
import {
  createRedisConnection,
  DEFAULT_REDIS_URL,
  ensureRedis,
  ensureRedisWith,
} from "../../src/scheduler/redis-connection.ts";

const runningRedisUrl = process.env.TEST_REDIS_URL ?? DEFAULT_REDIS_URL;

/** A URL on a local port where nothing listens. */
function unusedUrl(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(`redis://127.0.0.1:${port}`));
    });
  });
}

async function answersPing(url: string): Promise<boolean> {
  const client = createRedisConnection(url);
  try {
    return (await client.ping()) === "PONG";
  } finally {
    client.disconnect();
  }
}

describe("ensureRedis", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "leerlus-redis-"));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("uses REDIS_URL when it answers", async () => {
    const redis = await ensureRedis({ redisUrl: runningRedisUrl, dataDir, logger: silentLogger });
    expect(redis.url).toBe(runningRedisUrl);
    expect(await answersPing(redis.url)).toBe(true);
    await redis.stop();
  });

  it("uses the Redis at the default address when REDIS_URL is unset", async () => {
    const redis = await ensureRedisWith({
      redisUrl: undefined,
      dataDir,
      logger: silentLogger,
      defaultUrl: runningRedisUrl,
    });
    expect(redis.url).toBe(runningRedisUrl);
    await redis.stop();
  });

  it("fails with REDIS_UNREACHABLE when REDIS_URL does not answer, without leaking its password", async () => {
    const url = (await unusedUrl()).replace("redis://", "redis://:geheim@");
    const failure = ensureRedis({ redisUrl: url, dataDir, logger: silentLogger });
    await expect(failure).rejects.toMatchObject({
      code: "REDIS_UNREACHABLE",
      message: expect.stringMatching(/REDIS_URL/),
    });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining("geheim") });
  });

  it("starts a private redis-server when nothing answers at the default address, and stops it", async () => {
    const redis = await ensureRedisWith({
      redisUrl: undefined,
      dataDir,
      logger: silentLogger,
      defaultUrl: await unusedUrl(),
    });
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(redis.url).not.toBe(runningRedisUrl);
    expect(await answersPing(redis.url)).toBe(true);

    await redis.stop();
    const probe = createRedisConnection(redis.url);
    probe.options.retryStrategy = () => null;
    probe.on("error", () => {});
    await expect(probe.ping()).rejects.toThrow();
    probe.disconnect();
  });

  it("fails with REDIS_MISSING when nothing answers and redis-server is not installed", async () => {
    const failure = ensureRedisWith({
      redisUrl: undefined,
      dataDir,
      logger: silentLogger,
      defaultUrl: await unusedUrl(),
      redisServerBinary: null,
    });
    await expect(failure).rejects.toMatchObject({
      code: "REDIS_MISSING",
      message: expect.stringContaining("apt-get install redis-server"),
    });
  });
});
