import { type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import type { OutboxRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";

/**
 * How long a claim holds. It is renewed every third of that while sends are in flight,
 * so a slow platform keeps its claims and a worker that dies loses them soon after.
 */
export const DEFAULT_LEASE_MS = 30_000;

export type DeliveryOutcome = "sent" | "skipped" | "failed" | { deferredUntil: Date };

export type BatchDelivery = {
  outcomes: Map<string, DeliveryOutcome>;
  /** The first retryable failure: its messages were handed back for the queue to retry. */
  retry?: unknown;
};

type DeliveryDeps = Pick<Deps, "stores" | "clock" | "logger">;

/**
 * Sends outbox messages through their platforms' adapters, each at most once: rows are
 * claimed with a lease in one statement, so a second worker (or a re-run job) finds nothing
 * to do. A retryable DeliveryError hands its row back; the first such error is returned for
 * the queue to retry the batch, whose sent rows are then skipped.
 */
export async function deliverMessages(
  deps: DeliveryDeps,
  adapters: ReadonlyMap<string, ChatAdapter>,
  outboxIds: readonly string[],
  options: { leaseMs?: number } = {},
): Promise<BatchDelivery> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const now = deps.clock.now();
  const claimed = await deps.stores.outbox.claim(outboxIds, now, leaseMs);
  const outcomes = new Map<string, DeliveryOutcome>(outboxIds.map((id) => [id, "skipped"]));
  // Queued early (e.g. re-queued by the reconciler): wait for the recipient's working hours.
  const early = claimed.filter((row) => row.notBefore && row.notBefore > now);
  if (early.length > 0) await deps.stores.outbox.unclaim(early.map((row) => row.id));
  for (const row of early) outcomes.set(row.id, { deferredUntil: row.notBefore as Date });
  const due = claimed.filter((row) => !early.includes(row));
  const sent: { id: string; sentRef: string }[] = [];
  let retry: unknown;
  // Claims are held until the sent marks are written, and what was sent is marked even when
  // something else in the batch threw: a lapsed claim would let another worker send again.
  await holdingLeases(deps, due, leaseMs, async () => {
    try {
      const results = await Promise.allSettled(due.map((row) => sendOne(deps, adapters, row)));
      results.forEach((settled, index) => {
        const id = (due[index] as OutboxRecord).id;
        const result = settled.status === "fulfilled" ? settled.value : { failed: true, retry: settled.reason };
        if (typeof result === "string") {
          sent.push({ id, sentRef: result });
          outcomes.set(id, "sent");
        } else if (result.retry !== undefined) {
          retry ??= result.retry;
        } else {
          outcomes.set(id, "failed");
        }
      });
    } finally {
      if (sent.length > 0) await deps.stores.outbox.markSent(sent, deps.clock.now());
    }
  });
  return retry === undefined ? { outcomes } : { outcomes, retry };
}

/** One message: its sent reference, or what became of it when it could not be sent. */
async function sendOne(
  deps: DeliveryDeps,
  adapters: ReadonlyMap<string, ChatAdapter>,
  row: OutboxRecord,
): Promise<string | { failed: true; retry?: unknown }> {
  const adapter = adapters.get(row.address.platform);
  if (!adapter) {
    await deps.stores.outbox.markFailed(row.id, `ADAPTER_MISSING: ${row.address.platform}`);
    return { failed: true };
  }
  try {
    return await adapter.send(row.address.conversationRef, row.message, { idempotencyKey: row.id });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof DeliveryError && !error.retryable) {
      await deps.stores.outbox.markFailed(row.id, reason);
      deps.logger.warn({ outboxId: row.id, platform: row.address.platform }, "delivery failed permanently");
      return { failed: true };
    }
    await deps.stores.outbox.release(row.id, reason);
    return { failed: true, retry: error };
  }
}

/** One message, as {@link deliverMessages}; a retryable failure is thrown. */
export async function deliverMessage(
  deps: DeliveryDeps,
  adapters: ReadonlyMap<string, ChatAdapter>,
  outboxId: string,
  options: { leaseMs?: number } = {},
): Promise<DeliveryOutcome> {
  const { outcomes, retry } = await deliverMessages(deps, adapters, [outboxId], options);
  if (retry !== undefined) throw retry;
  return outcomes.get(outboxId) ?? "skipped";
}

/** Runs `work` while renewing the claims on the rows, so none lapses mid-send. */
async function holdingLeases(
  deps: DeliveryDeps,
  rows: readonly OutboxRecord[],
  leaseMs: number,
  work: () => Promise<void>,
): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((row) => row.id);
  const renew = () =>
    deps.stores.outbox
      .extendLease(ids, new Date(deps.clock.now().getTime() + leaseMs))
      .catch((error: unknown) => deps.logger.warn({ err: String(error) }, "renewing delivery leases failed"));
  const timer = setInterval(renew, Math.max(1_000, Math.floor(leaseMs / 3)));
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
}
