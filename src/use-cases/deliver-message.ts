import { type ChatAdapter, DeliveryError } from "../ports/chat-adapter.ts";
import type { DeliveryBudget } from "../ports/delivery-budget.ts";
import type { OutboxRecord } from "../ports/outbox-store.ts";
import type { Deps } from "./deps.ts";
import { budgetKeys, budgetRequest, holdForSlots, type SlotHold } from "./hold-for-slots.ts";

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
  /** A slot at most this far off is waited for in this call (see holdForSlots); default 0. */
  holdMs?: number;
  /** Orders the process's sends, those that waited for their slot first; default: each at once. */
  lanes?: SendLanes;
};

/**
 * Runs `work` when the process's sends allow. `waited`: its slot came after a wait;
 * `tenant`: whose budget it counts against.
 */
export type SendLanes = <T>(send: { waited: boolean; tenant: string }, work: () => Promise<T>) => Promise<T>;

type SendResult = string | { failed: true; retry?: unknown; waitMs?: number };

/**
 * Sends outbox messages through their platforms' adapters, each at most once: rows are
 * claimed with a lease in one statement, so a second worker (or a re-run job) finds nothing
 * to do. With a budget, each message first takes a slot of its tenant's and conversation's
 * budgets (waiting for it here when it comes within `holdMs`), and a retryable refusal makes
 * only its scope wait: the message is handed back with a `waitMs`. Otherwise a retryable DeliveryError hands its row back and the first such
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
  if (early.length > 0) await deps.stores.outbox.unclaim(early.map((row) => row.id));
  const onTime = claimed.filter((row) => !early.includes(row));
  // Each sent message is marked as soon as it went (those that finish together in one
  // statement), not when the whole batch is done: a worker that dies mid-batch leaves only
  // the sends of that moment unmarked, as with a batch of one. Claims are held until the
  // marks are written: a lapsed claim would let another worker send again.
  const marks = grouped((items: { id: string; sentRef: string }[]) =>
    deps.stores.outbox.markSent(items, deps.clock.now()),
  );
  const budget = options.budget;
  // Best effort: were Redis to miss it, the next sends are held to when these set out.
  const answered = grouped(async (sends: { row: OutboxRecord; at: number }[]) => {
    await budget
      ?.answered(sends.map(({ row, at }) => ({ ...budgetRequest(row), answeredAt: at })))
      .catch((error: unknown) => deps.logger.warn({ err: String(error) }, "logging answered sends failed"));
  });
  const lanes: SendLanes = options.lanes ?? ((_send, work) => work());
  const results = new Map<string, SendResult>();
  const send = async (row: OutboxRecord, recovering: boolean, waited: boolean) => {
    let result: SendResult;
    try {
      result = await lanes({ waited, tenant: row.organisationId }, () =>
        sendOne(
          deps,
          adapters,
          row,
          budget && { budget, recovering, answered: () => answered.add({ row, at: Date.now() }) },
        ),
      );
    } catch (error) {
      result = { failed: true, retry: error };
    }
    if (typeof result === "string") marks.add({ id: row.id, sentRef: result });
    results.set(row.id, result);
  };
  let hold: SlotHold = { later: new Map(), unasked: [] };
  await holdingLeases(deps, onTime, leaseMs, async () => {
    try {
      if (budget) hold = await holdForSlots(budget, onTime, options.holdMs ?? 0, send);
      else await Promise.all(onTime.map((row) => send(row, false, false)));
    } finally {
      await Promise.all([marks.written(), answered.written()]);
    }
  });
  // Slots further off than the hold, and slots not asked for: the rows go back to the queue
  // with their attempt not counted (unclaim), so their tickets and slots stay theirs.
  const handBack = [...hold.later.keys(), ...hold.unasked];
  if (handBack.length > 0) await deps.stores.outbox.unclaim(handBack);
  for (const [id, at] of hold.later) outcomes.set(id, { waitMs: Math.max(1, at - Date.now()) });
  let retry: unknown = hold.failure;
  for (const [id, result] of results) {
    if (typeof result === "string") outcomes.set(id, "sent");
    else if (result.waitMs !== undefined) outcomes.set(id, { waitMs: result.waitMs });
    else if (result.retry !== undefined) retry ??= result.retry;
    else outcomes.set(id, "failed");
  }
  return retry === undefined ? { outcomes } : { outcomes, retry };
}

// A lapsed claim is taken only once its lease is strictly past: come back a little later.
const LEASE_SLACK_MS = 1_000;

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
