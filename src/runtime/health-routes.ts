// Liveness, readiness and metrics: the routes every process with a port shares, `serve`
// on its HTTP app and `worker` on its own small health port (HEALTH_PORT).
import express, { type Router } from "express";
import { metricsAccess } from "./metrics-access.ts";

export type ReadinessCheck = { name: string; check: () => Promise<void> };

/** A check that has not answered by then counts as unavailable: /readyz answers within 2 s. */
export const READINESS_TIMEOUT_MS = 1_500;

async function passes(check: () => Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      check().then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(input: {
  readiness: ReadinessCheck[];
  metrics: () => Promise<string>;
  /** Bearer token for /metrics (METRICS_TOKEN); without it only direct loopback scrapes answer. */
  metricsToken?: string;
}): Router {
  const router = express.Router();
  // Alive: the process answers. /healthz is the older name of /livez.
  router.get(["/livez", "/healthz"], (_request, response) => {
    response.json({ status: "ok" });
  });
  router.get("/readyz", async (_request, response) => {
    const results = await Promise.all(
      input.readiness.map(
        async (item) => [item.name, (await passes(item.check, READINESS_TIMEOUT_MS)) ? "ok" : "unavailable"] as const,
      ),
    );
    const ready = results.every(([, status]) => status === "ok");
    response
      .status(ready ? 200 : 503)
      .json({ status: ready ? "ready" : "not-ready", checks: Object.fromEntries(results) });
  });
  router.get("/metrics", metricsAccess(input.metricsToken), async (_request, response) => {
    response.type("text/plain; version=0.0.4").send(await input.metrics());
  });
  return router;
}
