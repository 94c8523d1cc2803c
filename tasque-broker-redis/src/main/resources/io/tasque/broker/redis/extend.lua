-- extend.lua: renews the leases of running jobs of one queue (the heartbeat), only where the caller still holds them.
-- Writes only the leased set, which it reads first (ZMSCORE): a wrong-typed key fails the call before any write.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:attempts  HASH  id -> runs over (see prelude.lua)
-- ARGV[1] new lease deadline (epoch ms)
-- ARGV    then pairs, repeated: ARGV[2i+2] id, ARGV[2i+3] attempt (the lease token)
-- returns one integer per pair: 1 renewed, 0 lease lost (expired and taken over, or acked elsewhere)
-- uses batched(), runsOver() and token() from prelude.lua
local ids = {}
for i = 2, #ARGV, 2 do
  ids[#ids + 1] = ARGV[i]
end
local over = runsOver(KEYS[2], ids)
local leases = batched('ZMSCORE', KEYS[1], ids, 1)
local renew, out = {}, {}
for n, id in ipairs(ids) do
  if leases[n] and token(over[n]) == ARGV[2 * n + 1] then
    renew[#renew + 1] = ARGV[1]
    renew[#renew + 1] = id
    out[n] = 1
  else
    out[n] = 0
  end
end
for i = 1, #renew, 2 * SLICE do
  redis.call('ZADD', KEYS[1], 'XX', unpack(renew, i, math.min(i + 2 * SLICE - 1, #renew)))
end
return out
