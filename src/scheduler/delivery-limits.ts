import type { Platform } from "../domain/inbound-event.ts";
import type { DeliveryScope } from "../ports/chat-adapter.ts";

/** At most `count` sends in any `windowMs`. */
export type Window = { count: number; windowMs: number };

export type DeliveryLimit = {
  /** Budgets per workspace/tenant and per conversation; none when the platform sets none. */
  budgets?: Record<DeliveryScope, Window[]>;
  /** Outbox messages per delivery job. */
  batchSize: number;
};

// Published limits, kept per workspace/tenant and per conversation in Redis (delivery-budget.ts),
// so a busy or failing tenant waits alone and everyone else keeps flowing:
// - Slack, chat.postMessage: "generally allows posting one message per second per channel,
//   while also maintaining a workspace-wide limit" (https://docs.slack.dev/apis/web-api/rate-limits,
//   special tier, short bursts allowed). The workspace-wide figure is not published: 20 a
//   second is Leerlus's own, well under what Slack tolerates for a fan-out.
// - Teams, per bot per thread (conversation): 7 in 1 s, 8 in 2 s, 60 in 30 s, 1800 in 3600 s;
//   and "the global limit per app per tenant is 50 Requests Per Second (RPS)"
//   (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit).
// Every attempt counts, refused ones too, as it does on the platform's side.
// Jobs carry a batch of messages, claimed in one statement, their slots taken in one round
// trip to Redis and their sends made side by side; each sent message is marked as soon as it
// went (those done together in one statement), so a worker that dies mid-batch leaves only
// the sends of that moment to be sent again, as with a batch of one. A message whose budget
// is spent is handed back and queued again for its slot, with others due then. The web chat
// writes to our own database and needs no limit.
// Large enough that a fan-out costs a handful of jobs, statements and round trips, small enough
// that the jobs of one platform's queue spread over its workers and processes.
const RATE_LIMITED_BATCH = 50;

export const DELIVERY_LIMITS: Record<Platform, DeliveryLimit> = {
  web: { batchSize: 100 },
  slack: {
    budgets: {
      tenant: [{ count: 20, windowMs: 1_000 }],
      conversation: [{ count: 1, windowMs: 1_000 }],
    },
    batchSize: RATE_LIMITED_BATCH,
  },
  teams: {
    budgets: {
      tenant: [{ count: 50, windowMs: 1_000 }],
      conversation: [
        { count: 7, windowMs: 1_000 },
        { count: 8, windowMs: 2_000 },
        { count: 60, windowMs: 30_000 },
        { count: 1800, windowMs: 3_600_000 },
      ],
    },
    batchSize: RATE_LIMITED_BATCH,
  },
};
