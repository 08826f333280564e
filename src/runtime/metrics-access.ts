// Who may scrape /metrics: the bearer of METRICS_TOKEN when it is set; otherwise only a
// scraper on this machine talking to Leerlus directly. A request that came through a proxy
// (it names a forwarded client) is refused whatever the trust-proxy setting says, so a
// proxy in front can never expose the figures to the internet by accident.
import type { NextFunction, Request, Response } from "express";
import { sameText } from "./same-text.ts";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const FORWARDING_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"];

export function metricsAccess(token: string | undefined) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (token) {
      const header = request.get("authorization") ?? "";
      const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : "";
      if (given && sameText(given, token)) {
        next();
        return;
      }
      response.set("WWW-Authenticate", 'Bearer realm="Leerlus metrics"');
      response
        .status(401)
        .json({ error: { code: "METRICS_TOKEN_REQUIRED", message: "Send the METRICS_TOKEN as a bearer token." } });
      return;
    }
    const direct =
      LOOPBACK.test(request.socket.remoteAddress ?? "") &&
      FORWARDING_HEADERS.every((name) => request.get(name) === undefined);
    if (direct) {
      next();
      return;
    }
    response.status(403).json({
      error: {
        code: "METRICS_FORBIDDEN",
        message: "Metrics answer only to this machine; set METRICS_TOKEN to scrape them from elsewhere.",
      },
    });
  };
}
