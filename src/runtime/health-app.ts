// `leerlus worker`'s small HTTP port (HEALTH_PORT): liveness, readiness and metrics for
// Kubernetes and Prometheus, nothing else.
import express, { type Request, type Response } from "express";
import type { Logger } from "../ports/logger.ts";
import { healthRoutes, type ReadinessCheck } from "./health-routes.ts";
import { requestLogging } from "./request-logging.ts";

export function createHealthApp(input: {
  readiness: ReadinessCheck[];
  metrics: () => Promise<string>;
  metricsToken?: string;
  logger: Logger;
}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(requestLogging(input.logger));
  app.use(healthRoutes(input));
  app.use((_request: Request, response: Response) => {
    response
      .status(404)
      .json({ error: { code: "NOT_FOUND", message: "This port answers /livez, /readyz and /metrics." } });
  });
  return app;
}
