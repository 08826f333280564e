import { type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import type { Deps } from "./deps.ts";

/**
 * How long a claim holds. It is renewed every third of that while the send is in flight,
 * so a slow platform keeps its claim and a worker that dies loses its claims soon after.
 */
export const DEFAULT_LEASE_MS = 30_000;

export type DeliveryOutcome = "sent" | "skipped" | "failed" | { deferredUntil: Date };

/**
 * Sends one outbox message through its platform's adapter, at most once: the row is
 * claimed with a lease, so a second worker (or a re-run job) finds nothing to do.
 * A retryable DeliveryError releases the claim and is rethrown for the queue to retry.
 */
export async function deliverMessage(
  deps: Pick<Deps, "stores" | "clock" | "logger">,
  adapters: ReadonlyMap<string, ChatAdapter>,
  outboxId: string,
  options: { leaseMs?: number } = {},
): Promise<DeliveryOutcome> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const claimed = await deps.stores.outbox.claim(outboxId, deps.clock.now(), leaseMs);
  if (!claimed) return "skipped";
  // Queued early (e.g. re-queued by the reconciler): wait for the recipient's working hours.
  if (claimed.notBefore && claimed.notBefore > deps.clock.now()) {
    await deps.stores.outbox.unclaim(outboxId);
    return { deferredUntil: claimed.notBefore };
  }
  const adapter = adapters.get(claimed.address.platform);
  if (!adapter) {
    await deps.stores.outbox.markFailed(outboxId, `ADAPTER_MISSING: ${claimed.address.platform}`);
    return "failed";
  }
  try {
    const sentRef = await holdingLease(deps, outboxId, leaseMs, () =>
      adapter.send(claimed.address.conversationRef, claimed.message, { idempotencyKey: outboxId }),
    );
    await deps.stores.outbox.markSent(outboxId, sentRef, deps.clock.now());
    return "sent";
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof DeliveryError && !error.retryable) {
      await deps.stores.outbox.markFailed(outboxId, reason);
      deps.logger.warn({ outboxId, platform: claimed.address.platform }, "delivery failed permanently");
      return "failed";
    }
    await deps.stores.outbox.release(outboxId, reason);
    throw error;
  }
}

/** Runs `work` while renewing the claim on the outbox row, so it never lapses mid-send. */
async function holdingLease<T>(
  deps: Pick<Deps, "stores" | "clock" | "logger">,
  outboxId: string,
  leaseMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const renew = () =>
    deps.stores.outbox
      .extendLease(outboxId, new Date(deps.clock.now().getTime() + leaseMs))
      .catch((error: unknown) =>
        deps.logger.warn({ outboxId, err: String(error) }, "renewing a delivery lease failed"),
      );
  const timer = setInterval(renew, Math.max(1_000, Math.floor(leaseMs / 3)));
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
