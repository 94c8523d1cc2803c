-- unschedule.lua: removes one schedule (RedisSchedules.remove): its definition, next and last fire times. A claim of
-- one of its ticks that is in progress is left to end: the firer finds no definition and stores no job for it.
-- Checks every key it writes before its first write (prelude.lua, expect()).
-- KEYS[1] <prefix>:{schedules}:defs  HASH  schedule id -> definition JSON
-- KEYS[2] <prefix>:{schedules}:next  ZSET  schedule id -> next fire time (epoch ms)
-- KEYS[3] <prefix>:{schedules}:last  HASH  schedule id -> last fire time (epoch ms)
-- ARGV[1] schedule id
-- returns 1 removed, 0 no such schedule
-- uses expect() from prelude.lua
local id = ARGV[1]
local had = redis.call('HEXISTS', KEYS[1], id)
expect(KEYS[2], 'zset')
expect(KEYS[3], 'hash')
redis.call('HDEL', KEYS[1], id)
redis.call('ZREM', KEYS[2], id)
redis.call('HDEL', KEYS[3], id)
return had
