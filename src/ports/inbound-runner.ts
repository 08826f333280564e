// What a platform adapter uses to take in a request durably: record it before the platform is
// acknowledged, then handle it once, here or (after a crash) in whichever process polls first.
// The core implements it (src/use-cases/inbound/inbound-runner.ts), the adapters' one entry into it.
import type { ReceivedClaim } from "./received-event-store.ts";

export type InboundRunnerSettings = {
  /** How long a claim holds (renewed while the handling runs); default 30 s. */
  leaseMs?: number;
  /** How often the loop looks for requests left waiting; default 5 s. */
  pollMs?: number;
  /** Attempts before a request is given up; default 5. */
  maxAttempts?: number;
};

export type InboundRunner = {
  /**
   * Records the request before it is acknowledged and claims it for this process. Null when
   * the key was seen before and is handled, or being handled, elsewhere: acknowledge only.
   */
  receive(key: string, payload: unknown): Promise<ReceivedClaim | null>;
  /** Runs the handling of a claimed request; settles the record by how it ends. */
  run(claim: ReceivedClaim, work: () => Promise<void>): Promise<void>;
  /** Starts the loop that hands requests left waiting to `replay`. */
  start(replay: (payload: unknown) => Promise<void>): void;
  /** Stops the loop and waits for the handling under way. */
  stop(): Promise<void>;
};
