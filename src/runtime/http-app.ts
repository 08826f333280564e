import { randomUUID } from "node:crypto";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { Logger } from "../ports/logger.ts";
import { metricsAccess } from "./metrics-access.ts";
import { type HttpText, sameOriginOnly } from "./same-origin.ts";
import { securityHeaders } from "./security-headers.ts";

/** Express's `trust proxy`: hops to trust, or addresses and ranges (loopback, 10.0.0.0/8, …). */
export type TrustProxy = number | string[] | false;

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

function jsonError(response: Response, status: number, code: string, message: string): void {
  response.status(status).json({ error: { code, message } });
}

/**
 * The HTTP surface every `serve` process shares: health, readiness, metrics and the
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
  app.use((request, response, next) => {
    const given = request.get("x-request-id");
    const requestId = given && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    response.setHeader("x-request-id", requestId);
    const started = performance.now();
    response.on("finish", () => {
      // The first two path segments only: later ones can hold conversation or person ids.
      const area = request.path.split("/").slice(0, 3).join("/") || "/";
      const fields = {
        requestId,
        method: request.method,
        area,
        status: response.statusCode,
        ms: Math.round(performance.now() - started),
      };
      // A 503 is a deliberate "not now" (not ready, Redis away): its cause is logged once
      // elsewhere, and probes that ask every few seconds must not fill the log with it.
      if (response.statusCode >= 500 && response.statusCode !== 503) input.logger.warn(fields, "request failed");
      else input.logger.debug(fields, "request");
    });
    next();
  });
  app.use(securityHeaders(input.publicUrl));
  app.use(sameOriginOnly({ publicUrl: input.publicUrl, text: input.text }));
  app.get("/healthz", (_request, response) => {
    response.json({ status: "ok" });
  });
  app.get("/readyz", async (_request, response) => {
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
  app.get("/metrics", metricsAccess(input.metricsToken), async (_request, response) => {
    response.type("text/plain; version=0.0.4").send(await input.metrics());
  });
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
