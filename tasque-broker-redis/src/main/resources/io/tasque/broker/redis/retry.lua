-- retry.lua: schedules a failed run's job to run again later, keeping the error, if the caller still holds the lease.
-- Checks every key it writes before its first write (prelude.lua, expect()): a wrong-typed key fails the call
-- with nothing changed, the lease still held.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:delayed   ZSET  id -> due time
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua); this run is counted
-- KEYS[4] <prefix>:{<queue>}:errors    HASH  id -> last error
-- KEYS[5] <prefix>:{<queue>}:wake      LIST  at most one token; wakes an idle worker to learn the new due time
-- KEYS[6] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[7] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[8] <prefix>:{<queue>}:unique    ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
-- KEYS[9] <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended
-- KEYS[10] <prefix>:{<queue>}:limits   HASH  limits of the queue (reserve.lua); 'cap' set while it is held by its cap; a lease's end wakes it
-- KEYS[11] <prefix>:{<queue>}:counters HASH  'failed' -> runs retried or dead-lettered (this run counts one)
-- ARGV[1] id
-- ARGV[2] attempt (the lease token)
-- ARGV[3] due time of the next run (epoch ms)
-- ARGV[4] error text
-- returns 1 scheduled, 0 lease no longer held (nothing changed) or the job was cancelled while it ran (settled as
--         cancelled instead: deleted, not retried; see prelude.lua)
-- uses expect(), endLease(), settledCancelled() and wakeIfCapped() from prelude.lua (endLease reads attempts, and its ZREM, the first write, fails
-- on a wrong-typed leased key before it changes anything)
if settledCancelled(KEYS[1], KEYS[6], KEYS[3], KEYS[7], KEYS[4], KEYS[8], KEYS[9], ARGV[1], ARGV[2]) then
  return 0
end
expect(KEYS[2], 'zset')
expect(KEYS[4], 'hash')
local idle = redis.call('LLEN', KEYS[5]) == 0
expect(KEYS[10], 'hash')
expect(KEYS[11], 'hash')
if not endLease(KEYS[1], KEYS[3], ARGV[1], ARGV[2]) then
  return 0
end
redis.call('HINCRBY', KEYS[11], 'failed', 1)
wakeIfCapped(KEYS[10], KEYS[5])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
if idle then
  redis.call('RPUSH', KEYS[5], '1')
end
return 1
