-- enqueue.lua: stores new jobs of one queue, all due at the same time; ready ones go to the back of the ready
-- list, delayed ones into the delayed set. With ARGV[1] = 1 it is idempotent by job id: an id already stored
-- is skipped. The client sends 0 for ids it has just made (none can be stored yet), and 1 when it repeats a
-- call whose reply it lost, which saves a lookup per job on the common path. Works in a few variadic commands
-- per call, whatever the number of jobs.
-- KEYS[1] <prefix>:{<queue>}:jobs     HASH  id -> payload
-- KEYS[2] <prefix>:{<queue>}:ready    LIST  ids, pushed right, popped left
-- KEYS[3] <prefix>:{<queue>}:delayed  ZSET  id -> due time (epoch ms)
-- KEYS[4] <prefix>:{<queue>}:wake     LIST  at most one token; idle workers block on it
-- ARGV[1] 1 = skip ids already stored, 0 = every id is new
-- ARGV[2] due time of every job of the call (epoch ms, 0 = ready now)
-- ARGV[3…] pairs, repeated: id, payload
-- returns the number of jobs stored
-- uses batched() from prelude.lua
local due = tonumber(ARGV[2])
local ids = {}
for i = 3, #ARGV, 2 do
  ids[#ids + 1] = ARGV[i]
end
local stored = ARGV[1] == '1' and batched('HMGET', KEYS[1], ids, 1) or {}

local fields, members = {}, {}
for n, id in ipairs(ids) do
  if not stored[n] then
    fields[#fields + 1] = id
    fields[#fields + 1] = ARGV[2 * n + 2]
    if due > 0 then
      members[#members + 1] = ARGV[2] -- as sent: a Lua number would be formatted again for every job
    end
    members[#members + 1] = id
  end
end
if #fields == 0 then
  return 0
end
batched('HSET', KEYS[1], fields, 2)
if due > 0 then
  batched('ZADD', KEYS[3], members, 2)
else
  batched('RPUSH', KEYS[2], members, 1)
end
-- a delayed job wakes a worker too, so an idle one learns the new earliest due time
if redis.call('LLEN', KEYS[4]) == 0 then
  redis.call('RPUSH', KEYS[4], '1')
end
return #fields / 2
