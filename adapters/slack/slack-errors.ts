// Slack Web API failures as DeliveryError. The client's own retries are off
// (retries: 0, rejectRateLimitedCalls), so a 429 reaches the delivery queue, which holds back
// that workspace for Retry-After (its budget is per workspace; the 1-a-second per channel is
// kept before sending) instead of a worker sleeping inside a call. Failures without a wait
// (5xx, network) are backed off per workspace by the queue.
import { DeliveryError } from "../../src/ports/chat-adapter.ts";

/** Refusals that the same call will get again: recorded, not retried. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "account_inactive",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "no_permission",
  "missing_scope",
  "user_not_found",
  "cant_update_message",
  "message_not_found",
  "edit_window_closed",
  "invalid_blocks",
  "msg_too_long",
  "team_access_not_granted",
  "ekm_access_denied",
]);

const DEFAULT_RETRY_AFTER_MS = 1000;

type SlackApiError = Error & {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  headers?: Record<string, string>;
  data?: { error?: string };
};

export function toDeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error instanceof Error ? error : new Error(String(error))) as SlackApiError;
  switch (e.code) {
    case "slack_webapi_rate_limited_error":
      return new DeliveryError(`SLACK_RATE_LIMITED: ${what}`, {
        retryable: true,
        retryAfterMs: (e.retryAfter ?? 1) * 1000,
        cause: error,
      });
    case "slack_webapi_platform_error": {
      const reason = e.data?.error ?? "unknown";
      if (reason === "ratelimited") {
        return new DeliveryError(`SLACK_RATE_LIMITED: ${what}`, {
          retryable: true,
          retryAfterMs: DEFAULT_RETRY_AFTER_MS,
          cause: error,
        });
      }
      // internal_error, fatal_error, service_unavailable… are Slack's trouble, not ours.
      const retryable = !PERMANENT.has(reason) && /internal|fatal|unavailable|timeout/.test(reason);
      return new DeliveryError(`SLACK_${reason.toUpperCase()}: ${what}`, { retryable, cause: error });
    }
    case "slack_webapi_http_error": {
      const status = e.statusCode ?? 0;
      if (status === 429) {
        const seconds = Number(e.headers?.["retry-after"]);
        return new DeliveryError(`SLACK_RATE_LIMITED: ${what}`, {
          retryable: true,
          retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_RETRY_AFTER_MS,
          cause: error,
        });
      }
      return new DeliveryError(`SLACK_HTTP_${status}: ${what}`, { retryable: status >= 500, cause: error });
    }
    default:
      // Network failures and anything unexpected: try again later.
      return new DeliveryError(`SLACK_REQUEST_FAILED: ${what}`, { retryable: true, cause: error });
  }
}
