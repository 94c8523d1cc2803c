-- revive.lua: moves a dead job back to the end of its queue with its attempts reset (admin "retry"), and
-- replaces its payload (which carries a fresh TTL) if a new one is given, only while the job is still dead.
-- Checks every key it writes before its first write (prelude.lua, expect()): a wrong-typed key fails the call
-- with nothing changed, the job still dead.
-- KEYS[1] <prefix>:{<queue>}:dead      ZSET  id -> time of death
-- KEYS[2] <prefix>:{<queue>}:ready     LIST  ids ready to run
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
-- KEYS[4] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[5] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[6] <prefix>:{<queue>}:wake      LIST  at most one token
-- KEYS[7] <prefix>:{<queue>}:errors    HASH  id -> last error (cleared: the job starts over)
-- ARGV[1] id
-- ARGV[2] the new payload, or '' to keep the stored one
-- returns 1 revived, 0 no such dead job, -1 dead job without payload (left dead)
-- uses expect() from prelude.lua
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then
  return 0
end
if redis.call('HEXISTS', KEYS[5], ARGV[1]) == 0 then
  return -1
end
expect(KEYS[2], 'list')
expect(KEYS[3], 'hash')
expect(KEYS[4], 'hash')
expect(KEYS[7], 'hash')
local idle = redis.call('LLEN', KEYS[6]) == 0
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])
if ARGV[2] ~= nil and ARGV[2] ~= '' then
  redis.call('HSET', KEYS[5], ARGV[1], ARGV[2])
end
redis.call('RPUSH', KEYS[2], ARGV[1])
if idle then
  redis.call('RPUSH', KEYS[6], '1')
end
return 1
