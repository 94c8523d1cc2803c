-- bury.lua: moves a job to its queue's dead letter with the reason, if the caller still holds the lease;
-- then trims the dead letter to its cap, deleting the oldest dead jobs (with their uniqueness entries).
-- Checks every key it writes before its first write (prelude.lua, expect()): a wrong-typed key fails the call
-- with nothing changed, the lease still held.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:dead      ZSET  id -> time of death (epoch ms)
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua); this run is counted
-- KEYS[4] <prefix>:{<queue>}:errors    HASH  id -> last error
-- KEYS[5] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[6] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[7] <prefix>:{<queue>}:unique    ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
-- KEYS[8] <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended
-- KEYS[9] <prefix>:{<queue>}:limits    HASH  limits of the queue (reserve.lua); 'cap' set while it is held by its cap; a lease's end wakes it
-- KEYS[10] <prefix>:{<queue>}:wake     LIST  at most one token
-- KEYS[11] <prefix>:{<queue>}:counters HASH  'failed' -> runs retried or dead-lettered (this run counts one)
-- ARGV[1] id
-- ARGV[2] attempt (the lease token)
-- ARGV[3] now (epoch ms)
-- ARGV[4] reason
-- ARGV[5] most dead jobs kept
-- returns 1 buried, 0 lease no longer held (nothing changed) or the job was cancelled while it ran (settled as
--         cancelled instead: deleted, not dead-lettered; see prelude.lua)
-- uses expect(), endLease(), settledCancelled() and wakeIfCapped() from prelude.lua
if settledCancelled(KEYS[1], KEYS[5], KEYS[3], KEYS[6], KEYS[4], KEYS[7], KEYS[8], ARGV[1], ARGV[2]) then
  return 0
end
expect(KEYS[7], 'zset')
expect(KEYS[2], 'zset')
expect(KEYS[4], 'hash')
expect(KEYS[5], 'hash')
expect(KEYS[6], 'hash')
expect(KEYS[9], 'hash')
expect(KEYS[10], 'list')
expect(KEYS[11], 'hash')
if not endLease(KEYS[1], KEYS[3], ARGV[1], ARGV[2]) then
  return 0
end
redis.call('HINCRBY', KEYS[11], 'failed', 1)
wakeIfCapped(KEYS[9], KEYS[10])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if over > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, over - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
  for _, id in ipairs(old) do
    redis.call('HDEL', KEYS[5], id)
    redis.call('HDEL', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
    redis.call('HDEL', KEYS[6], id)
    redis.call('ZREM', KEYS[7], id)
  end
end
return 1
