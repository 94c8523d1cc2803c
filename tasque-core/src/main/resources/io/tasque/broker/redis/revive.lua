-- revive.lua: moves a dead job back to the end of its queue with its attempts reset (admin "retry").
-- KEYS[1] <prefix>:{<queue>}:dead      ZSET  id -> time of death
-- KEYS[2] <prefix>:{<queue>}:ready     LIST  ids ready to run
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs started
-- KEYS[4] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[5] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[6] <prefix>:{<queue>}:wake      LIST  at most one token
-- KEYS[7] <prefix>:{<queue>}:errors    HASH  id -> last error (cleared: the job starts over)
-- ARGV[1] id
-- returns 1 revived, 0 no such dead job, -1 dead job without payload (left dead)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then
  return 0
end
if redis.call('HEXISTS', KEYS[5], ARGV[1]) == 0 then
  return -1
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])
redis.call('RPUSH', KEYS[2], ARGV[1])
if redis.call('LLEN', KEYS[6]) == 0 then
  redis.call('RPUSH', KEYS[6], '1')
end
return 1
