import { type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import type { BudgetKeys, BudgetRequest, DeliveryBudget } from "../ports/delivery-budget.ts";
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
  let retry: unknown;
  // Each sent message is marked as soon as it went (those that finish together in one
  // statement), not when the whole batch is done: a worker that dies mid-batch leaves only
  // the sends of that moment unmarked, as with a batch of one. Claims are held until the
  // marks are written: a lapsed claim would let another worker send again.
  const marks = grouped((items: { id: string; sentRef: string }[]) =>
    deps.stores.outbox.markSent(items, deps.clock.now()),
  );
  const budget = options.budget;
  // Best effort: were Redis to miss it, the next sends are held to when these set out.
  const answered = grouped(async (rows: OutboxRecord[]) => {
    await budget
      ?.answered(rows.map(budgetRequest))
      .catch((error: unknown) => deps.logger.warn({ err: String(error) }, "logging answered sends failed"));
  });
  await holdingLeases(deps, due, leaseMs, async () => {
    try {
      const results = await Promise.allSettled(
        due.map(async (row) => {
          const result = await sendOne(
            deps,
            adapters,
            row,
            budget && { budget, recovering: recovering.has(row.id), answered: () => answered.add(row) },
          );
          if (typeof result === "string") marks.add({ id: row.id, sentRef: result });
          return result;
        }),
      );
      results.forEach((settled, index) => {
        const id = (due[index] as OutboxRecord).id;
        const result: SendResult =
          settled.status === "fulfilled" ? settled.value : { failed: true, retry: settled.reason };
        if (typeof result === "string") {
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
      await Promise.all([marks.written(), answered.written()]);
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
const budgetRequest = (row: OutboxRecord): BudgetRequest => ({
  platform: row.address.platform,
  keys: budgetKeys(row),
  ticket: `${row.id}:${row.attempts}`,
});

/**
 * A slot for each row: those whose tenant or conversation has none now wait (how long, by id);
 * `recovering` rows go to a scope that is backing off, whose back-off their success ends.
 */
async function takeSlots(budget: DeliveryBudget, rows: readonly OutboxRecord[]) {
  const waiting = new Map<string, number>();
  const recovering = new Set<string>();
  if (rows.length === 0) return { waiting, recovering };
  const grants = await budget.takeAll(rows.map(budgetRequest));
  grants.forEach((grant, index) => {
    const row = rows[index] as OutboxRecord;
    if (grant.waitMs > 0) waiting.set(row.id, grant.waitMs);
    else if (grant.recovering) recovering.add(row.id);
  });
  return { waiting, recovering };
}

/**
 * Writes items in as few calls as they allow: one call at a time, and the items that come
 * in meanwhile wait for the next. `written` settles when all are in, and fails when one of
 * the calls did.
 */
function grouped<T>(write: (items: T[]) => Promise<void>) {
  let pending: T[] = [];
  let writing: Promise<void> = Promise.resolve();
  let failure: unknown;
  const next = async () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      await write(batch);
    } catch (error) {
      failure ??= error;
    }
  };
  return {
    add(item: T) {
      pending.push(item);
      if (pending.length === 1) writing = writing.then(next);
    },
    async written() {
      await writing;
      if (failure !== undefined) throw failure;
    },
  };
}

/** One message: its sent reference, or what became of it when it could not be sent. */
async function sendOne(
  deps: DeliveryDeps,
  adapters: ReadonlyMap<string, ChatAdapter>,
  row: OutboxRecord,
  limits: { budget: DeliveryBudget; recovering: boolean; answered: () => void } | undefined,
): Promise<SendResult> {
  const adapter = adapters.get(row.address.platform);
  if (!adapter) {
    await deps.stores.outbox.markFailed(row.id, `ADAPTER_MISSING: ${row.address.platform}`);
    return { failed: true };
  }
  let sentRef: string;
  try {
    sentRef = await adapter.send(row.address.conversationRef, row.message, { idempotencyKey: row.id });
  } catch (error) {
    limits?.answered();
    return failedSend(deps, row, limits, error);
  }
  limits?.answered();
  if (limits?.recovering) await limits.budget.recovered(row.address.platform, budgetKeys(row));
  return sentRef;
}

/** What became of a message whose send failed: given up, waiting for its scope, or to retry. */
async function failedSend(
  deps: DeliveryDeps,
  row: OutboxRecord,
  limits: { budget: DeliveryBudget } | undefined,
  error: unknown,
): Promise<SendResult> {
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
