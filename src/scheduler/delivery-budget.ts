// Rate budgets and back-off per workspace/tenant and per conversation, in Redis so that every
// worker shares them. Each budget is a sliding-window log: a sorted set of the sends' slots,
// past and reserved (the plan), one of the sends under way and one of when the sends before
// them were answered. A send that has to wait is given the earliest slot all its windows
// allow and keeps it under its ticket, so the waiting sends of a busy tenant line up one
// behind the other instead of all waking at once.
// The scripts read Redis's clock: one clock for all workers.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Platform } from "../domain/inbound-event.ts";
import type { DeliveryScope } from "../ports/chat-adapter.ts";
import type { AnsweredSend, BudgetGrant, BudgetKeys, BudgetRequest, DeliveryBudget } from "../ports/delivery-budget.ts";
import { ANSWERED, REFUSED, TAKE } from "./delivery-budget-scripts.ts";
import { DELIVERY_LIMITS, type Window } from "./delivery-limits.ts";

export type BackoffSettings = {
  /** The first wait after a failure without Retry-After; each next one doubles. Default 1 s. */
  baseMs: number;
  /** The longest wait; default 30 s, so a tenant that is back is served within half a minute. */
  capMs: number;
};

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1_000, capMs: 30_000 };
// Sends are held to when the sends before them were answered (see ANSWERED), which the
// platform saw them before; the margin only covers clocks that count whole milliseconds.
const WINDOW_MARGIN_MS = 5;
// A send under way this long without an answer (its worker died) no longer counts: its
// delivery's lease has lapsed by then, and another worker may send it again.
const FLYING_MAX_MS = 30_000;
// While a window's worth of sends is under way, a due send asks again after this long.
const BUSY_WAIT_MS = 50;
// A back-off streak is forgotten when the scope has been quiet this long after its block.
const STREAK_MEMORY_MS = 10 * 60_000;

type ScopeKeys = { log: string; state: string; answered: string; flying: string };
// Scopes whose keys are kept at once: a fan-out's conversations and tenants.
const KNOWN_SCOPES = 10_000;

type BudgetRedis = Redis & {
  leerlusBudgetTake(...args: (string | number)[]): Promise<number[]>;
  leerlusBudgetAnswered(...args: (string | number)[]): Promise<number>;
  leerlusBudgetRefused(...args: (string | number)[]): Promise<number>;
};

export function createDeliveryBudget(input: {
  redis: Redis;
  /** Keys start with this; the queue prefix keeps installations and tests apart. */
  prefix: string;
  backoff?: BackoffSettings;
  limits?: Partial<Record<Platform, Record<DeliveryScope, Window[]>>>;
  random?: () => number;
}): DeliveryBudget {
  const redis = input.redis as BudgetRedis;
  redis.defineCommand("leerlusBudgetTake", { lua: TAKE });
  redis.defineCommand("leerlusBudgetRefused", { lua: REFUSED });
  redis.defineCommand("leerlusBudgetAnswered", { lua: ANSWERED });
  const backoff = input.backoff ?? DEFAULT_BACKOFF;
  const random = input.random ?? Math.random;
  const budgetsOf = (platform: Platform) => input.limits?.[platform] ?? DELIVERY_LIMITS[platform].budgets;
  // Conversation references are long opaque strings: keys carry a digest of them. A batch
  // asks for a scope's keys when it takes its slots and again when its sends are answered,
  // and a tenant's for every message: the latest scopes' keys are kept.
  const known = new Map<string, ScopeKeys>();
  const scopeKeys = (platform: Platform, key: string): ScopeKeys => {
    const name = `${platform}\n${key}`;
    let found = known.get(name);
    if (!found) {
      const base = `${input.prefix}:budget:${platform}:${createHash("sha256").update(key).digest("base64url").slice(0, 22)}`;
      found = { log: `${base}:log`, state: `${base}:state`, answered: `${base}:answered`, flying: `${base}:flying` };
      if (known.size >= KNOWN_SCOPES) known.clear();
      known.set(name, found);
    }
    return found;
  };
  const scopes: DeliveryScope[] = ["tenant", "conversation"];

  /** The script's arguments for one send, or none when its platform keeps no budget. */
  /** The sends of each platform that keeps budgets, with their places in `sends`. */
  const byPlatform = (sends: readonly BudgetRequest[]) => {
    const groups = new Map<Platform, { budgets: Record<DeliveryScope, Window[]>; at: number[] }>();
    sends.forEach((send, index) => {
      const budgets = budgetsOf(send.platform);
      if (!budgets) return;
      const group = groups.get(send.platform) ?? { budgets, at: [] };
      group.at.push(index);
      groups.set(send.platform, group);
    });
    return groups;
  };
  const unlimited: BudgetGrant = { waitMs: 0, recovering: false };

  const takeAll = async (sends: readonly BudgetRequest[]): Promise<BudgetGrant[]> => {
    const grants = sends.map(() => unlimited);
    const calls = [...byPlatform(sends)].map(async ([platform, { budgets, at }]) => {
      const redisKeys = at.flatMap((index) =>
        scopes.flatMap((scope) => {
          const { log, state, answered, flying } = scopeKeys(platform, (sends[index] as BudgetRequest).keys[scope]);
          return [log, state, answered, flying];
        }),
      );
      const windows = scopes.flatMap((scope) => [
        budgets[scope].length,
        ...budgets[scope].flatMap((window) => [window.count, window.windowMs]),
      ]);
      const answer = await redis.leerlusBudgetTake(
        redisKeys.length,
        ...redisKeys,
        WINDOW_MARGIN_MS,
        FLYING_MAX_MS,
        BUSY_WAIT_MS,
        scopes.length,
        ...windows,
        ...at.map((index) => (sends[index] as BudgetRequest).ticket),
      );
      at.forEach((index, n) => {
        grants[index] = { waitMs: answer[2 * n] as number, recovering: answer[2 * n + 1] === 1 };
      });
    });
    await Promise.all(calls);
    return grants;
  };

  return {
    async take(platform, keys, ticket) {
      return (await takeAll([{ platform, keys, ticket }]))[0] as BudgetGrant;
    },

    // One script call per platform for a batch: a fan-out's sends pay one round trip, one
    // socket write and one script run per batch instead of one each. The script takes the
    // sends in order, so every send sees the slots taken by those before it.
    takeAll,

    async answered(sends: readonly AnsweredSend[]) {
      const calls = [...byPlatform(sends)].map(async ([platform, { budgets, at }]) => {
        const redisKeys = at.flatMap((index) =>
          scopes.flatMap((scope) => {
            const { log, answered, flying } = scopeKeys(platform, (sends[index] as BudgetRequest).keys[scope]);
            return [log, answered, flying];
          }),
        );
        const longest = scopes.map((scope) => Math.max(...budgets[scope].map((window) => window.windowMs)));
        await redis.leerlusBudgetAnswered(
          redisKeys.length,
          ...redisKeys,
          scopes.length,
          ...longest,
          ...at.flatMap((index) => {
            const send = sends[index] as AnsweredSend;
            return [send.ticket, Math.max(0, Math.round(Date.now() - (send.answeredAt ?? Date.now())))];
          }),
        );
      });
      await Promise.all(calls);
    },

    async refused(platform, key, retryAfterMs) {
      const { log, state } = scopeKeys(platform, key);
      return redis.leerlusBudgetRefused(
        2,
        log,
        state,
        retryAfterMs === undefined ? -1 : Math.max(0, Math.round(retryAfterMs)),
        backoff.baseMs,
        backoff.capMs,
        random(),
        STREAK_MEMORY_MS,
      );
    },

    async recovered(platform, keys: BudgetKeys) {
      await Promise.all(scopes.map((scope) => redis.hdel(scopeKeys(platform, keys[scope]).state, "streak")));
    },
  };
}
