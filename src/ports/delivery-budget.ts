import type { Platform } from "../domain/inbound-event.ts";
import type { DeliveryScope } from "./chat-adapter.ts";

/**
 * Who a message counts against: its workspace or tenant (the organisation, which each
 * platform install belongs to) and its conversation (the opaque conversation reference).
 */
export type BudgetKeys = Record<DeliveryScope, string>;

export type BudgetGrant = {
  /** 0: send now. More: a slot is held for `ticket` that far ahead; ask again then. */
  waitMs: number;
  /** A scope of this send is recovering from failures: report a success with `recovered`. */
  recovering: boolean;
};

/** One send asking for a slot: see {@link DeliveryBudget.take}. */
export type BudgetRequest = { platform: Platform; keys: BudgetKeys; ticket: string };
/** A send with its answer: `answeredAt` (Date.now()) is when the answer came; now if left out. */
export type AnsweredSend = BudgetRequest & { answeredAt?: number };

/**
 * Rate budgets and back-off per workspace/tenant and per conversation, shared by every worker.
 * A send takes a slot first; a refusal blocks only the scope it concerns.
 */
export type DeliveryBudget = {
  /** A slot for one send; `ticket` names this attempt, so asking again finds the same slot. */
  take(platform: Platform, keys: BudgetKeys, ticket: string): Promise<BudgetGrant>;
  /** Slots for a batch's sends, in order, in one round trip: as `take` for each. */
  takeAll(sends: readonly BudgetRequest[]): Promise<BudgetGrant[]>;
  /**
   * The platform refused a send in `key`'s scope: it waits `retryAfterMs` when the platform
   * named it, otherwise the scope's back-off grows. Returns how long the scope now waits.
   */
  refused(platform: Platform, key: string, retryAfterMs: number | undefined): Promise<number>;
  /**
   * These sends have their answer (or gave up waiting for one): they count from when it came,
   * when the platform has surely seen them, not from when they set out, so the next window's
   * sends cannot reach it before the window has passed on its side too.
   */
  answered(sends: readonly AnsweredSend[]): Promise<void>;
  /** A send went through: the scopes' back-off starts again from the bottom. */
  recovered(platform: Platform, keys: BudgetKeys): Promise<void>;
};
