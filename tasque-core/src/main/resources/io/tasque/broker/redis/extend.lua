-- extend.lua: renews the leases of running jobs of one queue (the heartbeat), only where the caller still holds them.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:attempts  HASH  id -> runs started
-- ARGV[1] new lease deadline (epoch ms)
-- ARGV    then pairs, repeated: ARGV[2i+2] id, ARGV[2i+3] attempt (the lease token)
-- returns one integer per pair: 1 renewed, 0 lease lost (expired and taken over, or acked elsewhere)
local out = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HGET', KEYS[2], id) == ARGV[i + 1] and redis.call('ZSCORE', KEYS[1], id) then
    redis.call('ZADD', KEYS[1], 'XX', tonumber(ARGV[1]), id)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
