-- extend.lua: renews the leases of running jobs of one queue (the heartbeat), only where the caller still holds them.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:attempts  HASH  id -> runs started
-- ARGV[1] new lease deadline (epoch ms)
-- ARGV    then pairs, repeated: ARGV[2i+2] id, ARGV[2i+3] attempt (the lease token)
-- returns one integer per pair: 1 renewed, 0 lease lost (expired and taken over, or acked elsewhere)
local SLICE = 500
local function each_slice(list, fn)
  for i = 1, #list, SLICE do
    fn(unpack(list, i, math.min(i + SLICE - 1, #list)))
  end
end
local function collect(cmd, key, ids)
  local res = {}
  each_slice(ids, function(...)
    for _, v in ipairs(redis.call(cmd, key, ...)) do
      res[#res + 1] = v
    end
  end)
  return res
end

local ids = {}
for i = 2, #ARGV, 2 do
  ids[#ids + 1] = ARGV[i]
end
local runs = collect('HMGET', KEYS[2], ids)
local leases = collect('ZMSCORE', KEYS[1], ids)
local renew, out = {}, {}
for n, id in ipairs(ids) do
  if runs[n] == ARGV[2 * n + 1] and leases[n] then
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
