-- ack.lua: removes finished jobs of one queue for good, but only those whose lease the caller still holds; a job
-- with a caller-chosen id and a uniqueness window leaves its done record (see ackLeased() in prelude.lua).
-- Works in a few variadic commands per call, whatever the number of jobs. A wrong-typed key fails the call with
-- nothing changed (see ackLeased() in prelude.lua).
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
-- KEYS[4] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[5] <prefix>:{<queue>}:errors    HASH  id -> last error
-- KEYS[6] <prefix>:{<queue>}:unique    ZSET  id -> -(uniqueness window, ms) while stored; end of the window once acked
-- KEYS[7] <prefix>:{<queue>}:cancelled ZSET  id -> -(time of a cancel) while the cancelled job's run goes on; the time of the cancel once it ended
-- KEYS[8] <prefix>:{<queue>}:limits    HASH  limits of the queue (reserve.lua); 'cap' set while it is held by its cap
-- KEYS[9] <prefix>:{<queue>}:wake      LIST  at most one token; pushed when a lease of a capped queue ends
-- KEYS[10] <prefix>:{<queue>}:counters HASH  'completed' -> runs acked (grows by the jobs this call acks)
-- ARGV[1] now (epoch ms)
-- ARGV    then pairs, repeated: ARGV[2i+2] id, ARGV[2i+3] attempt (the lease token)
-- returns one integer per pair: 1 acked, 0 lease no longer held (stale owner; nothing changed) or the job was
--         cancelled while it ran (settled as cancelled, see prelude.lua)
-- uses ackLeased() from prelude.lua
local pairs = {}
for i = 2, #ARGV do
  pairs[#pairs + 1] = ARGV[i]
end
local out = {}
ackLeased(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10], tonumber(ARGV[1]), pairs, out)
return out
