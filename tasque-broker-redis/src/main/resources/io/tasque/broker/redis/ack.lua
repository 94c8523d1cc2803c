-- ack.lua: removes finished jobs of one queue for good, but only those whose lease the caller still holds.
-- Works in a few variadic commands per call, whatever the number of jobs. A wrong-typed key fails the call with
-- nothing changed (see ackLeased() in prelude.lua).
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
-- KEYS[4] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[5] <prefix>:{<queue>}:errors    HASH  id -> last error
-- ARGV    pairs, repeated: ARGV[2i+1] id, ARGV[2i+2] attempt (the lease token)
-- returns one integer per pair: 1 acked, 0 lease no longer held (stale owner; nothing changed)
-- uses ackLeased() from prelude.lua
local out = {}
ackLeased(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV, out)
return out
