-- purge.lua: deletes a dead job for good (admin "delete").
-- KEYS[1] <prefix>:{<queue>}:dead      ZSET  id -> time of death
-- KEYS[2] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs started
-- KEYS[4] <prefix>:{<queue>}:errors    HASH  id -> last error
-- KEYS[5] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- ARGV[1] id
-- returns 1 deleted, 0 no such dead job
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
return 1
