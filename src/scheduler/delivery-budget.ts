// Rate budgets and back-off per workspace/tenant and per conversation, in Redis so that every
// worker shares them. Each budget is a sliding-window log: a sorted set of the sends' slots,
// past and reserved (the plan), and one of the moments they really went. A send that has to
// wait is given the earliest slot all its windows allow and keeps it under its ticket, so the
// waiting sends of a busy tenant line up one behind the other instead of all waking at once.
// Both scripts read Redis's clock: one clock for all workers.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Platform } from "../domain/inbound-event.ts";
import type { DeliveryScope } from "../ports/chat-adapter.ts";
import type { BudgetKeys, DeliveryBudget } from "../ports/delivery-budget.ts";
import { DELIVERY_LIMITS, type Window } from "./delivery-limits.ts";

const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ticket = ARGV[1]
local margin = tonumber(ARGV[2])
local scopes = #KEYS / 3
local limits, longest = {}, {}
local a = 3
for i = 1, scopes do
  local list, most = {}, 0
  for j = 1, tonumber(ARGV[a]) do
    list[j] = { tonumber(ARGV[a + 2 * j - 1]), tonumber(ARGV[a + 2 * j]) + margin }
    most = math.max(most, list[j][2])
  end
  a = a + 1 + 2 * #list
  limits[i], longest[i] = list, most
end
local function plan(i) return KEYS[3 * i - 2] end
local function sent(i) return KEYS[3 * i] end
local blocked, recovering, held, slot = 0, 0, 0, 0
for i = 1, scopes do
  local state = redis.call('HMGET', KEYS[3 * i - 1], 'until', 'streak')
  blocked = math.max(blocked, tonumber(state[1] or 0))
  if tonumber(state[2] or 0) > 0 then recovering = 1 end
  local score = redis.call('ZSCORE', plan(i), ticket)
  if score then held, slot = held + 1, math.max(slot, tonumber(score)) end
end
-- Jobs wake a little late, each by its own delay, so a due send is also held to the windows
-- of the sends that really went (logged when they go): it waits, keeping its place, until
-- those admit it.
local function go()
  local wait = 0
  for i = 1, scopes do
    redis.call('ZREMRANGEBYSCORE', sent(i), '-inf', now - longest[i])
    for _, limit in ipairs(limits[i]) do
      local nth = redis.call('ZREVRANGE', sent(i), limit[1] - 1, limit[1] - 1, 'WITHSCORES')
      if nth[2] then wait = math.max(wait, tonumber(nth[2]) + limit[2] - now) end
    end
  end
  if wait > 0 then return { wait, recovering } end
  for i = 1, scopes do
    redis.call('ZADD', sent(i), now, ticket)
    redis.call('PEXPIRE', sent(i), longest[i] + 1000)
  end
  return { 0, recovering }
end
if held == scopes and slot >= blocked then
  if slot > now then return { slot - now, recovering } end
  return go()
end
-- A new slot. A scope admits a send at t when every window around t (any that contains t)
-- holds fewer than its count: (t - T, t + T) is checked, which covers them all. Past its tail
-- (its last slot, and its count-th latest slot plus T) a scope always admits. Each scope that
-- does not admit moves the slot to its tail, so this settles within one round per scope.
local function fits(i, at)
  for _, limit in ipairs(limits[i]) do
    local around = redis.call('ZCOUNT', plan(i), '(' .. (at - limit[2]), '(' .. (at + limit[2]))
    if around >= limit[1] then return false end
  end
  return true
end
local tails = {}
for i = 1, scopes do
  redis.call('ZREM', plan(i), ticket)
  redis.call('ZREMRANGEBYSCORE', plan(i), '-inf', now - longest[i])
  local tail = 0
  local last = redis.call('ZREVRANGE', plan(i), 0, 0, 'WITHSCORES')
  if last[2] then tail = tonumber(last[2]) end
  for _, limit in ipairs(limits[i]) do
    local nth = redis.call('ZREVRANGE', plan(i), limit[1] - 1, limit[1] - 1, 'WITHSCORES')
    if nth[2] then tail = math.max(tail, tonumber(nth[2]) + limit[2]) end
  end
  tails[i] = tail
end
local at = math.max(now, blocked)
for _ = 1, scopes do
  local moved = false
  for i = 1, scopes do
    if at < tails[i] and not fits(i, at) then at, moved = tails[i], true end
  end
  if not moved then break end
end
for i = 1, scopes do
  redis.call('ZADD', plan(i), at, ticket)
  redis.call('PEXPIRE', plan(i), at - now + longest[i] + 1000)
end
if at > now then return { at - now, recovering } end
return go()
`;

// A refusal with Retry-After blocks the scope that long. One without grows the scope's
// back-off, once per round: sends already in flight that fail too find the block in place.
// Reservations beyond now are dropped: their sends ask again and line up after the block.
const REFUSED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[2], 'until', 'streak')
local blocked, streak = tonumber(state[1] or 0), tonumber(state[2] or 0)
local retryAfter = tonumber(ARGV[1])
local target
if retryAfter >= 0 then
  target = math.max(blocked, now + retryAfter)
elseif blocked > now then
  return blocked - now
else
  streak = streak + 1
  local ceiling = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ (streak - 1))
  target = now + math.floor(ceiling / 2 + tonumber(ARGV[4]) * ceiling / 2)
end
redis.call('HSET', KEYS[2], 'until', target, 'streak', streak)
redis.call('PEXPIRE', KEYS[2], target - now + tonumber(ARGV[5]))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
return target - now
`;

export type BackoffSettings = {
  /** The first wait after a failure without Retry-After; each next one doubles. Default 1 s. */
  baseMs: number;
  /** The longest wait; default 30 s, so a tenant that is back is served within half a minute. */
  capMs: number;
};

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 1_000, capMs: 30_000 };
// Sends reach the platform a little after their slot, each with its own delay: a margin on
// every window keeps two sends a window apart on our side from landing closer on its side.
const WINDOW_MARGIN_MS = 25;
// A back-off streak is forgotten when the scope has been quiet this long after its block.
const STREAK_MEMORY_MS = 10 * 60_000;

type BudgetRedis = Redis & {
  leerlusBudgetTake(...args: (string | number)[]): Promise<[number, number]>;
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
  const backoff = input.backoff ?? DEFAULT_BACKOFF;
  const random = input.random ?? Math.random;
  const budgetsOf = (platform: Platform) => input.limits?.[platform] ?? DELIVERY_LIMITS[platform].budgets;
  // Conversation references are long opaque strings: keys carry a digest of them.
  const digest = (key: string) => createHash("sha256").update(key).digest("base64url").slice(0, 22);
  const log = (platform: Platform, key: string) => `${input.prefix}:budget:${platform}:${digest(key)}:log`;
  const state = (platform: Platform, key: string) => `${input.prefix}:budget:${platform}:${digest(key)}:state`;
  const sent = (platform: Platform, key: string) => `${input.prefix}:budget:${platform}:${digest(key)}:sent`;
  const scopes: DeliveryScope[] = ["tenant", "conversation"];

  return {
    async take(platform, keys, ticket) {
      const budgets = budgetsOf(platform);
      if (!budgets) return { waitMs: 0, recovering: false };
      const redisKeys = scopes.flatMap((scope) => [
        log(platform, keys[scope]),
        state(platform, keys[scope]),
        sent(platform, keys[scope]),
      ]);
      const windows = scopes.flatMap((scope) => [
        budgets[scope].length,
        ...budgets[scope].flatMap((window) => [window.count, window.windowMs]),
      ]);
      const [waitMs, recovering] = await redis.leerlusBudgetTake(
        redisKeys.length,
        ...redisKeys,
        ticket,
        WINDOW_MARGIN_MS,
        ...windows,
      );
      return { waitMs, recovering: recovering === 1 };
    },

    async refused(platform, key, retryAfterMs) {
      return redis.leerlusBudgetRefused(
        2,
        log(platform, key),
        state(platform, key),
        retryAfterMs === undefined ? -1 : Math.max(0, Math.round(retryAfterMs)),
        backoff.baseMs,
        backoff.capMs,
        random(),
        STREAK_MEMORY_MS,
      );
    },

    async recovered(platform, keys: BudgetKeys) {
      await Promise.all(scopes.map((scope) => redis.hdel(state(platform, keys[scope]), "streak")));
    },
  };
}
