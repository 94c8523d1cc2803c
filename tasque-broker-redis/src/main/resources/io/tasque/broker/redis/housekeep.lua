-- housekeep.lua: the janitor's pass over one or more queues, safe to run from many workers at once:
-- due delayed jobs -> ready, jobs whose lease ran out -> ready (counting the expiry and the run), done records
-- of caller-chosen ids whose uniqueness window is over -> deleted, records of cancelled jobs older than ARGV[3] ->
-- deleted. A job whose lease ran out while a cancel of it was pending is settled cancelled (prelude.lua), not put back.
-- Each queue is handled inside a pcall, after every key it writes was read or checked (prelude.lua, expect()):
-- a queue with a wrong-typed key is left exactly as it was and reported broken, and the other queues go on; any
-- other error (a refused command) fails the whole call.
-- Eleven KEYS per queue, for queue j (j = 0, 1, …) at KEYS[11j+1 .. 11j+11]:
--   +1 <prefix>:{<queue>}:ready    LIST  ids ready to run
--   +2 <prefix>:{<queue>}:delayed  ZSET  id -> due time
--   +3 <prefix>:{<queue>}:leased   ZSET  id -> lease deadline
--   +4 <prefix>:{<queue>}:expired  HASH  id -> leases that ran out
--   +5 <prefix>:{<queue>}:wake     LIST  at most one token
--   +6 <prefix>:{<queue>}:attempts HASH  id -> runs over (see prelude.lua)
--   +7 <prefix>:{<queue>}:unique   ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
--   +8 <prefix>:{<queue>}:jobs     HASH  id -> payload
--   +9 <prefix>:{<queue>}:errors   HASH  id -> last error
--  +10 <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended
--  +11 <prefix>:{<queue>}:limits    HASH  limits of the queue (reserve.lua): a reclaimed lease wakes a capped queue;
--                                         a sample of 20 fields is checked each pass and start times long past dropped
-- ARGV[1] now (epoch ms)
-- ARGV[2] most jobs to move per queue and kind
-- ARGV[3] how long a cancelled job's record is kept (ms)
-- returns { delayed jobs promoted, expired leases reclaimed (or settled cancelled), then per broken queue: queue index (0-based),
--           the wrong-typed key (or ''), the Redis error }
-- uses expect(), dropIfNoLeases(), splitCancelled(), dropCancelled(), dataError() and wrongKey() from prelude.lua
local now, limit, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local promoted, reclaimed = 0, 0
-- queues with nothing delayed or leased (an idle worker's, on queues never leased from) cost one EXISTS
local watched = {}
for k = 0, #KEYS - 1, 11 do
  watched[#watched + 1] = KEYS[k + 2]
  watched[#watched + 1] = KEYS[k + 3]
  watched[#watched + 1] = KEYS[k + 7]
  watched[#watched + 1] = KEYS[k + 10]
  watched[#watched + 1] = KEYS[k + 11]
end
if redis.call('EXISTS', unpack(watched)) == 0 then
  return { 0, 0 }
end
local KINDS = { 'list', 'zset', 'zset', 'hash', 'list', 'hash', 'zset', 'hash', 'hash', 'zset', 'hash' }

local function sweep(k)
  local ready, delayed, leased, expired, wake, attempts, unique, jobs, errors, cancelled =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6], KEYS[k + 7], KEYS[k + 8], KEYS[k + 9],
    KEYS[k + 10]
  local limits = KEYS[k + 11]
  expect(cancelled, 'zset')
  expect(limits, 'hash')
  -- ended windows only: a stored job's entry is negative (its window), never in [0, now]; this is the first
  -- write, and fails on a wrong-typed key before anything else changed. The same holds for cancelled records.
  redis.call('ZREMRANGEBYSCORE', unique, 0, now)
  redis.call('ZREMRANGEBYSCORE', cancelled, 0, now - keep)
  -- a rate's next start time in the past is no limit at all: a sample of such fields is dropped each pass
  if redis.call('EXISTS', limits) == 1 then
    local sample = redis.call('HRANDFIELD', limits, 20, 'WITHVALUES')
    local stale = {}
    for i = 1, #sample, 2 do
      local f, v = sample[i], tonumber(sample[i + 1])
      if v and (string.sub(f, 1, 2) == 'v:' or f == '=') and v < now then
        stale[#stale + 1] = f
      end
    end
    if #stale > 0 then
      redis.call('HDEL', limits, unpack(stale))
    end
  end
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, limit)
  local lost = redis.call('ZRANGEBYSCORE', leased, '-inf', now, 'LIMIT', 0, limit)
  if #due + #lost == 0 then
    return
  end
  -- leases of jobs cancelled while they ran end as cancelled
  local stopped, stoppedAt, kept = splitCancelled(cancelled, lost)
  lost = kept
  if #stopped > 0 then
    expect(jobs, 'hash')
    expect(errors, 'hash')
    expect(expired, 'hash')
    expect(attempts, 'hash')
  end
  expect(ready, 'list')
  local idle = redis.call('LLEN', wake) == 0
  if #lost > 0 then
    expect(expired, 'hash')
    expect(attempts, 'hash')
  end
  -- every key below has been read or checked: the writes start here
  if #stopped + #lost > 0 then
    -- the wake token pushed below wakes a worker held by the cap as well
    redis.call('HDEL', limits, 'cap')
  end
  if #stopped > 0 then
    redis.call('ZREM', leased, unpack(stopped))
    dropCancelled(jobs, attempts, expired, errors, unique, cancelled, stopped, stoppedAt)
    dropIfNoLeases(leased)
    reclaimed = reclaimed + #stopped
  end
  if #due > 0 then
    redis.call('ZREM', delayed, unpack(due))
    redis.call('RPUSH', ready, unpack(due))
    promoted = promoted + #due
  end
  if #lost > 0 then
    redis.call('ZREM', leased, unpack(lost))
    for _, id in ipairs(lost) do
      redis.call('HINCRBY', expired, id, 1)
      redis.call('HINCRBY', attempts, id, 1)
    end
    redis.call('RPUSH', ready, unpack(lost))
    dropIfNoLeases(leased)
    reclaimed = reclaimed + #lost
  end
  if idle then
    redis.call('RPUSH', wake, '1')
  end
end

local out = { 0, 0 }
for k = 0, #KEYS - 1, 11 do
  local ok, e = pcall(sweep, k)
  if not ok then
    local text = dataError(e)
    out[#out + 1] = k / 11
    out[#out + 1] = wrongKey({ unpack(KEYS, k + 1, k + 11) }, KINDS)
    out[#out + 1] = text
  end
end
out[1], out[2] = promoted, reclaimed
return out
