-- cancel.lua: cancels one job of a queue. A ready or delayed job is deleted at once and recorded cancelled. A running
-- job keeps its payload and lease and gets a pending cancel (minus the time of the cancel): the worker running it
-- sees that and interrupts its handler, and whatever ends the run settles it as cancelled (see prelude.lua), so it
-- is never retried, dead-lettered or acked. A dead job, a job the queue does not hold, and one whose cancel is
-- pending already are left alone. Checks every key it writes before its first write (prelude.lua, expect()).
-- KEYS[1]  <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[2]  <prefix>:{<queue>}:ready     LIST  ids ready to run
-- KEYS[3]  <prefix>:{<queue>}:delayed   ZSET  id -> due time (epoch ms)
-- KEYS[4]  <prefix>:{<queue>}:leased    ZSET  id -> lease deadline (epoch ms)
-- KEYS[5]  <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
-- KEYS[6]  <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[7]  <prefix>:{<queue>}:errors    HASH  id -> last error
-- KEYS[8]  <prefix>:{<queue>}:unique    ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
-- KEYS[9]  <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended
-- KEYS[10] <prefix>:{<queue>}:dead      ZSET  id -> time of death (epoch ms)
-- ARGV[1] id
-- ARGV[2] now (epoch ms)
-- returns 2 cancelled while it runs (the run's end settles it), 1 cancelled and deleted (it was ready or delayed),
--         0 nothing to cancel (unknown, dead, or a cancel pending already)
-- uses expect() and dropCancelled() from prelude.lua
local id, now = ARGV[1], tonumber(ARGV[2])
if redis.call('HEXISTS', KEYS[1], id) == 0 then
  return 0
end
local at = redis.call('ZSCORE', KEYS[9], id)
if (at and tonumber(at) < 0) or redis.call('ZSCORE', KEYS[10], id) then
  return 0
end
if redis.call('ZSCORE', KEYS[4], id) then
  redis.call('ZADD', KEYS[9], -now, id)
  return 2
end
expect(KEYS[2], 'list')
expect(KEYS[5], 'hash')
expect(KEYS[6], 'hash')
expect(KEYS[7], 'hash')
expect(KEYS[8], 'zset')
local removed = redis.call('ZREM', KEYS[3], id)
if removed == 0 then
  removed = redis.call('LREM', KEYS[2], 1, id)
end
if removed == 0 then
  return 0
end
dropCancelled(KEYS[1], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], { id }, { now })
return 1
