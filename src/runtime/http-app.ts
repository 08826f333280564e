import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "../ports/logger.ts";
import { healthRoutes, type ReadinessCheck } from "./health-routes.ts";
import { requestLogging } from "./request-logging.ts";
import { type HttpText, sameOriginOnly } from "./same-origin.ts";
import { securityHeaders } from "./security-headers.ts";

/** Express's `trust proxy`: hops to trust, or addresses and ranges (loopback, 10.0.0.0/8, …). */
export type TrustProxy = number | string[] | false;

function jsonError(response: Response, status: number, code: string, message: string): void {
  response.status(status).json({ error: { code, message } });
}

/**
 * The HTTP surface every `serve` process shares: liveness, readiness, metrics and the
 * adapters' routers. Bad bodies get a 4xx JSON error; nothing a client sends can crash it.
 */
export function createHttpApp(input: {
  routers: Router[];
  /** Routers that read the raw body themselves (Slack signs the exact bytes): mounted before the JSON parser. */
  rawRouters?: Router[];
  readiness: ReadinessCheck[];
  metrics: () => Promise<string>;
  logger: Logger;
  /** Where people reach Leerlus: its origin is trusted for forms, https turns on HSTS. */
  publicUrl?: string;
  /** Proxies whose X-Forwarded-* headers count (TRUST_PROXY). Default: loopback. */
  trustProxy?: TrustProxy;
  /** Bearer token for /metrics (METRICS_TOKEN); without it only direct loopback scrapes answer. */
  metricsToken?: string;
  /** Words for the refusal page shown to a person whose form came from another site. */
  text?: HttpText;
  /** A page route nobody serves: a person's HTML 404 (the web chat's); it passes API misses on. */
  notFoundPage?: express.RequestHandler;
}): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", input.trustProxy ?? "loopback");
  app.use(requestLogging(input.logger));
  app.use(securityHeaders(input.publicUrl));
  app.use(sameOriginOnly({ publicUrl: input.publicUrl, text: input.text }));
  app.use(healthRoutes({ readiness: input.readiness, metrics: input.metrics, metricsToken: input.metricsToken }));
  for (const router of input.rawRouters ?? []) app.use(router);
  app.use(express.json({ limit: "256kb" }));
  for (const router of input.routers) app.use(router);
  if (input.notFoundPage) app.use(input.notFoundPage);
  app.use((_request: Request, response: Response) => {
    jsonError(response, 404, "NOT_FOUND", "No such page or endpoint. Open / for the web chat.");
  });
  app.use(
    (error: Error & { status?: number; type?: string }, _request: Request, response: Response, _next: NextFunction) => {
      if (error.type === "entity.parse.failed") {
        return jsonError(response, 400, "BODY_INVALID", "The request body is not valid JSON.");
      }
      if (error.type === "entity.too.large") {
        return jsonError(response, 413, "BODY_TOO_LARGE", "The request body is too large.");
      }
      input.logger.error({ err: error.name, status: error.status }, "request failed");
      return jsonError(response, 500, "INTERNAL", "Something went wrong on our side; please try again in a moment.");
    },
  );
  return app;
}
