import { type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import type { BudgetKeys, DeliveryBudget } from "../ports/delivery-budget.ts";
import type { OutboxRecord } from "../ports/store.ts";
import type { Deps } from "./deps.ts";

/**
 * How long a claim holds. It is renewed every third of that while sends are in flight,
 * so a slow platform keeps its claims and a worker that dies loses them soon after.
 */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * `deferredUntil`: not before then by the core's clock (working hours, or another worker's
 * claim that has yet to lapse). `waitMs`: the platform's budget for the message's tenant or
 * conversation is spent, or that scope is backing off: again in that many milliseconds.
 */
export type DeliveryOutcome = "sent" | "skipped" | "failed" | { deferredUntil: Date } | { waitMs: number };

export type BatchDelivery = {
  outcomes: Map<string, DeliveryOutcome>;
  /** The first retryable failure: its messages were handed back for the queue to retry. */
  retry?: unknown;
};

type DeliveryDeps = Pick<Deps, "stores" | "clock" | "logger">;

export type DeliveryOptions = {
  leaseMs?: number;
  /** Per tenant and conversation budgets; without one every retryable failure is `retry`. */
  budget?: DeliveryBudget;
};

type SendResult = string | { failed: true; retry?: unknown; waitMs?: number };

/**
 * Sends outbox messages through their platforms' adapters, each at most once: rows are
 * claimed with a lease in one statement, so a second worker (or a re-run job) finds nothing
 * to do. With a budget, each message first takes a slot of its tenant's and conversation's
 * budgets, and a retryable refusal makes only its scope wait: the message is handed back
 * with a `waitMs`. Otherwise a retryable DeliveryError hands its row back and the first such
 * error is returned for the queue to retry the batch, whose sent rows are then skipped.
 */
export async function deliverMessages(
  deps: DeliveryDeps,
  adapters: ReadonlyMap<string, ChatAdapter>,
  outboxIds: readonly string[],
  options: DeliveryOptions = {},
): Promise<BatchDelivery> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const now = deps.clock.now();
  const claimed = await deps.stores.outbox.claim(outboxIds, now, leaseMs);
  const outcomes = new Map<string, DeliveryOutcome>(outboxIds.map((id) => [id, "skipped"]));
  // Claimed by a worker that may have died: try again once its lease lapses, not at the next
  // reconcile. A live worker's message is sent by then, and the retry finds nothing to do.
  if (claimed.length < outboxIds.length) {
    const taken = new Set(claimed.map((row) => row.id));
    const held = await deps.stores.outbox.heldUntil(outboxIds.filter((id) => !taken.has(id)));
    for (const [id, until] of held) outcomes.set(id, { deferredUntil: new Date(until.getTime() + LEASE_SLACK_MS) });
  }
  // Queued early (e.g. re-queued by the reconciler): wait for the recipient's working hours.
  const early = claimed.filter((row) => row.notBefore && row.notBefore > now);
  for (const row of early) outcomes.set(row.id, { deferredUntil: row.notBefore as Date });
  const onTime = claimed.filter((row) => !early.includes(row));
  const { waiting, recovering } = options.budget
    ? await takeSlots(options.budget, onTime)
    : { waiting: new Map<string, number>(), recovering: new Set<string>() };
  for (const [id, waitMs] of waiting) outcomes.set(id, { waitMs });
  const handBack = [...early.map((row) => row.id), ...waiting.keys()];
  if (handBack.length > 0) await deps.stores.outbox.unclaim(handBack);
  const due = onTime.filter((row) => !waiting.has(row.id));
  const sent: { id: string; sentRef: string }[] = [];
  let retry: unknown;
  // Claims are held until the sent marks are written, and what was sent is marked even when
  // something else in the batch threw: a lapsed claim would let another worker send again.
  await holdingLeases(deps, due, leaseMs, async () => {
    try {
      const results = await Promise.allSettled(
        due.map((row) =>
          sendOne(
            deps,
            adapters,
            row,
            options.budget && { budget: options.budget, recovering: recovering.has(row.id) },
          ),
        ),
      );
      results.forEach((settled, index) => {
        const id = (due[index] as OutboxRecord).id;
        const result: SendResult =
          settled.status === "fulfilled" ? settled.value : { failed: true, retry: settled.reason };
        if (typeof result === "string") {
          sent.push({ id, sentRef: result });
          outcomes.set(id, "sent");
        } else if (result.waitMs !== undefined) {
          outcomes.set(id, { waitMs: result.waitMs });
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

// A lapsed claim is taken only once its lease is strictly past: come back a little later.
const LEASE_SLACK_MS = 1_000;

const budgetKeys = (row: OutboxRecord): BudgetKeys => ({
  tenant: row.organisationId,
  conversation: `${row.organisationId}|${row.address.conversationRef}`,
});
// One attempt's slot: a message that waits keeps its attempt count (unclaim) and so its slot.
const ticket = (row: OutboxRecord) => `${row.id}:${row.attempts}`;

/**
 * A slot for each row: those whose tenant or conversation has none now wait (how long, by id);
 * `recovering` rows go to a scope that is backing off, whose back-off their success ends.
 */
async function takeSlots(budget: DeliveryBudget, rows: readonly OutboxRecord[]) {
  const grants = await Promise.all(rows.map((row) => budget.take(row.address.platform, budgetKeys(row), ticket(row))));
  const waiting = new Map<string, number>();
  const recovering = new Set<string>();
  grants.forEach((grant, index) => {
    const row = rows[index] as OutboxRecord;
    if (grant.waitMs > 0) waiting.set(row.id, grant.waitMs);
    else if (grant.recovering) recovering.add(row.id);
  });
  return { waiting, recovering };
}

/** One message: its sent reference, or what became of it when it could not be sent. */
async function sendOne(
  deps: DeliveryDeps,
  adapters: ReadonlyMap<string, ChatAdapter>,
  row: OutboxRecord,
  limits: { budget: DeliveryBudget; recovering: boolean } | undefined,
): Promise<SendResult> {
  const adapter = adapters.get(row.address.platform);
  if (!adapter) {
    await deps.stores.outbox.markFailed(row.id, `ADAPTER_MISSING: ${row.address.platform}`);
    return { failed: true };
  }
  try {
    const sentRef = await adapter.send(row.address.conversationRef, row.message, { idempotencyKey: row.id });
    if (limits?.recovering) await limits.budget.recovered(row.address.platform, budgetKeys(row));
    return sentRef;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof DeliveryError && !error.retryable) {
      await deps.stores.outbox.markFailed(row.id, reason);
      deps.logger.warn({ outboxId: row.id, platform: row.address.platform }, "delivery failed permanently");
      return { failed: true };
    }
    await deps.stores.outbox.release(row.id, reason);
    if (limits && error instanceof DeliveryError) {
      // Only the scope that refused waits: its Retry-After, or its back-off.
      const scope = budgetKeys(row)[error.scope];
      return { failed: true, waitMs: await limits.budget.refused(row.address.platform, scope, error.retryAfterMs) };
    }
    return { failed: true, retry: error };
  }
}

/** One message, as {@link deliverMessages}; a retryable failure is thrown. */
export async function deliverMessage(
  deps: DeliveryDeps,
  adapters: ReadonlyMap<string, ChatAdapter>,
  outboxId: string,
  options: DeliveryOptions = {},
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
