-- schedule.lua: stores one schedule (RedisSchedules.put). The same definition again changes nothing, so its next fire
-- time is kept; another definition replaces the stored one and its next fire time. The last fire time is kept either
-- way. Checks every key it writes before its first write (prelude.lua, expect()).
-- KEYS[1] <prefix>:{schedules}:defs  HASH  schedule id -> definition JSON
-- KEYS[2] <prefix>:{schedules}:next  ZSET  schedule id -> next fire time (epoch ms)
-- ARGV[1] schedule id
-- ARGV[2] definition JSON
-- ARGV[3] next fire time (epoch ms) for a new or replaced definition
-- returns 1 created, 0 unchanged, 2 replaced
-- uses expect() from prelude.lua
local id = ARGV[1]
local old = redis.call('HGET', KEYS[1], id)
local next = redis.call('ZSCORE', KEYS[2], id)
if old == ARGV[2] and next then
  return 0
end
redis.call('HSET', KEYS[1], id, ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], id)
if old then
  return 2
end
return 1
