import { type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import type { Deps } from "./deps.ts";

const LEASE_MS = 5 * 60 * 1000;

export type DeliveryOutcome = "sent" | "skipped" | "failed";

/**
 * Sends one outbox message through its platform's adapter, at most once: the row is
 * claimed with a lease, so a second worker (or a re-run job) finds nothing to do.
 * A retryable DeliveryError releases the claim and is rethrown for the queue to retry.
 */
export async function deliverMessage(
  deps: Pick<Deps, "stores" | "clock" | "logger">,
  adapters: ReadonlyMap<string, ChatAdapter>,
  outboxId: string,
): Promise<DeliveryOutcome> {
  const claimed = await deps.stores.outbox.claim(outboxId, deps.clock.now(), LEASE_MS);
  if (!claimed) return "skipped";
  const adapter = adapters.get(claimed.address.platform);
  if (!adapter) {
    await deps.stores.outbox.markFailed(outboxId, `ADAPTER_MISSING: ${claimed.address.platform}`);
    return "failed";
  }
  try {
    const sentRef = await adapter.send(claimed.address.conversationRef, claimed.message);
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
