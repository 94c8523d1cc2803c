-- purge.lua: deletes a dead job for good (admin "delete").
-- Checks every key it writes before its first write (prelude.lua, expect()): a wrong-typed key fails the call
-- with nothing deleted.
-- KEYS[1] <prefix>:{<queue>}:dead      ZSET  id -> time of death
-- KEYS[2] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
-- KEYS[4] <prefix>:{<queue>}:errors    HASH  id -> last error
-- KEYS[5] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[6] <prefix>:{<queue>}:unique    ZSET  id -> -(uniqueness window, ms) of a caller-chosen id (removed: the id is free)
-- ARGV[1] id
-- returns 1 deleted, 0 no such dead job
-- uses expect() from prelude.lua
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then
  return 0
end
for i = 2, 5 do
  expect(KEYS[i], 'hash')
end
expect(KEYS[6], 'zset')
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
return 1
