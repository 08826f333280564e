import type { Platform } from "../domain/inbound-event.ts";

export type DeliveryLimit = {
  /** BullMQ's limiter for the platform's queue; none when the platform sets no budget. */
  limiter?: { max: number; duration: number };
  /** Outbox messages per delivery job. */
  batchSize: number;
};

// Slack allows about one message a second per channel and Teams seven per conversation;
// a fan-out goes to many different direct conversations, so the budget that binds is the
// workspace's or tenant's (Teams: 50 a second per app). A 429 pauses the queue for its
// Retry-After. The limiter counts jobs, so rate-limited platforms get one message per job.
// The web chat writes to our own database and needs no limit: its jobs carry a batch,
// claimed and marked sent in one statement each, which is what makes a large fan-out fast.
// A batch is marked sent when it is done, so a worker that dies mid-batch leaves sent rows
// to be sent again: only an adapter that honours the idempotency key (the web chat's does)
// may have a batch size above one.
export const DELIVERY_LIMITS: Record<Platform, DeliveryLimit> = {
  web: { batchSize: 100 },
  slack: { limiter: { max: 20, duration: 1000 }, batchSize: 1 },
  teams: { limiter: { max: 50, duration: 1000 }, batchSize: 1 },
};
