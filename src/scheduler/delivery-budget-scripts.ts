// The Lua scripts of delivery-budget.ts, which explains the budgets they keep. Each runs
// atomically in Redis and reads Redis's clock: one clock for all workers.

export const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local margin = tonumber(ARGV[1])
local flyingMax = tonumber(ARGV[2])
local busyMs = tonumber(ARGV[3])
local scopes = tonumber(ARGV[4])
local limits, longest = {}, {}
local a = 5
for i = 1, scopes do
  local list, most = {}, 0
  for j = 1, tonumber(ARGV[a]) do
    list[j] = { tonumber(ARGV[a + 2 * j - 1]), tonumber(ARGV[a + 2 * j]) + margin }
    most = math.max(most, list[j][2])
  end
  a = a + 1 + 2 * #list
  limits[i], longest[i] = list, most
end
-- The sends follow, each a ticket in ARGV and 4 keys per scope in KEYS, taken in order.
local base, ticket, recovering = 0, nil, 0
local function plan(i) return KEYS[base + 4 * i - 3] end
local function answered(i) return KEYS[base + 4 * i - 1] end
local function flying(i) return KEYS[base + 4 * i] end
-- A due send is held to the sends that really went: the platform sees each somewhere between
-- when it set out and when it was answered. So a send under way counts as if it landed now,
-- and one answered as if it landed when its answer came (for as long as the one that came
-- in flight after it could still fall in its windows). Then any sends that land in one window
-- on the platform's side were all counted by the last of them to set out. Jobs wake a little
-- late, each by its own delay, and answers take their time: a due send waits, keeping its
-- place, until these admit it; while a window's worth is under way, a short while at a time.
local function go()
  local wait = 0
  for i = 1, scopes do
    redis.call('ZREMRANGEBYSCORE', answered(i), '-inf', now - longest[i])
    redis.call('ZREMRANGEBYSCORE', flying(i), '-inf', now - flyingMax)
    local under = redis.call('ZCARD', flying(i))
    for _, limit in ipairs(limits[i]) do
      if under >= limit[1] then
        wait = math.max(wait, busyMs)
      else
        local nth = redis.call('ZREVRANGE', answered(i), limit[1] - 1 - under, limit[1] - 1 - under, 'WITHSCORES')
        if nth[2] then wait = math.max(wait, tonumber(nth[2]) + limit[2] - now) end
      end
    end
  end
  if wait > 0 then return { wait, recovering } end
  for i = 1, scopes do
    redis.call('ZADD', flying(i), now, ticket)
    redis.call('PEXPIRE', flying(i), flyingMax + 1000)
  end
  return { 0, recovering }
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
local function take()
  local blocked, held, slot = 0, 0, 0
  recovering = 0
  for i = 1, scopes do
    local state = redis.call('HMGET', KEYS[base + 4 * i - 2], 'until', 'streak')
    blocked = math.max(blocked, tonumber(state[1] or 0))
    if tonumber(state[2] or 0) > 0 then recovering = 1 end
    local score = redis.call('ZSCORE', plan(i), ticket)
    if score then held, slot = held + 1, math.max(slot, tonumber(score)) end
  end
  if held == scopes and slot >= blocked then
    if slot > now then return { slot - now, recovering } end
    return go()
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
end
local grants = {}
for n = a, #ARGV do
  ticket, base = ARGV[n], (n - a) * 4 * scopes
  local grant = take()
  grants[#grants + 1] = grant[1]
  grants[#grants + 1] = grant[2]
end
return grants
`;

// A refusal with Retry-After blocks the scope that long. One without grows the scope's
// back-off, once per round: sends already in flight that fail too find the block in place.
// Reservations beyond now are dropped: their sends ask again and line up after the block.
export const REFUSED = `
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

// A send has its answer: no longer under way, it counts from when its answer came (ARGV
// gives how long before this call, measured where it came: the platform saw the send by
// then; a call that is late, behind other work, does not make it count later). Its plan slot
// moves there too, so slots planned from then on are held to it as well; none moves back.
export const ANSWERED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local scopes = tonumber(ARGV[1])
local first = 2 + scopes
for n = first, #ARGV, 2 do
  local ticket, base = ARGV[n], (n - first) / 2 * 3 * scopes
  local at = now - math.max(0, tonumber(ARGV[n + 1]))
  for i = 1, scopes do
    local plan, answered, flying = KEYS[base + 3 * i - 2], KEYS[base + 3 * i - 1], KEYS[base + 3 * i]
    if redis.call('ZREM', flying, ticket) == 1 then
      redis.call('ZADD', answered, at, ticket)
      redis.call('PEXPIRE', answered, tonumber(ARGV[1 + i]) + 1000)
      redis.call('ZADD', plan, 'XX', 'GT', at, ticket)
    end
  end
end
return 0
`;
