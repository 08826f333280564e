// Finds a Redis for BullMQ: the configured one, the usual local one, or a private
// redis-server started for this process. Redis holds queue state only, so a private
// instance keeps nothing on disk: the reconciler rebuilds it from the database.
import { type ChildProcess, spawn } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import type { Logger } from "../ports/logger.ts";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export type RedisHandle = {
  url: string;
  /** Stops the private redis-server if one was started; otherwise does nothing. */
  stop(): Promise<void>;
};

export type RedisSetupErrorCode = "REDIS_UNREACHABLE" | "REDIS_MISSING" | "REDIS_START_FAILED";

export class RedisSetupError extends Error {
  readonly code: RedisSetupErrorCode;
  constructor(code: RedisSetupErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RedisSetupError";
    this.code = code;
  }
}

/** A connection for BullMQ queues and workers (workers require `maxRetriesPerRequest: null`). */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

export type EnsureRedisOptions = { redisUrl: string | undefined; dataDir: string; logger: Logger };

export function ensureRedis(options: EnsureRedisOptions): Promise<RedisHandle> {
  return ensureRedisWith({ ...options, defaultUrl: DEFAULT_REDIS_URL });
}

/**
 * ensureRedis with its defaults exposed, so tests can point at a port where nothing
 * listens (`defaultUrl`) or hide redis-server (`redisServerBinary: null`).
 */
export async function ensureRedisWith(
  options: EnsureRedisOptions & { defaultUrl: string; redisServerBinary?: string | null },
): Promise<RedisHandle> {
  const { redisUrl, dataDir, logger, defaultUrl } = options;
  if (redisUrl) {
    const problem = await ping(redisUrl);
    if (problem) {
      throw new RedisSetupError(
        "REDIS_UNREACHABLE",
        `Redis at ${describe(redisUrl)} (REDIS_URL) does not answer PING: ${problem}. ` +
          "Start that Redis, correct REDIS_URL, or unset REDIS_URL to use a local Redis.",
      );
    }
    logger.info({ redis: describe(redisUrl) }, "Using Redis from REDIS_URL");
    return { url: redisUrl, stop: async () => {} };
  }

  if (!(await ping(defaultUrl))) {
    logger.info({ redis: describe(defaultUrl) }, "Using the local Redis");
    return { url: defaultUrl, stop: async () => {} };
  }

  const binary = options.redisServerBinary === undefined ? await findOnPath("redis-server") : options.redisServerBinary;
  if (!binary) {
    throw new RedisSetupError(
      "REDIS_MISSING",
      `No Redis answers at ${describe(defaultUrl)} and redis-server is not installed. ` +
        "Install Redis (`apt-get install redis-server` or `brew install redis`) or set REDIS_URL to a running Redis.",
    );
  }
  return startPrivateRedis({ binary, dataDir, logger });
}

async function startPrivateRedis(options: { binary: string; dataDir: string; logger: Logger }): Promise<RedisHandle> {
  const directory = path.resolve(options.dataDir, "redis");
  await mkdir(directory, { recursive: true });
  // The free port may be taken between probing and binding: try a few.
  let lastProblem = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const child = spawn(
      options.binary,
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        directory,
        "--logfile",
        path.join(directory, "redis.log"),
      ],
      { stdio: "ignore" },
    );
    const exited = new Promise<string>((resolve) => {
      child.once("error", (error) => resolve(error.message));
      child.once("exit", (code, signal) => resolve(`redis-server exited (${signal ?? `code ${code}`})`));
    });
    // A private Redis must not outlive this process, even when it exits without stop().
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);

    const problem = await Promise.race([waitForPing(url, 10_000), exited]);
    if (!problem) {
      options.logger.info(
        { redis: describe(url), directory },
        "Started a private redis-server (no Redis answered at the default address)",
      );
      return {
        url,
        stop: async () => {
          process.removeListener("exit", killOnExit);
          await stopChild(child, exited);
        },
      };
    }
    process.removeListener("exit", killOnExit);
    await stopChild(child, exited);
    lastProblem = problem;
  }
  throw new RedisSetupError(
    "REDIS_START_FAILED",
    `Could not start redis-server (${lastProblem}); see ${path.join(directory, "redis.log")}. ` +
      "Start Redis yourself or set REDIS_URL to a running Redis.",
  );
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Undefined when Redis answers PING, else the reason it did not. */
async function ping(url: string, timeoutMs = 2_000): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  client.on("error", (error: Error) => {
    lastError = error;
  });
  try {
    await client.connect();
    const reply = await client.ping();
    return reply === "PONG" ? undefined : `unexpected reply ${reply}`;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)) || lastError?.message || "no answer";
  } finally {
    client.disconnect();
  }
}

async function waitForPing(url: string, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let problem: string | undefined = "no answer";
  while (Date.now() < deadline) {
    problem = await ping(url, 500);
    if (!problem) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return `no answer within ${timeoutMs} ms (${problem})`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const directory of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!directory) continue;
    const candidate = path.join(directory, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

// Host and port only: a REDIS_URL may carry a password, which must not reach logs or errors.
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return "an invalid URL";
  }
}
