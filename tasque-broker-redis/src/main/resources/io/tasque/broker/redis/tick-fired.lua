-- tick-fired.lua: marks a claimed tick fired once its job is stored (RedisSchedules.fired): the claim ends and, while
-- the schedule exists, its last fire time becomes the tick if that is later. Checks every key it writes before its
-- first write (prelude.lua, expect()).
-- KEYS[1] <prefix>:{schedules}:firing  ZSET  "<schedule id>|<tick ms>" -> claim deadline (epoch ms)
-- KEYS[2] <prefix>:{schedules}:last    HASH  schedule id -> last fire time (epoch ms)
-- KEYS[3] <prefix>:{schedules}:defs    HASH  schedule id -> definition JSON
-- ARGV[1] schedule id
-- ARGV[2] tick (epoch ms)
-- returns 1 marked, 0 the claim was gone (another firer finished it)
-- uses expect() from prelude.lua
local id, tick = ARGV[1], tonumber(ARGV[2])
local member = id .. '|' .. ARGV[2]
if not redis.call('ZSCORE', KEYS[1], member) then
  return 0
end
local last = tonumber(redis.call('HGET', KEYS[2], id))
local exists = redis.call('HEXISTS', KEYS[3], id) == 1
redis.call('ZREM', KEYS[1], member)
if exists and (not last or tick > last) then
  redis.call('HSET', KEYS[2], id, ARGV[2])
end
return 1
