-- reserve.lua: acks finished jobs the caller hands in (as ack.lua does), then leases up to ARGV[3] ready jobs
-- from one or more queues, after moving their due delayed jobs to ready. A job's attempt is its runs over + 1
-- (prelude.lua), which is also the lease's fencing token; leasing writes only the lease deadline.
-- One round trip both settles and refills a busy worker.
-- Works in a few variadic commands per queue, whatever the number of jobs.
-- Eight KEYS per queue, for queue j (j = 0, 1, …) at KEYS[8j+1 .. 8j+8]:
--   +1 <prefix>:{<queue>}:ready     LIST  ids ready to run
--   +2 <prefix>:{<queue>}:delayed   ZSET  id -> due time (epoch ms)
--   +3 <prefix>:{<queue>}:leased    ZSET  id -> lease deadline (epoch ms)
--   +4 <prefix>:{<queue>}:jobs      HASH  id -> payload
--   +5 <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
--   +6 <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
--   +7 <prefix>:{<queue>}:wake      LIST  at most one token
--   +8 <prefix>:{<queue>}:errors    HASH  id -> last error
-- ARGV[1] now (epoch ms)
-- ARGV[2] lease length (ms)
-- ARGV[3] most jobs to lease in all
-- ARGV[4] most delayed jobs to promote per queue
-- ARGV[5] index of the queue to start with (0-based), so queues take turns
-- ARGV[6…] acks, per queue in KEYS order: a count m, then m pairs of id, attempt (the lease token)
-- returns { next due time of a delayed job or -1, number of acks A, A integers (1 acked, 0 lease not held),
--           then per job: queue index, id, attempt, payload or false, expiries }
-- uses batched(), runsOver(), ackLeased() and KEEPER from prelude.lua; a leased set that does not exist yet is
-- created with its keeper first
local now, lease, want, promoteMax = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local queues = #KEYS / 8
local acked = {}
local at = 6
for j = 0, queues - 1 do
  local m = tonumber(ARGV[at] or '0')
  if m > 0 then
    local k = 8 * j
    local pairs = {}
    for i = at + 1, at + 2 * m do
      pairs[#pairs + 1] = ARGV[i]
    end
    ackLeased(KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 8], pairs, acked)
  end
  at = at + 1 + 2 * m
end
local out = { -1, #acked }
for _, a in ipairs(acked) do
  out[#out + 1] = a
end
-- an idle worker's call: with nothing ready or delayed in any queue, one EXISTS is all it costs (rather than
-- five commands per queue). A wake token left over needs no DEL: the caller's BLPOP takes it.
local pending = {}
for j = 0, queues - 1 do
  pending[#pending + 1] = KEYS[8 * j + 1]
  pending[#pending + 1] = KEYS[8 * j + 2]
end
if redis.call('EXISTS', unpack(pending)) == 0 then
  return out
end
local nextDue = -1
for n = 0, queues - 1 do
  local j = (tonumber(ARGV[5]) + n) % queues
  local k = 8 * j
  local ready, delayed, leased, jobs, attempts, expired, wake =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 7]
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, promoteMax)
  if #due > 0 then
    batched('ZREM', delayed, due, 1)
    batched('RPUSH', ready, due, 1)
  end
  if want > 0 then
    local ids = redis.call('LPOP', ready, want)
    if ids then
      local payloads = batched('HMGET', jobs, ids, 1)
      local runs = runsOver(attempts, ids)
      local retried = false
      for i = 1, #ids do
        runs[i] = runs[i] + 1
        retried = retried or runs[i] > 1
      end
      local expiries = retried and batched('HMGET', expired, ids, 1) or {}
      local deadlines = {}
      local deadline = tostring(now + lease)
      for i, id in ipairs(ids) do
        deadlines[#deadlines + 1] = deadline
        deadlines[#deadlines + 1] = id
        out[#out + 1] = j
        out[#out + 1] = id
        out[#out + 1] = runs[i]
        out[#out + 1] = payloads[i]
        out[#out + 1] = tonumber(expiries[i] or '0') or 0
      end
      if redis.call('EXISTS', leased) == 0 then
        redis.call('ZADD', leased, '+inf', KEEPER)
      end
      batched('ZADD', leased, deadlines, 2)
      want = want - #ids
    end
  end
  if redis.call('LLEN', ready) == 0 then
    redis.call('DEL', wake)
  end
  local first = redis.call('ZRANGE', delayed, 0, 0, 'WITHSCORES')
  if #first == 2 then
    local t = tonumber(first[2])
    if nextDue < 0 or t < nextDue then
      nextDue = t
    end
  end
end
out[1] = nextDue
return out
