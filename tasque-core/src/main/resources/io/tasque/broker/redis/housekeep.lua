-- housekeep.lua: the janitor's pass over one or more queues, safe to run from many workers at once:
-- due delayed jobs -> ready, jobs whose lease ran out -> ready (counting the expiry and the run).
-- Six KEYS per queue, for queue j (j = 0, 1, …) at KEYS[6j+1 .. 6j+6]:
--   +1 <prefix>:{<queue>}:ready    LIST  ids ready to run
--   +2 <prefix>:{<queue>}:delayed  ZSET  id -> due time
--   +3 <prefix>:{<queue>}:leased   ZSET  id -> lease deadline
--   +4 <prefix>:{<queue>}:expired  HASH  id -> leases that ran out
--   +5 <prefix>:{<queue>}:wake     LIST  at most one token
--   +6 <prefix>:{<queue>}:attempts HASH  id -> runs over (see prelude.lua)
-- ARGV[1] now (epoch ms)
-- ARGV[2] most jobs to move per queue and kind
-- returns { delayed jobs promoted, expired leases reclaimed }
-- uses dropIfNoLeases() from prelude.lua
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local promoted, reclaimed = 0, 0
-- queues with nothing delayed or leased (an idle worker's, on queues never leased from) cost one EXISTS
local watched = {}
for k = 0, #KEYS - 1, 6 do
  watched[#watched + 1] = KEYS[k + 2]
  watched[#watched + 1] = KEYS[k + 3]
end
if redis.call('EXISTS', unpack(watched)) == 0 then
  return { 0, 0 }
end
for k = 0, #KEYS - 1, 6 do
  local ready, delayed, leased, expired, wake, attempts =
    KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], KEYS[k + 4], KEYS[k + 5], KEYS[k + 6]
  local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, limit)
  if #due > 0 then
    redis.call('ZREM', delayed, unpack(due))
    redis.call('RPUSH', ready, unpack(due))
    promoted = promoted + #due
  end
  local lost = redis.call('ZRANGEBYSCORE', leased, '-inf', now, 'LIMIT', 0, limit)
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
  if #due + #lost > 0 and redis.call('LLEN', wake) == 0 then
    redis.call('RPUSH', wake, '1')
  end
end
return { promoted, reclaimed }
