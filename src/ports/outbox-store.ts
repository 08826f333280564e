import type { Platform } from "../domain/inbound-event.ts";
import type { Message } from "../domain/message.ts";
import type { Address } from "./project-records.ts";

export type OutboxItem = {
  key: string;
  organisationId: string;
  address: Address;
  message: Message;
  /** Held back until then: the recipient's quiet hours, weekends and holidays. */
  notBefore?: Date;
};

export type Queued = { id: string; platform: Platform; notBefore: Date | null };

export type StoredOutboxMessage = {
  id: string;
  key: string;
  address: Address;
  message: Message;
  sentRef: string | null;
};

export type OutboxRecord = OutboxItem & { id: string; status: string; attempts: number; sentRef: string | null };

export type OutboxStore = {
  /** Inserts each item unless its key exists; returns those still waiting to be delivered. */
  enqueue(items: OutboxItem[]): Promise<Queued[]>;
  /** Claims those of `ids` that are waiting (or whose claim lapsed) for `leaseMs`. */
  claim(ids: readonly string[], now: Date, leaseMs: number): Promise<OutboxRecord[]>;
  /** Hands claimed messages back untouched, e.g. when it is still too early to send them. */
  unclaim(ids: readonly string[]): Promise<void>;
  /** Of `ids`, those claimed by someone (a worker, perhaps one that died), with when each claim lapses. */
  heldUntil(ids: readonly string[]): Promise<Map<string, Date>>;
  /** Moves the lease of rows still being sent to `until` (a heartbeat during slow sends). */
  extendLease(ids: readonly string[], until: Date): Promise<void>;
  markSent(sent: readonly { id: string; sentRef: string }[], at: Date): Promise<void>;
  /**
   * The organisation's messages (sent or still waiting; not failed ones) whose keys start with
   * one of `prefixes`, oldest first: the messages that show a decided item or a closed retro.
   */
  withKeyPrefixes(organisationId: string, prefixes: readonly string[]): Promise<StoredOutboxMessage[]>;
  /** These messages as stored now, by id (those that exist). */
  stored(ids: readonly string[]): Promise<StoredOutboxMessage[]>;
  /** Stores the message as it now reads; a message not sent yet goes out like this. */
  revise(id: string, message: Message): Promise<void>;
  release(id: string, error: string): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
  pending(limit: number): Promise<Queued[]>;
  /**
   * Deletes up to `limit` of the organisation's messages sent, or failed, before `before`,
   * and the contents no message uses any more. Returns how many messages it deleted.
   */
  prune(organisationId: string, before: Date, limit: number): Promise<number>;
};
