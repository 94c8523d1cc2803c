-- reserve.lua: acks finished jobs the caller hands in (as ack.lua does), then leases up to ARGV[3] ready jobs
-- from the first ARGV[6] of its queues, after moving their due delayed jobs to ready; the queues after those
-- only take acks (a queue the caller leaves out of leasing for a while still has its finished jobs acked). A job's attempt is its runs over + 1
-- (prelude.lua), which is also the lease's fencing token; leasing writes only the lease deadline.
-- One round trip both settles and refills a busy worker. Queues with limits (ARGV[7]) lease within them: a cap on the
-- queue's leases at once (counted in its leased set, so a crashed worker's share comes back with its expired leases),
-- a rate shared by every worker (GCRA without burst: one start every interval, the next start time kept in the limits
-- hash and moved one interval past each start), for the whole queue or for each value of one param (a job whose
-- value may not start yet waits as a delayed job until the value's next start time, neither a failure nor an
-- attempt), and a quota of this call's jobs (weights): the
-- queues are served twice, first within their quotas, then for what the others left.
-- Works in a few variadic commands per queue, whatever the number of jobs.
-- Each queue is handled inside a pcall, after every key it writes was read or checked (prelude.lua, expect()):
-- a queue with a wrong-typed key is left exactly as it was and reported broken, and the other queues go on; any
-- other error (a refused command) fails the whole call.
-- Twelve KEYS per queue, for queue j (j = 0, 1, …) at KEYS[12j+1 .. 12j+12]:
--   +1 <prefix>:{<queue>}:ready     LIST  ids ready to run
--   +2 <prefix>:{<queue>}:delayed   ZSET  id -> due time (epoch ms)
--   +3 <prefix>:{<queue>}:leased    ZSET  id -> lease deadline (epoch ms)
--   +4 <prefix>:{<queue>}:jobs      HASH  id -> payload
--   +5 <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
--   +6 <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
--   +7 <prefix>:{<queue>}:wake      LIST  at most one token
--   +8 <prefix>:{<queue>}:errors    HASH  id -> last error
--   +9 <prefix>:{<queue>}:unique    ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
--  +10 <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended
--  +11 <prefix>:{<queue>}:limits    HASH  '=' -> the queue's next start time under its rate; 'v:<value>' -> the same per
--                                         param value; 'cap' -> set while the queue is held by its cap (a lease's end
--                                         wakes it)
--  +12 <prefix>:{<queue>}:counters  HASH  'completed' -> runs acked (the acks of this call count)
-- ARGV[1] now (epoch ms)
-- ARGV[2] lease length (ms)
-- ARGV[3] most jobs to lease in all
-- ARGV[4] most delayed jobs to promote per queue
-- ARGV[5] index of the queue to start with (0-based), so queues take turns
-- ARGV[6] how many of the queues, from the first, to lease from (L); the others only take acks
-- ARGV[7] how many queues have limits (S); then S groups of 5: queue index (0-based), rate interval µs (0 = none),
--         rate param ('' = one rate for the whole queue), most leases at once (0 = no cap), quota (-1 = none)
-- ARGV[8+5S…] acks, per queue in KEYS order: a count m, then m pairs of id, attempt (the lease token); a job
--         cancelled while it ran is settled as cancelled instead (0, see prelude.lua)
-- returns { next due time of a delayed job or -1, number of acks A, A integers (1 acked, 0 lease not held or
--           queue broken), number of jobs J, then J times: queue index, id, attempt, payload or false, expiries;
--           number of held queues H, then H times: queue index, held until (epoch ms; -1: until one of its leases
--           ends); then per broken queue: queue index, the wrong-typed key (or ''), the Redis error }
-- uses batched(), expect(), runsOver(), ackLeased(), dataError(), wrongKey() and KEEPER from prelude.lua; a leased
-- set that does not exist yet is created with its keeper first
local now, lease, want, promoteMax = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local queues = #KEYS / 12
local leasing = tonumber(ARGV[6])
local KINDS = { 'list', 'zset', 'zset', 'hash', 'hash', 'hash', 'list', 'hash', 'zset', 'zset', 'hash', 'hash' }
local broken = {}

local function breaks(j, e)
  local k = 12 * j
  local text = dataError(e)
  broken[j] = { j, wrongKey({ unpack(KEYS, k + 1, k + 12) }, KINDS), text }
end

local limitOf = {}
local quotas = false
local limited = tonumber(ARGV[7])
for s = 0, limited - 1 do
  local b = 8 + 5 * s
  local quota = tonumber(ARGV[b + 4])
  limitOf[tonumber(ARGV[b])] = { rate = tonumber(ARGV[b + 1]) / 1000, param = ARGV[b + 2], max = tonumber(ARGV[b + 3]), quota = quota }
  quotas = quotas or quota >= 0
end

local acked = {}
local at = 8 + 5 * limited
for j = 0, queues - 1 do
  local m = tonumber(ARGV[at] or '0')
  if m > 0 then
    local k = 12 * j
    local pairs, results = {}, {}
    for i = at + 1, at + 2 * m do
      pairs[#pairs + 1] = ARGV[i]
    end
    local ok, e = pcall(ackLeased, KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 8], KEYS[k + 9], KEYS[k + 10],
      KEYS[k + 11], KEYS[k + 7], KEYS[k + 12], now, pairs, results)
    if not ok then
      breaks(j, e)
      results = {}
      for i = 1, m do
        results[i] = 0
      end
    end
    for _, r in ipairs(results) do
      acked[#acked + 1] = r
    end
  end
  at = at + 1 + 2 * m
end
local out = { -1, #acked }
for _, a in ipairs(acked) do
  out[#out + 1] = a
end
local countAt = #out + 1
out[countAt] = 0

local holds = {}

local function reply()
  out[countAt] = (#out - countAt) / 5
  out[#out + 1] = #holds / 2
  for _, v in ipairs(holds) do
    out[#out + 1] = v
  end
  for j = 0, queues - 1 do
    if broken[j] then
      for _, v in ipairs(broken[j]) do
        out[#out + 1] = v
      end
    end
  end
  return out
end

-- an idle worker's call: with nothing ready or delayed in any queue, one EXISTS is all it costs (rather than
-- five commands per queue). A wake token left over needs no DEL: the caller's BLPOP takes it.
local pending = {}
for j = 0, leasing - 1 do
  pending[#pending + 1] = KEYS[12 * j + 1]
  pending[#pending + 1] = KEYS[12 * j + 2]
end
if leasing == 0 or redis.call('EXISTS', unpack(pending)) == 0 then
  return reply()
end

local nextDue = -1
local heldQueue = {}

-- the value of param key in a job's payload (its JSON envelope), as the key of its rate: '' when it has none;
-- a long value by its SHA-1, so a field stays short
local function paramValue(payload, key)
  if not payload then
    return ''
  end
  local ok, envelope = pcall(cjson.decode, payload)
  if not ok or type(envelope) ~= 'table' or type(envelope.params) ~= 'table' then
    return ''
  end
  local v = envelope.params[key]
  if v == nil or v == cjson.null or type(v) == 'table' then
    return ''
  end
  v = tostring(v)
  if #v > 100 then
    v = redis.sha1hex(v)
  end
  return v
end

-- leases from queue j, in pass 1 within its quota, in pass 2 without; reads (or checks) every key before its first
-- write, so an error changes nothing
local function leaseFrom(j, pass)
  local k = 12 * j
  local ready, delayed, leased, jobs, attempts, expired, wake, limits =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 7], KEYS[k + 11]
  local lim = limitOf[j]
  local cap, held = want, nil
  local rateTat = nil
  if lim then
    expect(limits, 'hash')
    if pass == 1 and lim.quota >= 0 then
      cap = math.min(cap, lim.quota)
    end
    if lim.max > 0 and cap > 0 then
      local running = redis.call('ZCARD', leased)
      if running > 0 then
        running = running - 1 -- the keeper
      end
      if running >= lim.max then
        cap, held = 0, -1
      else
        cap = math.min(cap, lim.max - running)
      end
    end
    if lim.rate > 0 and lim.param == '' and cap > 0 then
      rateTat = tonumber(redis.call('HGET', limits, '=')) or 0
      if rateTat > now then
        cap, held = 0, rateTat
      else
        cap = 1 -- no burst: one start per interval
      end
    end
  end
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, promoteMax)
  -- the jobs to lease: the head of ready, then due delayed jobs (as if those were pushed first and popped after)
  local ids, fromReady, left = {}, 0, 0
  if cap > 0 then
    local head = redis.call('LRANGE', ready, 0, cap) -- one more than wanted tells whether any stay ready
    fromReady = math.min(cap, #head)
    for i = 1, fromReady do
      ids[i] = head[i]
    end
    for i = 1, math.min(#due, cap - fromReady) do
      ids[#ids + 1] = due[i]
    end
    left = #head - fromReady + #due - (#ids - fromReady)
  else
    left = redis.call('LLEN', ready) + #due
  end
  local got = {}
  local fields, postponed = {}, {}
  local taken = #ids -- taken off ready and delayed, leased or postponed
  if #ids > 0 then
    local payloads = batched('HMGET', jobs, ids, 1)
    if lim and lim.rate > 0 and lim.param ~= '' then
      -- each value's rate: a job starts if its value's next start time has come (which then moves one interval on
      -- from now), else it waits as a delayed job until that time, when it is looked at again
      local tats, keptIds, keptPayloads = {}, {}, {}
      for i, id in ipairs(ids) do
        local field = 'v:' .. paramValue(payloads[i], lim.param)
        local tat = tats[field] or tonumber(redis.call('HGET', limits, field)) or 0
        if tat <= now then
          tats[field] = now + lim.rate
          keptIds[#keptIds + 1] = id
          keptPayloads[#keptPayloads + 1] = payloads[i]
        else
          tats[field] = tat
          postponed[#postponed + 1] = tat
          postponed[#postponed + 1] = id
        end
      end
      for field, tat in pairs(tats) do
        fields[#fields + 1] = field
        fields[#fields + 1] = tostring(tat)
      end
      ids, payloads = keptIds, keptPayloads
    elseif rateTat and #ids > 0 then
      fields[#fields + 1] = '='
      fields[#fields + 1] = tostring(now + lim.rate)
      held = now + lim.rate -- the jobs left wait for the next start time
    end
    local runs = runsOver(attempts, ids)
    local retried = false
    for i = 1, #ids do
      runs[i] = runs[i] + 1
      retried = retried or runs[i] > 1
    end
    local expiries = retried and batched('HMGET', expired, ids, 1) or {}
    -- TYPE rather than EXISTS: one command both tells whether the keeper is needed and checks the set
    local kind = redis.call('TYPE', leased)['ok']
    if kind ~= 'zset' and kind ~= 'none' then
      expect(leased, 'zset') -- fails, naming the key and what it holds
    end
    local deadlines = {}
    local deadline = tostring(now + lease)
    for i, id in ipairs(ids) do
      deadlines[#deadlines + 1] = deadline
      deadlines[#deadlines + 1] = id
      got[#got + 1] = j
      got[#got + 1] = id
      got[#got + 1] = runs[i]
      got[#got + 1] = payloads[i]
      got[#got + 1] = tonumber(expiries[i] or '0') or 0
    end
    -- every key below has been read or checked: the writes start here
    if fromReady > 0 then
      redis.call('LTRIM', ready, fromReady, -1)
    end
    if #ids > 0 then
      if kind == 'none' then
        redis.call('ZADD', leased, '+inf', KEEPER)
      end
      batched('ZADD', leased, deadlines, 2)
    end
  end
  if #due > 0 then
    batched('ZREM', delayed, due, 1)
    local rest = {}
    for i = taken - fromReady + 1, #due do
      rest[#rest + 1] = due[i]
    end
    if #rest > 0 then
      batched('RPUSH', ready, rest, 1)
    end
  end
  if #postponed > 0 then
    batched('ZADD', delayed, postponed, 2)
  end
  if #fields > 0 then
    batched('HSET', limits, fields, 2)
  end
  if held and left > 0 and not heldQueue[j] then
    -- held back with jobs ready: the caller waits for the time, or for the wake a lease's end sends
    heldQueue[j] = true
    holds[#holds + 1] = j
    holds[#holds + 1] = held
    if held < 0 then
      redis.call('HSET', limits, 'cap', '1')
    end
    redis.call('DEL', wake)
  elseif left == 0 then
    redis.call('DEL', wake)
  end
  local first = redis.call('ZRANGE', delayed, 0, 0, 'WITHSCORES')
  if #first == 2 then
    local t = tonumber(first[2])
    if nextDue < 0 or t < nextDue then
      nextDue = t
    end
  end
  want = want - #ids
  for _, v in ipairs(got) do
    out[#out + 1] = v
  end
end

for pass = 1, quotas and 2 or 1 do
  for n = 0, leasing - 1 do
    local j = (tonumber(ARGV[5]) + n) % leasing
    if not broken[j] and (pass == 1 or want > 0) then
      local ok, e = pcall(leaseFrom, j, pass)
      if not ok then
        breaks(j, e)
      end
    end
  end
end
out[1] = nextDue
return reply()
