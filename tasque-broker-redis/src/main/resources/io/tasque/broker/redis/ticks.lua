-- ticks.lua: what a schedule firer has to do, read in one step by the server's clock (RedisSchedules.due). Read-only.
-- KEYS[1] <prefix>:{schedules}:defs    HASH  schedule id -> definition JSON
-- KEYS[2] <prefix>:{schedules}:next    ZSET  schedule id -> next fire time (epoch ms)
-- KEYS[3] <prefix>:{schedules}:firing  ZSET  "<schedule id>|<tick ms>" -> claim deadline (epoch ms)
-- ARGV[1] most due schedules to return
-- ARGV[2] most overdue claims to return
-- returns {now (the server's TIME, epoch ms), earliest next fire time or -1, n, n x (id, next fire time, definition),
--          m, m x (claim member, definition or false), earliest claim deadline or -1}; a due schedule without a
--          definition (never written so by tasque) is left out
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = { now }
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
out[#out + 1] = first[2] and tonumber(first[2]) or -1
local due = redis.call('ZRANGE', KEYS[2], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[1]), 'WITHSCORES')
local ids = {}
for i = 1, #due, 2 do
  ids[#ids + 1] = due[i]
end
local defs = {}
if #ids > 0 then
  defs = redis.call('HMGET', KEYS[1], unpack(ids))
end
local rows = {}
for n, id in ipairs(ids) do
  if defs[n] then
    rows[#rows + 1] = id
    rows[#rows + 1] = due[2 * n]
    rows[#rows + 1] = defs[n]
  end
end
out[#out + 1] = #rows / 3
for _, v in ipairs(rows) do
  out[#out + 1] = v
end
local late = redis.call('ZRANGE', KEYS[3], '-inf', now, 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[2]))
out[#out + 1] = #late
for _, member in ipairs(late) do
  out[#out + 1] = member
  out[#out + 1] = redis.call('HGET', KEYS[1], string.match(member, '^(.*)|%-?%d+$') or member)
end
local claim = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
out[#out + 1] = claim[2] and tonumber(claim[2]) or -1
return out
