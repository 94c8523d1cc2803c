-- ack.lua: removes finished jobs of one queue for good, but only those whose lease the caller still holds.
-- Works in a few variadic commands per call, whatever the number of jobs.
-- KEYS[1] <prefix>:{<queue>}:leased    ZSET  id -> lease deadline
-- KEYS[2] <prefix>:{<queue>}:jobs      HASH  id -> payload
-- KEYS[3] <prefix>:{<queue>}:attempts  HASH  id -> runs started
-- KEYS[4] <prefix>:{<queue>}:expired   HASH  id -> leases that ran out
-- KEYS[5] <prefix>:{<queue>}:errors    HASH  id -> last error
-- ARGV    pairs, repeated: ARGV[2i+1] id, ARGV[2i+2] attempt (the lease token)
-- returns one integer per pair: 1 acked, 0 lease no longer held (stale owner; nothing changed)
local SLICE = 500
local function each_slice(list, fn)
  for i = 1, #list, SLICE do
    fn(unpack(list, i, math.min(i + SLICE - 1, #list)))
  end
end
local function collect(cmd, key, ids)
  local out = {}
  each_slice(ids, function(...)
    for _, v in ipairs(redis.call(cmd, key, ...)) do
      out[#out + 1] = v
    end
  end)
  return out
end

local ids = {}
for i = 1, #ARGV, 2 do
  ids[#ids + 1] = ARGV[i]
end
local runs = collect('HMGET', KEYS[3], ids)
local leases = collect('ZMSCORE', KEYS[1], ids)
local done, retried, out, seen = {}, {}, {}, {}
for n, id in ipairs(ids) do
  if runs[n] == ARGV[2 * n] and leases[n] and not seen[id] then
    seen[id] = true
    done[#done + 1] = id
    if runs[n] ~= '1' then
      retried[#retried + 1] = id
    end
    out[n] = 1
  else
    out[n] = 0
  end
end
if #done > 0 then
  each_slice(done, function(...) redis.call('ZREM', KEYS[1], ...) end)
  each_slice(done, function(...) redis.call('HDEL', KEYS[2], ...) end)
  each_slice(done, function(...) redis.call('HDEL', KEYS[3], ...) end)
end
-- only a job that ran before can have an expiry count or a last error
if #retried > 0 then
  each_slice(retried, function(...) redis.call('HDEL', KEYS[4], ...) end)
  each_slice(retried, function(...) redis.call('HDEL', KEYS[5], ...) end)
end
return out
