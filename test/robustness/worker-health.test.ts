import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { eventually } from "../support/test-clock.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-database.ts";
import { randomQueuePrefix, startWorkerProcess, type WorkerProcess } from "../support/worker-process.ts";

async function get(url: string, headers: Record<string, string> = {}) {
  try {
    const response = await fetch(url, { headers });
    return { status: response.status, text: await response.text() };
  } catch {
    return { status: 0, text: "" };
  }
}

// Kubernetes probes `leerlus worker` on HEALTH_PORT: a real worker process, on real
// PostgreSQL and Redis, answers there.
describe("the worker's health port", () => {
  let database: TestDatabase;
  let worker: WorkerProcess;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    worker = startWorkerProcess({
      databaseUrl: database.url,
      queuePrefix: randomQueuePrefix(),
      env: { HEALTH_PORT: String(port), HOST: "127.0.0.1" },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it("answers /livez and /readyz with 200 and /metrics with the worker's figures", async () => {
    await eventually(async () => (await get(`${base}/livez`)).status === 200, 45_000);
    await eventually(async () => (await get(`${base}/readyz`)).status === 200, 15_000);
    const ready = JSON.parse((await get(`${base}/readyz`)).text);
    expect(ready).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok" } });
    const metrics = await get(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^leerlus_redis_up 1$/m);
    expect(metrics.text).toContain("# TYPE leerlus_deliveries_total counter");
    expect(metrics.text).toContain("# TYPE process_cpu_seconds_total counter");
    // The same guard as serve's: a scrape that came through a proxy is refused.
    expect((await get(`${base}/metrics`, { "x-forwarded-for": "203.0.113.7" })).status).toBe(403);
    // Nothing but health lives there.
    expect((await get(`${base}/`)).status).toBe(404);
  }, 90_000);

  it("stops with the worker on SIGTERM", async () => {
    expect(await worker.stop()).toBe(0);
    expect((await get(`${base}/livez`)).status).toBe(0);
  }, 45_000);
});
