-- release.lua: puts a leased job back at the front of its queue without counting the run, if the caller
-- still holds the lease (a worker shutting down hands back jobs it could not finish).
-- Checks every key it writes before its first write (prelude.lua, expect()): a wrong-typed key fails the call
-- with nothing changed, the lease still held.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:ready     LIST  ids ready to run
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua); left as it is, so the run is not counted
-- KEYS[4] <prefix>:{<queue>}:wake      LIST  at most one token
-- KEYS[5] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[6] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[7] <prefix>:{<queue>}:errors    HASH  id -> last error
-- KEYS[8] <prefix>:{<queue>}:unique    ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
-- KEYS[9] <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended
-- KEYS[10] <prefix>:{<queue>}:limits   HASH  limits of the queue (reserve.lua); 'cap' set while it is held by its cap; a lease's end wakes it
-- ARGV[1] id
-- ARGV[2] attempt (the lease token)
-- returns 1 released, 0 lease no longer held (nothing changed) or the job was cancelled while it ran (settled as
--         cancelled instead: deleted, not put back; see prelude.lua)
-- uses expect(), endLease(), settledCancelled() and wakeIfCapped() from prelude.lua
if settledCancelled(KEYS[1], KEYS[5], KEYS[3], KEYS[6], KEYS[7], KEYS[8], KEYS[9], ARGV[1], ARGV[2]) then
  return 0
end
expect(KEYS[2], 'list')
local idle = redis.call('LLEN', KEYS[4]) == 0
expect(KEYS[10], 'hash')
if not endLease(KEYS[1], KEYS[3], ARGV[1], ARGV[2]) then
  return 0
end
wakeIfCapped(KEYS[10], KEYS[4])
redis.call('LPUSH', KEYS[2], ARGV[1])
if idle then
  redis.call('RPUSH', KEYS[4], '1')
end
return 1
