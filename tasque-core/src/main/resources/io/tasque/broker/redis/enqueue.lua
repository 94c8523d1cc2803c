-- enqueue.lua: stores new jobs of one queue; ready ones go to the back of the ready list, delayed ones
-- into the delayed set. Idempotent by job id: an id already stored is skipped. Works in a few variadic
-- commands per call, whatever the number of jobs.
-- KEYS[1] <prefix>:{<queue>}:jobs     HASH  id -> payload
-- KEYS[2] <prefix>:{<queue>}:ready    LIST  ids, pushed right, popped left
-- KEYS[3] <prefix>:{<queue>}:delayed  ZSET  id -> due time (epoch ms)
-- KEYS[4] <prefix>:{<queue>}:wake     LIST  at most one token; idle workers block on it
-- ARGV    triples, repeated: ARGV[3i+1] id, ARGV[3i+2] payload, ARGV[3i+3] due time (epoch ms, 0 = ready now)
-- returns the number of jobs stored
-- uses batched() from prelude.lua
local ids = {}
for i = 1, #ARGV, 3 do
  ids[#ids + 1] = ARGV[i]
end
local stored = batched('HMGET', KEYS[1], ids, 1)

local fields, ready, delayed = {}, {}, {}
for n, id in ipairs(ids) do
  if not stored[n] then
    local at = 3 * n - 2
    fields[#fields + 1] = id
    fields[#fields + 1] = ARGV[at + 1]
    local due = tonumber(ARGV[at + 2])
    if due > 0 then
      delayed[#delayed + 1] = due
      delayed[#delayed + 1] = id
    else
      ready[#ready + 1] = id
    end
  end
end
if #fields == 0 then
  return 0
end
batched('HSET', KEYS[1], fields, 2)
if #ready > 0 then
  batched('RPUSH', KEYS[2], ready, 1)
end
if #delayed > 0 then
  batched('ZADD', KEYS[3], delayed, 2)
end
-- a delayed job wakes a worker too, so an idle one learns the new earliest due time
if redis.call('LLEN', KEYS[4]) == 0 then
  redis.call('RPUSH', KEYS[4], '1')
end
return #fields / 2
