-- claim-tick.lua: claims one tick of a schedule for the calling firer, compare-and-set (RedisSchedules.claim). It
-- succeeds only while the schedule's definition and next fire time are still those the firer read and that time is
-- due by the server's clock; then it moves the next fire time on and records the claim with a deadline, so of any
-- number of firers racing for the tick exactly one wins. Checks every key it writes before its first write
-- (prelude.lua, expect()).
-- KEYS[1] <prefix>:{schedules}:defs    HASH  schedule id -> definition JSON
-- KEYS[2] <prefix>:{schedules}:next    ZSET  schedule id -> next fire time (epoch ms)
-- KEYS[3] <prefix>:{schedules}:firing  ZSET  "<schedule id>|<tick ms>" -> claim deadline (epoch ms)
-- ARGV[1] schedule id
-- ARGV[2] the definition JSON the firer read
-- ARGV[3] the next fire time the firer read (epoch ms)
-- ARGV[4] the tick to claim (epoch ms), or -1 to move the next fire time on without firing (a dropped tick)
-- ARGV[5] the new next fire time (epoch ms)
-- ARGV[6] how long the claim holds (ms) before any firer may finish it
-- returns 1 claimed (next fire time moved), 0 refused: changed meanwhile, not due by the server's clock, or a tick
--         in the future
-- uses expect() from prelude.lua
local id, expected, tick = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local stored = redis.call('ZSCORE', KEYS[2], id)
if not stored or tonumber(stored) ~= expected or expected > now or tick > now then
  return 0
end
if redis.call('HGET', KEYS[1], id) ~= ARGV[2] then
  return 0
end
expect(KEYS[3], 'zset')
redis.call('ZADD', KEYS[2], ARGV[5], id)
if tick >= 0 then
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[6]), id .. '|' .. ARGV[4])
end
return 1
