import type { Platform } from "../domain/inbound-event.ts";

/** A received request claimed for handling: only the holder of `token` may settle it. */
export type ReceivedClaim = { id: string; token: string; attempts: number };

/** A claimed request with what the platform sent, for handling it again after a crash or failure. */
export type ReceivedEvent = ReceivedClaim & { payload: unknown };

/**
 * Requests from Slack and Teams, recorded before they are acknowledged (the outbox's
 * inbound twin). A claim is a lease: a process that dies mid-way lets another take the
 * request once the lease has passed.
 */
export type ReceivedEventStore = {
  /**
   * Records a request under its platform key and claims it, in one statement. A key seen
   * before is claimed only while it is still waiting and nobody holds it: null when it was
   * handled already or is being handled.
   */
  receive(
    platform: Platform,
    key: string,
    payload: unknown,
    lease: { token: string; until: Date; now: Date },
  ): Promise<ReceivedClaim | null>;
  /** Claims up to `limit` waiting requests whose time has come and that nobody holds. */
  claimDue(
    platform: Platform,
    lease: { token: string; until: Date; now: Date },
    limit: number,
  ): Promise<ReceivedEvent[]>;
  /** Keeps the claims a process holds while their handling waits or runs, in one statement. */
  extend(claims: readonly ReceivedClaim[], until: Date): Promise<void>;
  /** Handled: the payload (what people wrote) is dropped, the key stays to recognise a retry. */
  complete(claim: ReceivedClaim, at: Date): Promise<void>;
  /** Failed this time: waits until `notBefore` for another attempt. */
  retryLater(claim: ReceivedClaim, notBefore: Date, error: string): Promise<void>;
  /** Failed for good: kept (without payload) for the logs' sake until pruned. */
  giveUp(claim: ReceivedClaim, error: string): Promise<void>;
  /** Deletes handled and failed requests received before `before`; how many went. */
  prune(before: Date, limit: number): Promise<number>;
};
