-- reclaim-tick.lua: takes over a claimed tick whose claim ran out (its firer died or stalled), compare-and-set
-- (RedisSchedules.reclaim): only while the claim's deadline has passed by the server's clock, the claim gets a new
-- deadline for the calling firer, so of any number of firers finding it overdue exactly one finishes it.
-- KEYS[1] <prefix>:{schedules}:firing  ZSET  "<schedule id>|<tick ms>" -> claim deadline (epoch ms)
-- ARGV[1] schedule id
-- ARGV[2] tick (epoch ms)
-- ARGV[3] how long the new claim holds (ms)
-- returns 1 taken over, 0 not overdue (still held, or finished already)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member = ARGV[1] .. '|' .. ARGV[2]
local deadline = redis.call('ZSCORE', KEYS[1], member)
if not deadline or tonumber(deadline) > now then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), member)
return 1
