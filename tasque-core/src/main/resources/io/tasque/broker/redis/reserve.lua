-- reserve.lua: leases up to ARGV[3] ready jobs from one or more queues, after moving their due delayed
-- jobs to ready. Each lease raises the job's attempt number, which is also the lease's fencing token.
-- Seven KEYS per queue, for queue j (j = 0, 1, …) at KEYS[7j+1 .. 7j+7]:
--   +1 <prefix>:{<queue>}:ready     LIST  ids ready to run
--   +2 <prefix>:{<queue>}:delayed   ZSET  id -> due time (epoch ms)
--   +3 <prefix>:{<queue>}:leased    ZSET  id -> lease deadline (epoch ms)
--   +4 <prefix>:{<queue>}:jobs      HASH  id -> payload
--   +5 <prefix>:{<queue>}:attempts  HASH  id -> runs started so far
--   +6 <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
--   +7 <prefix>:{<queue>}:wake      LIST  at most one token
-- ARGV[1] now (epoch ms)
-- ARGV[2] lease length (ms)
-- ARGV[3] most jobs to lease in all
-- ARGV[4] most delayed jobs to promote per queue
-- ARGV[5] index of the queue to start with (0-based), so queues take turns
-- returns { next due time of a delayed job or -1, then per job: queue index, id, attempt, payload or false, expiries }
local now, lease, want, promoteMax = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local queues = #KEYS / 7
local out = { -1 }
local nextDue = -1
for n = 0, queues - 1 do
  local j = (tonumber(ARGV[5]) + n) % queues
  local k = 7 * j
  local ready, delayed, leased, jobs, attempts, expired, wake =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 7]
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, promoteMax)
  if #due > 0 then
    redis.call('ZREM', delayed, unpack(due))
    redis.call('RPUSH', ready, unpack(due))
  end
  if want > 0 then
    local ids = redis.call('LPOP', ready, want)
    if ids then
      for _, id in ipairs(ids) do
        local attempt = redis.call('HINCRBY', attempts, id, 1)
        redis.call('ZADD', leased, now + lease, id)
        out[#out + 1] = j
        out[#out + 1] = id
        out[#out + 1] = attempt
        out[#out + 1] = redis.call('HGET', jobs, id)
        out[#out + 1] = tonumber(redis.call('HGET', expired, id) or '0')
      end
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
