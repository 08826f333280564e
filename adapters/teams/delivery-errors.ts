// Bot Connector failures as DeliveryErrors. The delivery queue owns retries (botbuilder's own
// retry policy is removed, see bot-framework.ts): it holds back only the tenant (or, for 412,
// the conversation) that failed, for Retry-After when Teams names one and otherwise with an
// exponential back-off with jitter that it keeps per tenant, so nothing is retried twice over.
import { DeliveryError } from "../../src/ports/chat-adapter.ts";

// 429 throttled, 412 Teams' "conversation busy", 502/504 the service having a moment; 500 and
// 503 are transient too. 403 (bot removed, blocked) and 404 (conversation gone) are final.
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);
// "Conversation busy": the one conversation waits, the tenant's others go on.
const CONVERSATION_BUSY = 412;

type ErrorLike = {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  response?: { status?: unknown; headers?: unknown };
};

export function statusOf(error: unknown): number | undefined {
  const candidate = error as ErrorLike | undefined;
  for (const value of [candidate?.statusCode, candidate?.status, candidate?.response?.status]) {
    if (typeof value === "number" && value >= 100) return value;
  }
  return undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === "function") {
    const value = getter.call(headers, name);
    return typeof value === "string" ? value : undefined;
  }
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return typeof entry?.[1] === "string" ? entry[1] : undefined;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or odd. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function toDeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const status = statusOf(error);
  if (status === undefined) {
    // No answer at all (connection refused, timeout): the service may be back soon.
    return new DeliveryError(`TEAMS_UNREACHABLE: could not ${what}`, { retryable: true, cause: error });
  }
  if (RETRYABLE.has(status)) {
    // Retry-After only when Teams sent one: a 5xx without it is backed off, not retried on a timer.
    const wait = retryAfterMs(header((error as ErrorLike).response?.headers, "retry-after"));
    return new DeliveryError(`TEAMS_HTTP_${status}: could not ${what}`, {
      retryable: true,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      scope: status === CONVERSATION_BUSY ? "conversation" : "tenant",
      cause: error,
    });
  }
  const code = status === 403 ? "TEAMS_FORBIDDEN" : status === 404 ? "TEAMS_NOT_FOUND" : `TEAMS_HTTP_${status}`;
  return new DeliveryError(`${code}: could not ${what}`, { retryable: false, cause: error });
}
