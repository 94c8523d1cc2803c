-- ack.lua: removes finished jobs of one queue for good, but only those whose lease the caller still holds.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs started
-- KEYS[4] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[5] <prefix>:{<queue>}:errors    HASH  id -> last error
-- ARGV    pairs, repeated: ARGV[2i+1] id, ARGV[2i+2] attempt (the lease token)
-- returns one integer per pair: 1 acked, 0 lease no longer held (stale owner; nothing changed)
local out = {}
for i = 1, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', KEYS[3], id) == ARGV[i + 1] and redis.call('ZREM', KEYS[1], id) == 1 then
    redis.call('HDEL', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
    redis.call('HDEL', KEYS[5], id)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
