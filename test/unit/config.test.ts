import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { runCliInProcess } from "../support/run-cli.ts";

describe("configuration", () => {
  it("has working defaults for a newcomer", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
      demo: false,
      publicUrl: "http://127.0.0.1:3000",
    });
  });

  it("names every bad variable", () => {
    const attempt = () => loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", LEERLUS_SECRET: "short" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/DATABASE_URL/);
    expect(attempt).toThrow(/LEERLUS_SECRET: must be at least 32 characters/);
  });

  it("reads which queues a worker serves, and names a queue it does not know", () => {
    expect(loadConfig({}).workerQueues).toEqual({ ticks: true, deliveries: true });
    expect(loadConfig({ WORKER_QUEUES: "deliveries" }).workerQueues).toEqual({ ticks: false, deliveries: true });
    expect(loadConfig({ WORKER_QUEUES: " ticks " }).workerQueues).toEqual({ ticks: true, deliveries: false });
    const attempt = () => loadConfig({ WORKER_QUEUES: "ticks,emails" });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/WORKER_QUEUES.*use "ticks", "deliveries" or "ticks,deliveries"/);
  });

  // The same through the real entry point, as a process: test/e2e/cli-process.test.ts.
  it("stops `leerlus serve` with a message naming the variable and a non-zero exit", async () => {
    const result = await runCliInProcess(["serve"], { PORT: "not-a-port" });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/Fix these variables/);
  });

  it("refuses to serve without LEERLUS_SECRET outside the demo", async () => {
    const result = await runCliInProcess(["serve"], { LEERLUS_SECRET: "", PORT: "0" });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/LEERLUS_SECRET is not set/);
  });
});
