-- reserve.lua: acks finished jobs the caller hands in (as ack.lua does), then leases up to ARGV[3] ready jobs
-- from one or more queues, after moving their due delayed jobs to ready. Each lease raises the job's attempt
-- number, which is also the lease's fencing token. One round trip both settles and refills a busy worker.
-- Works in a few variadic commands per queue, whatever the number of jobs.
-- Eight KEYS per queue, for queue j (j = 0, 1, …) at KEYS[8j+1 .. 8j+8]:
--   +1 <prefix>:{<queue>}:ready     LIST  ids ready to run
--   +2 <prefix>:{<queue>}:delayed   ZSET  id -> due time (epoch ms)
--   +3 <prefix>:{<queue>}:leased    ZSET  id -> lease deadline (epoch ms)
--   +4 <prefix>:{<queue>}:jobs      HASH  id -> payload
--   +5 <prefix>:{<queue>}:attempts  HASH  id -> runs started so far
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
-- uses batched() from prelude.lua
local function ack(leased, jobs, attempts, expired, errors, pairs, results)
  local ids, tokens = {}, {}
  for i = 1, #pairs, 2 do
    ids[#ids + 1] = pairs[i]
    tokens[#tokens + 1] = pairs[i + 1]
  end
  local runs = batched('HMGET', attempts, ids, 1)
  local leases = batched('ZMSCORE', leased, ids, 1)
  local done, retried, seen = {}, {}, {}
  for n, id in ipairs(ids) do
    if runs[n] == tokens[n] and leases[n] and not seen[id] then
      seen[id] = true
      done[#done + 1] = id
      if runs[n] ~= '1' then
        retried[#retried + 1] = id
      end
      results[#results + 1] = 1
    else
      results[#results + 1] = 0
    end
  end
  if #done > 0 then
    batched('ZREM', leased, done, 1)
    batched('HDEL', jobs, done, 1)
    batched('HDEL', attempts, done, 1)
  end
  if #retried > 0 then
    batched('HDEL', expired, retried, 1)
    batched('HDEL', errors, retried, 1)
  end
end

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
    ack(KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 8], pairs, acked)
  end
  at = at + 1 + 2 * m
end
local out = { -1, #acked }
for _, a in ipairs(acked) do
  out[#out + 1] = a
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
      local runs = batched('HMGET', attempts, ids, 1)
      local retried = false
      for i = 1, #ids do
        runs[i] = (tonumber(runs[i]) or 0) + 1
        retried = retried or runs[i] > 1
      end
      local expiries = retried and batched('HMGET', expired, ids, 1) or {}
      local counts, deadlines = {}, {}
      local deadline = now + lease
      for i, id in ipairs(ids) do
        counts[#counts + 1] = id
        counts[#counts + 1] = runs[i]
        deadlines[#deadlines + 1] = deadline
        deadlines[#deadlines + 1] = id
        out[#out + 1] = j
        out[#out + 1] = id
        out[#out + 1] = runs[i]
        out[#out + 1] = payloads[i]
        out[#out + 1] = tonumber(expiries[i] or '0') or 0
      end
      batched('HSET', attempts, counts, 2)
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
