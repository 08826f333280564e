import { describe, expect, it } from "vitest";
import { toDeliveryError } from "../../adapters/teams/delivery-errors.ts";

const httpError = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`status ${status}`), { statusCode: status, response: { status, headers } });

describe("Teams delivery errors", () => {
  it("names a wait only when Teams sent Retry-After", () => {
    const limited = toDeliveryError(httpError(429, { "retry-after": "7" }), "send");
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 7000, scope: "tenant" });
    // A 5xx without Retry-After is backed off by the delivery queue, not retried on a fixed timer.
    for (const status of [500, 502, 503, 504]) {
      const failed = toDeliveryError(httpError(status), "send");
      expect(failed.retryable).toBe(true);
      expect(failed.retryAfterMs).toBeUndefined();
      expect(failed.scope).toBe("tenant");
    }
    expect(toDeliveryError(new Error("ECONNREFUSED"), "send").retryAfterMs).toBeUndefined();
  });

  it("holds back one conversation for 412 and refuses 403 and 404 for good", () => {
    expect(toDeliveryError(httpError(412), "send")).toMatchObject({ retryable: true, scope: "conversation" });
    expect(toDeliveryError(httpError(403), "send").retryable).toBe(false);
    expect(toDeliveryError(httpError(404), "send").retryable).toBe(false);
  });
});
