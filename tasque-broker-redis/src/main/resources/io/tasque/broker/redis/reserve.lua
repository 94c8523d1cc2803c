-- reserve.lua: acks finished jobs the caller hands in (as ack.lua does), then leases up to ARGV[3] ready jobs
-- from the first ARGV[6] of its queues, after moving their due delayed jobs to ready; the queues after those
-- only take acks (a queue the caller leaves out of leasing for a while still has its finished jobs acked). A job's attempt is its runs over + 1
-- (prelude.lua), which is also the lease's fencing token; leasing writes only the lease deadline.
-- One round trip both settles and refills a busy worker.
-- Works in a few variadic commands per queue, whatever the number of jobs.
-- Each queue is handled inside a pcall, after every key it writes was read or checked (prelude.lua, expect()):
-- a queue with a wrong-typed key is left exactly as it was and reported broken, and the other queues go on; any
-- other error (a refused command) fails the whole call.
-- Ten KEYS per queue, for queue j (j = 0, 1, …) at KEYS[10j+1 .. 10j+10]:
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
-- ARGV[1] now (epoch ms)
-- ARGV[2] lease length (ms)
-- ARGV[3] most jobs to lease in all
-- ARGV[4] most delayed jobs to promote per queue
-- ARGV[5] index of the queue to start with (0-based), so queues take turns
-- ARGV[6] how many of the queues, from the first, to lease from (L); the others only take acks
-- ARGV[7…] acks, per queue in KEYS order: a count m, then m pairs of id, attempt (the lease token); a job
--         cancelled while it ran is settled as cancelled instead (0, see prelude.lua)
-- returns { next due time of a delayed job or -1, number of acks A, A integers (1 acked, 0 lease not held or
--           queue broken), number of jobs J, then J times: queue index, id, attempt, payload or false, expiries;
--           then per broken queue: queue index, the wrong-typed key (or ''), the Redis error }
-- uses batched(), expect(), runsOver(), ackLeased(), dataError(), wrongKey() and KEEPER from prelude.lua; a leased
-- set that does not exist yet is created with its keeper first
local now, lease, want, promoteMax = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local queues = #KEYS / 10
local leasing = tonumber(ARGV[6])
local KINDS = { 'list', 'zset', 'zset', 'hash', 'hash', 'hash', 'list', 'hash', 'zset', 'zset' }
local broken = {}

local function breaks(j, e)
  local k = 10 * j
  local text = dataError(e)
  broken[j] = { j, wrongKey({ unpack(KEYS, k + 1, k + 10) }, KINDS), text }
end

local acked = {}
local at = 7
for j = 0, queues - 1 do
  local m = tonumber(ARGV[at] or '0')
  if m > 0 then
    local k = 10 * j
    local pairs, results = {}, {}
    for i = at + 1, at + 2 * m do
      pairs[#pairs + 1] = ARGV[i]
    end
    local ok, e = pcall(ackLeased, KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 8], KEYS[k + 9], KEYS[k + 10], now,
      pairs, results)
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

local function reply()
  out[countAt] = (#out - countAt) / 5
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
  pending[#pending + 1] = KEYS[10 * j + 1]
  pending[#pending + 1] = KEYS[10 * j + 2]
end
if leasing == 0 or redis.call('EXISTS', unpack(pending)) == 0 then
  return reply()
end

local nextDue = -1
-- leases from queue j; reads (or checks) every key before its first write, so an error changes nothing
local function leaseFrom(j)
  local k = 10 * j
  local ready, delayed, leased, jobs, attempts, expired, wake =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 7]
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, promoteMax)
  -- the jobs to lease: the head of ready, then due delayed jobs (as if those were pushed first and popped after)
  local ids, fromReady, left = {}, 0, 0
  if want > 0 then
    local head = redis.call('LRANGE', ready, 0, want) -- one more than wanted tells whether any stay ready
    fromReady = math.min(want, #head)
    for i = 1, fromReady do
      ids[i] = head[i]
    end
    for i = 1, math.min(#due, want - fromReady) do
      ids[#ids + 1] = due[i]
    end
    left = #head - fromReady + #due - (#ids - fromReady)
  else
    left = redis.call('LLEN', ready) + #due
  end
  local got = {}
  if #ids > 0 then
    local payloads = batched('HMGET', jobs, ids, 1)
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
    if kind == 'none' then
      redis.call('ZADD', leased, '+inf', KEEPER)
    end
    batched('ZADD', leased, deadlines, 2)
  end
  if #due > 0 then
    batched('ZREM', delayed, due, 1)
    local rest = {}
    for i = #ids - fromReady + 1, #due do
      rest[#rest + 1] = due[i]
    end
    if #rest > 0 then
      batched('RPUSH', ready, rest, 1)
    end
  end
  if left == 0 then
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

for n = 0, leasing - 1 do
  local j = (tonumber(ARGV[5]) + n) % leasing
  if not broken[j] then
    local ok, e = pcall(leaseFrom, j)
    if not ok then
      breaks(j, e)
    end
  end
end
out[1] = nextDue
return reply()
