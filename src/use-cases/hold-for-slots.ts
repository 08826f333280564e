import { setTimeout as sleep } from "node:timers/promises";
import type { BudgetKeys, BudgetRequest, DeliveryBudget } from "../ports/delivery-budget.ts";
import type { OutboxRecord } from "../ports/outbox-store.ts";

export const budgetKeys = (row: OutboxRecord): BudgetKeys => ({
  tenant: row.organisationId,
  conversation: `${row.organisationId}|${row.address.conversationRef}`,
});
// One attempt's slot: a message that waits keeps its attempt count (unclaim) and so its slot.
export const budgetRequest = (row: OutboxRecord): BudgetRequest => ({
  platform: row.address.platform,
  keys: budgetKeys(row),
  ticket: `${row.id}:${row.attempts}`,
});

export type SlotHold = {
  /** Rows whose slot is further off than the hold, by when it comes (Date.now() milliseconds). */
  later: Map<string, number>;
  /** Rows whose slot could not be asked for (Redis did not answer), and why. */
  unasked: string[];
  failure?: unknown;
};

// Rows whose slots come within this of each other ask again together: one round trip.
const WAKE_GRID_MS = 5;

/**
 * Takes a slot for each row and sends it (`send`) when its slot comes. A row whose slot is
 * at most `holdMs` off waits for it here, keeping its claim, and asks again then (together
 * with the others due then): the tenant's next window goes out when it opens, not after a
 * round through the queue, whose delayed jobs wake late and queue behind other tenants'
 * jobs. A row whose slot is further off (a long window, a long Retry-After), or whose scope
 * is backing off from failures, is left in `later` for the queue.
 */
export async function holdForSlots(
  budget: DeliveryBudget,
  rows: readonly OutboxRecord[],
  holdMs: number,
  send: (row: OutboxRecord, recovering: boolean, waited: boolean) => Promise<void>,
): Promise<SlotHold> {
  const hold: SlotHold = { later: new Map(), unasked: [] };
  const work: Promise<void>[] = [];
  const round = async (asking: readonly OutboxRecord[], waited: boolean): Promise<void> => {
    let grants: Awaited<ReturnType<DeliveryBudget["takeAll"]>>;
    try {
      grants = await budget.takeAll(asking.map(budgetRequest));
    } catch (error) {
      hold.failure ??= error;
      hold.unasked.push(...asking.map((row) => row.id));
      return;
    }
    const wakes = new Map<number, OutboxRecord[]>();
    grants.forEach((grant, index) => {
      const row = asking[index] as OutboxRecord;
      if (grant.waitMs <= 0) {
        work.push(send(row, grant.recovering, waited));
      } else if (grant.waitMs > holdMs || grant.recovering) {
        // A scope backing off is not waited for here: its messages go back to the queue
        // together, as those its failures handed back do, and come back as one round.
        hold.later.set(row.id, Date.now() + grant.waitMs);
      } else {
        // Never earlier than the slot: the wait is rounded up.
        const wake = Math.ceil(grant.waitMs / WAKE_GRID_MS) * WAKE_GRID_MS;
        wakes.set(wake, [...(wakes.get(wake) ?? []), row]);
      }
    });
    for (const [wake, due] of wakes) work.push(sleep(wake).then(() => round(due, true)));
  };
  if (rows.length > 0) work.push(round(rows, false));
  while (work.length > 0) await Promise.all(work.splice(0));
  return hold;
}
