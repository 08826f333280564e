// One log line per HTTP request through pino-http, with the request id on it and on every
// other line written while the request is handled. The line names the method, the first
// two path segments, the status and the time taken: never the query string (signed links
// carry tokens there), later path segments (conversation or person ids), headers
// (cookies, authorization) or the client's address.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { pino } from "pino";
import { pinoHttp } from "pino-http";
import type { Logger } from "../ports/logger.ts";
import { pinoOf } from "./logger.ts";
import { withRequestId } from "./request-context.ts";

const REQUEST_ID = /^[\w-]{1,64}$/;

/** The first two path segments, without the query string. */
export function requestArea(url: string | undefined): string {
  const pathname = (url ?? "/").split("?")[0] ?? "/";
  return pathname.split("/").slice(0, 3).join("/") || "/";
}

/** A 503 is a deliberate "not now" (not ready, Redis away) whose cause is logged elsewhere. */
function failed(response: ServerResponse, error?: Error): boolean {
  return (Boolean(error) || response.statusCode >= 500) && response.statusCode !== 503;
}

export function requestLogging(logger: Logger): RequestHandler[] {
  const http = pinoHttp({
    // pino-http's types want a logger with custom levels; ours has none.
    logger: (pinoOf(logger) ?? pino({ level: "silent" })) as never,
    // An id the client (or a proxy in front) sent is kept when it is plain; else a new one.
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const given = request.headers["x-request-id"];
      const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
      response.setHeader("x-request-id", requestId);
      return requestId;
    },
    wrapSerializers: false,
    serializers: {
      req: (request: IncomingMessage) => ({ method: request.method, area: requestArea(request.url) }),
    },
    customLogLevel: (_request, response, error) => (failed(response, error) ? "warn" : "debug"),
    customSuccessMessage: () => "request",
    customErrorMessage: () => "request failed",
    customSuccessObject: (request, response, fields: { responseTime: number }) => ({
      requestId: request.id,
      status: response.statusCode,
      ms: fields.responseTime,
    }),
    customErrorObject: (request, response, error, fields: { responseTime: number }) => ({
      requestId: request.id,
      status: response.statusCode,
      ms: fields.responseTime,
      ...(failed(response, error) ? { err: error.name } : {}),
    }),
  });
  const context: RequestHandler = (request, _response, next) => withRequestId(String(request.id), next);
  return [http as unknown as RequestHandler, context];
}
